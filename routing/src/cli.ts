import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { deviceTrack, devicesWithTelemetry } from './db/fleet-telemetry.js';
import { RoadRouter } from './engine/road-router.js';
import { openNetwork } from './network-store.js';
import { SpeedLearner } from './traffic/learn-speeds.js';
import { formatSpeedFile } from './traffic/speed-file.js';
import { generateDemoTown } from './osm/demo-town.js';
import { findFuelStations, fuelStationsGeoJson } from './poi/fuel-stations.js';
import { prepareNetwork, preparedFileOf, savePreparedNetwork } from './prepare.js';

const USAGE = `usage: npm run routing -- <command>

  build --osm FILE --out DIR     import an OSM extract (PBF or XML), contract it, write DIR/<name>.mswroute
  demo-town --out FILE           write the generated demo town as an OSM XML file
  learn-speeds --database-url URL [--osm FILE] [--days N] --out FILE
                                 learn time-dependent speeds from the fleet's telemetry of the last N days
                                 (default 28) and write them as a speed file (ROUTING_SPEEDS)
  fuel-stations --osm FILE [--out FILE]
                                 list the extract's diesel fuel stations (amenity=fuel) as GeoJSON, for the
                                 optimizer's refuelling stops`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      osm: { type: 'string' },
      out: { type: 'string' },
      'database-url': { type: 'string' },
      days: { type: 'string', default: '28' },
      'data-dir': { type: 'string', default: './var' },
    },
  });
  const print = (line: string): boolean => process.stdout.write(`${line}\n`);
  const [command] = positionals;
  if (command === 'build') {
    if (!values.osm || !values.out) throw new UsageError(USAGE);
    const { network, timings } = await prepareNetwork(values.osm);
    const file = preparedFileOf(values.osm, values.out);
    await savePreparedNetwork(file, network);
    print(
      JSON.stringify({
        file,
        importS: round(timings.importS),
        contractS: round(timings.contractS),
        ...timings.stats,
      }),
    );
    return;
  }
  if (command === 'demo-town') {
    if (!values.out) throw new UsageError(USAGE);
    await generateDemoTown(values.out);
    print(`demo town written to ${values.out}`);
    return;
  }
  if (command === 'fuel-stations') {
    if (!values.osm) throw new UsageError(USAGE);
    const text = JSON.stringify(fuelStationsGeoJson(await findFuelStations(values.osm)), null, 2);
    if (values.out) await writeFile(values.out, `${text}\n`);
    else print(text);
    return;
  }
  if (command === 'learn-speeds') {
    if (!values['database-url'] || !values.out) throw new UsageError(USAGE);
    const days = Number(values.days);
    if (!(days > 0 && days <= 400)) throw new UsageError('--days must be 1..400');
    const { network } = await openNetwork(values.osm, values['data-dir']);
    const router = new RoadRouter(network.graph, network.hierarchy);
    const learner = new SpeedLearner(router);
    const pool = new pg.Pool({ connectionString: values['database-url'], max: 2 });
    const to = Date.now();
    const from = to - days * 86_400_000;
    try {
      const devices = await devicesWithTelemetry(pool, from, to);
      for (const [i, deviceId] of devices.entries()) {
        learner.addTrack(deviceId, await deviceTrack(pool, deviceId, from, to));
        process.stderr.write(`\r${i + 1}/${devices.length} devices`);
      }
    } finally {
      await pool.end();
    }
    const speeds = learner.speeds();
    await writeFile(values.out, formatSpeedFile(speeds));
    print(
      `\n${speeds.length} segment speeds from ${learner.matchedPairs} matched fix pairs written to ${values.out}`,
    );
    return;
  }
  throw new UsageError(USAGE);
}

class UsageError extends Error {}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof UsageError ? error.message : String((error as Error).stack ?? error)}\n`,
  );
  process.exit(1);
});
