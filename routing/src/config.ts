import { findRunningGatewayDatabase } from '@msw/gateway/db/open-database';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  ROUTING_PORT: port.default(5000),
  DATA_DIR: z.string().default('./var'),
  ROUTING_OSM: z.string().optional(),
  ROUTING_SPEEDS: z.string().optional(),
  ROUTING_UTC_OFFSET_MIN: z.coerce.number().int().min(-720).max(840).default(180),
  ROUTING_BACKEND: z.enum(['embedded', 'osrm']).default('embedded'),
  OSRM_URL: z.string().url().optional(),
  OSRM_DATA: z.string().optional(),
  ROUTING_MAX_TABLE_SIZE: z.coerce.number().int().positive().default(100),
  ROUTING_OPTIMIZER_MAX_TIME_S: z.coerce.number().positive().max(3600).default(60),
  ROUTING_OPTIMIZER_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  DATABASE_URL: z.string().url().optional(),
  AUTH_JWT_SECRET: z.string().min(32).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Names of every variable the routing service reads (README is checked against it). */
export const ROUTING_ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface RoutingOptions {
  host: string;
  port: number;
  dataDir: string;
  /** OSM extract to route on; undefined = the generated demo town. */
  osmFile?: string;
  /** Segment speed file (OSRM format, optional time columns). */
  speedsFile?: string;
  utcOffsetMinutes: number;
  backend: 'embedded' | 'osrm';
  osrmUrl?: string;
  /** `.osrm` data for the node-osrm binding, when that package is installed. */
  osrmData?: string;
  maxTableSize: number;
  /** Longest solver time a request may ask for (s). */
  optimizerMaxTimeS: number;
  /** Solver threads; undefined = every core. */
  optimizerThreads?: number;
  /** PostgreSQL for plans and work orders; without it /plans answers 503. */
  databaseUrl?: string;
  /** HS256 key shared with the gateway and platform; unset: `DATA_DIR/jwt-secret` (created on first use). */
  jwtSecret?: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class RoutingConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export function loadRoutingOptions(env: Record<string, string | undefined>): RoutingOptions {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in envSchema.shape && value !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RoutingConfigError(
      `${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid value'}`,
    );
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.ROUTING_PORT,
    dataDir: e.DATA_DIR,
    osmFile: e.ROUTING_OSM,
    speedsFile: e.ROUTING_SPEEDS,
    utcOffsetMinutes: e.ROUTING_UTC_OFFSET_MIN,
    backend: e.ROUTING_BACKEND,
    osrmUrl: e.OSRM_URL,
    osrmData: e.OSRM_DATA,
    maxTableSize: e.ROUTING_MAX_TABLE_SIZE,
    optimizerMaxTimeS: e.ROUTING_OPTIMIZER_MAX_TIME_S,
    optimizerThreads: e.ROUTING_OPTIMIZER_THREADS,
    // Without DATABASE_URL, `npm start` runs us after the gateway: share its embedded PostgreSQL.
    databaseUrl: e.DATABASE_URL ?? findRunningGatewayDatabase(e.DATA_DIR),
    jwtSecret: e.AUTH_JWT_SECRET,
    logLevel: e.LOG_LEVEL,
  };
}
