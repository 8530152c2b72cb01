import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChaosModeError } from './chaos.js';
import { GatewayNotFoundError, locateGateway, probeBroker } from './gateway-locator.js';
import { generateGridTown } from './grid-town.js';
import { OptionsError, parseSimOptions, USAGE } from './options.js';
import { ProgressPrinter } from './progress.js';
import { provisionDevices } from './provision.js';
import { loadRoadNetwork, type RoadNetwork } from './road-network.js';
import { runSimulation } from './simulation.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_OSM_FILE = path.resolve(REPO_ROOT, '../shared/data/osm/moscow-ostankino.osm.gz');

/** A failure the user can fix, reported as one line without a stack. */
class SimError extends Error {
  readonly code = 'SIM_FAILED';
}

// The only place that reads process.env and argv (STYLE: config validated once, at start).
async function main(): Promise<void> {
  const options = parseSimOptions(process.argv.slice(2), process.env);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const gateway = await locateGateway(options, options.dataDir);
  await probeBroker(gateway.mqttUrl);
  const network = await loadNetwork(options.osmFile);
  const devices = await provisionDevices(gateway.databaseUrl, {
    count: options.vehicles,
    prefix: options.prefix,
  }).catch((error: unknown) => {
    throw new SimError(
      `cannot provision devices in the database at ${redact(gateway.databaseUrl)}: ${(error as Error).message}`,
    );
  });
  process.stderr.write(
    `firmware-sim: ${devices.length} trucks on ${network.source} (${network.nodeCount} nodes), ` +
      `${options.rateHz} Hz for ${options.durationS} s -> ${gateway.mqttUrl}` +
      `${options.chaos.length ? `, chaos: ${options.chaos.join(',')}` : ''}\n`,
  );

  // First Ctrl-C ends the driving and drains the buffers; a second one skips the drain.
  const stopDriving = new AbortController();
  const stopDraining = new AbortController();
  const onSignal = (): void => (stopDriving.signal.aborted ? stopDraining : stopDriving).abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const printer = new ProgressPrinter(process.stderr);
  const summary = await runSimulation(
    network,
    devices,
    {
      mqttUrl: gateway.mqttUrl,
      rateHz: options.rateHz,
      durationS: options.durationS,
      seed: options.seed,
      chaos: options.chaos,
      drainTimeoutS: options.drainTimeoutS,
    },
    {
      onProgress: (progress) => printer.update(progress),
      stopDriving: stopDriving.signal,
      stopDraining: stopDraining.signal,
    },
  );
  printer.finish();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (summary.connects === 0) {
    process.stderr.write(
      `firmware-sim: no tracker could connect to ${gateway.mqttUrl}` +
        `${summary.lastError ? ` (${summary.lastError})` : ''}\n`,
    );
    process.exitCode = 1;
  }
}

async function loadNetwork(osmFile: string | undefined): Promise<RoadNetwork> {
  if (osmFile !== undefined && !existsSync(osmFile)) throw new SimError(`--osm: ${osmFile} does not exist`);
  const file = osmFile ?? (existsSync(DEFAULT_OSM_FILE) ? DEFAULT_OSM_FILE : undefined);
  if (!file) {
    process.stderr.write(`firmware-sim: ${DEFAULT_OSM_FILE} not found, driving a generated grid town\n`);
    return generateGridTown();
  }
  try {
    return await loadRoadNetwork(file);
  } catch (error) {
    throw new SimError(`cannot read roads from ${file}: ${(error as Error).message}`);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

main().catch((error: unknown) => {
  const known =
    error instanceof OptionsError ||
    error instanceof GatewayNotFoundError ||
    error instanceof ChaosModeError ||
    error instanceof SimError;
  process.stderr.write(
    known
      ? `firmware-sim: ${(error as Error).message}\n`
      : `firmware-sim: failed: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
