import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** Path of the one wire contract (gateway/proto/telemetry.proto). */
export const TELEMETRY_PROTO_PATH = fileURLToPath(new URL('../../proto/telemetry.proto', import.meta.url));

// 64-bit fields decode to plain numbers: every value on this wire (ms timestamps, sequence
// numbers, metres) stays far below 2^53, and Long objects would cost an allocation per field.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

const root = protobuf.loadSync(TELEMETRY_PROTO_PATH);
const batchType = root.lookupType('msw.telemetry.v1.TelemetryBatch');
const commandType = root.lookupType('msw.telemetry.v1.Command');

export const ContainerEventKind = { UNSPECIFIED: 0, LIFT_CYCLE: 1, RFID_READ: 2 } as const;
export const ContainerArm = {
  UNSPECIFIED: 0,
  REAR: 1,
  LEFT: 2,
  RIGHT: 3,
  FRONT: 4,
  CRANE: 5,
} as const;

export interface ContainerEvent {
  kind: number;
  timeMs: number;
  arm: number;
  rfid: string;
  weightKg?: number;
}

export interface Telemetry {
  seq: number;
  timeMs: number;
  latE7: number;
  lonE7: number;
  speedKmh: number;
  headingDeg: number;
  hdop: number;
  satellites: number;
  ignition: boolean;
  odometerM: number;
  fuelLevelL?: number;
  fuelUsedTotalL?: number;
  engineHours?: number;
  containerEvents: ContainerEvent[];
}

export interface TelemetryBatch {
  deviceId: string;
  records: Telemetry[];
}

export type Command = {
  id: number;
  issuedMs: number;
} & (
  | { setReportInterval: { movingS: number; parkedS: number } }
  | { requestPosition: Record<string, never> }
  | { textMessage: { text: string } }
);

/** Encodes a batch; fields left undefined are omitted from the wire. */
export function encodeTelemetryBatch(batch: TelemetryBatch): Uint8Array {
  return batchType.encode(batch as unknown as protobuf.Message).finish();
}

/**
 * Decodes a batch. Throws on malformed protobuf; unknown fields are skipped. Defaults of proto3
 * scalars are filled in so every field of the result is present (optional fields excepted).
 */
export function decodeTelemetryBatch(payload: Uint8Array): TelemetryBatch {
  const message = batchType.decode(payload) as unknown as Partial<TelemetryBatch>;
  const records = message.records ?? [];
  for (const record of records) fillTelemetryDefaults(record);
  return { deviceId: message.deviceId ?? '', records };
}

// protobufjs leaves proto3 defaults on the prototype; copy them so records are plain data.
function fillTelemetryDefaults(record: Telemetry): void {
  record.seq = record.seq ?? 0;
  record.timeMs = record.timeMs ?? 0;
  record.latE7 = record.latE7 ?? 0;
  record.lonE7 = record.lonE7 ?? 0;
  record.speedKmh = record.speedKmh ?? 0;
  record.headingDeg = record.headingDeg ?? 0;
  record.hdop = record.hdop ?? 0;
  record.satellites = record.satellites ?? 0;
  record.ignition = record.ignition ?? false;
  record.odometerM = record.odometerM ?? 0;
  // Absent proto3 `optional` fields read as null from the prototype; expose them as undefined.
  record.fuelLevelL = record.fuelLevelL ?? undefined;
  record.fuelUsedTotalL = record.fuelUsedTotalL ?? undefined;
  record.engineHours = record.engineHours ?? undefined;
  record.containerEvents = record.containerEvents ?? [];
  for (const event of record.containerEvents) {
    event.kind = event.kind ?? 0;
    event.timeMs = event.timeMs ?? 0;
    event.arm = event.arm ?? 0;
    event.rfid = event.rfid ?? '';
    event.weightKg = event.weightKg ?? undefined;
  }
}

export function encodeCommand(command: Command): Uint8Array {
  return commandType.encode(command as unknown as protobuf.Message).finish();
}

export function decodeCommand(payload: Uint8Array): Command {
  return commandType.toObject(commandType.decode(payload), { defaults: false }) as Command;
}

export function telemetryTopic(deviceId: string): string {
  return `fleet/${deviceId}/telemetry`;
}

export function commandTopic(deviceId: string): string {
  return `fleet/${deviceId}/commands`;
}
