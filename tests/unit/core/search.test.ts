import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { casesOfCaller, searchCases } from '../../../src/main/core/features/cases/search';
import { clearCases, deleteCaseView, getCaseView, putCaseView } from '../../../src/main/core/features/cases/store';
import { similarCases } from '../../../src/main/core/features/cases/similar';
import { migrateLocal } from '../../../src/main/core/store/db';
import { LOCAL_MIGRATIONS } from '../../../src/main/core/store/migrations';
import { shippedReferenceSet } from '../../../src/server/reference/reference-set';
import { GeographyIndex } from '../../../src/shared/reference/address';
import type { CaseRecord } from '../../../src/shared/domain/case';
import { caseRecord } from '../../helpers/fixtures';
import { tempLocalDb, type TempLocalDb } from '../../helpers/local-db';

let t: TempLocalDb;
beforeEach(() => {
  t = tempLocalDb();
});
afterEach(() => {
  t.close();
});

let n = 0;
function put(patch: Partial<CaseRecord>): CaseRecord {
  n += 1;
  const c = caseRecord({ number: `S0009-${String(n).padStart(6, '0')}`, createdAt: 1_750_000_000_000 + n * 1000, ...patch });
  putCaseView(t.db, c, false);
  return c;
}
const numbers = (q: string, limit = 50) => searchCases(t.db, q, limit).cases.map((c) => c.number);

describe('local case search', () => {
  let noise: CaseRecord, leak: CaseRecord, lights: CaseRecord, english: CaseRecord;
  beforeEach(() => {
    noise = put({ address: '朝阳区望京街道望京西园三区', description: '夜间施工噪音扰民，凌晨两点还在打桩', callerPhone: '13800138000', callerName: '王先生' });
    leak = put({ address: '海淀区中关村大街 1 号', description: '楼上漏水', callerPhone: '010-6512 3456' });
    lights = put({ address: '东城区东直门内大街', description: '路灯不亮', callerPhone: '13912345678', callbackPhone: '18600001111' });
    english = put({ address: 'Sanlitun, Chaoyang', description: 'Construction noise every night after 23:00', callerPhone: '+86 13700000000', language: 'en' });
  });

  it('finds Chinese of one, two and more characters anywhere in the address, description or name, newest first', () => {
    expect(numbers('水')).toEqual([leak.number]);
    expect(numbers('漏水')).toEqual([leak.number]);
    expect(numbers('路灯')).toEqual([lights.number]);
    expect(numbers('灯不亮')).toEqual([lights.number]);
    expect(numbers('望京')).toEqual([noise.number]);
    expect(numbers('王先生')).toEqual([noise.number]);
    // Every group must match: a place and a word of the description.
    expect(numbers('望京 噪音')).toEqual([noise.number]);
    expect(numbers('望京 漏水')).toEqual([]);
    // A run of characters is a phrase: in that order, side by side.
    expect(numbers('水漏')).toEqual([]);
    expect(numbers('区')).toEqual([lights.number, leak.number, noise.number]);
  });

  it('finds Latin words by prefix (the last word is still being typed), case-insensitively, full-width too', () => {
    expect(numbers('nois')).toEqual([english.number]);
    expect(numbers('NOISE night')).toEqual([english.number]);
    expect(numbers('ｎｏｉｓｅ')).toEqual([english.number]);
    expect(numbers('noisy')).toEqual([]);
  });

  it('finds a phone by its first or last digits, typed in any way; a callback number whole', () => {
    expect(numbers('1380013')).toEqual([noise.number]);
    expect(numbers('8000')).toEqual([noise.number]);
    expect(numbers('3456')).toEqual([leak.number]);
    expect(numbers('010 6512')).toEqual([leak.number]);
    expect(numbers('１３９１２３４')).toEqual([lights.number]);
    expect(numbers('18600001111')).toEqual([lights.number]);
    expect(numbers('8613700000000')).toEqual([english.number]);
  });

  it('finds a case by its number, or by the last digits of it', () => {
    expect(numbers(lights.number)).toEqual([lights.number]);
    expect(numbers(lights.number.toLowerCase())).toEqual([lights.number]);
    expect(numbers(`${Number(lights.number.slice(-3))}`.padStart(3, '0'))).toContain(lights.number);
  });

  it('follows the case: a changed description is found by its new words only; a removed case not at all', () => {
    putCaseView(t.db, { ...leak, description: '卫生间天花板渗水，已经三天', rev: 2 }, false);
    expect(numbers('楼上')).toEqual([]);
    expect(numbers('天花板')).toEqual([leak.number]);
    deleteCaseView(t.db, leak.id);
    expect(numbers('天花板')).toEqual([]);
    clearCases(t.db);
    expect(numbers('区')).toEqual([]);
  });

  it('keeps a case’s row (and so its index entry) when the case changes; a number taken over by another case moves', () => {
    const rowid = () => (t.db.prepare('SELECT rowid FROM cases WHERE id = ?').pluck().get(noise.id) as number);
    const before = rowid();
    putCaseView(t.db, { ...noise, status: 'dispatched', rev: 2 }, true);
    expect(rowid()).toBe(before);
    const other = caseRecord({ number: noise.number, description: '同号的另一件' });
    putCaseView(t.db, other, false);
    expect(getCaseView(t.db, noise.id)).toBeUndefined();
    expect(numbers('噪音')).toEqual([]);
    expect(numbers('同号')).toEqual([noise.number]);
  });

  it('stops at the limit and says there is more', () => {
    for (let i = 0; i < 30; i += 1) put({ description: `第 ${i} 件：暖气不热` });
    const page = searchCases(t.db, '暖气', 10);
    expect(page.cases).toHaveLength(10);
    expect(page.more).toBe(true);
    expect(page.cases[0]?.description).toBe('第 29 件：暖气不热');
  });

  it('ignores what has nothing to search for', () => {
    expect(numbers('   ')).toEqual([]);
    expect(numbers('，。！')).toEqual([]);
    expect(numbers('12')).toEqual([]);
  });

  it('a caller’s history is every case of that number, newest first', () => {
    const again = put({ callerPhone: '138 0013 8000', description: '又一次噪音' });
    expect(casesOfCaller(t.db, '13800138000', 10).map((c) => c.id)).toEqual([again.id, noise.id]);
    expect(casesOfCaller(t.db, '１３８００１３８０００', 10)).toHaveLength(2);
  });
});

describe('possible duplicates', () => {
  const geo = new GeographyIndex(shippedReferenceSet().bundle.geography);
  const now = 1_750_000_000_000 + 10_000_000;
  const present = (c: CaseRecord & { pending: boolean }) => ({ ...c, callerHidden: false });

  it('the same caller’s open cases, and the same category at the same community; not closed long ago, not merged', () => {
    const mine = put({ callerPhone: '13800138000', categoryCode: 'utility.heating', address: '海淀区中关村街道', createdAt: now - 1000 });
    const place = put({ callerPhone: '13900000000', categoryCode: 'noise.residential', address: '朝阳区望京街道望京西园三区 5 号楼', createdAt: now - 2000 });
    put({ callerPhone: '13900000001', categoryCode: 'noise.residential', address: '海淀区中关村街道', createdAt: now - 3000 });
    put({ callerPhone: '13800138000', categoryCode: 'noise.residential', status: 'closed', updatedAt: now - 60 * 24 * 3_600_000, createdAt: now - 61 * 24 * 3_600_000 });
    put({ callerPhone: '13800138000', status: 'merged', createdAt: now - 500 });
    const found = similarCases(t.db, geo, { callerPhone: '138-0013-8000', categoryCode: 'noise.residential', address: '朝阳区望京西园三区 8 号楼' }, present, now);
    expect(found.map((f) => [f.case.id, f.reasons])).toEqual([
      [mine.id, ['phone']],
      [place.id, ['place']],
    ]);
  });
});

describe('local migration 4 (case search)', () => {
  it('indexes the cases already in a store', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      migrateLocal(db, LOCAL_MIGRATIONS.filter((m) => m.version <= 3));
      db.prepare(
        `INSERT INTO cases (id, number, status, channel, caller_phone, caller_name, category_code, address, description, created_by, team, station, created_at, updated_at, assignee, rev, pending, detail)
         VALUES ('0190a000-0000-7000-8000-000000000001', 'S0001-000123', 'registered', 'phone', '13800138000', '李女士', 'noise.residential', '望京西园', '夜里施工太吵', 'u1', 'team-a', 'S0001', 1, 1, 'u1', 1, 0, '{}')`,
      ).run();
      migrateLocal(db, LOCAL_MIGRATIONS);
      const search = (q: string) => searchCases(db, q, 10).cases.map((c) => c.number);
      expect(search('吵')).toEqual(['S0001-000123']);
      expect(search('8000')).toEqual(['S0001-000123']);
      expect(search('123')).toEqual(['S0001-000123']);
    } finally {
      db.close();
    }
  });
});
