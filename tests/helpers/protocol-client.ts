import crypto from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { LoginResponse } from '../../src/shared/sync/auth';
import {
  PROTOCOL_VERSION,
  PullResponse,
  PushResponse,
  type Cursors,
  type Mutation,
} from '../../src/shared/sync/protocol';
import type { MutationName } from '../../src/shared/sync/mutations';

/**
 * A bare sync-protocol client (no local store): logs in over HTTP, speaks push/pull over a real
 * socket. For tests that need exact control over what is sent and when.
 */
export class ProtocolClient {
  readonly clientId = crypto.randomUUID();
  private seq = 0;
  socket!: Socket;
  login!: LoginResponse;

  private constructor(readonly serverUrl: string) {}

  static async connect(serverUrl: string, username: string, password = 'hotline123'): Promise<ProtocolClient> {
    const c = new ProtocolClient(serverUrl);
    const res = await fetch(`${serverUrl}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password, stationKey: crypto.randomUUID() }),
    });
    if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
    c.login = LoginResponse.parse(await res.json());
    c.socket = io(serverUrl, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: c.login.accessToken, clientId: c.clientId, protocolVersion: PROTOCOL_VERSION },
    });
    await new Promise<void>((resolve, reject) => {
      c.socket.once('connect', () => resolve());
      c.socket.once('connect_error', reject);
    });
    return c;
  }

  mutation(name: MutationName, args: unknown): Mutation {
    this.seq += 1;
    return { clientId: this.clientId, seq: this.seq, id: crypto.randomUUID(), name, args, at: Date.now() };
  }

  async push(mutations: Mutation[]): Promise<PushResponse> {
    return PushResponse.parse(await this.socket.timeout(10_000).emitWithAck('push', { clientId: this.clientId, mutations }));
  }

  async pull(cursors: Cursors, limit?: number): Promise<PullResponse> {
    return PullResponse.parse(await this.socket.timeout(10_000).emitWithAck('pull', { cursors, ...(limit ? { limit } : {}) }));
  }

  close(): void {
    this.socket.disconnect();
  }
}
