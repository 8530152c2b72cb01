import { z } from 'zod';
import { DEFAULT_LOGIN_THROTTLE, type LoginThrottleOptions } from './auth/login-throttle.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/** Every environment variable the platform reads, with its default. README lists the same. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./var'),
  EMBEDDED_PG_PORT: port.default(54329),
  HOST: z.string().default('127.0.0.1'),
  PLATFORM_PORT: port.default(8090),
  AUTH_JWT_SECRET: z.string().min(32).optional(),
  PLATFORM_ACCESS_TOKEN_TTL_S: positiveInt.max(86_400).default(900),
  PLATFORM_REFRESH_TOKEN_TTL_DAYS: positiveInt.max(365).default(30),
  PLATFORM_DB_CONNECTIONS: positiveInt.max(100).default(10),
  PLATFORM_FACTS_INTERVAL_S: z.coerce.number().int().min(0).max(86_400).default(30),
  PLATFORM_ADMIN_LOGIN: z
    .string()
    .regex(/^[a-z0-9._@-]{3,64}$/, 'lower-case login of 3..64 characters (a-z 0-9 . _ @ -)')
    .optional(),
  PLATFORM_ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').optional(),
  PLATFORM_LOGIN_MAX_FAILURES: positiveInt.max(1000).default(DEFAULT_LOGIN_THROTTLE.maxFailuresPerLogin),
  PLATFORM_LOGIN_IP_MAX_FAILURES: positiveInt.max(100_000).default(DEFAULT_LOGIN_THROTTLE.maxFailuresPerIp),
  PLATFORM_LOGIN_WINDOW_S: positiveInt.max(86_400).default(DEFAULT_LOGIN_THROTTLE.windowSeconds),
  PLATFORM_TRUST_PROXY: z.enum(['true', 'false', '1', '0'], 'true or false').default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Names of every variable the platform reads (README and docker-compose are checked against it). */
export const PLATFORM_ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface PlatformOptions {
  /** Unset: the running gateway's embedded database, else an embedded one started here. */
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  host: string;
  port: number;
  /** HS256 key shared with the gateway; unset: `DATA_DIR/jwt-secret` (created on first use). */
  jwtSecret?: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  databaseConnections: number;
  /** Seconds between collection-fact runs over new telemetry; 0 or unset: no runs. */
  factsIntervalSeconds?: number;
  /** Creates this admin at start when no admin exists yet. */
  bootstrapAdmin?: { login: string; password: string };
  /** scrypt cost N for new password hashes (tests lower it; stored hashes carry their own). */
  passwordHashCost: number;
  /** Password-login limits; unset: DEFAULT_LOGIN_THROTTLE. */
  loginThrottle?: LoginThrottleOptions;
  /** The client address from X-Forwarded-For (behind a reverse proxy); default false. */
  trustProxy?: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

/** scrypt N = 2^17, r = 8, p = 1: the OWASP password-storage recommendation for scrypt. */
export const DEFAULT_PASSWORD_HASH_COST = 131_072;

export class PlatformConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Validates the environment once at start; the message names the variable and the expected form. */
export function loadPlatformOptions(env: Record<string, string | undefined>): PlatformOptions {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in envSchema.shape && value !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlatformConfigError(
      `${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid value'}`,
    );
  }
  const e = parsed.data;
  if (Boolean(e.PLATFORM_ADMIN_LOGIN) !== Boolean(e.PLATFORM_ADMIN_PASSWORD)) {
    throw new PlatformConfigError('PLATFORM_ADMIN_LOGIN and PLATFORM_ADMIN_PASSWORD must be set together');
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    host: e.HOST,
    port: e.PLATFORM_PORT,
    jwtSecret: e.AUTH_JWT_SECRET,
    accessTokenTtlSeconds: e.PLATFORM_ACCESS_TOKEN_TTL_S,
    refreshTokenTtlDays: e.PLATFORM_REFRESH_TOKEN_TTL_DAYS,
    databaseConnections: e.PLATFORM_DB_CONNECTIONS,
    factsIntervalSeconds: e.PLATFORM_FACTS_INTERVAL_S,
    bootstrapAdmin:
      e.PLATFORM_ADMIN_LOGIN && e.PLATFORM_ADMIN_PASSWORD
        ? { login: e.PLATFORM_ADMIN_LOGIN, password: e.PLATFORM_ADMIN_PASSWORD }
        : undefined,
    passwordHashCost: DEFAULT_PASSWORD_HASH_COST,
    loginThrottle: {
      maxFailuresPerLogin: e.PLATFORM_LOGIN_MAX_FAILURES,
      maxFailuresPerIp: e.PLATFORM_LOGIN_IP_MAX_FAILURES,
      windowSeconds: e.PLATFORM_LOGIN_WINDOW_S,
    },
    trustProxy: e.PLATFORM_TRUST_PROXY === 'true' || e.PLATFORM_TRUST_PROXY === '1',
    logLevel: e.LOG_LEVEL,
  };
}
