import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/server/db/driver';
import { ChangeRecorder, changesSince, currentVersion, nextVersion } from '../../../src/server/store/changes';
import type { Queryable } from '../../../src/server/db/driver';
import type { EntityName } from '../../../src/shared/sync/entities';
import type { Poke } from '../../../src/shared/sync/protocol';
import { BACKENDS } from '../../helpers/backends';
import { migratedDb, type MigratedDb } from '../../helpers/server-db';
import { sleep } from '../../helpers/wait';
import { seededRandom } from '../../../src/shared/random';

/** One write in its own recorder, in the scope given (the log's mechanism, without the entity registry). */
async function recordChange(q: Queryable, change: { entity: EntityName; id: string; scope: string; data: unknown }): Promise<Poke[]> {
  const rec = new ChangeRecorder(q);
  await rec.putInScopes(change.entity, change.id, [change.scope], change.data);
  return rec.finish();
}

/** The highest version a set of pokes reports (what a single-entity write took last). */
function lastVersion(pokes: readonly Poke[]): number {
  return Math.max(0, ...pokes.map((p) => p.version));
}

async function record(db: Database, id: string, scope: string, data: unknown = { id }): Promise<number> {
  return lastVersion(await db.tx((q) => recordChange(q, { entity: 'case', id, scope, data })));
}

/** One transaction through a ChangeRecorder, as a push does it; returns its pokes. */
function putAll(db: Database, puts: { id: string; scopes: string[]; data?: unknown }[]): Promise<Poke[]> {
  return db.tx(async (q) => {
    const rec = new ChangeRecorder(q);
    for (const p of puts) await rec.putInScopes('case', p.id, p.scopes, p.data ?? { id: p.id });
    return rec.finish();
  });
}

async function heads(db: Database): Promise<Record<string, number>> {
  const rows = await db.all<{ scope: string; version: unknown }>('SELECT scope, version FROM scope_heads');
  return Object.fromEntries(rows.map((r) => [r.scope, Number(r.version)]));
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
    expect(await heads(m.db)).toEqual({ 'team:a': 1 });
    expect(await record(m.db, 'next', 'team:a')).toBe(2);
    const { changes } = await changesSince(m.db, { 'team:a': 0 }, 100);
    expect(changes.map((c) => c.id)).toEqual(['kept', 'next']);
  });

  it('concurrent writers get distinct, contiguous versions', async () => {
    const versions = await Promise.all(Array.from({ length: 20 }, (_, i) => record(m.db, `c${i}`, 'team:a')));
    expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('concurrent writers to one scope chain their pokes: each prev is another one’s version', async () => {
    const write = (i: number) => m.db.tx((q) => recordChange(q, { entity: 'case', id: `c${i}`, scope: 'team:a', data: {} }));
    const pokes = (await Promise.all(Array.from({ length: 10 }, (_, i) => write(i)))).flat();
    const chain = pokes.map((p) => [p.prev, p.version]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    expect(chain).toEqual(Array.from({ length: 10 }, (_, i) => [i, i + 1]));
    expect(await heads(m.db)).toEqual({ 'team:a': 10 });
  });

  it('a reader never sees a version while an earlier one is uncommitted', async () => {
    // Writer A takes a version and holds its transaction open; writer B starts while A is open.
    let releaseA: () => void = () => undefined;
    const aHolds = new Promise<void>((r) => {
      releaseA = r;
    });
    const a = m.db.tx(async (q) => {
      const v = lastVersion(await recordChange(q, { entity: 'case', id: 'a', scope: 'team:a', data: {} }));
      await aHolds;
      return v;
    });
    await sleep(50);
    const b = record(m.db, 'b', 'team:a');
    await sleep(50);
    const reader = changesSince(m.db, { 'team:a': 0 }, 100);
    await sleep(100);
    releaseA();
    const [va, vb, seen] = await Promise.all([a, b, reader]);
    expect(vb).toBeGreaterThan(va);
    // Whatever the reader saw is a prefix of the commit order: never b without a.
    const versions = seen.changes.map((c) => c.version);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    // And its cursor never passes what it returned.
    expect(seen.cursors['team:a']).toBe(versions.length);
  });

  it('pages with limit, moves the cursor to the end of each page and reports whether more remain', async () => {
    for (let i = 1; i <= 5; i += 1) await record(m.db, `c${i}`, 'team:a');
    const p1 = await changesSince(m.db, { 'team:a': 0 }, 2);
    expect(p1.changes.map((c) => c.version)).toEqual([1, 2]);
    expect(p1.cursors).toEqual({ 'team:a': 2 });
    expect(p1.more).toBe(true);
    const p2 = await changesSince(m.db, p1.cursors, 2);
    expect(p2.changes.map((c) => c.version)).toEqual([3, 4]);
    expect(p2.cursors).toEqual({ 'team:a': 4 });
    expect(p2.more).toBe(true);
    const p3 = await changesSince(m.db, p2.cursors, 2);
    expect(p3.changes.map((c) => c.version)).toEqual([5]);
    expect(p3.more).toBe(false);
    const p4 = await changesSince(m.db, p3.cursors, 2);
    expect(p4).toEqual({ changes: [], cursors: { 'team:a': 5 }, more: false });
  });

  it('pages through interleaved scopes in version order, each change once, whatever the limit (one scope filling its limit first)', async () => {
    const rand = seededRandom(7);
    const scopes = ['team:t', 'user:x', 'user:y'];
    const written: { version: number; scope: string; id: string }[] = [];
    for (let i = 0; i < 120; i += 1) {
      // team:t gets most changes, user:y a few: its rows sit far apart in the version order.
      const r = rand();
      const scope = r < 0.7 ? 'team:t' : r < 0.95 ? 'user:x' : 'user:y';
      const id = `c${i}`;
      written.push({ version: await record(m.db, id, scope), scope, id });
    }
    for (const limit of [1, 3, 7, 25, 200]) {
      let cursors = Object.fromEntries(scopes.map((sc) => [sc, 0]));
      const seen: { version: number; scope: string; id: string }[] = [];
      for (let pages = 0; ; pages += 1) {
        expect(pages).toBeLessThan(500);
        const page = await changesSince(m.db, cursors, limit);
        expect(page.changes.length).toBeLessThanOrEqual(limit);
        seen.push(...page.changes.map((c) => ({ version: c.version, scope: c.scope, id: c.id })));
        cursors = page.cursors;
        if (!page.more) break;
        expect(page.changes.length).toBeGreaterThan(0);
      }
      expect(seen).toEqual(written);
    }
  });

  it('a page that ends exactly at the last change says no more', async () => {
    for (let i = 1; i <= 4; i += 1) await record(m.db, `c${i}`, 'team:a');
    const p = await changesSince(m.db, { 'team:a': 2 }, 2);
    expect(p.changes.map((c) => c.version)).toEqual([3, 4]);
    expect(p.more).toBe(false);
  });

  it('counts what remains after the page only when asked', async () => {
    for (let i = 1; i <= 5; i += 1) await record(m.db, `a${i}`, 'team:a');
    await record(m.db, 'b1', 'team:b');
    const p1 = await changesSince(m.db, { 'team:a': 0 }, 2, { withRemaining: true });
    expect(p1.remaining).toBe(3);
    expect(await changesSince(m.db, { 'team:a': 0 }, 2)).not.toHaveProperty('remaining');
    const p2 = await changesSince(m.db, p1.cursors, 10, { withRemaining: true });
    expect(p2.changes).toHaveLength(3);
    expect(p2.remaining).toBe(0);
  });

  it('returns the scope, entity, id and parsed data of each change', async () => {
    await m.db.tx((q) => recordChange(q, { entity: 'category', id: 'urban', scope: 'ref', data: { code: 'urban', nameZh: '城市管理' } }));
    const { changes } = await changesSince(m.db, { ref: 0 }, 10);
    expect(changes).toEqual([{ version: 1, scope: 'ref', entity: 'category', id: 'urban', data: { code: 'urban', nameZh: '城市管理' } }]);
  });

  it('filters by scope', async () => {
    await record(m.db, 'a1', 'team:a');
    await record(m.db, 'b1', 'team:b');
    await m.db.tx((q) => recordChange(q, { entity: 'category', id: 'urban', scope: 'ref', data: {} }));
    await record(m.db, 'a2', 'team:a');
    expect((await changesSince(m.db, { 'team:a': 0 }, 100)).changes.map((c) => c.id)).toEqual(['a1', 'a2']);
    const both = await changesSince(m.db, { ref: 0, 'team:a': 0 }, 100);
    expect(both.changes.map((c) => [c.scope, c.id])).toEqual([
      ['team:a', 'a1'],
      ['ref', 'urban'],
      ['team:a', 'a2'],
    ]);
    expect(both.cursors).toEqual({ ref: 4, 'team:a': 4 });
    expect((await changesSince(m.db, { 'team:b': 0 }, 100)).changes.map((c) => c.id)).toEqual(['b1']);
    expect(await changesSince(m.db, { 'team:c': 0 }, 100)).toEqual({ changes: [], cursors: { 'team:c': 0 }, more: false });
    expect(await changesSince(m.db, {}, 100)).toEqual({ changes: [], cursors: {}, more: false });
  });

  it('each scope is read from its own cursor, and no cursor moves back', async () => {
    await record(m.db, 'a1', 'team:a'); // 1
    await record(m.db, 'b1', 'team:b'); // 2
    await record(m.db, 'a2', 'team:a'); // 3
    await record(m.db, 'b2', 'team:b'); // 4
    const p = await changesSince(m.db, { 'team:a': 1, 'team:b': 0 }, 100);
    expect(p.changes.map((c) => c.id)).toEqual(['b1', 'a2', 'b2']);
    expect(p.cursors).toEqual({ 'team:a': 4, 'team:b': 4 });
    // A scope already ahead of the page keeps its cursor.
    const q = await changesSince(m.db, { 'team:a': 9, 'team:b': 0 }, 1);
    expect(q.changes.map((c) => c.id)).toEqual(['b1']);
    expect(q.cursors).toEqual({ 'team:a': 9, 'team:b': 2 });
    expect(q.more).toBe(true);
  });

  it('paging with a scope filter counts only that scope', async () => {
    for (let i = 0; i < 3; i += 1) {
      await record(m.db, `a${i}`, 'team:a');
      await record(m.db, `b${i}`, 'team:b');
    }
    const p = await changesSince(m.db, { 'team:b': 0 }, 2);
    expect(p.changes.map((c) => c.id)).toEqual(['b0', 'b1']);
    expect(p.more).toBe(true);
    expect(p.cursors).toEqual({ 'team:b': p.changes[1]?.version });
    const rest = await changesSince(m.db, p.cursors, 2);
    expect(rest.changes.map((c) => c.id)).toEqual(['b2']);
    expect(rest.more).toBe(false);
  });

  it('keeps one row per entity and scope, with the newest version and data', async () => {
    await record(m.db, 'x', 'team:a', { v: 1 });
    await record(m.db, 'other', 'team:a', { v: 1 });
    const latest = await record(m.db, 'x', 'team:a', { v: 2 });
    expect(latest).toBe(3);
    const rows = await m.db.all<{ version: unknown }>('SELECT version FROM changes WHERE entity = ? AND entity_id = ?', ['case', 'x']);
    expect(rows.map((r) => Number(r.version))).toEqual([3]);
    const all = await changesSince(m.db, { 'team:a': 0 }, 100);
    expect(all.changes).toEqual([
      { version: 2, scope: 'team:a', entity: 'case', id: 'other', data: { v: 1 } },
      { version: 3, scope: 'team:a', entity: 'case', id: 'x', data: { v: 2 } },
    ]);
    // A client whose cursor is past the first write of x still gets its update.
    expect((await changesSince(m.db, { 'team:a': 2 }, 100)).changes.map((c) => c.id)).toEqual(['x']);
  });

  it('the same id under another entity is a separate row', async () => {
    await record(m.db, 'same', 'team:a');
    await m.db.tx((q) => recordChange(q, { entity: 'category', id: 'same', scope: 'ref', data: {} }));
    const n = await m.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM changes');
    expect(Number(n?.n)).toBe(2);
  });

  it('an entity in several scopes gets a row, a version and a poke in each', async () => {
    const pokes = await putAll(m.db, [{ id: 'c', scopes: ['team:t', 'user:x', 'user:x'], data: { v: 1 } }]);
    expect(pokes).toEqual([
      { scope: 'team:t', prev: 0, version: 1, changes: [{ version: 1, scope: 'team:t', entity: 'case', id: 'c', data: { v: 1 } }] },
      { scope: 'user:x', prev: 0, version: 2, changes: [{ version: 2, scope: 'user:x', entity: 'case', id: 'c', data: { v: 1 } }] },
    ]);
    expect(await heads(m.db)).toEqual({ 'team:t': 1, 'user:x': 2 });
    expect((await changesSince(m.db, { 'team:t': 0 }, 100)).changes.map((c) => c.version)).toEqual([1]);
    expect((await changesSince(m.db, { 'user:x': 0 }, 100)).changes.map((c) => c.version)).toEqual([2]);
    // A client holding both scopes sees the entity once per scope.
    expect((await changesSince(m.db, { 'team:t': 0, 'user:x': 0 }, 100)).changes.map((c) => c.scope)).toEqual(['team:t', 'user:x']);
  });

  it('a poke’s prev is the scope’s head before the transaction; one poke per scope per transaction', async () => {
    await putAll(m.db, [{ id: 'c1', scopes: ['team:t'] }]);
    const second = await putAll(m.db, [
      { id: 'c2', scopes: ['team:t', 'user:x'] },
      { id: 'c3', scopes: ['team:t'] },
    ]);
    expect(second.map(({ scope, prev, version, changes }) => ({ scope, prev, version, ids: changes?.map((c) => c.id) }))).toEqual([
      { scope: 'team:t', prev: 1, version: 4, ids: ['c2', 'c3'] },
      { scope: 'user:x', prev: 0, version: 3, ids: ['c2'] },
    ]);
    expect(await heads(m.db)).toEqual({ 'team:t': 4, 'user:x': 3 });
    const third = await putAll(m.db, [{ id: 'c4', scopes: ['user:x'] }]);
    expect(third).toMatchObject([{ scope: 'user:x', prev: 3, version: 5 }]);
  });

  it('a case reassigned away from user:x is a tombstone in user:x and still data in team:t', async () => {
    await putAll(m.db, [{ id: 'c', scopes: ['team:t', 'user:x'], data: { assignee: 'x' } }]); // 1, 2
    const before = await changesSince(m.db, { 'team:t': 0, 'user:x': 0 }, 100);
    const pokes = await putAll(m.db, [{ id: 'c', scopes: ['team:t', 'user:y'], data: { assignee: 'y' } }]); // 3, 4, tombstone 5
    expect(pokes.map((p) => [p.scope, p.prev, p.version])).toEqual([
      ['team:t', 1, 3],
      ['user:y', 0, 4],
      ['user:x', 2, 5],
    ]);
    expect(pokes.find((p) => p.scope === 'user:x')?.changes).toEqual([{ version: 5, scope: 'user:x', entity: 'case', id: 'c', data: null }]);
    // The clients of each scope, from where they were.
    expect((await changesSince(m.db, { 'user:x': 2 }, 100)).changes).toEqual([{ version: 5, scope: 'user:x', entity: 'case', id: 'c', data: null }]);
    expect((await changesSince(m.db, { 'team:t': 1 }, 100)).changes).toEqual([
      { version: 3, scope: 'team:t', entity: 'case', id: 'c', data: { assignee: 'y' } },
    ]);
    expect((await changesSince(m.db, { 'user:y': 0 }, 100)).changes).toEqual([
      { version: 4, scope: 'user:y', entity: 'case', id: 'c', data: { assignee: 'y' } },
    ]);
    expect(before.cursors).toEqual({ 'team:t': 2, 'user:x': 2 });
    // The tombstone row is marked and holds no data; a scope that never held the case gets none.
    const rows = await m.db.all<{ scope: string; data: string | null; tombstone: unknown }>('SELECT scope, data, tombstone FROM changes WHERE entity_id = ? ORDER BY scope', ['c']);
    expect(rows.map((r) => [r.scope, Number(r.tombstone) === 1 && r.data === null])).toEqual([
      ['team:t', false],
      ['user:x', true],
      ['user:y', false],
    ]);
    // Moving it on again tombstones only the scope that held it.
    const again = await putAll(m.db, [{ id: 'c', scopes: ['team:t', 'user:z'], data: { assignee: 'z' } }]);
    expect(again.map((p) => p.scope)).toEqual(['team:t', 'user:z', 'user:y']);
    // Coming back to user:x replaces its tombstone with data.
    await putAll(m.db, [{ id: 'c', scopes: ['team:t', 'user:x'], data: { assignee: 'x' } }]);
    expect((await changesSince(m.db, { 'user:x': 5 }, 100)).changes.map((c) => c.data)).toEqual([{ assignee: 'x' }]);
  });

  it('an entity that moves scope leaves a tombstone in the old one', async () => {
    await record(m.db, 'moved', 'team:a');
    await record(m.db, 'moved', 'team:b');
    expect((await changesSince(m.db, { 'team:a': 0 }, 100)).changes).toEqual([{ version: 3, scope: 'team:a', entity: 'case', id: 'moved', data: null }]);
    expect((await changesSince(m.db, { 'team:b': 0 }, 100)).changes.map((c) => [c.id, c.data])).toEqual([['moved', { id: 'moved' }]]);
  });

  it('records a removal as null data', async () => {
    await record(m.db, 'gone', 'team:a', { v: 1 });
    await record(m.db, 'gone', 'team:a', null);
    expect((await changesSince(m.db, { 'team:a': 0 }, 100)).changes).toEqual([{ version: 2, scope: 'team:a', entity: 'case', id: 'gone', data: null }]);
  });

  it('discardSince forgets the pokes of writes a savepoint rolled back', async () => {
    const pokes = await m.db.tx(async (q) => {
      const rec = new ChangeRecorder(q);
      await rec.putInScopes('case', 'kept', ['team:t'], { v: 1 });
      await q.run('SAVEPOINT mutation');
      const mark = rec.mark();
      await rec.putInScopes('case', 'undone', ['team:t', 'user:x'], { v: 1 });
      await q.run('ROLLBACK TO SAVEPOINT mutation');
      await q.run('RELEASE SAVEPOINT mutation');
      rec.discardSince(mark);
      await rec.putInScopes('case', 'after', ['team:t'], { v: 1 });
      return rec.finish();
    });
    expect(pokes.map((p) => ({ scope: p.scope, prev: p.prev, version: p.version, ids: p.changes?.map((c) => c.id) }))).toEqual([
      { scope: 'team:t', prev: 0, version: 2, ids: ['kept', 'after'] },
    ]);
    expect(await heads(m.db)).toEqual({ 'team:t': 2 });
    expect((await changesSince(m.db, { 'team:t': 0, 'user:x': 0 }, 100)).changes.map((c) => c.id)).toEqual(['kept', 'after']);
  });
});
