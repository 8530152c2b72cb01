import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one gateway process, served at GET /metrics. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly messagesIn = new Counter({
    name: 'msw_gateway_messages_in_total',
    help: 'MQTT telemetry messages received',
    registers: [this.registry],
  });
  readonly recordsIn = new Counter({
    name: 'msw_gateway_records_in_total',
    help: 'Telemetry records received (a message carries one or more)',
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'msw_gateway_rejected_total',
    help: 'Messages or records refused, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly stored = new Counter({
    name: 'msw_gateway_records_stored_total',
    help: 'Telemetry records committed to the database',
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'msw_gateway_records_duplicate_total',
    help: 'Records already stored (resends), skipped',
    registers: [this.registry],
  });
  readonly batchLatency = new Histogram({
    name: 'msw_gateway_batch_commit_seconds',
    help: 'Group commit latency (statement start to commit)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly batchRows = new Histogram({
    name: 'msw_gateway_batch_rows',
    help: 'Records per group commit',
    buckets: [1, 10, 50, 100, 500, 1000, 2000, 5000, 10000],
    registers: [this.registry],
  });
  readonly commitFailures = new Counter({
    name: 'msw_gateway_commit_failures_total',
    help: 'Group commits that failed and were retried',
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'msw_gateway_queue_depth',
    help: 'Records waiting for or in a group commit (not yet acknowledged)',
    registers: [this.registry],
  });
  readonly connectedDevices = new Gauge({
    name: 'msw_gateway_connected_devices',
    help: 'Trackers connected to this broker',
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'msw_gateway_auth_failures_total',
    help: 'Refused connections and topic accesses, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly disconnects = new Counter({
    name: 'msw_gateway_forced_disconnects_total',
    help: 'Devices disconnected by the gateway, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
}
