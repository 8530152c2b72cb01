import { z } from 'zod';
import type { RouteSpec } from './route.js';

type JsonSchema = Record<string, unknown>;

const errorBody = z.object({
  code: z.string(),
  message: z.string().describe('Russian'),
  message_en: z.string().describe('English'),
  details: z.unknown().optional(),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input');
  const properties = (object['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
    schema: property,
  }));
}

function responsesOf(route: RouteSpec): JsonSchema {
  const { status, schema, contentTypes } = route.response;
  const success: JsonSchema =
    status === 204
      ? { description: 'Нет содержимого / No content' }
      : contentTypes
        ? {
            description: 'Файл / File',
            content: Object.fromEntries(contentTypes.map((type) => [type, { schema: {} }])),
          }
        : {
            description: 'OK',
            content: { 'application/json': { schema: jsonSchema(schema, 'output') } },
          };
  const error = {
    description: 'Ошибка / Error',
    content: { 'application/json': { schema: jsonSchema(errorBody, 'output') } },
  };
  const failures: Record<string, JsonSchema> = { '422': error, '500': error };
  if (route.roles !== 'public') Object.assign(failures, { '401': error, '403': error });
  if (route.params) failures['404'] = error;
  if (route.method !== 'get') failures['409'] = error;
  if (route.throttled) {
    failures['429'] = {
      ...error,
      headers: {
        'Retry-After': {
          description: 'Через сколько секунд повторить / Seconds until a retry may succeed',
          schema: { type: 'integer', minimum: 1 },
        },
      },
    };
  }
  const replay = route.response.replayStatus ? { [String(route.response.replayStatus)]: success } : {};
  return { [String(status)]: success, ...replay, ...failures };
}

/**
 * The OpenAPI 3.1 document of the API, generated from the very zod schemas that validate requests
 * and responses (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect), so it cannot drift from them.
 */
export function buildOpenApiDocument(routes: readonly RouteSpec[], prefix: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = prefix + route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const operation: JsonSchema = {
      tags: [route.tag],
      summary: route.summary,
      operationId: `${route.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      responses: responsesOf(route),
    };
    if (route.roles !== 'public') {
      operation['security'] = [{ bearer: [] }];
      operation['x-roles'] = route.roles;
    }
    if (route.body) {
      operation['requestBody'] = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
      };
    } else if (route.rawBody) {
      operation['requestBody'] = {
        required: true,
        content: Object.fromEntries(route.rawBody.contentTypes.map((type) => [type, { schema: {} }])),
      };
    }
    (paths[path] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'msw-fleet platform API',
      version: '1.0.0',
      description:
        'Реестр мест накопления ТКО, объекты, перевозчики, договоры, транспорт, пользователи. ' +
        'Errors: {code, message (Russian), message_en (English), details}.',
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
