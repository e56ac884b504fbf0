import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** A child process (tsx) whose stdout lines we can wait on; stderr is kept for errors. */
export interface Child {
  proc: ChildProcess;
  lines: string[];
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  stderr(): string;
}

export function spawnTsx(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  // BENCH_PROFILE_DIR: every child writes a V8 CPU profile there (node --cpu-prof through tsx's loader).
  const profile = process.env.BENCH_PROFILE_DIR;
  const [cmd, argv] = profile
    ? [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profile}`, '--import', 'tsx', script, ...args]]
    : [TSX, [script, ...args]];
  const proc = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  let err = '';
  const waiters = new Set<() => void>();
  let buf = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters) w();
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    lines,
    stderr: () => err,
    waitFor(re, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const l of lines) {
            const m = re.exec(l);
            if (m) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(m);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${script}: no line matching ${re} within ${timeoutMs} ms\n${err.slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        void exited.then(() => {
          if (waiters.has(check)) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`${script} exited before printing ${re}\n${err.slice(-2000)}`));
          }
        });
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      try {
        if (proc.pid) process.kill(-proc.pid, signal);
      } catch {
        return;
      }
      const t = setTimeout(() => {
        try {
          if (proc.pid) process.kill(-proc.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Our central server as its own process, the way it is deployed (SQLite file, synchronous=FULL). */
export async function startServerProcess(dataDir: string): Promise<{ url: string; child: Child }> {
  const child = spawnTsx('src/server/cli.ts', ['--port', '0', '--data', dataDir], { LOG_LEVEL: 'error' });
  const m = await child.waitFor(/server listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { url: m[1] ?? '', child };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number): number => sorted[i] ?? Number.NaN;
  return sorted.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}
