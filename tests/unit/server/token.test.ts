import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACCESS_TTL_MS, REFRESH_TTL_MS, TokenSigner, type TokenClaims } from '../../../src/server/auth/token';

const secret = crypto.randomBytes(32);
const signer = new TokenSigner(secret);
const base: Omit<TokenClaims, 'iat' | 'exp' | 'kind'> = { sub: 'user-1', role: 'operator', team: 'team-a', station: 'S0001', space: 'live' };
const NOW = 1_750_000_000_000;

function forge(body: string): string {
  const b = Buffer.from(body).toString('base64url');
  return `${b}.${crypto.createHmac('sha256', secret).update(b).digest('base64url')}`;
}

describe('TokenSigner', () => {
  it('signs claims that verify, with iat and exp set from the kind', () => {
    const access = signer.sign({ ...base, kind: 'access' }, NOW);
    expect(signer.verify(access, 'access', NOW + 1000)).toEqual({ ...base, kind: 'access', iat: NOW, exp: NOW + ACCESS_TTL_MS, kid: 'legacy' });
    const refresh = signer.sign({ ...base, kind: 'refresh' }, NOW);
    expect(signer.verify(refresh, 'refresh', NOW + 1000)).toEqual({ ...base, kind: 'refresh', iat: NOW, exp: NOW + REFRESH_TTL_MS, kid: 'legacy' });
    expect(REFRESH_TTL_MS).toBeGreaterThan(ACCESS_TTL_MS);
  });

  it('refuses a token of the other kind', () => {
    const access = signer.sign({ ...base, kind: 'access' }, NOW);
    const refresh = signer.sign({ ...base, kind: 'refresh' }, NOW);
    expect(signer.verify(access, 'refresh', NOW)).toBeNull();
    expect(signer.verify(refresh, 'access', NOW)).toBeNull();
  });

  it('refuses an expired token, exactly at expiry', () => {
    const access = signer.sign({ ...base, kind: 'access' }, NOW);
    expect(signer.verify(access, 'access', NOW + ACCESS_TTL_MS - 1)).not.toBeNull();
    expect(signer.verify(access, 'access', NOW + ACCESS_TTL_MS)).toBeNull();
    expect(signer.verify(access, 'access', NOW + ACCESS_TTL_MS + 60_000)).toBeNull();
  });

  it('refuses a token whose claims were altered', () => {
    const token = signer.sign({ ...base, kind: 'access' }, NOW);
    const [body, mac] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expect(signer.verify(`${promoted}.${mac}`, 'access', NOW)).toBeNull();
    const extended = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 10 * ACCESS_TTL_MS })).toString('base64url');
    expect(signer.verify(`${extended}.${mac}`, 'access', NOW + 2 * ACCESS_TTL_MS)).toBeNull();
  });

  it('refuses a token whose signature was altered', () => {
    const token = signer.sign({ ...base, kind: 'access' }, NOW);
    const [body, mac] = token.split('.') as [string, string];
    const flipped = `${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(signer.verify(`${body}.${flipped}`, 'access', NOW)).toBeNull();
    expect(signer.verify(`${body}.${mac.slice(1)}`, 'access', NOW)).toBeNull();
    expect(signer.verify(`${body}.`, 'access', NOW)).toBeNull();
  });

  it('refuses a token signed with another secret', () => {
    const other = new TokenSigner(crypto.randomBytes(32)).sign({ ...base, kind: 'access' }, NOW);
    expect(signer.verify(other, 'access', NOW)).toBeNull();
  });

  it('refuses malformed tokens', () => {
    const token = signer.sign({ ...base, kind: 'access' }, NOW);
    for (const bad of ['', 'abc', '.', `${token}.extra`, 'a.b.c']) expect(signer.verify(bad, 'access', NOW), bad).toBeNull();
  });

  it('refuses authentic bodies that are not valid claims', () => {
    expect(signer.verify(forge('not json'), 'access', NOW)).toBeNull();
    expect(signer.verify(forge(JSON.stringify({ ...base, role: 'king', kind: 'access', iat: NOW, exp: NOW + 1000 })), 'access', NOW)).toBeNull();
    expect(signer.verify(forge(JSON.stringify({ ...base, kind: 'access', iat: NOW })), 'access', NOW)).toBeNull();
    // The control: the same construction with valid claims is accepted.
    expect(signer.verify(forge(JSON.stringify({ ...base, kind: 'access', iat: NOW, exp: NOW + 1000 })), 'access', NOW)).not.toBeNull();
  });
});
