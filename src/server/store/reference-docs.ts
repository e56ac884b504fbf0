import crypto from 'node:crypto';
import type { Queryable } from '../db/driver';
import type { ChangeRecorder } from './changes';
import type { Unit } from '../../shared/reference/units';

/**
 * Stores a reference document (units, routing, SLA, geography) for the reference scope when its
 * content changed since it was last loaded; workstations build their router and resolver from it.
 */
export async function upsertReferenceDoc(q: Queryable, rec: ChangeRecorder, name: string, content: unknown, now: number): Promise<boolean> {
  const json = JSON.stringify(content);
  const hash = crypto.createHash('sha256').update(json).digest('hex');
  const existing = await q.get<{ hash: string }>('SELECT hash FROM reference_docs WHERE name = ?', [name]);
  if (existing?.hash === hash) return false;
  await q.run(
    `INSERT INTO reference_docs (name, hash, loaded_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, loaded_at = excluded.loaded_at`,
    [name, hash, now],
  );
  await rec.put('refdoc', name, { name, hash, content });
  return true;
}

/** Keeps the `units` table (what SQL joins need: names, home district) in step with the reference set. */
export async function upsertUnits(q: Queryable, units: readonly Unit[]): Promise<number> {
  let changed = 0;
  for (const u of units) {
    const result = await q.run(
      `INSERT INTO units (id, kind, name_zh, name_en, district_code, active) VALUES (?, ?, ?, ?, ?, 1)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name_zh = excluded.name_zh, name_en = excluded.name_en,
         district_code = excluded.district_code, active = 1
       WHERE units.kind <> excluded.kind OR units.name_zh <> excluded.name_zh OR units.name_en <> excluded.name_en
         OR units.district_code IS DISTINCT FROM excluded.district_code OR units.active <> 1`,
      [u.id, u.kind, u.nameZh, u.nameEn, u.districtCode],
    );
    changed += result.changes;
  }
  return changed;
}
