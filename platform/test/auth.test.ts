import { verifyAccessToken } from '@msw/gateway/auth/access-token';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginLoginAttempt } from '../src/auth/login-throttle.js';
import { carrierBody } from './helpers/fixtures.js';
import { ADMIN, startTestPlatform, TEST_JWT_SECRET, type TestPlatform } from './helpers/test-platform.js';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => {
  await t?.close();
});

interface Tokens {
  accessToken: string;
  refreshToken: string;
  user: { role: string; carrierId: string | null };
}

describe('login', () => {
  it('creates the first admin from the environment and logs in with a token the gateway accepts', async () => {
    const response = await t.request<Tokens>('POST', '/api/v1/auth/login', {
      body: { login: 'ADMIN', password: ADMIN.password },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { login: 'admin', role: 'admin' },
    });
    expect(response.body.user).not.toHaveProperty('passwordHash');
    const claims = await verifyAccessToken(response.body.accessToken, TEST_JWT_SECRET);
    expect(claims.role).toBe('admin');
  });

  it('puts the carrier into the token, as the gateway’s live map expects', async () => {
    const admin = await t.adminToken();
    const carrier = await t.request<{ id: string }>('POST', '/api/v1/carriers', {
      token: admin,
      body: carrierBody(),
    });
    const { token } = await t.userToken('carrier', { carrierId: carrier.body.id });
    expect(await verifyAccessToken(token, TEST_JWT_SECRET)).toMatchObject({
      role: 'carrier',
      carrierId: carrier.body.id,
    });
  });

  it('refuses a wrong password or login with the same Russian-first error', async () => {
    for (const body of [
      { login: 'admin', password: 'wrong-password' },
      { login: 'nobody', password: ADMIN.password },
    ]) {
      const response = await t.request('POST', '/api/v1/auth/login', { body });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        code: 'INVALID_CREDENTIALS',
        message: 'Неверный логин или пароль',
        message_en: 'Wrong login or password',
      });
    }
  });

  it('needs a valid token for protected routes', async () => {
    expect((await t.request('GET', '/api/v1/auth/me')).status).toBe(401);
    const forged = await t.request('GET', '/api/v1/auth/me', { token: 'eyJhbGciOiJIUzI1NiJ9.e30.x' });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    const me = await t.request('GET', '/api/v1/auth/me', { token: await t.adminToken() });
    expect(me.body).toMatchObject({ login: 'admin', role: 'admin' });
  });
});

describe('login throttling', () => {
  const attempt = (login: string, password: string) =>
    t.request<{ code: string; message: string; details?: { retryAfterSeconds: number } }>(
      'POST',
      '/api/v1/auth/login',
      { body: { login, password } },
    );
  const newUser = async (): Promise<{ login: string; password: string }> => {
    const login = `throttled-${Math.random().toString(36).slice(2, 10)}`;
    const password = `${login}-password-long`;
    const created = await t.request('POST', '/api/v1/users', {
      token: await t.adminToken(),
      body: { login, password, role: 'dispatcher' },
    });
    expect(created.status).toBe(201);
    return { login, password };
  };

  it('refuses a login after 5 wrong passwords, even the right one, with Retry-After; others log in', async () => {
    const victim = await newUser();
    for (let i = 0; i < 5; i++) expect((await attempt(victim.login, 'wrong-password')).status).toBe(401);
    const refused = await attempt(victim.login, victim.password);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      message: 'Слишком много неудачных попыток входа. Повторите через 15 мин.',
      message_en: 'Too many failed login attempts. Try again in 15 min.',
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(880);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(refused.body.details?.retryAfterSeconds).toBe(retryAfter);
    // Refused attempts are not counted, and the login is its own: another one is unaffected.
    const other = await newUser();
    expect((await attempt(other.login, other.password)).status).toBe(200);
    expect((await attempt(victim.login.toUpperCase(), victim.password)).status).toBe(429);
  });

  it('clears the login’s counter on success', async () => {
    const user = await newUser();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await attempt(user.login, 'wrong-password')).status).toBe(401);
      expect((await attempt(user.login, user.password)).status).toBe(200);
    }
  });

  it('throttles an unknown login exactly like a known one', async () => {
    const known = await newUser();
    const unknown = `nobody-${Math.random().toString(36).slice(2, 10)}`;
    const answers = [];
    for (const login of [known.login, unknown]) {
      for (let i = 0; i < 5; i++) expect((await attempt(login, 'wrong-password')).status).toBe(401);
      answers.push(await attempt(login, 'wrong-password'));
    }
    const [forKnown, forUnknown] = answers;
    expect(forUnknown!.status).toBe(429);
    expect(forUnknown!.headers.get('retry-after')).toBeTruthy();
    expect({ ...forUnknown!.body, details: undefined }).toEqual({ ...forKnown!.body, details: undefined });
  });

  it('admits no more than the limit of parallel guesses', async () => {
    const user = await newUser();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => attempt(user.login, 'wrong-password')),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
  });

  it('limits one client address across logins, and forgets failures once the window has passed', async () => {
    const limits = { maxFailuresPerLogin: 100, maxFailuresPerIp: 3, windowSeconds: 900 };
    const db = t.platform.services.db;
    for (let i = 0; i < 3; i++) await beginLoginAttempt(db, limits, `guess-${i}`, '203.0.113.9');
    await expect(beginLoginAttempt(db, limits, 'guess-3', '203.0.113.9')).rejects.toMatchObject({
      status: 429,
      headers: { 'Retry-After': expect.stringMatching(/^[0-9]+$/) },
    });
    await beginLoginAttempt(db, limits, 'guess-3', '203.0.113.10');

    const victim = await newUser();
    for (let i = 0; i < 5; i++) expect((await attempt(victim.login, 'wrong-password')).status).toBe(401);
    expect((await attempt(victim.login, victim.password)).status).toBe(429);
    const pool = new pg.Pool({ connectionString: t.databaseUrl, max: 1 });
    try {
      await pool.query(`UPDATE login_failures SET at = at - interval '15 minutes'`);
    } finally {
      await pool.end();
    }
    expect((await attempt(victim.login, victim.password)).status).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('rotate: each works once and yields the next', async () => {
    const first = await t.login(ADMIN.login, ADMIN.password);
    const second = await t.request<Tokens>('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    const third = await t.request<Tokens>('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(third.status).toBe(200);
  });

  it('a reused token revokes the whole family, including the newest token', async () => {
    const first = await t.login(ADMIN.login, ADMIN.password);
    const second = await t.request<Tokens>('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    const replay = await t.request('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
    const legit = await t.request('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(legit.status).toBe(401);
    // Another session of the same user is untouched.
    const other = await t.login(ADMIN.login, ADMIN.password);
    expect(
      (await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: other.refreshToken } }))
        .status,
    ).toBe(200);
  });

  it('are stored hashed only', async () => {
    const session = await t.login(ADMIN.login, ADMIN.password);
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM refresh_tokens WHERE token_hash = $1', [
        session.refreshToken,
      ]);
      expect(found.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('logout ends the session', async () => {
    const session = await t.login(ADMIN.login, ADMIN.password);
    expect(
      (await t.request('POST', '/api/v1/auth/logout', { body: { refreshToken: session.refreshToken } }))
        .status,
    ).toBe(204);
    const after = await t.request('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
  });

  it('a disabled user can neither log in nor refresh', async () => {
    const admin = await t.adminToken();
    const created = await t.request<{ id: string }>('POST', '/api/v1/users', {
      token: admin,
      body: { login: 'leaver', password: 'leaver-password-1', role: 'dispatcher' },
    });
    const session = await t.login('leaver', 'leaver-password-1');
    const disabled = await t.request('PATCH', `/api/v1/users/${created.body.id}`, {
      token: admin,
      body: { disabled: true },
    });
    expect(disabled.status).toBe(200);
    expect(
      (await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }))
        .status,
    ).toBe(401);
    const again = await t.request('POST', '/api/v1/auth/login', {
      body: { login: 'leaver', password: 'leaver-password-1' },
    });
    expect(again.status).toBe(401);
  });
});

describe('users', () => {
  it('validates roles against carriers and weak passwords, and audits creation without the hash', async () => {
    const admin = await t.adminToken();
    const noCarrier = await t.request('POST', '/api/v1/users', {
      token: admin,
      body: { login: 'driver-x', password: 'long-enough-password', role: 'driver' },
    });
    expect(noCarrier.status).toBe(422);
    const weak = await t.request('POST', '/api/v1/users', {
      token: admin,
      body: { login: 'weak', password: 'short', role: 'billing' },
    });
    expect(weak.status).toBe(422);
    expect(weak.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ in: 'body', path: 'password' }],
    });
    const duplicate = await t.request('POST', '/api/v1/users', {
      token: admin,
      body: { login: 'admin', password: 'long-enough-password', role: 'billing' },
    });
    expect(duplicate.status).toBe(409);
    const audit = await t.request<{ items: { entity: string; after: Record<string, unknown> }[] }>(
      'GET',
      '/api/v1/audit?entity=user',
      { token: admin },
    );
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.body.items)).not.toContain('scrypt$');
  });
});

describe('HTTP contract', () => {
  it('serves an OpenAPI 3.1 document built from the validation schemas', async () => {
    const doc = await t.request<{
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>
      >;
    }>('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/sites',
      '/api/v1/sites/{id}',
      '/api/v1/sites/nearest',
      '/api/v1/vehicles/{id}',
      '/api/v1/auth/refresh',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    // Login throttling is part of the contract: 429 with Retry-After.
    const login = doc.body.paths['/api/v1/auth/login']!['post'] as unknown as {
      responses: Record<string, { headers?: Record<string, unknown> }>;
    };
    expect(Object.keys(login.responses['429']!.headers ?? {})).toEqual(['Retry-After']);
    const siteCreate =
      doc.body.paths['/api/v1/sites']!['post']!.requestBody!.content['application/json']!.schema;
    expect(siteCreate.required).toEqual(
      expect.arrayContaining(['address', 'lon', 'lat', 'surface', 'owner', 'schedule']),
    );
  });

  it('answers unknown routes, methods and malformed bodies with coded errors', async () => {
    const admin = await t.adminToken();
    expect((await t.request('GET', '/api/v1/nowhere', { token: admin })).body).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
    });
    const wrongMethod = await t.request('PUT', '/api/v1/sites', { token: admin, body: {} });
    expect(wrongMethod.status).toBe(405);
    const malformed = await t.request('POST', '/api/v1/sites', {
      token: admin,
      file: { data: '{"address":', contentType: 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      code: 'MALFORMED_BODY',
      message: 'Тело запроса не является JSON',
    });
    const notJson = await t.request('POST', '/api/v1/sites', {
      token: admin,
      file: { data: 'a=b', contentType: 'text/plain' },
    });
    expect(notJson.status).toBe(415);
    const badId = await t.request('GET', '/api/v1/sites/not-a-uuid', { token: admin });
    expect(badId.status).toBe(422);
  });
});
