import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../gateway/src/gateway.js';
import { createTestDatabase, type TestDatabase } from '../../gateway/test/helpers/test-database.js';
import { mqttUrlOf, startTestGateway } from '../../gateway/test/helpers/test-gateway.js';
import { provisionDevices } from '../src/provision.js';
import { loadRoadNetwork } from '../src/road-network.js';
import { runSimulation } from '../src/simulation.js';

const MOSCOW = new URL('../../../shared/data/osm/moscow-ostankino.osm.gz', import.meta.url).pathname;

let database: TestDatabase;
let gateway: RunningGateway;

beforeAll(async () => {
  database = await createTestDatabase();
  gateway = await startTestGateway(database.url);
});

afterAll(async () => {
  await gateway?.close();
  await database?.drop();
});

async function stored(): Promise<{ n: number; distinct: number; devices: number }> {
  const { rows } = await gateway.pool.query(
    `SELECT count(*)::int AS n, count(DISTINCT (device_id, seq))::int AS distinct, count(DISTINCT device_id)::int AS devices
     FROM telemetry`,
  );
  return rows[0] as { n: number; distinct: number; devices: number };
}

async function rejected(): Promise<number> {
  const metric = await gateway.metrics.registry.getSingleMetric('msw_gateway_rejected_total')?.get();
  return (metric?.values ?? []).reduce((n, v) => n + v.value, 0);
}

describe('firmware-sim against the real gateway', () => {
  it('drives trucks on the Moscow extract; every generated record is stored once, and a rerun continues the sequence', async () => {
    const network = await loadRoadNetwork(MOSCOW);
    const options = {
      mqttUrl: mqttUrlOf(gateway),
      rateHz: 2,
      durationS: 4,
      seed: 3,
      chaos: [],
      drainTimeoutS: 15,
    };
    const first = await runSimulation(network, await provisionDevices(database.url, { count: 5 }), options);
    expect(first.complete).toBe(true);
    expect(first.generated).toBeGreaterThanOrEqual(5 * 7);
    expect(await stored()).toEqual({ n: first.generated, distinct: first.generated, devices: 5 });

    // Second run: the sim resumes each tracker's seq and position from the database.
    const again = await provisionDevices(database.url, { count: 5 });
    expect(Math.min(...again.map((d) => d.lastSeq))).toBeGreaterThanOrEqual(7);
    const second = await runSimulation(network, again, { ...options, seed: 4 });
    expect(second.complete).toBe(true);
    const total = first.generated + second.generated;
    expect(await stored()).toEqual({ n: total, distinct: total, devices: 5 });
    expect(await rejected()).toBe(0);
  });
});
