import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting TCP proxy on loopback, between workstations and a server.
 * - pass:      bytes flow both ways
 * - latency:   every chunk is held `ms` before it is forwarded (order kept)
 * - blackhole: bytes in the given direction are swallowed; connections stay open
 * - reset:     every open connection is reset (RST) and new ones are reset at once
 * - half-open: the server side is closed silently; the client side stays open and is ignored
 */
export type Direction = 'up' | 'down' | 'both';
export type FaultMode =
  | { kind: 'pass' }
  | { kind: 'latency'; ms: number }
  | { kind: 'blackhole'; direction: Direction }
  | { kind: 'reset' }
  | { kind: 'half-open' };

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export interface FaultProxy {
  port: number;
  url: string;
  setMode(mode: FaultMode): void;
  /** Points new connections at another upstream port (e.g. a restarted server on a new port). */
  setUpstream(port: number): void;
  connections(): number;
  close(): Promise<void>;
}

function destroyHard(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function' && socket.readyState !== 'opening') socket.resetAndDestroy();
  else socket.destroy();
}

export async function startFaultProxy(upstreamPort: number, host = '127.0.0.1'): Promise<FaultProxy> {
  let mode: FaultMode = { kind: 'pass' };
  let target = upstreamPort;
  const pairs = new Set<Pair>();
  /** Every socket ever opened and not yet closed, including half-open leftovers no pair tracks. */
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };

  const forward = (from: net.Socket, to: net.Socket, dir: 'up' | 'down') => {
    from.on('data', (chunk: Buffer) => {
      const m = mode;
      if (m.kind === 'blackhole' && (m.direction === 'both' || m.direction === dir)) return;
      if (m.kind === 'half-open' || m.kind === 'reset') return;
      if (m.kind === 'latency') {
        from.pause();
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
          from.resume();
        }, m.ms);
        return;
      }
      if (!to.destroyed) to.write(chunk);
    });
  };

  // No Nagle on either hop: the endpoints (WebSockets) turn it off for themselves, and a proxy that
  // coalesced small writes would hold acknowledgements back by a delayed ACK (tens of ms) each time.
  const server = net.createServer({ noDelay: true }, (client) => {
    if (mode.kind === 'reset') {
      destroyHard(client);
      return;
    }
    const upstream = net.connect({ port: target, host, noDelay: true });
    track(client);
    track(upstream);
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', () => {
      pairs.delete(pair);
      upstream.destroy();
    });
    upstream.on('close', () => {
      pairs.delete(pair);
      // In half-open mode the client is never told that the server side went away.
      if (mode.kind !== 'half-open') client.destroy();
    });
    forward(client, upstream, 'up');
    forward(upstream, client, 'down');
  });

  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://${host}:${port}`,
    setMode(next) {
      mode = next;
      if (next.kind === 'reset') {
        for (const p of pairs) {
          destroyHard(p.client);
          destroyHard(p.upstream);
        }
        pairs.clear();
      } else if (next.kind === 'half-open') {
        for (const p of pairs) p.upstream.destroy();
      }
    },
    setUpstream(next) {
      target = next;
    },
    connections: () => pairs.size,
    async close() {
      for (const s of sockets) s.destroy();
      sockets.clear();
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
