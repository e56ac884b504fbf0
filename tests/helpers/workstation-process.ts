import { spawn } from 'node:child_process';
import path from 'node:path';
import { makeTempDir } from './tmp';

/** A workstation core in browser mode as a real child process (`npm run workstation -- --browser`). */
export interface WorkstationProcess {
  /** The URL the workstation printed, with its per-launch token. */
  url: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

const REPO_ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
const READY = /workstation ready at (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/;

export async function startWorkstation(serverUrl: string, dataDir: string = makeTempDir('hotline-ws-')): Promise<WorkstationProcess> {
  // A free port for the softphone hook: test files run side by side.
  const child = spawn(TSX, ['src/main/core/cli.ts', '--browser', '--server', serverUrl, '--data', dataDir, '--call-port', '0'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the workstation');
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (out += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workstation did not start\n${out}`)), 20_000);
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const m = READY.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(() => reject(new Error(`workstation exited before it was ready\n${out}`)));
  });
  return {
    url,
    dataDir,
    output: () => out,
    stop: async () => {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
