import path from 'node:path';
import { openDatabase } from './db/open';
import { migrate } from './db/migrations';
import { TokenKeyStore } from './auth/token-keys';
import { rotateApiKey } from './store/api-keys';
import { writeApiKeysFile } from './seed';

export const ADMIN_COMMANDS_HELP = `commands (same --data and DATABASE_URL as the server; a running server picks the change up):
  rotate-token-key         a new key signs tokens from now on; older keys still verify theirs
  retire-token-key <kid>   tokens signed by <kid> are refused from now on (after a shift has passed)
  token-keys               the token key ids, the signing one marked
  rotate-api-key <unit|keyId>  a new secret for a unit's (or Open311 client's) API key; the old one is refused at once`;

export interface AdminCommandOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  print: (line: string) => void;
}

/** Runs one maintenance command; false when `command` is not one. */
export async function runAdminCommand(command: string, args: readonly string[], opts: AdminCommandOptions): Promise<boolean> {
  const keys = TokenKeyStore.forDataDir(opts.dataDir);
  switch (command) {
    case 'rotate-token-key': {
      if (process.env.HOTLINE_TOKEN_SECRET) throw new Error('HOTLINE_TOKEN_SECRET is set: rotate by putting a new kid:secret first in it on every node');
      const kid = keys.rotate();
      opts.print(`token key ${kid} signs from now on (${keys.file}); retire the previous one after a shift with retire-token-key`);
      return true;
    }
    case 'retire-token-key': {
      const kid = args[0];
      if (!kid) throw new Error('retire-token-key needs a key id (see token-keys)');
      keys.retire(kid);
      opts.print(`token key ${kid} retired: tokens it signed are refused`);
      return true;
    }
    case 'token-keys':
      for (const k of keys.list()) opts.print(`${k.current ? '*' : ' '} ${k.kid}  ${new Date(k.createdAt).toISOString()}`);
      return true;
    case 'rotate-api-key': {
      const name = args[0];
      if (!name) throw new Error('rotate-api-key needs a unit id or key id');
      const db = openDatabase({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir });
      try {
        await migrate(db, undefined, { adoptTokenSecret: (s) => keys.adoptLegacy(s) });
        const rotated = await db.tx((q) => rotateApiKey(q, name, Date.now()));
        if (!rotated) throw new Error(`no API key ${name}`);
        const file = writeApiKeysFile(opts.dataDir, { [rotated.keyId]: rotated.secret });
        opts.print(`api key ${rotated.keyId} rotated; the new secret is in ${path.resolve(file)} (0600); the old one is refused`);
      } finally {
        await db.close();
      }
      return true;
    }
    default:
      return false;
  }
}
