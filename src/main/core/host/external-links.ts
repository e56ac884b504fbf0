import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The file of allowed origins under resources/ (the packaged app's resources too). */
export const EXTERNAL_LINKS_FILE = path.join('security', 'external-links.json');
/** Comma-separated https origins that replace the file's list. */
export const EXTERNAL_LINKS_ENV = 'HOTLINE_EXTERNAL_LINKS';

const Origin = z
  .url()
  .refine((s) => {
    const u = new URL(s);
    return u.protocol === 'https:' && u.origin === s.replace(/\/$/, '');
  }, 'an https origin, e.g. https://www.beijing.gov.cn');
const LinksFile = z.object({ $comment: z.string().optional(), origins: z.array(Origin) });

/** The allow-list: the environment's origins when set, else the file's; a malformed entry stops the start. */
export function externalLinkOrigins(resourcesDir: string, env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
  const fromEnv = env[EXTERNAL_LINKS_ENV];
  const list =
    fromEnv !== undefined && fromEnv.trim() !== ''
      ? fromEnv.split(',').map((s) => s.trim()).filter((s) => s !== '')
      : LinksFile.parse(JSON.parse(fs.readFileSync(path.join(resourcesDir, EXTERNAL_LINKS_FILE), 'utf8'))).origins;
  return new Set(list.map((o) => new URL(Origin.parse(o)).origin));
}

/** Whether a link may leave the app for the system browser: https, no credentials, an allowed origin. */
export function externalLinkAllowed(raw: string, origins: ReadonlySet<string>): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' && origins.has(url.origin);
}

/**
 * The renderer's dev server URL (electron-vite's ELECTRON_RENDERER_URL), honoured only in a run that
 * says it is development (HOTLINE_DEV=1), never in a packaged app, and only on this machine.
 */
export function devRendererUrl(env: NodeJS.ProcessEnv, packaged: boolean): string | undefined {
  const raw = env.ELECTRON_RENDERER_URL;
  if (packaged || env.HOTLINE_DEV !== '1' || raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    return url.protocol === 'http:' && loopback ? raw : undefined;
  } catch {
    return undefined;
  }
}
