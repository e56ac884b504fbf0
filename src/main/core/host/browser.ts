import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_PATH, BridgeRequest, type BridgeMessage } from '../../../shared/contract/bridge';
import type { WorkstationCore } from '../core';
import { serveStatic } from './static';

export interface BrowserHostOptions {
  core: WorkstationCore;
  rendererDir: string;
  port?: number;
  host?: string;
}

export interface BrowserHost {
  /** Opens the workstation: carries the per-launch token in the fragment, which never reaches a server log. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Browser mode: serves the built renderer on loopback and bridges the contract over a WebSocket.
 * Only a page from this very origin holding this launch's token may open the bridge.
 */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = crypto.randomBytes(24).toString('base64url');
  const host = opts.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => serveStatic(opts.rendererDir, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = 0;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const allowedOrigins = [`http://${host}:${port}`, `http://localhost:${port}`];
    const origin = req.headers.origin ?? '';
    const given = url.searchParams.get('token') ?? '';
    if (url.pathname !== BRIDGE_PATH || !allowedOrigins.includes(origin) || !sameSecret(given, token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, msg: BridgeMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  wss.on('connection', (ws: WebSocket) => {
    const off = opts.core.events.onAny((event, payload) => send(ws, { type: 'event', event, payload }));
    ws.on('close', off);
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) return ws.close(1003, 'text only');
      let json: unknown;
      try {
        json = JSON.parse(data.toString('utf8'));
      } catch {
        return ws.close(1007, 'invalid json');
      }
      const req = BridgeRequest.safeParse(json);
      if (!req.success) return ws.close(1008, 'invalid message');
      void opts.core.invoke(req.data.method, req.data.input).then((result) => send(ws, { type: 'result', id: req.data.id, result }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/#token=${token}`,
    port,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
