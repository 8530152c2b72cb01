import type { IncomingMessage } from 'node:http';
import { apiErrors } from './api-error.js';

/** Reads the whole request body, refusing more than `limitBytes` (413) before buffering it all. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limitBytes) throw apiErrors.bodyTooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw apiErrors.bodyTooLarge(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower-case: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const type = mediaType(contentType);
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw apiErrors.unsupportedMediaType(['application/json']);
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw apiErrors.badJson();
  }
}
