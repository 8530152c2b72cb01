import type { LoginThrottleOptions } from './auth/login-throttle.js';
import type { Database } from './db/pool.js';

/** What handlers get besides their validated input: the database and the auth settings. */
export interface PlatformServices {
  db: Database;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  passwordHashCost: number;
  loginThrottle: LoginThrottleOptions;
  /** Take the client address from X-Forwarded-For (the platform runs behind a reverse proxy). */
  trustProxy: boolean;
}
