import { describe, expect, it } from 'vitest';
import { CASE_COLUMNS, caseColumnsOf } from '../../src/shared/domain/case-columns';
import { CaseRecord } from '../../src/shared/domain/case';
import { BACKENDS } from '../helpers/backends';
import { migratedDb } from '../helpers/server-db';
import { tempLocalDb } from '../helpers/local-db';

// One list of a case row's columns for both stores: the tables their migrations build must hold
// exactly those columns (plus the row's JSON `detail`, and the workstation's `pending` flag).

describe('the cases columns', () => {
  it('name each record field once, and only scalar fields of the record', () => {
    const keys = CASE_COLUMNS.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(CASE_COLUMNS.map((c) => c.column)).size).toBe(keys.length);
    for (const key of keys) expect(Object.keys(CaseRecord.shape)).toContain(key);
  });

  it.each(BACKENDS)('match the server table built by the migrations on $name', async (backend) => {
    const m = await migratedDb(backend);
    try {
      const rows =
        m.db.dialect === 'sqlite'
          ? await m.db.all<{ name: string }>("SELECT name FROM pragma_table_info('cases')")
          : await m.db.all<{ name: string }>("SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'cases'");
      // Plus what the server derives for search.
      const expected = [...caseColumnsOf('server').map((c) => c.column), 'detail', 'phone_digits'];
      expect(rows.map((r) => r.name).sort()).toEqual(expected.sort());
    } finally {
      await m.close();
    }
  });

  it('match the workstation view table built by the local migrations', () => {
    const t = tempLocalDb();
    try {
      const names = (t.db.prepare("SELECT name FROM pragma_table_info('cases')").all() as { name: string }[]).map((r) => r.name);
      // Plus what the workstation derives for search.
      const expected = [...caseColumnsOf('local').map((c) => c.column), 'pending', 'detail', 'phone_digits', 'phone_rev', 'number_rev'];
      expect(names.sort()).toEqual(expected.sort());
    } finally {
      t.close();
    }
  });
});
