import { spawn } from 'node:child_process';
import path from 'node:path';
import { makeTempDir } from './tmp';
import { REPO_ROOT } from './paths';
import { groupAlive, trackGroup, untrackGroup } from './process-group';

export { REPO_ROOT };

/**
 * Runs the central server as a real child process (`tsx src/server/cli.ts`), the way it is
 * deployed, so tests can stop it gracefully, crash it, and restart it on the same port and data.
 */
export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** SIGKILL to the whole process group: a crash, no chance to clean up. */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** PostgreSQL instead of the SQLite file in dataDir. */
  databaseUrl?: string | undefined;
  /** Extra environment for the server (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
  /** How long to wait for the listening line. */
  timeoutMs?: number;
}

const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
const LISTENING = /server listening on (http:\/\/127\.0\.0\.1:(\d+))/;

/**
 * Starts a server on `port` (0: any free port) with `dataDir` (default: a new temp dir, which the
 * caller removes when done). Resolves once the server prints its listening line.
 */
export async function start(port = 0, dataDir: string = makeTempDir('hotline-server-'), opts: StartOptions = {}): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;

  // detached: its own process group, so kill() also reaches the node process tsx spawns.
  const child = spawn(TSX, ['src/server/cli.ts', '--port', String(port), '--data', dataDir], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the server process');
  trackGroup(pid);

  let out = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      untrackGroup(pid);
      resolve(code);
    });
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    out += chunk;
  });

  const listening = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start within ${opts.timeoutMs ?? 20_000} ms\n${out}`));
    }, opts.timeoutMs ?? 20_000);
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const m = LISTENING.exec(out);
      if (m?.[1] && m[2]) {
        clearTimeout(timer);
        resolve({ url: m[1], port: Number(m[2]) });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${String(code)} before listening\n${out}`));
    });
  }).catch(async (error: unknown) => {
    if (exitCode === undefined) {
      process.kill(-pid, 'SIGKILL');
      await exited;
    }
    throw error;
  });

  const reap = async (): Promise<number | null> => {
    const code = await exited;
    // tsx relays signals to its node child; make sure nothing of the group outlives it.
    if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
    return code;
  };

  return {
    ...listening,
    dataDir,
    pid,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) {
      if (exitCode !== undefined) return exitCode;
      child.kill(signal);
      const timer = setTimeout(() => {
        if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
      }, timeoutMs);
      try {
        return await reap();
      } finally {
        clearTimeout(timer);
      }
    },
    async kill() {
      if (exitCode !== undefined) return;
      process.kill(-pid, 'SIGKILL');
      await reap();
    },
  };
}
