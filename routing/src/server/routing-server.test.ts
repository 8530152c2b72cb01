import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';

import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type {
  MatchRequest,
  MatchResponse,
  NearestRequest,
  NearestResponse,
  OsrmError,
  OsrmRequest,
  RouteRequest,
  RouteResponse,
  RoutingEngine,
  TableRequest,
  TableResponse,
  Waypoint,
} from './osrm-types.js';
import { createRoutingServer } from './routing-server.js';

/**
 * Stands for "any engine": answers from the request alone. The profile steers failures:
 * `noroute` → NoRoute, `nosegment` → NoSegment, `throws` → rejects, `syncthrows` → throws before
 * returning a promise (route only), `broken` → returns something that is not an OSRM result.
 */
class FakeEngine implements RoutingEngine {
  readonly calls: OsrmRequest[] = [];

  route(request: RouteRequest): Promise<RouteResponse | OsrmError> {
    if (request.profile === 'syncthrows') throw new Error('engine exploded synchronously');
    return this.answer(request, () => ({
      code: 'Ok',
      waypoints: request.coordinates.map(waypoint),
      routes: [
        {
          distance: 1234.5,
          duration: 98.7,
          weight: 98.7,
          weight_name: 'routability',
          geometry: '_ibE?_seK_seK',
          legs: request.coordinates.slice(1).map(() => ({
            distance: 1234.5,
            duration: 98.7,
            weight: 98.7,
            summary: '',
            steps: [],
          })),
        },
      ],
    }));
  }

  table(request: TableRequest): Promise<TableResponse | OsrmError> {
    const sources = request.sources.length > 0 ? request.sources : request.coordinates.map((_, i) => i);
    const destinations =
      request.destinations.length > 0 ? request.destinations : request.coordinates.map((_, i) => i);
    return this.answer(request, () => ({
      code: 'Ok',
      durations: sources.map((s) => destinations.map((d) => (s === d ? 0 : 60.5 * Math.abs(s - d)))),
      sources: sources.map((i) => waypoint(request.coordinates[i] ?? [0, 0])),
      destinations: destinations.map((i) => waypoint(request.coordinates[i] ?? [0, 0])),
    }));
  }

  nearest(request: NearestRequest): Promise<NearestResponse | OsrmError> {
    return this.answer(request, () => ({
      code: 'Ok',
      waypoints: Array.from({ length: request.number }, () => ({
        ...waypoint(request.coordinates[0] ?? [0, 0]),
        nodes: [1, 2] as [number, number],
      })),
    }));
  }

  match(request: MatchRequest): Promise<MatchResponse | OsrmError> {
    return this.answer(request, () => ({
      code: 'Ok',
      matchings: [
        { distance: 10, duration: 2, weight: 2, weight_name: 'duration', legs: [], confidence: 0.9 },
      ],
      tracepoints: request.coordinates.map((c, i) =>
        i === 1 ? null : { ...waypoint(c), matchings_index: 0, waypoint_index: i, alternatives_count: 0 },
      ),
    }));
  }

  private async answer<T>(request: OsrmRequest, ok: () => T): Promise<T | OsrmError> {
    this.calls.push(request);
    switch (request.profile) {
      case 'noroute':
        return { code: 'NoRoute', message: 'Impossible route between points' };
      case 'nosegment':
        return { code: 'NoSegment', message: 'Could not find a matching segment for coordinate 0' };
      case 'throws':
        throw new Error('engine exploded');
      case 'broken':
        return JSON.parse('["not", "a", "result"]') as T;
      default:
        return ok();
    }
  }
}

function waypoint(location: [number, number]): Waypoint {
  return { hint: 'AAAA', distance: 1.5, name: 'Ленина', location };
}

const engine = new FakeEngine();
const logged: Array<{ error: unknown; request: { method: string; url: string } }> = [];
let server: http.Server;
let base: string;
let port: number;

beforeAll(async () => {
  server = createRoutingServer(engine, {
    limits: { maxTableSize: 10 },
    logError: (error, request) => logged.push({ error, request }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  engine.calls.length = 0;
  logged.length = 0;
});

/** Raw GET/other request, so paths reach the server byte for byte and gzip is visible. */
function rawRequest(
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('routing server: Ok responses', () => {
  it('answers a route with 200, OSRM headers and the engine result', async () => {
    const response = await fetch(
      `${base}/route/v1/driving/13.388860,52.517037;13.397634,52.529407?steps=true`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET');
    expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const body = (await response.json()) as RouteResponse;
    expect(body.code).toBe('Ok');
    expect(body.waypoints).toEqual([
      { hint: 'AAAA', distance: 1.5, name: 'Ленина', location: [13.38886, 52.517037] },
      { hint: 'AAAA', distance: 1.5, name: 'Ленина', location: [13.397634, 52.529407] },
    ]);
    expect(body.routes[0]).toMatchObject({ distance: 1234.5, duration: 98.7, weight_name: 'routability' });
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0]).toMatchObject({ service: 'route', profile: 'driving', steps: true });
  });

  it('answers table, nearest and match', async () => {
    const table = await fetch(`${base}/table/v1/car/1,2;3,4;5,6?sources=0&annotations=duration`);
    expect(table.status).toBe(200);
    expect(await table.json()).toMatchObject({ code: 'Ok', durations: [[0, 60.5, 121]] });

    const nearest = await fetch(`${base}/nearest/v1/car/1,2.json?number=2`);
    expect(nearest.status).toBe(200);
    const nearestBody = (await nearest.json()) as NearestResponse;
    expect(nearestBody.waypoints).toHaveLength(2);
    expect(nearestBody.waypoints[0]?.nodes).toEqual([1, 2]);

    const match = await fetch(`${base}/match/v1/car/1,2;3,4;5,6?timestamps=1;2;3`);
    expect(match.status).toBe(200);
    const matchBody = (await match.json()) as MatchResponse;
    expect(matchBody.matchings[0]?.confidence).toBe(0.9);
    expect(matchBody.tracepoints[1]).toBeNull();
    expect(engine.calls.map((c) => c.service)).toEqual(['table', 'nearest', 'match']);
  });

  it('passes our extensions through to the engine', async () => {
    await fetch(`${base}/route/v1/truck/1,2;3,4?depart_at=2024-03-01T08:00:00%2B03:00&vehicle_height=4.1`);
    expect(engine.calls[0]).toMatchObject({ depart_at: 1709269200, vehicle_height: 4.1 });
  });

  it('answers /health', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('gzips large bodies for clients that accept it', async () => {
    const coords = Array.from({ length: 10 }, (_, i) => `${i},${i}`).join(';');
    const plain = await rawRequest(`/table/v1/car/${coords}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await rawRequest(`/table/v1/car/${coords}`, {
      headers: { 'Accept-Encoding': 'gzip, deflate' },
    });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(Number(zipped.headers['content-length'])).toBe(zipped.body.length);
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(plain.body.toString('utf8'));
  });

  it('answers HEAD with headers only', async () => {
    const response = await rawRequest('/route/v1/car/1,2;3,4', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0);
    expect(response.body.length).toBe(0);
  });
});

describe('routing server: errors', () => {
  it('answers parse errors with 400 and OSRM bodies, without calling the engine', async () => {
    const cases: Array<[string, object]> = [
      ['/nonsense', { code: 'InvalidUrl', message: 'URL string malformed close to position 9: "nse"' }],
      ['/foo/v1/car/1,2;3,4', { code: 'InvalidService', message: 'Service foo not found!' }],
      ['/route/v3/car/1,2;3,4', { code: 'InvalidVersion', message: 'Service route not found!' }],
      [
        '/route/v1/car/1,2;3,4?foo=bar',
        { code: 'InvalidQuery', message: 'Query string malformed close to position 22' },
      ],
      [
        '/route/v1/car/1,2',
        { code: 'InvalidOptions', message: 'Number of coordinates needs to be at least two.' },
      ],
      ['/route/v1/car/1,2;3,95', { code: 'InvalidValue', message: 'Invalid coordinate value.' }],
      [
        '/table/v1/car/' + Array(11).fill('1,2').join(';'),
        { code: 'TooBig', message: 'Too many table coordinates' },
      ],
      ['/trip/v1/car/1,2;3,4', { code: 'NotImplemented', message: 'Service trip is not implemented.' }],
    ];
    for (const [path, body] of cases) {
      const response = await fetch(base + path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.json()).toEqual(body);
    }
    expect(engine.calls).toHaveLength(0);
  });

  it("passes the engine's OSRM errors through with 400, as osrm-routed does", async () => {
    const noRoute = await fetch(`${base}/route/v1/noroute/1,2;3,4`);
    expect(noRoute.status).toBe(400);
    expect(await noRoute.json()).toEqual({ code: 'NoRoute', message: 'Impossible route between points' });
    const noSegment = await fetch(`${base}/table/v1/nosegment/1,2;3,4`);
    expect(noSegment.status).toBe(400);
    expect(await noSegment.json()).toEqual({
      code: 'NoSegment',
      message: 'Could not find a matching segment for coordinate 0',
    });
    expect(logged).toHaveLength(0);
  });

  it('turns a thrown engine error into a generic 500 and logs it once', async () => {
    const response = await fetch(`${base}/route/v1/throws/1,2;3,4`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: 'InternalError', message: 'Internal Server Error' });
    expect(logged).toHaveLength(1);
    expect((logged[0]?.error as Error).message).toBe('engine exploded');
    expect(logged[0]?.request).toEqual({ method: 'GET', url: '/route/v1/throws/1,2;3,4' });
  });

  it('also catches an engine that throws before returning a promise', async () => {
    const response = await fetch(`${base}/route/v1/syncthrows/1,2;3,4`);
    expect(response.status).toBe(500);
    expect(logged).toHaveLength(1);
    expect((logged[0]?.error as Error).message).toBe('engine exploded synchronously');
  });

  it('treats a result without a code as an internal error', async () => {
    const response = await fetch(`${base}/nearest/v1/broken/1,2`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: 'InternalError', message: 'Internal Server Error' });
    expect(logged).toHaveLength(1);
    expect(String(logged[0]?.error)).toContain('engine.nearest returned no OSRM result');
  });

  it('refuses methods other than GET and HEAD, answers CORS preflight', async () => {
    const post = await fetch(`${base}/route/v1/car/1,2;3,4`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await post.json()).toEqual({
      code: 'NotImplemented',
      message: 'Method POST is not supported, use GET',
    });

    const preflight = await fetch(`${base}/route/v1/car/1,2;3,4`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('X-Requested-With, Content-Type');
    expect(engine.calls).toHaveLength(0);
  });

  it('survives a malformed HTTP request on a raw socket', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.end('GET /route/v1/car/1,2;3,4 HTTP/1.1\r\nBad Header\r\n\r\n'),
      );
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString('latin1')));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('validates its limits once, naming the option', () => {
    expect(() => createRoutingServer(engine, { limits: { maxTableSize: 1.5 } })).toThrow(
      'limits.maxTableSize must be an integer',
    );
    expect(() => createRoutingServer(engine, { limits: { maxMatchingRadius: Number.NaN } })).toThrow(
      'limits.maxMatchingRadius must be a number',
    );
    expect(() => createRoutingServer(engine, { maxHeaderSize: 10 })).toThrow('maxHeaderSize must be');
  });
});

/** Percent-encodes what Node's client refuses to send raw (outside '!'..'~'), byte by byte. */
function toRequestPath(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out.startsWith('/') ? out : `/${out}`;
}

const pathFragment = fc.constantFrom(
  '/',
  'route',
  'table',
  'nearest',
  'match',
  'v1',
  'car',
  '1,2',
  ';',
  '3.5,-4',
  '?',
  '&',
  'steps=true',
  'sources=0',
  'number=2',
  'radiuses=unlimited',
  'polyline(_ibE?_seK_seK_seK)',
  '%',
  '%3B',
  '.json',
  'x',
  'ы',
  ' ',
);

describe('routing server on garbage', () => {
  it('always answers with an OSRM body, 200 only for Ok, and stays up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.array(pathFragment, { maxLength: 20 }).map((parts) => parts.join('')),
        ),
        async (text) => {
          const response = await rawRequest(toRequestPath(text));
          const body = JSON.parse(response.body.toString('utf8')) as { code?: unknown; status?: unknown };
          if (response.status === 200) {
            expect(body.code === 'Ok' || body.status === 'ok').toBe(true);
          } else {
            expect(response.status).toBe(400);
            expect(typeof body.code).toBe('string');
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(logged).toHaveLength(0);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
