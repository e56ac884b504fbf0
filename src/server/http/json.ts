import type http from 'node:http';
import { describeControlChar, findControlChar } from '../../shared/text/control';

export const MAX_BODY_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (Retry-After on a 429 or 503). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** How much of an oversized body is read and thrown away so the client sees its 413; beyond it the connection is cut. */
export const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

/** Headers of a 413: the connection closes after the answer (what is left of the body is not read). */
export const CLOSE_AFTER: Readonly<Record<string, string>> = { connection: 'close' };

/**
 * Reads a body of at most `limit` bytes. An oversized one is drained (up to MAX_DRAIN_BYTES) so the
 * client, still sending, can read the answer, and `onTooLarge` is thrown: answered with
 * `Connection: close`, so the keep-alive connection ends cleanly instead of being reset.
 */
export async function readBodyLimited(req: http.IncomingMessage, limit: number, onTooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_DRAIN_BYTES) break;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw onTooLarge();
  return Buffer.concat(chunks);
}

export async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/json')) throw new HttpError(415, 'unsupported_media_type', 'expected application/json');
  const body = await readBodyLimited(req, MAX_BODY_BYTES, () => new HttpError(413, 'payload_too_large', `body over ${MAX_BODY_BYTES} bytes`, CLOSE_AFTER));
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not valid JSON');
  }
  // No NUL or other control character reaches a handler (PostgreSQL cannot store U+0000).
  const control = findControlChar(parsed);
  if (control) throw new HttpError(400, 'invalid_input', describeControlChar(control));
  return parsed;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}
