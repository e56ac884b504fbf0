import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/server/db/driver';
import { changesSince, currentVersion, nextVersion, recordChange } from '../../../src/server/store/changes';
import { BACKENDS } from '../../helpers/backends';
import { migratedDb, type MigratedDb } from '../../helpers/server-db';
import { sleep } from '../../helpers/wait';

function record(db: Database, id: string, scope: string, data: unknown = { id }): Promise<number> {
  return db.tx((q) => recordChange(q, { entity: 'case', id, scope, data }));
}

describe.each(BACKENDS)('change log on $name', (backend) => {
  let m: MigratedDb;
  beforeEach(async () => {
    m = await migratedDb(backend);
  });
  afterEach(async () => {
    await m.close();
  });

  it('hands out strictly increasing versions without gaps', async () => {
    expect(await currentVersion(m.db)).toBe(0);
    const versions: number[] = [];
    for (let i = 0; i < 5; i += 1) versions.push(await record(m.db, `c${i}`, 'team:a'));
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    expect(await currentVersion(m.db)).toBe(5);
    expect(await m.db.tx((q) => nextVersion(q))).toBe(6);
  });

  it('a rolled-back transaction leaves neither its version nor its change behind', async () => {
    await record(m.db, 'kept', 'team:a');
    await expect(
      m.db.tx(async (q) => {
        await recordChange(q, { entity: 'case', id: 'lost', scope: 'team:a', data: {} });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await currentVersion(m.db)).toBe(1);
    expect(await record(m.db, 'next', 'team:a')).toBe(2);
    const { changes } = await changesSince(m.db, ['team:a'], 0, 100);
    expect(changes.map((c) => c.id)).toEqual(['kept', 'next']);
  });

  it('concurrent writers get distinct, contiguous versions', async () => {
    const versions = await Promise.all(Array.from({ length: 20 }, (_, i) => record(m.db, `c${i}`, 'team:a')));
    expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('a reader never sees a version while an earlier one is uncommitted', async () => {
    // Writer A takes a version and holds its transaction open; writer B starts while A is open.
    let releaseA: () => void = () => undefined;
    const aHolds = new Promise<void>((r) => {
      releaseA = r;
    });
    const a = m.db.tx(async (q) => {
      const v = await recordChange(q, { entity: 'case', id: 'a', scope: 'team:a', data: {} });
      await aHolds;
      return v;
    });
    await sleep(50);
    const b = record(m.db, 'b', 'team:a');
    await sleep(50);
    const reader = changesSince(m.db, ['team:a'], 0, 100);
    await sleep(100);
    releaseA();
    const [va, vb, seen] = await Promise.all([a, b, reader]);
    expect(vb).toBeGreaterThan(va);
    // Whatever the reader saw is a prefix of the commit order: never b without a.
    const versions = seen.changes.map((c) => c.version);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
  });

  it('pages with limit and reports whether more remain', async () => {
    for (let i = 1; i <= 5; i += 1) await record(m.db, `c${i}`, 'team:a');
    const p1 = await changesSince(m.db, ['team:a'], 0, 2);
    expect(p1.changes.map((c) => c.version)).toEqual([1, 2]);
    expect(p1.more).toBe(true);
    const p2 = await changesSince(m.db, ['team:a'], 2, 2);
    expect(p2.changes.map((c) => c.version)).toEqual([3, 4]);
    expect(p2.more).toBe(true);
    const p3 = await changesSince(m.db, ['team:a'], 4, 2);
    expect(p3.changes.map((c) => c.version)).toEqual([5]);
    expect(p3.more).toBe(false);
    const p4 = await changesSince(m.db, ['team:a'], 5, 2);
    expect(p4).toEqual({ changes: [], more: false });
  });

  it('a page that ends exactly at the last change says no more', async () => {
    for (let i = 1; i <= 4; i += 1) await record(m.db, `c${i}`, 'team:a');
    const p = await changesSince(m.db, ['team:a'], 2, 2);
    expect(p.changes.map((c) => c.version)).toEqual([3, 4]);
    expect(p.more).toBe(false);
  });

  it('returns the entity, id and parsed data of each change', async () => {
    await m.db.tx((q) => recordChange(q, { entity: 'category', id: 'urban', scope: 'ref', data: { code: 'urban', nameZh: '城市管理' } }));
    const { changes } = await changesSince(m.db, ['ref'], 0, 10);
    expect(changes).toEqual([{ version: 1, entity: 'category', id: 'urban', data: { code: 'urban', nameZh: '城市管理' } }]);
  });

  it('filters by scope', async () => {
    await record(m.db, 'a1', 'team:a');
    await record(m.db, 'b1', 'team:b');
    await m.db.tx((q) => recordChange(q, { entity: 'category', id: 'urban', scope: 'ref', data: {} }));
    await record(m.db, 'a2', 'team:a');
    expect((await changesSince(m.db, ['team:a'], 0, 100)).changes.map((c) => c.id)).toEqual(['a1', 'a2']);
    expect((await changesSince(m.db, ['ref', 'team:a'], 0, 100)).changes.map((c) => c.id)).toEqual(['a1', 'urban', 'a2']);
    expect((await changesSince(m.db, ['team:b'], 0, 100)).changes.map((c) => c.id)).toEqual(['b1']);
    expect(await changesSince(m.db, ['team:c'], 0, 100)).toEqual({ changes: [], more: false });
    expect(await changesSince(m.db, [], 0, 100)).toEqual({ changes: [], more: false });
  });

  it('paging with a scope filter counts only that scope', async () => {
    for (let i = 0; i < 3; i += 1) {
      await record(m.db, `a${i}`, 'team:a');
      await record(m.db, `b${i}`, 'team:b');
    }
    const p = await changesSince(m.db, ['team:b'], 0, 2);
    expect(p.changes.map((c) => c.id)).toEqual(['b0', 'b1']);
    expect(p.more).toBe(true);
    const last = p.changes[p.changes.length - 1]?.version ?? 0;
    const rest = await changesSince(m.db, ['team:b'], last, 2);
    expect(rest.changes.map((c) => c.id)).toEqual(['b2']);
    expect(rest.more).toBe(false);
  });

  it('keeps one row per entity, with the newest version and data', async () => {
    await record(m.db, 'x', 'team:a', { v: 1 });
    await record(m.db, 'other', 'team:a', { v: 1 });
    const latest = await record(m.db, 'x', 'team:a', { v: 2 });
    expect(latest).toBe(3);
    const rows = await m.db.all<{ version: unknown }>('SELECT version FROM changes WHERE entity = ? AND entity_id = ?', ['case', 'x']);
    expect(rows.map((r) => Number(r.version))).toEqual([3]);
    const all = await changesSince(m.db, ['team:a'], 0, 100);
    expect(all.changes).toEqual([
      { version: 2, entity: 'case', id: 'other', data: { v: 1 } },
      { version: 3, entity: 'case', id: 'x', data: { v: 2 } },
    ]);
    // A client whose cursor is past the first write of x still gets its update.
    expect((await changesSince(m.db, ['team:a'], 2, 100)).changes.map((c) => c.id)).toEqual(['x']);
  });

  it('the same id under another entity is a separate row', async () => {
    await record(m.db, 'same', 'team:a');
    await m.db.tx((q) => recordChange(q, { entity: 'category', id: 'same', scope: 'ref', data: {} }));
    const n = await m.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM changes');
    expect(Number(n?.n)).toBe(2);
  });

  it('an entity that moves scope leaves the old scope', async () => {
    await record(m.db, 'moved', 'team:a');
    await record(m.db, 'moved', 'team:b');
    expect((await changesSince(m.db, ['team:a'], 0, 100)).changes).toEqual([]);
    expect((await changesSince(m.db, ['team:b'], 0, 100)).changes.map((c) => c.id)).toEqual(['moved']);
  });

  it('records a removal as null data', async () => {
    await record(m.db, 'gone', 'team:a', { v: 1 });
    await record(m.db, 'gone', 'team:a', null);
    expect((await changesSince(m.db, ['team:a'], 0, 100)).changes).toEqual([{ version: 2, entity: 'case', id: 'gone', data: null }]);
  });
});
