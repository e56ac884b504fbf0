import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writePrivateFile } from '../files';

/** One HMAC key: its id travels in every token it signs (claim `kid`). */
export interface TokenKey {
  kid: string;
  secret: Buffer;
}

/** The keys that verify tokens; `current` also signs new ones. */
export interface TokenKeyring {
  current: string;
  keys: readonly TokenKey[];
}

/** Where the keyring lives unless HOTLINE_TOKEN_KEYS_FILE says otherwise: beside the database, never in it. */
export const TOKEN_KEYS_FILE = 'token-keys.json';
/** The id of the secret a server kept in its database before it had key ids (tokens without `kid`). */
export const LEGACY_KID = 'legacy';

const Kid = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const KeyFile = z.object({
  current: Kid,
  keys: z.array(z.object({ kid: Kid, secret: z.string().min(16), createdAt: z.number().int() })).min(1),
});
type KeyFile = z.infer<typeof KeyFile>;

const newKid = (now: number) => `k${new Date(now).toISOString().slice(0, 10).replaceAll('-', '')}${crypto.randomBytes(3).toString('hex')}`;

function readFile(file: string): KeyFile | null {
  if (!fs.existsSync(file)) return null;
  const parsed = KeyFile.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.keys.some((k) => k.kid === parsed.current)) throw new Error(`${file}: the current key ${parsed.current} is not in the file`);
  return parsed;
}

function writeFile(file: string, content: KeyFile, exclusive = false): void {
  writePrivateFile(file, `${JSON.stringify(content, null, 2)}\n`, { exclusive });
}

/**
 * `HOTLINE_TOKEN_SECRET`: `kid:base64secret[,kid:base64secret…]`, the first one signs; a bare
 * value (no colon) is one key with kid `env`. Every node of a deployment must be given the same.
 */
export function parseSecretEnv(raw: string): TokenKeyring {
  const keys = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): TokenKey => {
      const colon = part.indexOf(':');
      const kid = colon < 0 ? 'env' : Kid.parse(part.slice(0, colon));
      const secret = Buffer.from(colon < 0 ? part : part.slice(colon + 1), 'base64');
      if (secret.length < 16) throw new Error(`HOTLINE_TOKEN_SECRET: key ${kid} is shorter than 16 bytes`);
      return { kid, secret };
    });
  const first = keys[0];
  if (!first) throw new Error('HOTLINE_TOKEN_SECRET is empty');
  return { current: first.kid, keys };
}

/**
 * The token keys of one server: from HOTLINE_TOKEN_SECRET when set, else from the keyring file
 * (0600, made with one fresh key at first start). The file is read again whenever it changes, so a
 * rotation by the CLI reaches a running server without a restart.
 */
export class TokenKeyStore {
  private cached: { stamp: string; ring: TokenKeyring } | null = null;

  constructor(
    readonly file: string,
    private readonly envSecret: string | undefined = process.env.HOTLINE_TOKEN_SECRET,
  ) {}

  /** `<dataDir>/token-keys.json`, or HOTLINE_TOKEN_KEYS_FILE (a path every node of a deployment shares). */
  static forDataDir(dataDir: string, env: NodeJS.ProcessEnv = process.env): TokenKeyStore {
    return new TokenKeyStore(env.HOTLINE_TOKEN_KEYS_FILE ? path.resolve(env.HOTLINE_TOKEN_KEYS_FILE) : path.join(dataDir, TOKEN_KEYS_FILE), env.HOTLINE_TOKEN_SECRET || undefined);
  }

  /** Makes the file with one fresh key when there is neither a file nor an environment secret. */
  ensure(now = Date.now()): void {
    if (this.envSecret || fs.existsSync(this.file)) return;
    const kid = newKid(now);
    writeFile(this.file, { current: kid, keys: [{ kid, secret: crypto.randomBytes(32).toString('base64'), createdAt: now }] }, true);
  }

  /** The keys now in force (environment keys first; keys of the file verify too). */
  keyring(): TokenKeyring {
    let stamp = 'none';
    try {
      const st = fs.statSync(this.file);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // no file: environment keys only
    }
    if (this.cached?.stamp === stamp) return this.cached.ring;
    const fromFile = readFile(this.file);
    const fileKeys = (fromFile?.keys ?? []).map((k) => ({ kid: k.kid, secret: Buffer.from(k.secret, 'base64') }));
    let ring: TokenKeyring;
    if (this.envSecret) {
      const env = parseSecretEnv(this.envSecret);
      ring = { current: env.current, keys: [...env.keys, ...fileKeys.filter((k) => !env.keys.some((e) => e.kid === k.kid))] };
    } else if (fromFile) {
      ring = { current: fromFile.current, keys: fileKeys };
    } else {
      throw new Error(`no token keys: neither HOTLINE_TOKEN_SECRET nor ${this.file}`);
    }
    this.cached = { stamp, ring };
    return ring;
  }

  /** A new signing key; the previous ones keep verifying the tokens they signed until retired. */
  rotate(now = Date.now()): string {
    const file = readFile(this.file);
    const kid = newKid(now);
    const key = { kid, secret: crypto.randomBytes(32).toString('base64'), createdAt: now };
    writeFile(this.file, { current: kid, keys: [key, ...(file?.keys ?? [])] });
    return kid;
  }

  /** Removes a key: tokens it signed are refused from now on. The signing key cannot be retired. */
  retire(kid: string): void {
    const file = readFile(this.file);
    if (!file?.keys.some((k) => k.kid === kid)) throw new Error(`no token key ${kid} in ${this.file}`);
    if (file.current === kid) throw new Error(`${kid} signs new tokens: rotate first, then retire it`);
    writeFile(this.file, { current: file.current, keys: file.keys.filter((k) => k.kid !== kid) });
  }

  /** The ids in the file, the signing one marked, for the CLI. */
  list(): { kid: string; current: boolean; createdAt: number }[] {
    const file = readFile(this.file);
    return (file?.keys ?? []).map((k) => ({ kid: k.kid, current: k.kid === file?.current, createdAt: k.createdAt }));
  }

  /**
   * Takes in the secret an older server kept in its database (migration 10): it verifies the
   * tokens it signed (no `kid`) until retired, and never signs again.
   */
  adoptLegacy(secretBase64: string, now = Date.now()): void {
    const file = readFile(this.file);
    const legacy = { kid: LEGACY_KID, secret: secretBase64, createdAt: now };
    if (file?.keys.some((k) => k.kid === LEGACY_KID)) return;
    if (file) return writeFile(this.file, { current: file.current, keys: [...file.keys, legacy] });
    // A fresh key signs from now on: the old secret may sit in every backup of the database.
    const kid = newKid(now);
    writeFile(this.file, { current: kid, keys: [{ kid, secret: crypto.randomBytes(32).toString('base64'), createdAt: now }, legacy] });
  }
}
