import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database, Queryable, SqlValue } from '../../../src/server/db/driver';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SchemaTooNewError, migrate, type Migration, type MigrationContext } from '../../../src/server/db/migrations';
import { changesSince } from '../../../src/server/store/changes';
import { findCase } from '../../../src/server/store/cases';
import { caseDetailJson, type CaseRecord } from '../../../src/shared/domain/case';
import { caseColumnsOf, toColumn } from '../../../src/shared/domain/case-columns';
import { BACKENDS, type FreshStorage } from '../../helpers/backends';
import { caseRecord } from '../../helpers/fixtures';

/** Table names a migration creates, read from its statements. */
function tablesOf(m: Migration): string[] {
  return m.up.flatMap((sql) => /^\s*CREATE TABLE (?:IF NOT EXISTS )?(\w+)/i.exec(sql)?.[1] ?? []);
}

async function maxVersion(db: Database): Promise<number> {
  const row = await db.get<{ v: unknown }>('SELECT MAX(version) AS v FROM schema_migrations');
  return Number(row?.v ?? 0);
}

describe('server migration list', () => {
  it('numbers migrations 1, 2, 3 … and LATEST_SCHEMA_VERSION is the last', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.version);
  });
});

describe.each(BACKENDS)('server migrations on $name', (backend) => {
  let storage: FreshStorage | undefined;
  let db: Database | undefined;

  async function open(): Promise<Database> {
    storage = await backend.fresh();
    db = storage.open();
    return db;
  }

  afterEach(async () => {
    await db?.close();
    await storage?.dispose();
    db = undefined;
    storage = undefined;
  });

  it('applies every migration on an empty database, one at a time', async () => {
    const db = await open();
    for (let i = 0; i < MIGRATIONS.length; i += 1) {
      const m = MIGRATIONS[i];
      if (!m) throw new Error('missing migration');
      await expect(migrate(db, MIGRATIONS.slice(0, i + 1))).resolves.toEqual([m.version]);
      expect(await maxVersion(db)).toBe(m.version);
      for (const table of tablesOf(m)) {
        const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
        expect(row, `table ${table} of migration ${m.version}`).toBeDefined();
      }
    }
    const rows = await db.all<{ version: unknown; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => ({ version: Number(r.version), name: r.name }))).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('migrates a fresh database in one call and leaves the version counter at 0', async () => {
    const db = await open();
    await expect(migrate(db)).resolves.toEqual(MIGRATIONS.map((m) => m.version));
    const counter = await db.all<{ version: unknown }>('SELECT version FROM version_counter');
    expect(counter.map((r) => Number(r.version))).toEqual([0]);
  });

  it('migrating twice is a no-op', async () => {
    const db = await open();
    await migrate(db);
    await db.run("INSERT INTO server_meta (key, value) VALUES ('probe', 'kept')");
    await expect(migrate(db)).resolves.toEqual([]);
    const count = await db.get<{ n: unknown }>('SELECT COUNT(*) AS n FROM schema_migrations');
    expect(Number(count?.n)).toBe(MIGRATIONS.length);
    expect(await db.get('SELECT value FROM server_meta WHERE key = ?', ['probe'])).toEqual({ value: 'kept' });
    const counter = await db.all('SELECT version FROM version_counter');
    expect(counter).toHaveLength(1);
  });

  it('refuses a database whose schema is newer than the code', async () => {
    const db = await open();
    await migrate(db);
    await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [LATEST_SCHEMA_VERSION + 1, 'from the future', Date.now()]);
    const error = await migrate(db).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect(error).toMatchObject({ found: LATEST_SCHEMA_VERSION + 1, supported: LATEST_SCHEMA_VERSION });
    // Refused before touching anything: the newer row is still the newest.
    expect(await maxVersion(db)).toBe(LATEST_SCHEMA_VERSION + 1);
    await expect(migrate(db, [])).rejects.toBeInstanceOf(SchemaTooNewError);
  });

  it('refuses a newer schema even when only the bookkeeping table exists', async () => {
    const db = await open();
    await db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [LATEST_SCHEMA_VERSION + 5, 'future', 1]);
    await expect(migrate(db)).rejects.toBeInstanceOf(SchemaTooNewError);
    // No migration ran: the first migration's tables do not exist.
    await expect(db.get('SELECT COUNT(*) AS n FROM version_counter')).rejects.toThrow();
  });

  it('rolls a failing migration back as a whole and does not record it', async () => {
    const db = await open();
    await migrate(db);
    const broken: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'broken',
      up: ['CREATE TABLE half_done (a INTEGER)', 'INSERT INTO no_such_table (a) VALUES (1)'],
    };
    await expect(migrate(db, [...MIGRATIONS, broken])).rejects.toThrow();
    expect(await maxVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    await expect(db.get('SELECT COUNT(*) AS n FROM half_done')).rejects.toThrow();
    // A fixed version of it applies afterwards.
    const fixed: Migration = { ...broken, up: ['CREATE TABLE half_done (a INTEGER)'] };
    await expect(migrate(db, [...MIGRATIONS, fixed])).resolves.toEqual([fixed.version]);
  });
});

// A data test for every server migration, on each backend: the database is brought to version
// N-1 with the migrations before N, filled with the rows a server in use holds at that version,
// and migration N is applied. Every case checks, in the same way: only N ran; every row of every
// table survives with its values (tables may gain rows a migration seeds); code one version
// older refuses the result (SchemaTooNewError); today's code migrates the rest and reads every
// case. Then what N itself promises. A new migration needs one entry in DATA_CASES (and, if it
// adds columns or tables, their values in serverRows).

const T0 = 1_750_000_000_000;
const STATION = 'S0007';
const OP = { id: 'u-op1', username: 'op1', displayName: '操作员一', role: 'operator', team: 'team-a' };
const LEAD = { id: 'u-lead1', username: 'lead1', displayName: '班长一', role: 'lead', team: 'team-a' };
const UNIT = 'unit-cy-cg';

const DISPATCHED: CaseRecord = caseRecord({
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
  slaClass: 'B',
  districtCode: '110105',
  streetCode: '110105001',
  unitId: UNIT,
  dispatchedAt: T0 + 60_000,
  signBy: T0 + 60_000 + 2 * 3_600_000,
  replyBy: T0 + 60_000 + 5 * 86_400_000,
  dispatchCount: 1,
  timeline: [
    { at: T0, actor: OP.id, actorKind: 'staff', station: STATION, kind: 'registered', note: null, data: {} },
    { at: T0 + 60_000, actor: OP.id, actorKind: 'staff', station: STATION, kind: 'dispatch', note: null, data: { unitId: UNIT } },
  ],
});
const CLOSED: CaseRecord = caseRecord({
  id: '0190a000-0000-7000-8000-000000000002',
  number: `${STATION}-000002`,
  status: 'closed',
  callerPhone: '+86 139-0139-0000',
  callerName: '',
  categoryCode: 'consult.policy',
  address: '海淀区中关村大街 1 号',
  description: '咨询居住证办理需要哪些材料',
  createdBy: OP.id,
  assignee: OP.id,
  team: OP.team,
  station: STATION,
  createdAt: T0 + 120_000,
  updatedAt: T0 + 180_000,
  rev: 3,
  answer: '携带身份证和居住证明到社区服务站办理',
  closedAt: T0 + 180_000,
  timeline: [
    { at: T0 + 120_000, actor: OP.id, actorKind: 'staff', station: STATION, kind: 'registered', note: null, data: {} },
    { at: T0 + 150_000, actor: OP.id, actorKind: 'staff', station: STATION, kind: 'answer', note: null, data: {} },
    { at: T0 + 180_000, actor: OP.id, actorKind: 'staff', station: STATION, kind: 'close', note: null, data: {} },
  ],
});
const SERVER_CASES = [DISPATCHED, CLOSED];
const SERVER_COLUMNS = caseColumnsOf('server');
const SERVER_COLUMN_KEYS = new Set<string>(SERVER_COLUMNS.map((c) => c.key));
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

type DataRow = Record<string, SqlValue>;

const SERVER_TOKEN_SECRET = 'f3a9c1d2e4b5a6978812';
/** Token secrets migration 10 handed over to the keyring (what the server writes to token-keys.json). */
const adoptedSecrets: string[] = [];
const MIGRATE_CTX: MigrationContext = { adoptTokenSecret: (secret) => adoptedSecrets.push(secret) };

/**
 * The rows of a server in use at `version`, per table in insertion order (references first), with
 * every column any version has: each table is filled with the columns it has at that version.
 * Tables whose rows a migration seeds (version_counter, counters) are replaced, not added to.
 */
function serverRows(version: number): Record<string, DataRow[]> {
  const caseData = (c: CaseRecord) => JSON.stringify(c);
  return {
    server_meta: version < 10 ? [{ key: 'token_secret', value: SERVER_TOKEN_SECRET }] : [{ key: 'note', value: 'kept' }],
    version_counter: [{ id: 1, version: 346 }],
    counters: [{ name: 'station', value: 2 }, ...(version >= 3 ? [{ name: 'open311', value: 4 }] : [])],
    users: [OP, LEAD].map((u, i) => ({
      id: u.id,
      username: u.username,
      display_name: u.displayName,
      role: u.role,
      team: u.team,
      password_hash: `scrypt$32768$8$1$salt${i}$hash${i}`,
      active: 1,
      created_at: T0 - 86_400_000,
      must_change_password: i,
    })),
    stations: [
      { station_key: '5b0c6f2e-2a7d-4f63-9d1e-7f0b8f1c9a10', code: STATION, created_at: T0 - 3_600_000 },
      { station_key: '9e8d7c6b-5a49-4838-8271-605f4e3d2c1b', code: 'S0008', created_at: T0 - 1_800_000, created_by: LEAD.id },
    ],
    sessions: [
      { id: 'sess-op1', user_id: OP.id, station: STATION, space: 'live', created_at: T0, last_seen_at: T0 + 600_000, expires_at: T0 + 12 * 3_600_000, refresh_id: 'r-2', ended_at: null, end_reason: null },
      { id: 'sess-lead1', user_id: LEAD.id, station: 'S0008', space: 'live', created_at: T0, last_seen_at: T0, expires_at: T0 + 12 * 3_600_000, refresh_id: 'r-1', ended_at: T0 + 60_000, end_reason: 'logout' },
    ],
    audit_log: [
      { id: 'a-1', at: T0 + 60_000, actor: LEAD.id, action: 'session.logout', target: LEAD.id, detail: '{"sessionId":"sess-lead1"}' },
    ],
    clients: [
      { client_id: 'c-op1', user_id: OP.id, station: STATION, last_seq: 2, created_at: T0 - 3_600_000 },
      { client_id: 'c-lead1', user_id: LEAD.id, station: 'S0008', last_seq: 1, created_at: T0 - 1_800_000 },
    ],
    mutation_log: [
      { client_id: 'c-op1', seq: 1, mutation_id: 'm-1', name: 'createCase', status: 'applied', reason_code: null, reason_message: null, reason_current: null, at: T0 },
      { client_id: 'c-op1', seq: 2, mutation_id: 'm-2', name: 'createCase', status: 'applied', reason_code: null, reason_message: null, reason_current: null, at: T0 + 120_000 },
      {
        client_id: 'c-lead1',
        seq: 1,
        mutation_id: 'm-lead-7',
        name: 'reassignCase',
        status: 'rejected',
        reason_code: 'conflict',
        reason_message: 'the case changed since you saw it',
        reason_current: caseData(DISPATCHED),
        at: T0 + 90_000,
      },
    ],
    categories: [
      { code: 'urban', parent: null, name_zh: '城市管理', name_en: 'Urban management', sla_class: 'B', direct_answer: 0, active: 1, intake_questions: '[]' },
      { code: 'urban.noise', parent: 'urban', name_zh: '噪音', name_en: 'Noise', sla_class: 'B', direct_answer: 0, active: 1, intake_questions: '[{"id":"when","kind":"text"}]' },
      { code: 'consult.policy', parent: null, name_zh: '政策咨询', name_en: 'Policy question', sla_class: 'C', direct_answer: 1, active: 1, intake_questions: '[]' },
    ],
    units: [{ id: UNIT, kind: 'street_office', name_zh: '朝阳区城管执法局', name_en: 'Chaoyang urban management', district_code: '110105', active: 1 }],
    cases: SERVER_CASES.map((c) => ({
      ...Object.fromEntries(SERVER_COLUMNS.map((col) => [col.column, toColumn(col, c)])),
      detail: caseDetailJson(c, SERVER_COLUMN_KEYS),
      phone_digits: c.callerPhone.replace(/\D/g, ''),
    })),
    case_events: SERVER_CASES.flatMap((c) =>
      c.timeline.map((e, i) => ({ id: `${c.id}-e${i}`, case_id: c.id, at: e.at, actor: e.actor, station: e.station, kind: e.kind, data: JSON.stringify(e.data) })),
    ),
    // Before schema 4 every change row carried its entity (a tombstone: data NULL); since, a
    // case's rows carry none (the pull reads the case's row) and a tombstone is said outright.
    changes: [
      ...SERVER_CASES.flatMap((c, i) => [
        { version: 300 + 2 * i, entity: 'case', entity_id: c.id, scope: `team:${OP.team}`, data: version >= 4 ? null : caseData(c), tombstone: 0 },
        { version: 301 + 2 * i, entity: 'case', entity_id: c.id, scope: `user:${OP.id}`, data: version >= 4 ? null : caseData(c), tombstone: 0 },
      ]),
      { version: 310, entity: 'case', entity_id: DISPATCHED.id, scope: `user:${LEAD.id}`, data: null, tombstone: 1 },
      { version: 120, entity: 'category', entity_id: 'urban.noise', scope: 'ref', data: JSON.stringify({ code: 'urban.noise', parent: 'urban', nameZh: '噪音', nameEn: 'Noise' }), tombstone: 0 },
    ],
    scope_heads: [
      { scope: 'ref', version: 120 },
      { scope: `team:${OP.team}`, version: 302 },
      { scope: `user:${OP.id}`, version: 303 },
      { scope: `user:${LEAD.id}`, version: 310 },
    ],
    api_keys: [
      { id: UNIT, kind: 'unit', owner: UNIT, key_hash: sha256(`${UNIT}.secret`), created_at: T0 - 86_400_000, revoked_at: null },
      { id: 'o311_demo', kind: 'open311', owner: 'demo', key_hash: sha256('o311_demo.secret'), created_at: T0 - 86_400_000, revoked_at: null },
    ],
    reference_docs: [
      { name: 'units', hash: 'sha256:ab12', loaded_at: T0 - 86_400_000 },
      { name: 'routing', hash: 'sha256:cd34', loaded_at: T0 - 86_400_000 },
    ],
    open311_requests: [
      {
        token: 'tok-1',
        case_id: DISPATCHED.id,
        client_key: 'o311_demo',
        created_at: T0 - 60_000,
        lat: 39.9087,
        lon: 116.4605,
        address_id: null,
        media_url: 'https://example.org/photo.jpg',
        attributes: '{"when":"night"}',
        contact: '{"email":"citizen@example.org"}',
      },
    ],
    articles: [
      { id: 'heating-temperature:zh', key: 'heating-temperature', language: 'zh', status: 'published', version: 2, published_version: 1, updated_by: LEAD.id, updated_at: T0, published_by: 'system:kb-seed', published_at: T0 - 86_400_000 },
    ],
    article_versions: [1, 2].map((v) => ({
      article_id: 'heating-temperature:zh',
      version: v,
      content: JSON.stringify({ key: 'heating-temperature', language: 'zh', title: `供暖温度不达标如何处理 v${v}`, body: '室内温度不应低于 18 摄氏度。', answerScript: '您好，我们会转供热单位上门测温。', categories: ['utility.heating'] }),
      author: v === 1 ? 'system:kb-seed' : LEAD.id,
      at: T0 - (2 - v) * 86_400_000,
      event: v === 1 ? 'published' : 'saved',
    })),
  };
}

/** Tables whose rows the migrations themselves insert: a fill replaces them. */
const SEEDED = new Set(['version_counter', 'counters']);

async function tableNames(db: Queryable, dialect: Database['dialect']): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      : await db.all<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
  return rows.map((r) => r.name).filter((n) => n !== 'schema_migrations').sort();
}

async function columnNames(db: Queryable, dialect: Database['dialect'], table: string): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await db.all<{ name: string }>('SELECT name FROM pragma_table_info(?)', [table])
      : await db.all<{ name: string }>('SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position', [table]);
  return rows.map((r) => r.name);
}

async function indexNames(db: Queryable, dialect: Database['dialect']): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")
      : await db.all<{ name: string }>('SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()');
  return rows.map((r) => r.name);
}

async function fillServer(db: Database, version: number): Promise<void> {
  const present = new Set(await tableNames(db, db.dialect));
  const rows = serverRows(version);
  expect([...present].filter((t) => !(t in rows)), 'tables without realistic rows (add them to serverRows)').toEqual([]);
  await db.tx(async (q) => {
    for (const [table, tableRows] of Object.entries(rows)) {
      if (!present.has(table)) continue;
      if (SEEDED.has(table)) await q.run(`DELETE FROM ${table}`);
      const have = new Set(await columnNames(q, db.dialect, table));
      for (const row of tableRows) {
        const cols = Object.keys(row).filter((c) => have.has(c));
        await q.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => row[c] ?? null));
      }
    }
  });
}

type ServerSnapshot = Record<string, { columns: string[]; rows: string[] }>;

/** Every table's rows (as JSON, sorted), read with the given columns or all it has. */
async function readRows(db: Database, table: string, cols?: readonly string[]): Promise<{ columns: string[]; rows: string[] }> {
  const columns = cols ? [...cols] : await columnNames(db, db.dialect, table);
  const rows = await db.all(`SELECT ${columns.join(', ')} FROM ${table}`);
  return { columns, rows: rows.map((r) => JSON.stringify(columns.map((c) => r[c] ?? null))).sort() };
}

async function serverSnapshot(db: Database): Promise<ServerSnapshot> {
  const out: ServerSnapshot = {};
  for (const t of await tableNames(db, db.dialect)) out[t] = await readRows(db, t);
  return out;
}

interface ServerMigrationCase {
  version: number;
  /** Rows a migration adds to a table that had some (seeded rows), by table. */
  grows?: Readonly<Record<string, number>>;
  /** Tables whose rows the migration rewrites on purpose (their count is still checked; `check` says what changed). */
  rewrites?: readonly string[];
  /** What migration `version` promises, just applied. */
  check: (db: Database) => Promise<void>;
  /** What today's code must still do with the data (after every later migration too). */
  today?: (db: Database) => Promise<void>;
}

const DATA_CASES: readonly ServerMigrationCase[] = [
  {
    version: 1,
    check: async (db) => {
      expect(await tableNames(db, db.dialect)).toEqual(
        ['case_events', 'cases', 'categories', 'changes', 'clients', 'counters', 'mutation_log', 'scope_heads', 'server_meta', 'stations', 'users', 'version_counter'].sort(),
      );
      expect((await db.all<{ id: unknown; version: unknown }>('SELECT id, version FROM version_counter')).map((r) => [Number(r.id), Number(r.version)])).toEqual([[1, 0]]);
      expect((await db.all<{ name: string; value: unknown }>('SELECT name, value FROM counters')).map((r) => [r.name, Number(r.value)])).toEqual([['station', 0]]);
      expect(await db.get('SELECT COUNT(*) AS n FROM cases')).toEqual({ n: 0 });
    },
  },
  {
    version: 2,
    check: async (db) => {
      // Lifecycle columns, empty for the cases already there; categories without intake questions
      // until the reference set is seeded again at start (upsertCategories sees the difference).
      const cases = await db.all('SELECT id, sla_class, district_code, street_code, unit_id, dispatched_at, sign_by, reply_by, closed_at, merged_into, detail FROM cases ORDER BY id');
      expect(cases).toEqual(
        SERVER_CASES.map((c) => ({ id: c.id, sla_class: null, district_code: null, street_code: null, unit_id: null, dispatched_at: null, sign_by: null, reply_by: null, closed_at: null, merged_into: null, detail: null })),
      );
      expect(await db.all('SELECT code, intake_questions FROM categories ORDER BY code')).toEqual(
        ['consult.policy', 'urban', 'urban.noise'].map((code) => ({ code, intake_questions: null })),
      );
      for (const t of ['units', 'api_keys', 'reference_docs', 'open311_requests']) expect(Number((await db.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${t}`))?.n), t).toBe(0);
      expect(await indexNames(db, db.dialect)).toEqual(expect.arrayContaining(['cases_unit_status', 'cases_status_reply_by', 'case_events_kind_at', 'open311_requests_case']));
    },
  },
  {
    version: 3,
    grows: { counters: 1 },
    check: async (db) => {
      expect((await db.all<{ name: string; value: unknown }>('SELECT name, value FROM counters ORDER BY name')).map((r) => [r.name, Number(r.value)])).toEqual([
        ['open311', 0],
        ['station', 2],
      ]);
      expect(await db.all('SELECT token, lat, lon, address_id, media_url, attributes, contact FROM open311_requests')).toEqual([
        { token: 'tok-1', lat: null, lon: null, address_id: null, media_url: null, attributes: null, contact: null },
      ]);
      expect(await indexNames(db, db.dialect)).toContain('cases_created_at');
    },
  },
  {
    version: 4,
    check: async (db) => {
      // A tombstone was data NULL; it is marked now, and rows with data are not tombstones.
      const rows = await db.all<{ version: unknown; scope: string; tombstone: unknown }>('SELECT version, scope, tombstone FROM changes ORDER BY version');
      expect(rows.map((r) => [Number(r.version), r.scope, Number(r.tombstone)])).toEqual([
        [120, 'ref', 0],
        [300, `team:${OP.team}`, 0],
        [301, `user:${OP.id}`, 0],
        [302, `team:${OP.team}`, 0],
        [303, `user:${OP.id}`, 0],
        [310, `user:${LEAD.id}`, 1],
      ]);
    },
    today: async (db) => {
      // Change rows written before schema 4 still serve their own copy of a case, and the tombstone.
      // (Migration 9 moved the noise case to noise.residential: its rows come last now, read from its row.)
      const page = await changesSince(db, { [`team:${OP.team}`]: 0, [`user:${LEAD.id}`]: 0 }, 10);
      expect(page.changes.map((c) => [c.scope, c.id, c.data === null ? null : (c.data as { number: string }).number])).toEqual([
        [`team:${OP.team}`, CLOSED.id, CLOSED.number],
        [`user:${LEAD.id}`, DISPATCHED.id, null],
        [`team:${OP.team}`, DISPATCHED.id, DISPATCHED.number],
      ]);
      expect(page.changes.map((c) => (c.data as { categoryCode?: string } | null)?.categoryCode ?? null)).toEqual(['consult.policy', null, 'noise.residential']);
    },
  },
  {
    version: 5,
    check: async (db) => {
      // Cases registered before were the common call.
      const rows = await db.all<Record<string, unknown>>('SELECT contact_type, urgency, language, dispatch_by, confidential FROM cases ORDER BY id');
      expect(rows.map((r) => ({ ...r, confidential: Number(r['confidential']) }))).toEqual(
        SERVER_CASES.map(() => ({ contact_type: 'complaint', urgency: 'normal', language: 'zh', dispatch_by: null, confidential: 0 })),
      );
      expect(await indexNames(db, db.dialect)).toContain('cases_status_urgency');
    },
  },
  {
    version: 6,
    check: async (db) => {
      // The calling number's digits, however it was written.
      expect(await db.all('SELECT id, phone_digits FROM cases ORDER BY id')).toEqual([
        { id: DISPATCHED.id, phone_digits: '13800138000' },
        { id: CLOSED.id, phone_digits: '8613901390000' },
      ]);
      expect(await db.all("SELECT id FROM cases WHERE phone_digits LIKE '%13901390000'")).toEqual([{ id: CLOSED.id }]);
      expect(await indexNames(db, db.dialect)).toEqual(expect.arrayContaining(['cases_status_closed_at', 'cases_phone_digits']));
    },
  },
  {
    version: 7,
    check: async (db) => {
      // New tables, empty: the seed publishes the shipped articles at the server's next start.
      expect(Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM articles'))?.n)).toBe(0);
      expect(Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM article_versions'))?.n)).toBe(0);
      expect(await columnNames(db, db.dialect, 'article_versions')).toEqual(['article_id', 'version', 'content', 'author', 'at', 'event']);
      expect(await indexNames(db, db.dialect)).toContain('articles_key_language');
    },
  },
  {
    version: 8,
    check: async (db) => {
      // Nobody has a session yet (tokens issued before were not tied to one); existing accounts keep
      // their passwords and stations their codes, with no known creator.
      expect(Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions'))?.n)).toBe(0);
      expect(Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))?.n)).toBe(0);
      const users = await db.all<{ username: string; must_change_password: unknown }>('SELECT username, must_change_password FROM users ORDER BY username');
      expect(users.map((u) => [u.username, Number(u.must_change_password)])).toEqual([
        ['lead1', 0],
        ['op1', 0],
      ]);
      expect(await db.all('SELECT code, created_by FROM stations ORDER BY code')).toEqual([
        { code: STATION, created_by: null },
        { code: 'S0008', created_by: null },
      ]);
      expect(await indexNames(db, db.dialect)).toEqual(expect.arrayContaining(['sessions_user_ended', 'stations_created_by', 'audit_log_at']));
    },
  },
  {
    version: 9,
    // The target categories join (the seed fills in their questions); the moved case is noted on its timeline.
    grows: { categories: 2, case_events: 1 },
    rewrites: ['cases', 'changes', 'scope_heads', 'version_counter'],
    check: async (db) => {
      // The noise case is filed under noise.residential now; the consultation is untouched.
      expect(await db.all('SELECT id, category_code, rev FROM cases ORDER BY id')).toEqual([
        { id: DISPATCHED.id, category_code: 'noise.residential', rev: DISPATCHED.rev },
        { id: CLOSED.id, category_code: 'consult.policy', rev: CLOSED.rev },
      ]);
      const moved = await findCase(db, DISPATCHED.id);
      expect(moved?.timeline.slice(0, -1)).toEqual(DISPATCHED.timeline);
      expect(moved?.timeline.at(-1)).toMatchObject({
        kind: 'amended',
        actor: 'system:taxonomy',
        actorKind: 'system',
        station: null,
        data: { changes: { categoryCode: { from: 'urban.noise', to: 'noise.residential' } } },
      });
      expect(await findCase(db, CLOSED.id)).toEqual(CLOSED);
      const events = await db.all<{ case_id: string; actor: string; kind: string }>("SELECT case_id, actor, kind FROM case_events WHERE actor = 'system:taxonomy'");
      expect(events).toEqual([{ case_id: DISPATCHED.id, actor: 'system:taxonomy', kind: 'amended' }]);
      expect(await db.all("SELECT code, parent, active FROM categories WHERE code LIKE 'noise%' ORDER BY code")).toEqual([
        { code: 'noise', parent: null, active: 1 },
        { code: 'noise.residential', parent: 'noise', active: 1 },
      ]);
      // Its live change rows take the next versions (and read the case's row), so every workstation
      // holding it pulls it again; the tombstone and the other case's rows keep theirs.
      const changes = await db.all<{ version: unknown; entity_id: string; scope: string; data: unknown; tombstone: unknown }>(
        "SELECT version, entity_id, scope, data, tombstone FROM changes WHERE entity = 'case' ORDER BY version",
      );
      expect(changes.map((r) => [Number(r.version), r.entity_id, r.scope, r.data, Number(r.tombstone)])).toEqual([
        [302, CLOSED.id, `team:${OP.team}`, null, 0],
        [303, CLOSED.id, `user:${OP.id}`, null, 0],
        [310, DISPATCHED.id, `user:${LEAD.id}`, null, 1],
        [347, DISPATCHED.id, `team:${OP.team}`, null, 0],
        [348, DISPATCHED.id, `user:${OP.id}`, null, 0],
      ]);
      expect(Number((await db.get<{ version: unknown }>('SELECT version FROM version_counter WHERE id = 1'))?.version)).toBe(348);
      const heads = await db.all<{ scope: string; version: unknown }>('SELECT scope, version FROM scope_heads ORDER BY scope');
      expect(heads.map((h) => [h.scope, Number(h.version)])).toEqual([
        ['ref', 120],
        [`team:${OP.team}`, 347],
        [`user:${LEAD.id}`, 310],
        [`user:${OP.id}`, 348],
      ]);
      // A pull from where a workstation was brings the case with its new code.
      const page = await changesSince(db, { [`team:${OP.team}`]: 303 }, 10);
      expect(page.changes.map((c) => [c.version, c.id, (c.data as { categoryCode: string } | null)?.categoryCode])).toEqual([[347, DISPATCHED.id, 'noise.residential']]);
    },
  },
  {
    version: 10,
    // The token secret leaves the database for the keyring file; nothing else changes.
    grows: { server_meta: -1 },
    rewrites: ['server_meta'],
    check: async (db) => {
      expect(await db.all('SELECT key FROM server_meta')).toEqual([]);
      expect(adoptedSecrets).toEqual([SERVER_TOKEN_SECRET]);
    },
  },
];

describe('server migration data cases', () => {
  it('has a data case for every migration', () => {
    expect(DATA_CASES.map((c) => c.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });
});

describe.each(BACKENDS)('server migrations with data on $name', (backend) => {
  let storage: FreshStorage | undefined;
  let db: Database | undefined;

  async function databaseAt(version: number): Promise<Database> {
    storage = await backend.fresh();
    db = storage.open();
    await expect(migrate(db, MIGRATIONS.slice(0, version), MIGRATE_CTX)).resolves.toEqual(MIGRATIONS.slice(0, version).map((m) => m.version));
    return db;
  }

  afterEach(async () => {
    await db?.close();
    await storage?.dispose();
    db = undefined;
    storage = undefined;
  });

  it('has realistic rows for every table of the latest schema', async () => {
    const db = await databaseAt(LATEST_SCHEMA_VERSION);
    await fillServer(db, LATEST_SCHEMA_VERSION);
    for (const [table, { rows }] of Object.entries(await serverSnapshot(db))) expect(rows, table).not.toEqual([]);
  });

  it.each(DATA_CASES)('migration $version on a database in use at the version before', async ({ version, grows = {}, rewrites = [], check, today }) => {
    const db = await databaseAt(version - 1);
    await fillServer(db, version - 1);
    const before = await serverSnapshot(db);
    adoptedSecrets.length = 0;

    await expect(migrate(db, MIGRATIONS.slice(0, version), MIGRATE_CTX)).resolves.toEqual([version]);
    expect(await maxVersion(db)).toBe(version);

    // Every table and every row in it survive with their values (seeded rows may join them).
    const tablesNow = await tableNames(db, db.dialect);
    for (const [table, { columns, rows }] of Object.entries(before)) {
      expect(tablesNow, `table ${table}`).toContain(table);
      const now = await readRows(db, table, columns);
      if (!rewrites.includes(table)) expect(now.rows, `rows of ${table}`).toEqual(expect.arrayContaining(rows));
      expect(now.rows, `rows of ${table}`).toHaveLength(rows.length + (grows[table] ?? 0));
    }

    await check(db);

    // Code one version older refuses it, and leaves it as it is.
    const older = MIGRATIONS.slice(0, version - 1);
    await expect(migrate(db, older)).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(migrate(db, older)).rejects.toMatchObject({ found: version, supported: version - 1 });
    expect(await maxVersion(db)).toBe(version);

    // Today's code takes it from here and reads every case in it.
    await migrate(db, undefined, MIGRATE_CTX);
    expect(await maxVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    if (version > 1) {
      for (const c of SERVER_CASES) {
        expect(await findCase(db, c.id)).toMatchObject({ id: c.id, number: c.number, status: c.status, callerPhone: c.callerPhone, createdBy: c.createdBy });
      }
    }
    await today?.(db);
  });
});
