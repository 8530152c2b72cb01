import { parseArgs } from 'node:util';
import { parseChaosModes, type ChaosMode } from './chaos.js';

export const USAGE = `usage: npm run sim -- [options]

  --vehicles N         simulated trucks (sim-0001 …), default 10
  --rate HZ            fixes per second per truck, default 1 (0.2 = one every 5 s)
  --duration S         seconds of driving, default 60
  --osm FILE           OSM XML(.gz) extract to drive on; default the Moscow (Ostankino) extract,
                       or a generated grid town when that file is missing
  --seed N             PRNG seed, default 1: the same seed drives the same routes
  --chaos MODES        comma-separated: garbage, clock-skew, duplicates, reconnect-storm
  --mqtt-url URL       broker (env MQTT_URL), default from DATA_DIR/runtime.json of a running gateway
  --database-url URL   database to provision devices in (env DATABASE_URL), default from runtime.json
  --drain-timeout S    after the run, seconds to wait for buffered records to be acknowledged, default 15
  --prefix P           device id prefix, default sim-`;

export interface SimOptions {
  vehicles: number;
  rateHz: number;
  durationS: number;
  osmFile?: string;
  seed: number;
  chaos: ChaosMode[];
  mqttUrl?: string;
  databaseUrl?: string;
  drainTimeoutS: number;
  prefix: string;
  dataDir: string;
  help: boolean;
}

export class OptionsError extends Error {
  readonly code = 'SIM_OPTIONS_INVALID';
}

/** Flags win over the environment; what neither gives comes from runtime.json later. */
export function parseSimOptions(argv: string[], env: Record<string, string | undefined>): SimOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        vehicles: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        osm: { type: 'string' },
        seed: { type: 'string' },
        chaos: { type: 'string' },
        'mqtt-url': { type: 'string' },
        'database-url': { type: 'string' },
        'drain-timeout': { type: 'string' },
        prefix: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  let chaos: ChaosMode[];
  try {
    chaos = parseChaosModes(values.chaos ?? '');
  } catch (error) {
    throw new OptionsError(`--chaos: ${(error as Error).message}`);
  }
  const prefix = values.prefix ?? 'sim-';
  if (!/^[A-Za-z0-9_.:-]{1,40}$/.test(prefix)) {
    throw new OptionsError(`--prefix: expected letters, digits, '_', '.', ':' or '-', got '${prefix}'`);
  }
  return {
    vehicles: integer('--vehicles', values.vehicles, 10, 1, 100_000),
    rateHz: decimal('--rate', values.rate, 1, 0.01, 100),
    durationS: decimal('--duration', values.duration, 60, 0, 30 * 86_400),
    osmFile: values.osm,
    seed: integer('--seed', values.seed, 1, 0, 2 ** 32 - 1),
    chaos,
    mqttUrl: url('--mqtt-url', values['mqtt-url'] ?? nonEmpty(env.MQTT_URL), [
      'mqtt',
      'mqtts',
      'tcp',
      'ssl',
      'ws',
      'wss',
    ]),
    databaseUrl: url('--database-url', values['database-url'] ?? nonEmpty(env.DATABASE_URL), [
      'postgres',
      'postgresql',
    ]),
    drainTimeoutS: decimal('--drain-timeout', values['drain-timeout'], 15, 0, 3600),
    prefix,
    dataDir: nonEmpty(env.DATA_DIR) ?? './var',
    help: values.help ?? false,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value ? value : undefined;
}

function integer(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new OptionsError(`${flag}: expected a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

function decimal(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new OptionsError(`${flag}: expected a number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

function url(flag: string, text: string | undefined, schemes: string[]): string | undefined {
  if (text === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new OptionsError(`${flag}: expected a URL like ${schemes[0]}://host:port, got '${text}'`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    throw new OptionsError(`${flag}: expected a ${schemes.join('|')} URL, got '${text}'`);
  }
  return text;
}
