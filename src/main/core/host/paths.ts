import path from 'node:path';
import fs from 'node:fs';

/** The project root: where package.json is, found from this file in source or in a bundle. */
export function projectRoot(start = __dirname): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'resources'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export function appVersion(root = projectRoot()): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** better_sqlite3.node built for Electron's ABI by `npm run desktop:prepare`. */
export function electronNativeBinding(root = projectRoot()): string {
  return path.join(root, 'native', 'electron', 'better_sqlite3.node');
}
