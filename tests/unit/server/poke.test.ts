import { describe, expect, it } from 'vitest';
import { splitPoke } from '../../../src/server/sync/socket';
import { changeBytes } from '../../../src/server/store/changes';
import type { Change, Poke } from '../../../src/shared/sync/protocol';

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
