import { Worker } from 'node:worker_threads';

/**
 * The network between workstation A and the server in `bench:sync`: a TCP relay on loopback that
 * can be cut (every connection reset, new ones refused) and restored. It runs in a thread of its
 * own: in the benchmark's event loop it would forward A's bytes only when workstations A and B
 * (the same thread) let it, and the server would wait on a cable that has no CPU of its own.
 */
export interface BenchLink {
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

// Plain JavaScript, run as the thread's script (no TypeScript loader in a worker).
const SOURCE = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
let cut = false;
const sockets = new Set();
const track = (s) => { sockets.add(s); s.once('close', () => sockets.delete(s)); };
const server = net.createServer({ noDelay: true }, (client) => {
  if (cut) { client.resetAndDestroy(); return; }
  const upstream = net.connect({ port: workerData.upstreamPort, host: '127.0.0.1', noDelay: true });
  track(client);
  track(upstream);
  const drop = () => { client.destroy(); upstream.destroy(); };
  client.on('error', drop);
  upstream.on('error', drop);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.pipe(upstream);
  upstream.pipe(client);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'ready', port: server.address().port }));
parentPort.on('message', (m) => {
  if (m.type === 'cut') {
    cut = true;
    for (const s of sockets) if (!s.destroyed) (s.readyState === 'opening' ? s.destroy() : s.resetAndDestroy());
  } else if (m.type === 'restore') {
    cut = false;
  } else if (m.type === 'close') {
    for (const s of sockets) s.destroy();
    server.close(() => parentPort.close());
    return;
  }
  parentPort.postMessage({ type: 'done' });
});
`;

export async function startBenchLink(upstreamPort: number): Promise<BenchLink> {
  const worker = new Worker(SOURCE, { eval: true, workerData: { upstreamPort } });
  const replies: ((m: { type: string; port?: number }) => void)[] = [];
  worker.on('message', (m: { type: string; port?: number }) => replies.shift()?.(m));
  const next = () => new Promise<{ type: string; port?: number }>((resolve) => replies.push(resolve));
  const ready = await next();
  const ask = async (type: 'cut' | 'restore') => {
    const reply = next();
    worker.postMessage({ type });
    await reply;
  };
  return {
    url: `http://127.0.0.1:${ready.port}`,
    cut: () => ask('cut'),
    restore: () => ask('restore'),
    close: async () => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'close' });
      await exited;
    },
  };
}
