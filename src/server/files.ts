import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/** The server's data dir: readable by the server's user only (0700), even when it already existed. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/** Narrows an existing file to 0600 (a database and its -wal/-shm made by an older server were 0644). */
export function restrictFile(file: string): void {
  if (fs.existsSync(file)) fs.chmodSync(file, 0o600);
}

/**
 * Writes a secret file whole or not at all: a temporary file made 0600 before anything is written
 * to it, then renamed over the old one (`exclusive`: linked, and left alone when the file exists).
 * Its directory is made 0700 when it has to be made.
 */
export function writePrivateFile(file: string, content: string, opts: { exclusive?: boolean } = {}): void {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (!opts.exclusive) return fs.renameSync(tmp, file);
  // Never over a file another process made meanwhile (two nodes starting at once on one data dir).
  try {
    fs.linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.unlinkSync(tmp);
  }
}
