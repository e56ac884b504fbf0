import { parentPort, workerData } from 'node:worker_threads';
import { startFaultProxy } from '../tests/helpers/fault-proxy';

/** The thread of bench/link.ts: the project's fault proxy, driven by messages (cut, restore, close). */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('bench/link-worker.ts runs as a worker thread');
  const proxy = await startFaultProxy((workerData as { upstreamPort: number }).upstreamPort);
  port.on('message', (m: { type: 'cut' | 'restore' | 'close' }) => {
    if (m.type === 'close') {
      void proxy.close().then(() => port.close());
      return;
    }
    proxy.setMode(m.type === 'cut' ? { kind: 'reset' } : { kind: 'pass' });
    port.postMessage({ type: 'done' });
  });
  port.postMessage({ type: 'ready', port: proxy.port });
}

void main();
