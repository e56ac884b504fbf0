import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The network between workstation A and the server in `bench:sync`: the project's fault proxy
 * (tests/helpers/fault-proxy.ts), cut (every connection reset, new ones too) and restored. It runs
 * in a thread of its own (bench/link-worker.ts): in the benchmark's event loop it would forward
 * A's bytes only when workstations A and B (the same thread) let it, and the server would wait on
 * a cable that has no CPU of its own.
 */
export interface BenchLink {
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

// The worker is TypeScript: the thread registers tsx's loader before it loads it.
const SOURCE = `require('tsx/cjs/api').register(); require(${JSON.stringify(path.join(__dirname, 'link-worker.ts'))});`;

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
