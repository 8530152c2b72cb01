import type pg from 'pg';
import {
  emptyContainerEventColumns,
  emptyTelemetryColumns,
  ensureTelemetryPartitions,
  insertTelemetry,
} from '../../../gateway/src/db/telemetry.js';
import type { ContainerEvent, Fix } from '../../src/facts/types.js';

/** Writes a generated track and its lift events into the gateway's telemetry tables, as ingest would. */
export async function storeTelemetry(
  db: pg.Pool,
  deviceId: string,
  fixes: Fix[],
  lifts: ContainerEvent[],
): Promise<void> {
  await ensureTelemetryPartitions(db, fixes[0]!.timeMs, fixes[fixes.length - 1]!.timeMs);
  const rows = emptyTelemetryColumns();
  const events = emptyContainerEventColumns();
  let e = 0;
  for (const fix of fixes) {
    rows.deviceId.push(deviceId);
    rows.seq.push(fix.seq);
    rows.timeMs.push(fix.timeMs);
    rows.lat.push(fix.lat);
    rows.lon.push(fix.lon);
    rows.speedKmh.push(fix.speedKmh);
    rows.headingDeg.push(fix.headingDeg);
    rows.hdop.push(0.9);
    rows.satellites.push(11);
    rows.ignition.push(fix.ignition ?? true);
    rows.odometerM.push(0);
    rows.fuelLevelL.push(fix.fuelL ?? null);
    rows.fuelUsedTotalL.push(null);
    rows.engineHours.push(null);
    let idx = 0;
    while (e < lifts.length && lifts[e]!.timeMs <= fix.timeMs) {
      events.deviceId.push(deviceId);
      events.seq.push(fix.seq);
      events.idx.push(idx++);
      events.timeMs.push(lifts[e++]!.timeMs);
      events.kind.push(1);
      events.arm.push(1);
      events.rfid.push(null);
      events.weightKg.push(null);
    }
  }
  await insertTelemetry(db, rows, events);
}
