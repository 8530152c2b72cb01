import type { Database } from './db/pool.js';

/** What handlers get besides their validated input: the database and the auth settings. */
export interface PlatformServices {
  db: Database;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  passwordHashCost: number;
}
