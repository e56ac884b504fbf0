import { describe, expect, it } from 'vitest';
import { pokeFrame, splitPoke } from '../../../src/server/sync/socket';
import { ChangeRecorder, changeBytes, changeJsonBytes } from '../../../src/server/store/changes';
import { Poke, decodeFrame, type Change } from '../../../src/shared/sync/protocol';
import { BACKENDS } from '../../helpers/backends';
import { migratedDb } from '../../helpers/server-db';

const change = (version: number, size: number): Change => ({ version, scope: 'team:a', entity: 'case', id: `c${version}`, data: { text: 'x'.repeat(size) } });

describe('splitPoke', () => {
  it('keeps a poke within the limit whole', () => {
    const poke: Poke = { scope: 'team:a', prev: 3, version: 9, changes: [change(5, 10), change(9, 10)] };
    expect(splitPoke(poke, 10_000)).toEqual([poke]);
  });

  it('splits a big commit into pieces within the limit, each ending at its last change and chained by prev', () => {
    const changes = [4, 6, 7, 10, 11, 15].map((v) => change(v, 300));
    const limit = 2 * (Math.max(...changes.map(changeBytes)) + 1) + 1;
    const pieces = splitPoke({ scope: 'team:a', prev: 2, version: 15, changes }, limit);
    expect(pieces.map((p) => [p.prev, p.version, p.changes?.map((c) => c.version)])).toEqual([
      [2, 6, [4, 6]],
      [6, 10, [7, 10]],
      [10, 15, [11, 15]],
    ]);
    for (const p of pieces) expect(Buffer.byteLength(JSON.stringify(p.changes))).toBeLessThanOrEqual(limit);
  });

  it('announces a change bigger than the limit, and what follows it, without changes', () => {
    const pieces = splitPoke({ scope: 'team:a', prev: 2, version: 9, changes: [change(4, 10), change(6, 5000), change(9, 10)] }, 1000);
    expect(pieces).toEqual([
      { scope: 'team:a', prev: 2, version: 4, changes: [change(4, 10)] },
      { scope: 'team:a', prev: 4, version: 9 },
    ]);
  });

  it('passes a poke without changes on as it is', () => {
    expect(splitPoke({ scope: 'team:a', prev: 2, version: 9 })).toEqual([{ scope: 'team:a', prev: 2, version: 9 }]);
  });

  it('measures a change as its JSON', () => {
    const c = change(1, 123);
    expect(changeBytes(c)).toBe(Buffer.byteLength(JSON.stringify(c)));
    const zh: Change = { version: 2, scope: 'user:张', entity: 'case', id: 'x', data: { d: '噪音'.repeat(50) } };
    expect(changeBytes(zh)).toBe(Buffer.byteLength(JSON.stringify(zh)));
  });
});

describe('pokeFrame', () => {
  const zh = (version: number): Change => ({ version, scope: 'team:东城', entity: 'case', id: `c${version}`, data: { d: '噪音 "扰民"\n\u2028', n: version, t: null } });

  it('sends a poke with changes as UTF-8 JSON bytes that decode to the same poke', () => {
    const poke: Poke = { scope: 'team:东城', prev: 3, version: 9, changes: [zh(5), zh(9), { version: 9, scope: 'team:东城', entity: 'case', id: 'gone', data: null }] };
    const frame = pokeFrame(poke);
    expect(Buffer.isBuffer(frame)).toBe(true);
    expect(Poke.parse(decodeFrame(frame))).toEqual(poke);
    // As the browser's socket.io-client hands it over, too.
    const bytes = frame as Buffer;
    expect(decodeFrame(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).toEqual(poke);
  });

  it('writes the recorder\'s stored JSON of each change, which is the change\'s data', async () => {
    const backend = BACKENDS[0];
    if (!backend) throw new Error('no storage backend');
    const m = await migratedDb(backend);
    try {
      const [poke] = await m.db.tx(async (q) => {
        const rec = new ChangeRecorder(q);
        await rec.putInScopes('category', 'x', ['ref'], { code: 'x', nameZh: '城管' });
        return rec.finish();
      });
      if (!poke) throw new Error('no poke');
      expect(decodeFrame(pokeFrame(poke))).toEqual(poke);
      for (const c of poke.changes ?? []) expect(changeJsonBytes(c).toString()).toBe(JSON.stringify(c));
    } finally {
      await m.close();
    }
  });

  it('passes a bare poke as an object', () => {
    const bare: Poke = { scope: 'team:a', prev: 2, version: 9 };
    expect(pokeFrame(bare)).toBe(bare);
    expect(decodeFrame(bare)).toBe(bare);
  });

  it('refuses bytes that are not JSON', () => {
    expect(() => decodeFrame(Buffer.from('{"scope":'))).toThrow();
  });
});
