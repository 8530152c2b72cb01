import http from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

import type { OsrmError, OsrmLimits, OsrmRequest, RoutingEngine } from './osrm-types.js';
import { DEFAULT_OSRM_LIMITS, isOsrmError, parseRequest } from './parse-request.js';

export interface RoutingServerOptions {
  /** Request size limits; missing ones take osrm-routed's defaults (DEFAULT_OSRM_LIMITS). */
  limits?: Partial<OsrmLimits>;
  /**
   * Called once for each request that ended in HTTP 500 (the engine threw, rejected, or returned
   * something that is not an OSRM result). The client only sees `{code: 'InternalError'}`.
   */
  logError?: (error: unknown, request: { method: string; url: string }) => void;
  /**
   * Largest request line + headers in bytes (Node's default is 16 KiB). A 500-coordinate route with
   * hints is longer than that; default 256 KiB.
   */
  maxHeaderSize?: number;
  /**
   * Extra endpoints (the optimizer's POST /optimize and /vroom, /plans), tried in order before the
   * OSRM API; each answers and resolves true, or resolves false to pass the request on.
   */
  routes?: HttpRoute[];
}

/** An extra endpoint of the server: answers and returns true, or returns false to pass. */
export type HttpRoute = (request: http.IncomingMessage, response: http.ServerResponse) => Promise<boolean>;

/**
 * OSRM v1 HTTP API in front of any RoutingEngine: GET `/{service}/v1/{profile}/{coordinates}[.json]?…`
 * for route, table, nearest and match, plus `GET /health`. Answers like osrm-routed: 200 with
 * `code: "Ok"`, 400 with `{code, message}` for every OSRM error, CORS open to any origin, gzip when the
 * client accepts it. Call `listen()` on the returned server.
 */
export function createRoutingServer(engine: RoutingEngine, options: RoutingServerOptions = {}): http.Server {
  const limits = resolveLimits(options.limits);
  const maxHeaderSize = options.maxHeaderSize ?? 256 * 1024;
  if (!Number.isInteger(maxHeaderSize) || maxHeaderSize < 1024) {
    throw new TypeError(
      `maxHeaderSize must be an integer number of bytes ≥ 1024, got ${String(maxHeaderSize)}`,
    );
  }
  const logError = options.logError;
  const routes = options.routes ?? [];
  return http.createServer({ maxHeaderSize }, (request, response) => {
    handleWithRoutes(routes, engine, limits, logError, request, response).catch((error: unknown) => {
      // Only reachable if writing the response itself failed; the socket is the casualty, not the server.
      report(logError, error, request);
      response.destroy();
    });
  });
}

const BASE_HEADERS: Readonly<Record<string, string>> = {
  // request_handler.cpp sends these three on every reply.
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET',
  'Access-Control-Allow-Headers': 'X-Requested-With, Content-Type',
};

const JSON_HEADERS: Readonly<Record<string, string>> = {
  ...BASE_HEADERS,
  'Content-Type': 'application/json; charset=UTF-8',
  'Content-Disposition': 'inline; filename="response.json"',
  Vary: 'Accept-Encoding',
};

const INTERNAL_ERROR = { code: 'InternalError', message: 'Internal Server Error' } as const;

/** Below this a gzip header costs more than it saves. */
const GZIP_MIN_BYTES = 1024;
const gzipAsync = promisify(gzip);

async function handleWithRoutes(
  routes: HttpRoute[],
  engine: RoutingEngine,
  limits: Readonly<OsrmLimits>,
  logError: RoutingServerOptions['logError'],
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  for (const route of routes) {
    if (await route(request, response)) return;
  }
  await handleRequest(engine, limits, logError, request, response);
}

async function handleRequest(
  engine: RoutingEngine,
  limits: Readonly<OsrmLimits>,
  logError: RoutingServerOptions['logError'],
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  // A GET body means nothing to OSRM; drain it so keep-alive connections stay usable.
  request.resume();
  request.on('error', () => {});
  const method = request.method ?? 'GET';
  const url = request.url ?? '/';

  if (method === 'OPTIONS') {
    response.writeHead(204, { ...BASE_HEADERS, 'Access-Control-Max-Age': '86400' });
    response.end();
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const body: OsrmError = { code: 'NotImplemented', message: `Method ${method} is not supported, use GET` };
    await sendJson(request, response, 405, body, { Allow: 'GET, HEAD, OPTIONS' });
    return;
  }
  if (url === '/health' || url.startsWith('/health?')) {
    await sendJson(request, response, 200, { status: 'ok' });
    return;
  }

  let parsed: ReturnType<typeof parseRequest>;
  try {
    parsed = parseRequest(url, limits);
  } catch (error) {
    // Not expected (the parser answers every input with a request or an OSRM error), but a bug
    // there must cost one request, not the process.
    report(logError, error, request);
    await sendJson(request, response, 500, INTERNAL_ERROR);
    return;
  }
  if (isOsrmError(parsed)) {
    await sendJson(request, response, 400, parsed);
    return;
  }

  let result: unknown;
  try {
    result = await callEngine(engine, parsed);
  } catch (error) {
    report(logError, error, request);
    await sendJson(request, response, 500, INTERNAL_ERROR);
    return;
  }
  if (!isOsrmResult(result)) {
    report(
      logError,
      new TypeError(`engine.${parsed.service} returned no OSRM result (an object with a code)`),
      request,
    );
    await sendJson(request, response, 500, INTERNAL_ERROR);
    return;
  }
  // request_handler.cpp: any status other than Ok is a 400, engine errors (NoRoute, …) included.
  const status = result.code === 'Ok' ? 200 : 400;
  let body: string;
  try {
    body = JSON.stringify(result);
  } catch (error) {
    // Cyclic structures or BigInt in an engine's result.
    report(logError, error, request);
    await sendJson(request, response, 500, INTERNAL_ERROR);
    return;
  }
  await sendBody(request, response, status, body, {});
}

function callEngine(engine: RoutingEngine, request: OsrmRequest): Promise<unknown> {
  switch (request.service) {
    case 'route':
      return engine.route(request);
    case 'table':
      return engine.table(request);
    case 'nearest':
      return engine.nearest(request);
    case 'match':
      return engine.match(request);
  }
}

function isOsrmResult(value: unknown): value is { code: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

function sendJson(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  status: number,
  payload: object,
  extraHeaders: Readonly<Record<string, string>> = {},
): Promise<void> {
  return sendBody(request, response, status, JSON.stringify(payload), extraHeaders);
}

async function sendBody(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  status: number,
  body: string,
  extraHeaders: Readonly<Record<string, string>>,
): Promise<void> {
  let bytes = Buffer.from(body, 'utf8');
  const headers: Record<string, string> = { ...JSON_HEADERS, ...extraHeaders };
  if (bytes.length >= GZIP_MIN_BYTES && acceptsGzip(request)) {
    bytes = await gzipAsync(bytes);
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = String(bytes.length);
  if (response.destroyed) return;
  response.writeHead(status, headers);
  // Node leaves the body out of HEAD responses by itself.
  response.end(bytes);
}

function acceptsGzip(request: http.IncomingMessage): boolean {
  const header = request.headers['accept-encoding'];
  return typeof header === 'string' && /\bgzip\b/i.test(header);
}

function report(
  logError: RoutingServerOptions['logError'],
  error: unknown,
  request: http.IncomingMessage,
): void {
  if (logError === undefined) return;
  try {
    logError(error, { method: request.method ?? 'GET', url: request.url ?? '/' });
  } catch {
    // A failing logger must not take the request (or the server) down with it.
  }
}

const LIMIT_NAMES = Object.keys(DEFAULT_OSRM_LIMITS) as Array<keyof OsrmLimits>;

function resolveLimits(partial: Partial<OsrmLimits> | undefined): Readonly<OsrmLimits> {
  const limits: OsrmLimits = { ...DEFAULT_OSRM_LIMITS };
  for (const name of LIMIT_NAMES) {
    const value = partial?.[name];
    if (value === undefined) continue;
    const integral = name !== 'maxMatchingRadius';
    if (typeof value !== 'number' || !Number.isFinite(value) || (integral && !Number.isInteger(value))) {
      const unlimited =
        name === 'maxAlternatives' ? 'negative for unlimited, 0 for none' : '≤ 0 for unlimited';
      throw new TypeError(
        `limits.${name} must be ${integral ? 'an integer' : 'a number'} (${unlimited}), got ${String(value)}`,
      );
    }
    limits[name] = value;
  }
  return Object.freeze(limits);
}
