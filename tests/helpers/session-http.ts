import crypto from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { LoginResponse } from '../../src/shared/sync/auth';
import { PROTOCOL_VERSION, SessionEndedNotice, type Mutation } from '../../src/shared/sync/protocol';
import { formatCaseNumber } from '../../src/shared/domain/case';

/** Plain HTTP and socket calls of the session API, for tests that look at every status and code. */
export interface Reply {
  status: number;
  body: unknown;
  headers: Headers;
}

export async function call(url: string, opts: { method?: string; body?: unknown; token?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  const res = await fetch(url, { method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'), headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
  return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
}

export const codeOf = (r: Reply): string | undefined => (r.body as { error?: { code?: string } } | null)?.error?.code;

/** The station key of this test process's logins unless a test names another (one workstation). */
export const HOME_STATION_KEY = crypto.randomUUID();

export async function login(base: string, username: string, password = 'hotline123', stationKey: string = HOME_STATION_KEY): Promise<LoginResponse> {
  const r = await call(`${base}/api/login`, { body: { username, password, stationKey } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return LoginResponse.parse(r.body);
}

export const refresh = (base: string, refreshToken: string) => call(`${base}/api/refresh`, { body: { refreshToken } });

/** A socket of the sync protocol that records the `ended` notices it receives and when it was closed. */
export interface TestSocket {
  socket: Socket;
  clientId: string;
  ended: SessionEndedNotice[];
  closedAt: number | null;
  closeReason: string | null;
}

export async function openSocket(base: string, token: string, clientId: string = crypto.randomUUID()): Promise<TestSocket> {
  const socket = io(base, { transports: ['websocket'], reconnection: false, auth: { token, clientId, protocolVersion: PROTOCOL_VERSION } });
  const t: TestSocket = { socket, clientId, ended: [], closedAt: null, closeReason: null };
  socket.on('ended', (raw: unknown) => t.ended.push(SessionEndedNotice.parse(raw)));
  socket.on('disconnect', (reason) => {
    t.closedAt = Date.now();
    t.closeReason = reason;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return t;
}

/** The handshake error message of a refused socket. */
export async function refusedSocket(base: string, token: string): Promise<string> {
  const socket = io(base, { transports: ['websocket'], reconnection: false, auth: { token, clientId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION } });
  try {
    return await new Promise<string>((resolve, reject) => {
      socket.once('connect', () => reject(new Error('the socket was accepted')));
      socket.once('connect_error', (e) => resolve(e.message));
    });
  } finally {
    socket.disconnect();
  }
}

let seq = 0;
/** A createCase mutation of this station (a fresh number each time). */
export function createCase(clientId: string, station: string, n: number): Mutation {
  seq += 1;
  return {
    clientId,
    seq: n,
    id: crypto.randomUUID(),
    name: 'createCase',
    at: Date.now(),
    args: {
      id: crypto.randomUUID(),
      number: formatCaseNumber(station, 1000 + seq),
      callerPhone: '13800138000',
      callerName: '',
      categoryCode: 'utility.water_outage',
      address: '北京市朝阳区建外街道',
      description: '整栋楼停水两个小时',
      createdAt: Date.now(),
    },
  };
}

export async function emit(t: TestSocket, event: string, payload: unknown): Promise<{ ok: boolean; error?: { code: string } }> {
  return (await t.socket.timeout(5000).emitWithAck(event, payload)) as { ok: boolean; error?: { code: string } };
}
