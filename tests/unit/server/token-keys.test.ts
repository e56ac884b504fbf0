import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenSigner, type TokenClaims } from '../../../src/server/auth/token';
import { LEGACY_KID, parseSecretEnv, TokenKeyStore } from '../../../src/server/auth/token-keys';

const base: Omit<TokenClaims, 'iat' | 'exp' | 'kind' | 'kid'> = { sub: 'user-1', role: 'admin', team: 'team-a', station: 'S0001', space: 'live' };
const kidOf = (token: string): unknown => (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown }).kid;
const mode = (file: string) => fs.statSync(file).mode & 0o777;

const dirs: string[] = [];
function keyStore(env?: string): TokenKeyStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-keys-'));
  dirs.push(dir);
  return new TokenKeyStore(path.join(dir, 'private', 'token-keys.json'), env);
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('token keys with ids', () => {
  it('makes a 0600 keyring in a 0700 dir at first start, and signs with its key id', () => {
    const keys = keyStore();
    keys.ensure();
    expect(mode(keys.file)).toBe(0o600);
    expect(mode(path.dirname(keys.file))).toBe(0o700);
    const signer = new TokenSigner(() => keys.keyring());
    const token = signer.sign({ ...base, kind: 'access' });
    expect(kidOf(token)).toBe(keys.keyring().current);
    expect(signer.verify(token, 'access')).toMatchObject({ sub: 'user-1' });
  });

  it('rotates without logging anybody out, and refuses the old tokens once the old key is retired', () => {
    const keys = keyStore();
    keys.ensure();
    // Two signers reading the same file: two server nodes, or a server and a restart of it.
    const node = new TokenSigner(() => keys.keyring());
    const other = new TokenSigner(() => keys.keyring());
    const oldKid = keys.keyring().current;
    const before = node.sign({ ...base, kind: 'access' });

    const newKid = keys.rotate();
    expect(newKid).not.toBe(oldKid);
    expect(mode(keys.file)).toBe(0o600);
    // The running signer sees the rotation without a restart.
    const after = node.sign({ ...base, kind: 'access' });
    expect(kidOf(after)).toBe(newKid);
    expect(other.verify(before, 'access')).toMatchObject({ sub: 'user-1', kid: oldKid });
    expect(other.verify(after, 'access')).toMatchObject({ sub: 'user-1', kid: newKid });
    expect(keys.list().map((k) => [k.kid, k.current])).toEqual([
      [newKid, true],
      [oldKid, false],
    ]);

    expect(() => keys.retire(newKid)).toThrow(/signs new tokens/);
    keys.retire(oldKid);
    expect(other.verify(before, 'access')).toBeNull();
    expect(other.verify(after, 'access')).toMatchObject({ kid: newKid });
    expect(() => keys.retire('nope')).toThrow(/no token key/);
  });

  it('refuses a token whose kid names another key than the one that signed it, or no key at all', () => {
    const keys = keyStore();
    keys.ensure();
    const signer = new TokenSigner(() => keys.keyring());
    const token = signer.sign({ ...base, kind: 'access' });
    keys.rotate();
    const [body, mac] = token.split('.');
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const relabelled = `${Buffer.from(JSON.stringify({ ...claims, kid: keys.keyring().current })).toString('base64url')}.${mac}`;
    expect(signer.verify(relabelled, 'access')).toBeNull();
    const unlabelled = `${Buffer.from(JSON.stringify({ ...claims, kid: undefined })).toString('base64url')}.${mac}`;
    expect(signer.verify(unlabelled, 'access')).toBeNull();
  });

  it('takes in the secret an older server kept in its database: its tokens (no kid) verify, a fresh key signs', () => {
    const keys = keyStore();
    const legacySecret = crypto.randomBytes(32);
    const oldServer = new TokenSigner(legacySecret);
    const body = Buffer.from(JSON.stringify({ ...base, kind: 'access', iat: Date.now(), exp: Date.now() + 60_000 })).toString('base64url');
    const oldToken = `${body}.${crypto.createHmac('sha256', legacySecret).update(body).digest('base64url')}`;
    expect(oldServer.verify(oldToken, 'access')).toMatchObject({ sub: 'user-1' });

    keys.adoptLegacy(legacySecret.toString('base64'));
    keys.adoptLegacy(legacySecret.toString('base64'));
    const signer = new TokenSigner(() => keys.keyring());
    expect(keys.keyring().current).not.toBe(LEGACY_KID);
    expect(keys.list().map((k) => k.kid)).toEqual([keys.keyring().current, LEGACY_KID]);
    expect(signer.verify(oldToken, 'access')).toMatchObject({ sub: 'user-1' });
    expect(kidOf(signer.sign({ ...base, kind: 'access' }))).toBe(keys.keyring().current);
    keys.retire(LEGACY_KID);
    expect(signer.verify(oldToken, 'access')).toBeNull();
  });

  it('reads HOTLINE_TOKEN_SECRET: the first kid signs, the others verify, the file adds verify-only keys', () => {
    const a = crypto.randomBytes(32).toString('base64');
    const b = crypto.randomBytes(32).toString('base64');
    expect(parseSecretEnv(a)).toMatchObject({ current: 'env' });
    expect(() => parseSecretEnv('k1:c2hvcnQ=')).toThrow(/shorter than 16 bytes/);
    expect(() => parseSecretEnv(' , ')).toThrow(/empty/);
    const before = new TokenSigner(parseSecretEnv(`k1:${a}`)).sign({ ...base, kind: 'access' });
    const keys = keyStore(`k2:${b},k1:${a}`);
    keys.ensure();
    expect(fs.existsSync(keys.file)).toBe(false);
    const signer = new TokenSigner(() => keys.keyring());
    expect(kidOf(signer.sign({ ...base, kind: 'access' }))).toBe('k2');
    expect(signer.verify(before, 'access')).toMatchObject({ kid: 'k1' });
    expect(new TokenSigner(parseSecretEnv(`k2:${b}`)).verify(before, 'access')).toBeNull();
  });
});
