import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalPath = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

/** Every environment variable the gateway reads, with its default. README lists the same. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./var'),
  EMBEDDED_PG_PORT: port.default(54329),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(8080),
  MQTT_PORT: port.default(1883),
  MQTT_URL: z.string().url().optional(),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  INGEST_MODE: z.enum(['broker', 'worker']).optional(),
  WORKER_ID: z.string().min(1).max(64).optional(),
  SHARED_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('ingest'),
  TLS_CERT_FILE: optionalPath,
  TLS_KEY_FILE: optionalPath,
  TLS_CA_FILE: optionalPath,
  AUTH_JWT_SECRET: z.string().min(32).optional(),
  REDIS_URL: z.string().url().optional(),
  BATCH_MAX_ROWS: positiveInt.default(4000),
  BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).default(15),
  SINK_CONNECTIONS: positiveInt.default(3),
  SINK_MAX_QUEUE_ROWS: positiveInt.default(200_000),
  TELEMETRY_MAX_AGE_DAYS: positiveInt.default(30),
  TELEMETRY_MAX_FUTURE_S: positiveInt.default(300),
  TELEMETRY_RETENTION_DAYS: positiveInt.default(400),
  MAX_IMPLIED_SPEED_KMH: positiveInt.default(250),
  GARBAGE_LIMIT: positiveInt.default(20),
  LIVE_THROTTLE_MS: z.coerce.number().int().min(0).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type GatewayEnv = z.infer<typeof envSchema>;

/** Names of every variable the gateway reads (README and docker-compose are checked against it). */
export const GATEWAY_ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  caFile?: string;
}

export interface Options {
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  host: string;
  httpPort: number;
  mqttPort: number;
  mode: 'broker' | 'worker';
  mqttUrl?: string;
  mqttUsername?: string;
  mqttPassword?: string;
  workerId?: string;
  sharedGroup: string;
  tls?: TlsFiles;
  jwtSecret?: string;
  /** Shares live positions between gateway instances (socket.io Redis adapter). */
  redisUrl?: string;
  batchMaxRows: number;
  batchMaxWaitMs: number;
  sinkConnections: number;
  sinkMaxQueueRows: number;
  validation: ValidationOptions;
  retentionDays: number;
  garbageLimit: number;
  liveThrottleMs: number;
  logLevel: GatewayEnv['LOG_LEVEL'];
}

export interface ValidationOptions {
  maxAgeMs: number;
  maxFutureMs: number;
  maxImpliedSpeedKmh: number;
}

export const DEFAULT_VALIDATION: ValidationOptions = {
  maxAgeMs: 30 * 86_400_000,
  maxFutureMs: 300_000,
  maxImpliedSpeedKmh: 250,
};

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Validates the environment once at start; the message names the variable and the expected form. */
export function loadOptions(env: Record<string, string | undefined>): Options {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in envSchema.shape && value !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid value'}`);
  }
  const e = parsed.data;
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  const mode = e.INGEST_MODE ?? (e.MQTT_URL ? 'worker' : 'broker');
  if (mode === 'worker' && !e.MQTT_URL) {
    throw new ConfigError('MQTT_URL: required when INGEST_MODE=worker (e.g. mqtt://broker:1883)');
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    host: e.HOST,
    httpPort: e.PORT,
    mqttPort: e.MQTT_PORT,
    mode,
    mqttUrl: e.MQTT_URL,
    mqttUsername: e.MQTT_USERNAME,
    mqttPassword: e.MQTT_PASSWORD,
    workerId: e.WORKER_ID,
    sharedGroup: e.SHARED_GROUP,
    tls:
      e.TLS_CERT_FILE && e.TLS_KEY_FILE
        ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE, caFile: e.TLS_CA_FILE }
        : undefined,
    jwtSecret: e.AUTH_JWT_SECRET,
    redisUrl: e.REDIS_URL,
    batchMaxRows: e.BATCH_MAX_ROWS,
    batchMaxWaitMs: e.BATCH_MAX_WAIT_MS,
    sinkConnections: e.SINK_CONNECTIONS,
    sinkMaxQueueRows: e.SINK_MAX_QUEUE_ROWS,
    validation: {
      maxAgeMs: e.TELEMETRY_MAX_AGE_DAYS * 86_400_000,
      maxFutureMs: e.TELEMETRY_MAX_FUTURE_S * 1000,
      maxImpliedSpeedKmh: e.MAX_IMPLIED_SPEED_KMH,
    },
    retentionDays: e.TELEMETRY_RETENTION_DAYS,
    garbageLimit: e.GARBAGE_LIMIT,
    liveThrottleMs: e.LIVE_THROTTLE_MS,
    logLevel: e.LOG_LEVEL,
  };
}
