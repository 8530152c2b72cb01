import type { Context } from 'koa';
import { z } from 'zod';
import type { Actor, Role } from '../auth/actor.js';
import type { PlatformServices } from '../platform-services.js';
import { apiErrors, type ValidationIssue } from './api-error.js';
import { mediaType, parseJsonBody, readBody } from './read-body.js';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** A file the handler sends (exports) instead of JSON. */
export interface FileResult {
  body: Buffer | string;
  contentType: string;
  filename: string;
}

/** A request body that is not JSON (imports): the bytes and their media type. */
export interface RawBody {
  data: Buffer;
  contentType: string;
}

export const fileResult = z.custom<FileResult>((value) => typeof value === 'object' && value !== null);

export interface HandlerInput<P, Q, B> {
  /** Undefined only on public routes. */
  actor: Actor;
  params: P;
  query: Q;
  body: B;
  raw: RawBody | undefined;
  services: PlatformServices;
  /** Request headers for the few handlers that read them (none need more of Koa). */
  header(name: string): string | undefined;
  /** The client's address (X-Forwarded-For only when PLATFORM_TRUST_PROXY is set). */
  clientIp: string;
  /** Answers with `response.replayStatus` instead (an idempotent create that found its earlier result). */
  replayed(): void;
}

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Below /api/v1, Koa style (`/sites/:id`). */
  path: string;
  tag: string;
  /** Russian first, then English. */
  summary: string;
  /** Who may call it; 'public' needs no token (login, refresh). */
  roles: readonly Role[] | 'public';
  params?: P;
  query?: Q;
  body?: B;
  /** Accepts a non-JSON body of these media types (imports). */
  rawBody?: { contentTypes: readonly string[]; maxBytes: number };
  /** A larger JSON body than the default 1 MB (e.g. a photo in base64). */
  jsonBodyMaxBytes?: number;
  /** May answer 429 with `Retry-After` (login throttling); documented in the OpenAPI document. */
  throttled?: boolean;
  response: {
    status: 200 | 201 | 204;
    /** The status of a repeated idempotent create (see HandlerInput.replayed). */
    replayStatus?: 200;
    schema: R;
    /** Set for file responses (exports): the media types it may send. */
    contentTypes?: readonly string[];
  };
  handler(input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>;
}

/** Keeps the generic parameters of one route while the route table holds many kinds. */
export function defineRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
>(spec: RouteSpec<P, Q, B, R>): RouteSpec {
  return spec as unknown as RouteSpec;
}

const JSON_BODY_LIMIT = 1024 * 1024;

function issuesOf(where: string, error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ in: where, path: issue.path.join('.'), message: issue.message }));
}

function parsePart(where: string, schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw apiErrors.validation(issuesOf(where, parsed.error));
  return parsed.data;
}

/** Koa middleware for one route: checks the role, validates every input, runs, validates the output. */
export function routeMiddleware(route: RouteSpec, services: PlatformServices) {
  return async (ctx: Context): Promise<void> => {
    const actor = ctx.state['actor'] as Actor | undefined;
    if (route.roles !== 'public') {
      if (!actor) throw apiErrors.unauthenticated();
      if (!route.roles.includes(actor.role)) throw apiErrors.forbidden();
    }
    const params = parsePart('params', route.params, ctx.params);
    const query = parsePart('query', route.query, ctx.query);
    let body: unknown;
    let raw: RawBody | undefined;
    if (route.rawBody) {
      const type = mediaType(ctx.get('content-type'));
      if (!route.rawBody.contentTypes.includes(type)) {
        throw apiErrors.unsupportedMediaType([...route.rawBody.contentTypes]);
      }
      raw = { data: await readBody(ctx.req, route.rawBody.maxBytes), contentType: type };
    } else if (route.body) {
      const text = await readBody(ctx.req, route.jsonBodyMaxBytes ?? JSON_BODY_LIMIT);
      body = parsePart('body', route.body, parseJsonBody(text, ctx.get('content-type')));
    }
    let replayed = false;
    const result = await route.handler({
      actor: actor as Actor,
      params,
      query,
      body,
      raw,
      services,
      header: (name) => ctx.get(name) || undefined,
      clientIp: ctx.ip,
      replayed: () => {
        replayed = true;
      },
    });
    ctx.status =
      replayed && route.response.replayStatus ? route.response.replayStatus : route.response.status;
    if (route.response.status === 204) return;
    if (route.response.contentTypes) {
      const file = result as FileResult;
      ctx.type = file.contentType;
      ctx.attachment(file.filename);
      ctx.body = file.body;
      return;
    }
    // The response schema strips what it does not name (e.g. password hashes) and proves the contract.
    ctx.body = route.response.schema.parse(result);
  };
}
