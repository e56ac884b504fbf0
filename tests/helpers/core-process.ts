import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths';
import { waitFor } from './wait';
import { groupAlive, trackGroup, untrackGroup } from './process-group';

/**
 * A workstation core in a child process (tests/faults/fixtures/core-worker.ts under tsx), so a
 * test can SIGKILL it in the middle of a local write or a pull page and then open its data dir
 * again. The process runs in a group of its own: kill() reaches the node process tsx starts too.
 */
export interface CoreProcess {
  pid: number;
  dataDir: string;
  /** The station code the worker printed after logging in. */
  station: string;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  /** Case numbers the worker printed as saved (cases.create returned ok), in order. */
  saved(): string[];
  /** Resolves once a stdout line matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILL to the whole group: the core gets no chance to finish anything. */
  kill(): Promise<void>;
  /** SIGTERM (the worker closes its core), SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  exited(): boolean;
}

export interface CoreProcessOptions {
  serverUrl: string;
  dataDir: string;
  username?: string;
  password?: string;
  /** Cases to create one after another once logged in (0: only sync). */
  create?: number;
  env?: Record<string, string>;
  /** How long to wait for the `ready` line (login done). */
  timeoutMs?: number;
}

const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
const WORKER = path.join(REPO_ROOT, 'tests/faults/fixtures/core-worker.ts');

export async function startCoreProcess(opts: CoreProcessOptions): Promise<CoreProcess> {
  const args = [WORKER, '--data', opts.dataDir, '--server', opts.serverUrl, '--user', opts.username ?? 'op1', '--password', opts.password ?? 'hotline123'];
  if (opts.create) args.push('--create', String(opts.create));
  const child = spawn(TSX, args, { cwd: REPO_ROOT, env: { ...process.env, ...opts.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the core worker');
  trackGroup(pid);

  let out = '';
  let partial = '';
  const lines: string[] = [];
  const saved: string[] = [];
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    // 'close', not 'exit': by then every line the worker wrote has been read.
    child.once('close', (code) => {
      exitCode = code;
      untrackGroup(pid);
      resolve();
    });
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      const m = /^saved (\S+)$/.exec(line);
      if (m?.[1]) saved.push(m[1]);
    }
  });
  child.stderr.on('data', (chunk: string) => (out += chunk));

  const reap = async () => {
    await exited;
    if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  };

  const waitForLine = (pattern: RegExp, timeoutMs = 20_000): Promise<string> =>
    waitFor(
      () => {
        const line = lines.find((l) => pattern.test(l));
        if (line !== undefined) return line;
        if (exitCode !== undefined) throw new Error(`core worker exited (${String(exitCode)})`);
        return undefined;
      },
      timeoutMs,
      { intervalMs: 5, message: `core worker line ${String(pattern)}` },
    ).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- worker output ---\n${out}`);
    });

  const kill = async () => {
    if (exitCode !== undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await reap();
  };

  let station: string;
  try {
    const ready = await waitForLine(/^ready /, opts.timeoutMs ?? 30_000);
    station = ready.split(' ')[1] ?? '';
  } catch (error) {
    await kill();
    throw error;
  }

  return {
    pid,
    dataDir: opts.dataDir,
    station,
    output: () => out,
    saved: () => [...saved],
    waitForLine,
    kill,
    async stop(timeoutMs = 5000) {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
      }, timeoutMs);
      try {
        await reap();
      } finally {
        clearTimeout(timer);
      }
    },
    exited: () => exitCode !== undefined,
  };
}
