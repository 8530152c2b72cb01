import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../gateway/test/helpers/test-database.js';
import type { Role } from '../../src/auth/actor.js';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';

export const TEST_JWT_SECRET = 'platform-test-secret-0123456789-abcdefghij';
export const ADMIN = { login: 'admin', password: 'admin-password-1' };

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  raw: Buffer;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** A non-JSON body (imports) with its media type. */
  file?: { data: Buffer | string; contentType: string };
  headers?: Record<string, string>;
}

export interface TestPlatform {
  platform: RunningPlatform;
  databaseUrl: string;
  request<T = Record<string, unknown>>(
    method: string,
    url: string,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  login(login: string, password: string): Promise<{ accessToken: string; refreshToken: string }>;
  adminToken(): Promise<string>;
  /** Creates a user through the API (as admin) and returns its access token. */
  userToken(
    role: Role,
    options?: { carrierId?: string; login?: string },
  ): Promise<{ token: string; userId: string }>;
  close(): Promise<void>;
}

let counter = 0;

/** The real platform on an ephemeral port over a fresh database (see createTestDatabase). */
export async function startTestPlatform(): Promise<TestPlatform> {
  const database: TestDatabase = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'msw-platform-'));
  const platform = await startPlatform(
    {
      databaseUrl: database.url,
      dataDir,
      embeddedPgPort: 0,
      host: '127.0.0.1',
      port: 0,
      jwtSecret: TEST_JWT_SECRET,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlDays: 30,
      databaseConnections: 5,
      bootstrapAdmin: ADMIN,
      // Cheap hashes keep the suite fast; the format and code path are the production ones.
      passwordHashCost: 1024,
      logLevel: 'silent',
    },
    pino({ level: 'silent' }),
  );

  const request = async <T>(
    method: string,
    url: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | Buffer | undefined;
    if (options.file) {
      headers['content-type'] = options.file.contentType;
      body = options.file.data;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(platform.url + url, { method, headers, body });
    const raw = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    const parsed =
      type.includes('json') && raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as T) : (raw as T);
    return { status: response.status, body: parsed, headers: response.headers, raw };
  };

  const login = async (name: string, password: string) => {
    const response = await request<{ accessToken: string; refreshToken: string }>(
      'POST',
      '/api/v1/auth/login',
      {
        body: { login: name, password },
      },
    );
    if (response.status !== 200)
      throw new Error(`login ${name}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  let admin: string | undefined;
  const adminToken = async (): Promise<string> =>
    (admin ??= (await login(ADMIN.login, ADMIN.password)).accessToken);

  return {
    platform,
    databaseUrl: database.url,
    request,
    login,
    adminToken,
    userToken: async (role, options = {}) => {
      const name = options.login ?? `${role}-${++counter}`;
      const password = `${name}-password-long`;
      const created = await request<{ id: string }>('POST', '/api/v1/users', {
        token: await adminToken(),
        body: { login: name, password, role, carrierId: options.carrierId },
      });
      if (created.status !== 201) throw new Error(`user ${name}: ${JSON.stringify(created.body)}`);
      return { token: (await login(name, password)).accessToken, userId: created.body.id };
    },
    close: async () => {
      await platform.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
