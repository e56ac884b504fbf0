import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPush } from '../../../src/server/sync/push';
import { ensureClient } from '../../../src/server/store/clients';
import { findCase } from '../../../src/server/store/cases';
import { changesSince } from '../../../src/server/store/changes';
import { ReferenceSet, shippedReferenceSet } from '../../../src/server/reference/reference-set';
import { seedReference } from '../../../src/server/seed';
import { formatCaseNumber } from '../../../src/shared/domain/case';
import { BACKENDS } from '../../helpers/backends';
import { insertUser, migratedDb, type MigratedDb } from '../../helpers/server-db';

// A category code retired from the taxonomy (urban.noise, merged into noise.residential): the seed
// takes it out of the workstations' reference scope, and a workstation that still sends it has its
// case filed under the successor rather than refused.

/** The shipped reference set as it was before the merge: urban.noise still offered. */
function beforeTheMerge(): ReferenceSet {
  const bundle = structuredClone(shippedReferenceSet().bundle);
  const residential = bundle.categories.categories.find((c) => c.code === 'noise.residential');
  if (!residential) throw new Error('noise.residential expected');
  bundle.categories.categories.push({ ...residential, code: 'urban.noise', parent: 'urban', nameZh: '噪音扰民', nameEn: 'Noise nuisance' });
  bundle.categories.retired = [];
  return new ReferenceSet(bundle);
}

describe.each(BACKENDS)('retired categories on $name', (backend) => {
  let m: MigratedDb;
  beforeEach(async () => {
    m = await migratedDb(backend);
  });
  afterEach(async () => {
    await m.close();
  });

  it('leave the reference scope at the next seed, and stay in the table inactive', async () => {
    await seedReference(m.db, beforeTheMerge());
    const before = await changesSince(m.db, { ref: 0 }, 10_000);
    expect(before.changes.find((c) => c.entity === 'category' && c.id === 'urban.noise')?.data).toMatchObject({ code: 'urban.noise', parent: 'urban' });

    const { changed } = await seedReference(m.db, shippedReferenceSet());
    expect(changed).toBeGreaterThanOrEqual(1);
    expect(await m.db.get('SELECT code, active FROM categories WHERE code = ?', ['urban.noise'])).toMatchObject({ code: 'urban.noise' });
    expect(Number((await m.db.get<{ active: unknown }>('SELECT active FROM categories WHERE code = ?', ['urban.noise']))?.active)).toBe(0);
    const after = await changesSince(m.db, { ref: before.changes.at(-1)?.version ?? 0 }, 10_000);
    expect(after.changes.filter((c) => c.entity === 'category').map((c) => [c.id, c.data])).toEqual([['urban.noise', null]]);

    // A third seed finds nothing to do.
    expect((await seedReference(m.db, shippedReferenceSet())).changed).toBe(0);
  });

  it('are filed under their successor when an old workstation still sends them', async () => {
    await seedReference(m.db, beforeTheMerge());
    await seedReference(m.db, shippedReferenceSet());
    const user = await insertUser(m.db, { station: 'S0001' });
    const clientId = crypto.randomUUID();
    await ensureClient(m.db, clientId, user.sub, 'S0001');
    const id = crypto.randomUUID();
    const args = { id, number: formatCaseNumber('S0001', 1), createdAt: Date.now(), callerPhone: '13800138000', callerName: '', categoryCode: 'urban.noise', address: '朝阳区望京街道', description: '楼上每晚唱歌到十二点' };
    const { response } = await applyPush(m.db, user, 'S0001', { clientId, mutations: [{ clientId, seq: 1, id: crypto.randomUUID(), name: 'createCase', args, at: Date.now() }] });
    expect(response).toMatchObject({ ok: true, outcomes: [{ seq: 1, status: 'applied' }] });
    expect(await findCase(m.db, id)).toMatchObject({ categoryCode: 'noise.residential', slaClass: 'general', districtCode: '110105', streetCode: '110105026' });
  });
});
