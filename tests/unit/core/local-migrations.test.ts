import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSchemaTooNewError, migrateLocal, type LocalDb } from '../../../src/main/core/store/db';
import { LOCAL_MIGRATIONS, LOCAL_SCHEMA_VERSION } from '../../../src/main/core/store/migrations';
import { caseSearchKeys } from '../../../src/main/core/store/case-search-keys';
import { getCaseView } from '../../../src/main/core/features/cases/store';
import { caseDetailJson, type CaseRecord } from '../../../src/shared/domain/case';
import { caseColumnsOf, toColumn } from '../../../src/shared/domain/case-columns';
import { ftsQuery } from '../../../src/shared/search/tokens';
import { caseRecord, createCaseArgs } from '../../helpers/fixtures';
import { makeTempDir, removeDir } from '../../helpers/tmp';

// A data test for every migration of the workstation store (src/main/core/store/migrations.ts):
// a real SQLite file is brought to version N-1 with the migrations before N, filled with the rows
// a workstation in use holds at that version, and migration N is applied. Every case checks, in
// the same way: only N ran; the rows of every table survive with their values, except in the
// tables the migration empties on purpose; code one version older refuses the result
// (LocalSchemaTooNewError); and today's code still reads every case. Then what N itself promises.
// A new migration needs one entry in CASES (and, if it adds columns or tables, their values in
// ROWS below).

const T0 = 1_750_000_000_000;
const STATION = 'S0007';
const OP = { id: 'u-op1', username: 'op1', displayName: '操作员一', role: 'operator', team: 'team-a', clientId: 'c-op1' };
const LEAD = { id: 'u-lead1', username: 'lead1', displayName: '班长一', role: 'lead', team: 'team-a', clientId: 'c-lead1' };

/** A case the server confirmed (dispatched to a unit), and one registered offline, still pending. */
const CONFIRMED_CASE: CaseRecord = caseRecord({
  id: '0190a000-0000-7000-8000-000000000001',
  number: `${STATION}-000001`,
  status: 'dispatched',
  callerPhone: '138 0013 8000',
  callerName: '王先生',
  categoryCode: 'urban.noise',
  address: '朝阳区建国路 88 号',
  description: '夜间施工噪音扰民，凌晨两点仍在作业',
  createdBy: OP.id,
  assignee: OP.id,
  team: OP.team,
  station: STATION,
  createdAt: T0,
  updatedAt: T0 + 60_000,
  rev: 2,
  unitId: 'unit-cy-cg',
  dispatchedAt: T0 + 60_000,
  signBy: T0 + 60_000 + 2 * 3_600_000,
  replyBy: T0 + 60_000 + 5 * 86_400_000,
  dispatchCount: 1,
  timeline: [
    { at: T0, actor: OP.id, actorKind: 'staff', station: STATION, kind: 'registered', note: null, data: {} },
    { at: T0 + 60_000, actor: OP.id, actorKind: 'staff', station: STATION, kind: 'dispatched', note: null, data: { unitId: 'unit-cy-cg' } },
  ],
});
const PENDING_CASE: CaseRecord = caseRecord({
  id: '0190a000-0000-7000-8000-000000000002',
  number: `${STATION}-000002`,
  callerPhone: '+86 139-0139-0000',
  callerName: '',
  categoryCode: 'utility.heating',
  address: '海淀区中关村大街 1 号',
  description: '暖气不热，室温低于 16 度',
  createdBy: OP.id,
  assignee: OP.id,
  team: OP.team,
  station: STATION,
  createdAt: T0 + 120_000,
  updatedAt: T0 + 120_000,
  timeline: [{ at: T0 + 120_000, actor: OP.id, actorKind: 'staff', station: STATION, kind: 'registered', note: null, data: {} }],
});
/** A registration the server refused (its number was taken), kept for the operator to redo. */
const REFUSED_CASE_ID = '0190a000-0000-7000-8000-000000000003';
/** A published article as the workstation holds it (articles.data). */
const ARTICLE = {
  id: 'heating-temperature:zh',
  key: 'heating-temperature',
  language: 'zh',
  title: '供暖温度不达标如何处理',
  body: '采暖季居民室内温度不应低于 18 摄氏度。温度不达标的，可联系供热单位上门测温。',
  answerScript: '您好，供暖期室内温度不应低于18度，您可以先联系供热单位上门测温。',
  categories: ['utility.heating'],
  tags: ['暖气不热'],
  units: [],
  validFrom: null,
  validTo: null,
  sources: [],
  version: 1,
  publishedAt: T0,
  publishedBy: 'system:kb-seed',
};
const CASES_IN_VIEW = [
  { record: CONFIRMED_CASE, pending: 0 },
  { record: PENDING_CASE, pending: 1 },
];

const LOCAL_COLUMNS = caseColumnsOf('local');
const LOCAL_COLUMN_KEYS = new Set<string>(LOCAL_COLUMNS.map((c) => c.key));

type Row = Record<string, string | number | null>;

/**
 * The rows of a workstation in use, per table, with every column any version has: each table is
 * filled with the columns it has at the version being tested (a column added later is left out).
 */
const ROWS: Record<string, Row[]> = {
  meta: [
    { key: 'station_key', value: '5b0c6f2e-2a7d-4f63-9d1e-7f0b8f1c9a10' },
    { key: 'station_code', value: STATION },
    { key: 'case_seq', value: '2' },
    { key: 'cache_user', value: OP.id },
  ],
  accounts: [
    {
      user_id: OP.id,
      username: OP.username,
      display_name: OP.displayName,
      role: OP.role,
      team: OP.team,
      client_id: OP.clientId,
      next_seq: 3,
      offline_verifier: 'scrypt$32768$8$1$c2FsdA$aGFzaA',
      station: STATION,
    },
    { user_id: LEAD.id, username: LEAD.username, display_name: LEAD.displayName, role: LEAD.role, team: LEAD.team, client_id: LEAD.clientId, next_seq: 1, offline_verifier: null, station: null },
  ],
  outbox: [
    // Applied by the server, awaiting the pull that confirms it; and registered offline.
    { client_id: OP.clientId, seq: 1, id: 'm-1', name: 'createCase', args: JSON.stringify(createCaseArgs(STATION, 1, { id: CONFIRMED_CASE.id, categoryCode: 'urban.noise' })), at: T0, state: 'pushed' },
    { client_id: OP.clientId, seq: 2, id: 'm-2', name: 'createCase', args: JSON.stringify(createCaseArgs(STATION, 2, { id: PENDING_CASE.id, categoryCode: 'utility.heating' })), at: T0 + 120_000, state: 'pending' },
  ],
  confirmed: [
    { entity: 'case', id: CONFIRMED_CASE.id, scope: `team:${OP.team}`, version: 345, data: JSON.stringify(CONFIRMED_CASE) },
    { entity: 'case', id: CONFIRMED_CASE.id, scope: `user:${OP.id}`, version: 346, data: JSON.stringify(CONFIRMED_CASE) },
    { entity: 'category', id: 'urban.noise', scope: 'ref', version: 12, data: JSON.stringify({ code: 'urban.noise', parent: 'urban', nameZh: '噪音', nameEn: 'Noise', slaClass: 'B', directAnswer: false }) },
    { entity: 'user', id: OP.id, scope: `team:${OP.team}`, version: 20, data: JSON.stringify({ id: OP.id, username: OP.username, displayName: OP.displayName, role: OP.role, team: OP.team }) },
    { entity: 'refdoc', id: 'units', scope: 'ref', version: 120, data: JSON.stringify({ name: 'units', hash: 'sha256:ab12', content: [] }) },
  ],
  cursors: [
    { scope: 'ref', version: 120 },
    { scope: `team:${OP.team}`, version: 345 },
    { scope: `user:${OP.id}`, version: 346 },
  ],
  cases: CASES_IN_VIEW.map(({ record, pending }) => {
    const keys = caseSearchKeys(record);
    return {
      ...Object.fromEntries(LOCAL_COLUMNS.map((c) => [c.column, toColumn(c, record)])),
      pending,
      detail: caseDetailJson(record, LOCAL_COLUMN_KEYS),
      phone_digits: keys.phoneDigits,
      phone_rev: keys.phoneRev,
      number_rev: keys.numberRev,
    };
  }),
  categories: [
    { code: 'urban', parent: null, name_zh: '城市管理', name_en: 'Urban management', sla_class: 'B', direct_answer: 0, intake_questions: '[]' },
    { code: 'urban.noise', parent: 'urban', name_zh: '噪音', name_en: 'Noise', sla_class: 'B', direct_answer: 0, intake_questions: '[{"id":"when","kind":"text"}]' },
    { code: 'consult.policy', parent: null, name_zh: '政策咨询', name_en: 'Policy question', sla_class: 'C', direct_answer: 1, intake_questions: '[]' },
  ],
  users: [OP, LEAD].map((u) => ({ id: u.id, username: u.username, display_name: u.displayName, role: u.role, team: u.team })),
  rejections: [
    {
      mutation_id: 'm-lead-7',
      user_id: LEAD.id,
      name: 'reassignCase',
      case_number: CONFIRMED_CASE.number,
      code: 'conflict',
      message: 'the case changed since you saw it',
      at: T0 + 90_000,
      mutation_name: 'reassignCase',
      mutation_args: JSON.stringify({ id: CONFIRMED_CASE.id, assignee: LEAD.id, expectedRev: 1 }),
      current: JSON.stringify(CONFIRMED_CASE),
    },
    {
      mutation_id: 'm-3',
      user_id: OP.id,
      name: 'createCase',
      case_number: `${STATION}-000003`,
      code: 'number_taken',
      message: 'case number S0007-000003 is already used',
      at: T0 + 95_000,
      mutation_name: 'createCase',
      mutation_args: JSON.stringify(createCaseArgs(STATION, 3, { id: REFUSED_CASE_ID, categoryCode: 'urban.noise' })),
      current: null,
    },
  ],
  drafts: [
    { id: 'd-1', user_id: OP.id, fields: JSON.stringify({ callerPhone: '137', description: '路灯' }), created_at: T0 + 200_000, updated_at: T0 + 210_000 },
    { id: 'd-2', user_id: OP.id, fields: JSON.stringify({ callerPhone: '138', categoryCode: 'urban.noise', description: '楼上' }), created_at: T0 + 220_000, updated_at: T0 + 230_000 },
  ],
  prefs: [
    { user_id: '', key: 'language', value: '"zh-CN"' },
    { user_id: OP.id, key: 'panes', value: '{"list":0.4}' },
    { user_id: OP.id, key: 'recentCategories', value: '["urban.noise","utility.heating"]' },
  ],
  articles: [{ id: 'heating-temperature:zh', key: 'heating-temperature', language: 'zh', title: '供暖温度不达标如何处理', valid_from: null, valid_to: null, data: JSON.stringify(ARTICLE) }],
  // The knowledge base's impact index (from version 8): a posting and its term's count, and the articles' count ('').
  article_terms: [
    { id: 1, term: '', df: 1 },
    { id: 2, term: '供暖', df: 1 },
  ],
  article_postings: [{ term: 2, impact: 870, doc: 1 }],
  article_categories: [{ article_id: 'heating-temperature:zh', category_code: 'utility.heating' }],
  article_drafts: [{ id: 'heating-temperature:zh', status: 'published', version: 2, updated_at: T0, data: '{}' }],
  article_usage: [{ user_id: OP.id, article_id: 'heating-temperature:zh', uses: 3, last_at: T0 }],
};

/** The ordinary tables of the store (not the full-text index or its shadow tables). */
function tables(db: LocalDb): string[] {
  return (db.pragma('table_list') as { schema: string; name: string; type: string }[])
    .filter((t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_'))
    .map((t) => t.name)
    .sort();
}

function columns(db: LocalDb, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

function indexes(db: LocalDb): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
}

/** Fills every table the store has at its current version with ROWS (the columns it has). */
function fill(db: LocalDb): void {
  for (const table of tables(db)) {
    const rows = ROWS[table];
    if (!rows) throw new Error(`no realistic rows for table ${table}: add them to ROWS`);
    const have = new Set(columns(db, table));
    for (const row of rows) {
      const cols = Object.keys(row).filter((c) => have.has(c));
      db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c]));
    }
  }
  // The full-text index, as putCaseView keeps it (once it exists).
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'case_search'").get()) {
    for (const { record } of CASES_IN_VIEW) {
      const { rowid } = db.prepare('SELECT rowid FROM cases WHERE id = ?').get(record.id) as { rowid: number };
      db.prepare('INSERT INTO case_search (rowid, body) VALUES (?, ?)').run(rowid, caseSearchKeys(record).body);
    }
  }
}

type Snapshot = Record<string, Row[]>;

/** A table's rows in a stable order: by rowid, or by primary key for a WITHOUT ROWID table. */
function ordered(db: LocalDb, table: string, cols: string): Row[] {
  const withoutRowid = (db.pragma('table_list') as { name: string; wr: number }[]).some((t) => t.name === table && t.wr === 1);
  return db.prepare(`SELECT ${cols} FROM ${table}${withoutRowid ? '' : ' ORDER BY rowid'}`).all() as Row[];
}

function snapshot(db: LocalDb): Snapshot {
  return Object.fromEntries(tables(db).map((t) => [t, ordered(db, t, '*')]));
}

/** Rows of `table` now, cut to the columns `before` had. */
function projected(db: LocalDb, table: string, before: Snapshot): Row[] {
  const cols = Object.keys(before[table]?.[0] ?? {});
  if (cols.length === 0) return [];
  return ordered(db, table, cols.join(', '));
}

interface MigrationCase {
  version: number;
  /** Tables the migration empties on purpose (their rows come again with the next pull). */
  emptied?: readonly string[];
  /** Tables whose rows the migration rewrites on purpose (`check` says how). */
  rewrites?: readonly string[];
  /** What migration `version` promises, on the store just migrated; `before` is the store at version - 1. */
  check: (db: LocalDb, before: Snapshot) => void;
}

const CASES: readonly MigrationCase[] = [
  {
    version: 1,
    check: (db) => {
      expect(tables(db)).toEqual(['accounts', 'cases', 'categories', 'confirmed', 'cursors', 'meta', 'outbox', 'rejections', 'users']);
      for (const t of tables(db)) expect(db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get(), t).toEqual({ n: 0 });
    },
  },
  {
    version: 2,
    emptied: ['confirmed', 'cursors'],
    check: (db, before) => {
      // Lifecycle columns added, empty for the cases already in the view (the pull refills them).
      expect(columns(db, 'cases')).toEqual(expect.arrayContaining(['unit_id', 'sign_by', 'reply_by', 'detail']));
      expect(db.prepare('SELECT id, unit_id, sign_by, reply_by, detail FROM cases ORDER BY rowid').all()).toEqual(
        CASES_IN_VIEW.map(({ record }) => ({ id: record.id, unit_id: null, sign_by: null, reply_by: null, detail: null })),
      );
      expect(indexes(db)).toContain('cases_team_status');
      // Every category has intake questions: none yet.
      expect(db.prepare('SELECT code, intake_questions FROM categories ORDER BY code').all()).toEqual(
        [...(before['categories'] ?? [])].map((c) => ({ code: c['code'], intake_questions: '[]' })).sort((a, b) => String(a.code).localeCompare(String(b.code))),
      );
      // The outbox (the operator's unsynced work) and the accounts (seq, offline login) are kept …
      expect(db.prepare('SELECT seq, state FROM outbox ORDER BY seq').all()).toEqual([
        { seq: 1, state: 'pushed' },
        { seq: 2, state: 'pending' },
      ]);
      expect(db.prepare('SELECT user_id, next_seq, offline_verifier FROM accounts ORDER BY user_id').all()).toEqual([
        { user_id: LEAD.id, next_seq: 1, offline_verifier: null },
        { user_id: OP.id, next_seq: 3, offline_verifier: 'scrypt$32768$8$1$c2FsdA$aGFzaA' },
      ]);
      // … while the confirmed cache and the cursors are emptied, so everything is pulled again.
      expect(db.prepare('SELECT COUNT(*) AS n FROM confirmed').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM cursors').get()).toEqual({ n: 0 });
    },
  },
  {
    version: 3,
    check: (db) => {
      // Cases already here were the common call; nothing is pulled again.
      expect(db.prepare('SELECT contact_type, urgency, language, dispatch_by FROM cases ORDER BY rowid').all()).toEqual(
        CASES_IN_VIEW.map(() => ({ contact_type: 'complaint', urgency: 'normal', language: 'zh', dispatch_by: null })),
      );
      expect(indexes(db)).toContain('cases_team_urgency');
      expect(db.prepare('SELECT scope, version FROM cursors ORDER BY scope').all()).toHaveLength(3);
    },
  },
  {
    version: 4,
    check: (db) => {
      // The backfill: phone and number keys in every row, and the text in the full-text index.
      for (const { record } of CASES_IN_VIEW) {
        const keys = caseSearchKeys(record);
        expect(db.prepare('SELECT phone_digits, phone_rev, number_rev FROM cases WHERE id = ?').get(record.id)).toEqual({
          phone_digits: keys.phoneDigits,
          phone_rev: keys.phoneRev,
          number_rev: keys.numberRev,
        });
      }
      expect(CONFIRMED_CASE.callerPhone).not.toBe(caseSearchKeys(CONFIRMED_CASE).phoneDigits);
      const found = (query: string) =>
        (db.prepare('SELECT c.id FROM case_search s JOIN cases c ON c.rowid = s.rowid WHERE case_search MATCH ? ORDER BY c.rowid').all(ftsQuery(query)) as { id: string }[]).map((r) => r.id);
      expect(found('噪音')).toEqual([CONFIRMED_CASE.id]);
      expect(found('暖气')).toEqual([PENDING_CASE.id]);
      expect(found('建国路')).toEqual([CONFIRMED_CASE.id]);
      expect(db.prepare("SELECT id FROM cases WHERE phone_rev LIKE '0008%'").all()).toEqual([{ id: CONFIRMED_CASE.id }]);
      expect(db.prepare("SELECT id FROM cases WHERE number_rev LIKE '2000%'").all()).toEqual([{ id: PENDING_CASE.id }]);
      expect(indexes(db)).toEqual(expect.arrayContaining(['cases_phone', 'cases_phone_rev', 'cases_number_rev', 'cases_category']));
    },
  },
  {
    version: 5,
    check: (db) => {
      expect(columns(db, 'drafts')).toEqual(['id', 'user_id', 'fields', 'created_at', 'updated_at']);
      expect(db.prepare('SELECT COUNT(*) AS n FROM drafts').get()).toEqual({ n: 0 });
      expect(indexes(db)).toContain('drafts_user');
    },
  },
  {
    version: 6,
    check: (db) => {
      expect(columns(db, 'prefs')).toEqual(['user_id', 'key', 'value']);
      expect(db.prepare('SELECT COUNT(*) AS n FROM prefs').get()).toEqual({ n: 0 });
      // One value per user and key.
      db.prepare("INSERT INTO prefs (user_id, key, value) VALUES ('', 'language', '\"en\"')").run();
      expect(() => db.prepare("INSERT INTO prefs (user_id, key, value) VALUES ('', 'language', '\"zh-CN\"')").run()).toThrow(/UNIQUE/);
    },
  },
  {
    version: 7,
    check: (db) => {
      // The knowledge base arrives with the next pull (its scope is new): the tables start empty.
      for (const t of ['articles', 'article_categories', 'article_drafts', 'article_usage']) expect(db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get(), t).toEqual({ n: 0 });
      expect(columns(db, 'articles')).toEqual(['id', 'key', 'language', 'title', 'valid_from', 'valid_to', 'data']);
      expect(db.prepare("SELECT 1 AS x FROM sqlite_master WHERE name = 'article_search'").get()).toEqual({ x: 1 });
    },
  },
  {
    version: 8,
    check: (db) => {
      // FTS5's index is gone; the article already here is in the impact index, found by its words.
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('article_search', 'article_vocab')").all()).toEqual([]);
      const { rowid } = db.prepare("SELECT rowid FROM articles WHERE id = 'heating-temperature:zh'").get() as { rowid: number };
      expect(db.prepare("SELECT df FROM article_terms WHERE term = ''").get()).toEqual({ df: 1 });
      const postings = db.prepare('SELECT p.doc, p.impact FROM article_postings p JOIN article_terms t ON t.id = p.term WHERE t.term = ?');
      for (const term of ['供暖', '温度', '测温', '=暖气不热']) {
        expect(postings.all(term).map((r) => (r as { doc: number }).doc), term).toEqual([rowid]);
        expect(db.prepare('SELECT df FROM article_terms WHERE term = ?').get(term), term).toEqual({ df: 1 });
      }
      // Its title's words weigh more than a word said once in its body.
      const impact = (term: string) => (postings.get(term) as { impact: number }).impact;
      expect(impact('供暖')).toBeGreaterThan(impact('测温'));
      expect(indexes(db)).toContain('article_categories_article');
    },
  },
  {
    version: 9,
    rewrites: ['cases', 'confirmed', 'outbox', 'rejections', 'drafts', 'prefs', 'categories'],
    check: (db, before) => {
      const code = (json: unknown): unknown => (JSON.parse(String(json)) as { categoryCode?: string }).categoryCode;
      // The noise case is filed under noise.residential in the view and in what the server confirmed; the other keeps its code.
      expect(db.prepare('SELECT id, category_code FROM cases ORDER BY rowid').all()).toEqual([
        { id: CONFIRMED_CASE.id, category_code: 'noise.residential' },
        { id: PENDING_CASE.id, category_code: 'utility.heating' },
      ]);
      expect(getCaseView(db, CONFIRMED_CASE.id)).toMatchObject({ categoryCode: 'noise.residential', timeline: CONFIRMED_CASE.timeline });
      const confirmed = db.prepare('SELECT entity, id, scope, version, data FROM confirmed ORDER BY rowid').all() as Row[];
      expect(confirmed.filter((r) => r['entity'] === 'case').map((r) => [r['scope'], r['version'], code(r['data'])])).toEqual([
        [`team:${OP.team}`, 345, 'noise.residential'],
        [`user:${OP.id}`, 346, 'noise.residential'],
      ]);
      // Everything else in the confirmed case is as it was.
      const was = JSON.parse(String(before['confirmed']?.[0]?.['data'])) as Record<string, unknown>;
      expect(JSON.parse(String(confirmed[0]?.['data']))).toEqual({ ...was, categoryCode: 'noise.residential' });
      // The retired category is gone; the user and the reference document stay.
      expect(confirmed.filter((r) => r['entity'] !== 'case').map((r) => [r['entity'], r['id']])).toEqual([
        ['user', OP.id],
        ['refdoc', 'units'],
      ]);
      expect(db.prepare('SELECT code FROM categories ORDER BY code').all()).toEqual([{ code: 'consult.policy' }, { code: 'urban' }]);
      // The registration queued (and pushed) with the old code, and the refused one the operator may redo, carry the new one.
      expect((db.prepare('SELECT id, args FROM outbox ORDER BY seq').all() as Row[]).map((r) => [r['id'], code(r['args'])])).toEqual([
        ['m-1', 'noise.residential'],
        ['m-2', 'utility.heating'],
      ]);
      expect((db.prepare('SELECT mutation_id, mutation_args FROM rejections ORDER BY at').all() as Row[]).map((r) => [r['mutation_id'], code(r['mutation_args'])])).toEqual([
        ['m-lead-7', undefined],
        ['m-3', 'noise.residential'],
      ]);
      expect((db.prepare('SELECT id, fields FROM drafts ORDER BY id').all() as Row[]).map((r) => [r['id'], code(r['fields'])])).toEqual([
        ['d-1', undefined],
        ['d-2', 'noise.residential'],
      ]);
      expect(db.prepare("SELECT value FROM prefs WHERE key = 'recentCategories'").get()).toEqual({ value: '["noise.residential","utility.heating"]' });
      // Nothing else moved: row counts and the rows that did not name the code.
      for (const t of ['cases', 'outbox', 'rejections', 'drafts', 'prefs']) expect(db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get(), t).toEqual({ n: before[t]?.length });
      expect(projected(db, 'prefs', before).filter((r) => r['key'] !== 'recentCategories')).toEqual(before['prefs']?.filter((r) => r['key'] !== 'recentCategories'));
    },
  },
];

describe('local migrations with data', () => {
  const dirs: string[] = [];
  const dbs: LocalDb[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) if (db.open) db.close();
    for (const dir of dirs.splice(0)) removeDir(dir);
  });

  /** A real SQLite file at version `version` (only the migrations up to it applied). */
  function storeAt(version: number): LocalDb {
    const dir = makeTempDir('hotline-ws-migrate-');
    dirs.push(dir);
    const db = new BetterSqlite3(path.join(dir, 'workstation.sqlite'));
    dbs.push(db);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    expect(migrateLocal(db, LOCAL_MIGRATIONS.slice(0, version))).toEqual(LOCAL_MIGRATIONS.slice(0, version).map((m) => m.version));
    return db;
  }

  it('has a data case for every migration', () => {
    expect(CASES.map((c) => c.version)).toEqual(LOCAL_MIGRATIONS.map((m) => m.version));
  });

  it('has realistic rows for every table of the latest schema', () => {
    const db = storeAt(LOCAL_SCHEMA_VERSION);
    expect(() => fill(db)).not.toThrow();
    for (const t of tables(db)) expect(db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get(), t).not.toEqual({ n: 0 });
  });

  it.each(CASES)('migration $version on a store in use at the version before', ({ version, emptied = [], rewrites = [], check }) => {
    const db = storeAt(version - 1);
    fill(db);
    const before = snapshot(db);

    expect(migrateLocal(db, LOCAL_MIGRATIONS.slice(0, version))).toEqual([version]);
    expect(db.pragma('user_version', { simple: true })).toBe(version);

    // Every table survives, and every row in it with its values (but in the tables emptied on purpose).
    for (const table of Object.keys(before)) {
      expect(tables(db), `table ${table}`).toContain(table);
      if (emptied.includes(table) || rewrites.includes(table)) continue;
      expect(projected(db, table, before), `rows of ${table}`).toEqual(before[table]);
    }
    for (const table of emptied) expect(before[table], `${table} had rows to empty`).not.toEqual([]);

    check(db, before);

    // Code one version older refuses the store (before touching it).
    const older = LOCAL_MIGRATIONS.slice(0, version - 1);
    expect(() => migrateLocal(db, older)).toThrow(LocalSchemaTooNewError);
    expect(() => migrateLocal(db, older)).toThrow(expect.objectContaining({ found: version, supported: version - 1 }) as Error);
    expect(db.pragma('user_version', { simple: true })).toBe(version);

    // Today's code takes the store from here and reads every case in it.
    migrateLocal(db, LOCAL_MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(LOCAL_SCHEMA_VERSION);
    for (const { record, pending } of version === 1 ? [] : CASES_IN_VIEW) {
      expect(getCaseView(db, record.id)).toMatchObject({ id: record.id, number: record.number, callerPhone: record.callerPhone, status: record.status, pending: pending === 1 });
    }
  });

  it('refuses a store newer than the code, with its data untouched', () => {
    const db = storeAt(LOCAL_SCHEMA_VERSION);
    fill(db);
    db.pragma(`user_version = ${LOCAL_SCHEMA_VERSION + 1}`);
    const before = snapshot(db);
    expect(() => migrateLocal(db, LOCAL_MIGRATIONS)).toThrow(LocalSchemaTooNewError);
    expect(() => migrateLocal(db, LOCAL_MIGRATIONS)).toThrow(expect.objectContaining({ found: LOCAL_SCHEMA_VERSION + 1, supported: LOCAL_SCHEMA_VERSION }) as Error);
    expect(snapshot(db)).toEqual(before);
    expect(db.pragma('user_version', { simple: true })).toBe(LOCAL_SCHEMA_VERSION + 1);
  });
});
