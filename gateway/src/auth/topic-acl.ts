import { commandTopic, telemetryTopic } from '../proto/codec.js';

/** A device publishes only its own telemetry. */
export function mayPublish(deviceId: string, topic: string): boolean {
  return topic === telemetryTopic(deviceId);
}

/** A device subscribes only to its own commands (no wildcards, no other device). */
export function maySubscribe(deviceId: string, topic: string): boolean {
  return topic === commandTopic(deviceId);
}

/** Device id from a topic `fleet/{deviceId}/telemetry`, or undefined for any other topic. */
export function deviceIdOfTelemetryTopic(topic: string): string | undefined {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== 'fleet' || parts[2] !== 'telemetry') return undefined;
  return parts[1] || undefined;
}
