import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { CallsService } from '../features/calls';
import { AppFailure } from '../../../shared/result';

/**
 * The softphone's way in: a loopback HTTP endpoint that a telephone system calls when a line
 * rings (`POST /v1/calls {"from": "13800138000", "line": "12345-1"}` with `Authorization: Bearer
 * <token>`), which pops intake with the caller's number and history. The token is made once per
 * install and kept with the endpoint's URL in `<data>/telephony.json` (mode 0600), where
 * `npm run call` and a softphone's script read it. Loopback only: nothing off this PC can ring it.
 */
export const TELEPHONY_FILE = 'telephony.json';
export const DEFAULT_TELEPHONY_PORT = 4102;

export const TelephonyFile = z.object({ url: z.url(), token: z.string().min(32) });
export type TelephonyFile = z.infer<typeof TelephonyFile>;

const CallBody = z.object({ from: z.string().max(40), line: z.string().max(40).optional() }).strict();

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** The install's token, made on first use and kept (never shown in a URL or a log). */
function installToken(dataDir: string): string {
  const file = path.join(dataDir, TELEPHONY_FILE);
  try {
    return TelephonyFile.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).token;
  } catch {
    return crypto.randomBytes(24).toString('base64url');
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage, max = 4096): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new Error('too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface TelephonyHook {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the endpoint on 127.0.0.1 (the given port, default 4102; a free one when that is taken,
 * so a second workstation on one PC still starts) and writes where it is and its token.
 */
export async function startTelephonyHook(opts: { calls: CallsService; dataDir: string; port?: number; log?: (message: string) => void }): Promise<TelephonyHook> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const token = installToken(opts.dataDir);
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/v1/calls') return send(res, 404, { error: { code: 'not_found', message: 'POST /v1/calls' } });
      if (req.method !== 'POST') return send(res, 405, { error: { code: 'method_not_allowed', message: 'use POST' } });
      // A page in a browser on this PC must not ring the line: no browser sends this header cross-origin without a preflight we never answer.
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !sameSecret(auth.slice(7).trim(), token)) {
        return send(res, 401, { error: { code: 'unauthenticated', message: `Authorization: Bearer <token from ${TELEPHONY_FILE}> required` } });
      }
      let body: z.infer<typeof CallBody>;
      try {
        const parsed = CallBody.safeParse(JSON.parse(await readBody(req)));
        if (!parsed.success) return send(res, 400, { error: { code: 'invalid_input', message: z.prettifyError(parsed.error) } });
        body = parsed.data;
      } catch {
        return send(res, 400, { error: { code: 'invalid_input', message: 'a JSON body {"from": "<number>"} is required' } });
      }
      try {
        send(res, 200, { call: opts.calls.ring(body) });
      } catch (error) {
        if (error instanceof AppFailure) return send(res, 400, { error: error.toAppError() });
        send(res, 500, { error: { code: 'internal', message: 'the call could not be shown' } });
      }
    })();
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const wanted = opts.port ?? DEFAULT_TELEPHONY_PORT;
  try {
    await listen(wanted);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || wanted === 0) throw error;
    opts.log?.(`telephony: port ${wanted} is taken; listening on a free port (see ${TELEPHONY_FILE})`);
    await listen(0);
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const file: TelephonyFile = { url, token };
  const where = path.join(opts.dataDir, TELEPHONY_FILE);
  fs.writeFileSync(where, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(where, 0o600);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
