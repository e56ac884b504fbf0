import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds an installed Electron binary without importing the `electron` package (whose index
 * throws, or tries to download, when the binary is missing).
 */
export function findElectronBinary(): { path: string } | { path: null; reason: string } {
  if (process.env.ELECTRON_BINARY && fs.existsSync(process.env.ELECTRON_BINARY)) return { path: process.env.ELECTRON_BINARY };
  let dir: string;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return { path: null, reason: `no Electron binary: ${pathFile} is missing (the binary was never downloaded)` };
  const binary = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  if (!fs.existsSync(binary)) return { path: null, reason: `no Electron binary at ${binary}` };
  return { path: binary };
}
