/** JSON over node:http for the optimizer's and the plans' endpoints: bounded bodies, one error shape. */
import type http from 'node:http';
import { OptimizerInputError } from './optimizer-error.js';

export type { HttpRoute } from '../../server/routing-server.js';

const HEADERS = {
  'Content-Type': 'application/json; charset=UTF-8',
  'Access-Control-Allow-Origin': '*',
} as const;

/** CORS preflight of the JSON endpoints: browsers (the dashboard) POST with a JSON content type. */
export function answerPreflight(response: http.ServerResponse): void {
  response.writeHead(204, {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, DELETE',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Max-Age': '86400',
  });
  response.end();
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  if (response.destroyed || response.headersSent) return;
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  response.writeHead(status, { ...HEADERS, 'Content-Length': String(bytes.length) });
  response.end(bytes);
}

/** Reads and parses a JSON body of at most `maxBytes`; an empty body is `{}`. */
export async function readJsonBody(request: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      throw new OptimizerInputError(
        'TooBig',
        `Тело запроса больше ${Math.round(maxBytes / 1e6)} МБ`,
        `Request body larger than ${Math.round(maxBytes / 1e6)} MB`,
        413,
      );
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new OptimizerInputError(
      'InvalidJson',
      `Тело запроса — не корректный JSON: ${(error as Error).message}`,
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** Answers an error: our input errors as themselves, anything else as a logged, generic 500. */
export function sendError(
  response: http.ServerResponse,
  error: unknown,
  logError: ((error: unknown) => void) | undefined,
  extra: Record<string, unknown> = {},
): void {
  if (error instanceof OptimizerInputError) {
    sendJson(response, error.status, { ...error.toBody(), ...extra });
    return;
  }
  logError?.(error);
  sendJson(response, 500, {
    code: 'InternalError',
    message: 'Внутренняя ошибка сервера',
    message_en: 'Internal Server Error',
  });
}

/** A number from the query string within [min, max], or the fallback; a malformed one is a 400. */
export function queryNumber(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new OptimizerInputError(
      'InvalidInput',
      `Параметр ${name} должен быть числом от ${min} до ${max}`,
      `Query parameter ${name} must be a number in [${min}, ${max}]`,
    );
  }
  return value;
}
