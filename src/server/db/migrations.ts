import type { Database, Queryable } from './driver';
import { moveCategory } from './move-category';

export interface Migration {
  version: number;
  name: string;
  /** Statements in the SQL common to SQLite and PostgreSQL. */
  up: readonly string[];
  /** A data step after the statements, in the same transaction (`now`: when the migration runs). */
  run?: (q: Queryable, now: number, ctx: MigrationContext) => Promise<void>;
}

/** What a migration may reach outside the database (the live server's files). */
export interface MigrationContext {
  /** Keeps a token secret found in the database outside it (the keyring file, 0600). */
  adoptTokenSecret?: (secretBase64: string) => void;
}

/** Forward-only. Never edit a released migration: add the next one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'foundation',
    up: [
      `CREATE TABLE server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
      // One row; bumping it inside every write transaction makes versions follow commit order.
      `CREATE TABLE version_counter (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)`,
      `INSERT INTO version_counter (id, version) VALUES (1, 0)`,
      // Named counters taken under a row lock (station codes), safe with concurrent writers.
      `CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
      `INSERT INTO counters (name, value) VALUES ('station', 0)`,
      `CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        team TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE stations (
        station_key TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        station TEXT NOT NULL,
        last_seq BIGINT NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE mutation_log (
        client_id TEXT NOT NULL REFERENCES clients(client_id),
        seq BIGINT NOT NULL,
        mutation_id TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        reason_code TEXT,
        reason_message TEXT,
        -- For conflicts: the entity as the mutation met it (JSON), returned again on a resend.
        reason_current TEXT,
        at BIGINT NOT NULL,
        PRIMARY KEY (client_id, seq)
      )`,
      `CREATE TABLE categories (
        code TEXT PRIMARY KEY,
        parent TEXT,
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL,
        sla_class TEXT NOT NULL,
        direct_answer INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
      )`,
      `CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        channel TEXT NOT NULL,
        caller_phone TEXT NOT NULL,
        caller_name TEXT NOT NULL,
        category_code TEXT NOT NULL REFERENCES categories(code),
        address TEXT NOT NULL,
        description TEXT NOT NULL,
        created_by TEXT NOT NULL REFERENCES users(id),
        team TEXT NOT NULL,
        station TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        assignee TEXT REFERENCES users(id),
        rev INTEGER NOT NULL
      )`,
      `CREATE INDEX cases_assignee ON cases (assignee)`,
      `CREATE INDEX cases_team ON cases (team, created_at)`,
      `CREATE TABLE case_events (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        station TEXT,
        kind TEXT NOT NULL,
        data TEXT NOT NULL
      )`,
      `CREATE INDEX case_events_case ON case_events (case_id, at)`,
      // Latest state of every synced entity in every scope that holds (or held) it, stamped with
      // the version of its last change there; data NULL is a tombstone: the entity left the scope.
      `CREATE TABLE changes (
        version BIGINT PRIMARY KEY,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        data TEXT,
        UNIQUE (entity, entity_id, scope)
      )`,
      `CREATE INDEX changes_scope_version ON changes (scope, version)`,
      // The version of each scope's latest change: pokes carry it so clients can skip a pull.
      `CREATE TABLE scope_heads (scope TEXT PRIMARY KEY, version BIGINT NOT NULL)`,
    ],
  },
  {
    version: 2,
    name: 'lifecycle',
    up: [
      // Columns the server queries (unit API, overdue, rates); the rest of the lifecycle lives in `detail` (JSON).
      `ALTER TABLE cases ADD COLUMN sla_class TEXT`,
      `ALTER TABLE cases ADD COLUMN district_code TEXT`,
      `ALTER TABLE cases ADD COLUMN street_code TEXT`,
      `ALTER TABLE cases ADD COLUMN unit_id TEXT`,
      `ALTER TABLE cases ADD COLUMN dispatched_at BIGINT`,
      `ALTER TABLE cases ADD COLUMN sign_by BIGINT`,
      `ALTER TABLE cases ADD COLUMN reply_by BIGINT`,
      `ALTER TABLE cases ADD COLUMN closed_at BIGINT`,
      `ALTER TABLE cases ADD COLUMN merged_into TEXT`,
      `ALTER TABLE cases ADD COLUMN detail TEXT`,
      `CREATE INDEX cases_unit_status ON cases (unit_id, status)`,
      `CREATE INDEX cases_status_reply_by ON cases (status, reply_by)`,
      `CREATE INDEX case_events_kind_at ON case_events (kind, at)`,
      `ALTER TABLE categories ADD COLUMN intake_questions TEXT`,
      // Units of the reference set (the rest of a unit lives in the synced reference document).
      `CREATE TABLE units (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL,
        district_code TEXT,
        active INTEGER NOT NULL DEFAULT 1
      )`,
      // API keys of units and Open311 clients: only a SHA-256 of each secret is stored.
      `CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        owner TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT
      )`,
      // Reference documents (units, routing, SLA, geography …) as loaded, with a hash to skip unchanged ones.
      `CREATE TABLE reference_docs (name TEXT PRIMARY KEY, hash TEXT NOT NULL, loaded_at BIGINT NOT NULL)`,
      // Open311 service requests: the token handed out before a case number exists, and the case.
      `CREATE TABLE open311_requests (
        token TEXT PRIMARY KEY,
        case_id TEXT REFERENCES cases(id),
        client_key TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE INDEX open311_requests_case ON open311_requests (case_id)`,
    ],
  },
  {
    version: 3,
    name: 'open311',
    up: [
      // Sequence of the case numbers the server makes for Open311 requests (its own station code).
      `INSERT INTO counters (name, value) VALUES ('open311', 0)`,
      // What an Open311 request carries beyond the case: published location and media, the
      // attribute answers, and the submitter's contact details (JSON, never published).
      `ALTER TABLE open311_requests ADD COLUMN lat DOUBLE PRECISION`,
      `ALTER TABLE open311_requests ADD COLUMN lon DOUBLE PRECISION`,
      `ALTER TABLE open311_requests ADD COLUMN address_id TEXT`,
      `ALTER TABLE open311_requests ADD COLUMN media_url TEXT`,
      `ALTER TABLE open311_requests ADD COLUMN attributes TEXT`,
      `ALTER TABLE open311_requests ADD COLUMN contact TEXT`,
      // GET requests.json lists every channel's cases by date.
      `CREATE INDEX cases_created_at ON cases (created_at)`,
    ],
  },
  {
    version: 4,
    name: 'case data once',
    up: [
      // A tombstone was `data IS NULL`; now it is said outright, because a case's change rows no
      // longer carry its data: the pull builds the case from its row in `cases` (columns + detail).
      // A case in three scopes was stored four times, now once.
      `ALTER TABLE changes ADD COLUMN tombstone SMALLINT NOT NULL DEFAULT 0`,
      `UPDATE changes SET tombstone = 1 WHERE data IS NULL`,
    ],
  },
  {
    version: 5,
    name: 'intake record',
    up: [
      // The contact type, urgency, caller language and confidentiality of a case (the rest of the
      // intake record lives in detail). Cases registered before are what the common call was:
      // a complaint of normal urgency in Chinese, not confidential, with no dispatch deadline.
      `ALTER TABLE cases ADD COLUMN contact_type TEXT NOT NULL DEFAULT 'complaint'`,
      `ALTER TABLE cases ADD COLUMN urgency TEXT NOT NULL DEFAULT 'normal'`,
      `ALTER TABLE cases ADD COLUMN language TEXT NOT NULL DEFAULT 'zh'`,
      `ALTER TABLE cases ADD COLUMN dispatch_by BIGINT`,
      `ALTER TABLE cases ADD COLUMN confidential SMALLINT NOT NULL DEFAULT 0`,
      // Lead queues: open cases by urgency and deadline.
      `CREATE INDEX cases_status_urgency ON cases (status, urgency)`,
    ],
  },
  {
    version: 6,
    name: 'retention and search',
    up: [
      // Closed cases past the workstations' retention are found by when they closed.
      `CREATE INDEX cases_status_closed_at ON cases (status, closed_at)`,
      // A caller's history on the server: the digits of the calling number, however it was written.
      `ALTER TABLE cases ADD COLUMN phone_digits TEXT NOT NULL DEFAULT ''`,
      // Stored numbers hold digits, spaces, dashes and a plus (normalised at intake).
      `UPDATE cases SET phone_digits = REPLACE(REPLACE(REPLACE(caller_phone, ' ', ''), '-', ''), '+', '')`,
      `CREATE INDEX cases_phone_digits ON cases (phone_digits)`,
    ],
  },
  {
    version: 7,
    name: 'knowledge base',
    up: [
      // One row per article (one language version of it): its latest version and the one published.
      `CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        language TEXT NOT NULL,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        published_version INTEGER,
        updated_by TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        published_by TEXT,
        published_at BIGINT
      )`,
      `CREATE UNIQUE INDEX articles_key_language ON articles (key, language)`,
      // Every version ever saved, with who and when: the history editors read and diff.
      `CREATE TABLE article_versions (
        article_id TEXT NOT NULL REFERENCES articles(id),
        version INTEGER NOT NULL,
        content TEXT NOT NULL,
        author TEXT NOT NULL,
        at BIGINT NOT NULL,
        event TEXT NOT NULL,
        PRIMARY KEY (article_id, version)
      )`,
    ],
  },
  {
    version: 8,
    name: 'sessions and login security',
    up: [
      // One row per login: its refresh token is single-use (refresh_id rotates), it ends at
      // expires_at (one shift) at the latest, and ended_at says when and why it ended sooner.
      `CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        station TEXT NOT NULL,
        space TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        refresh_id TEXT NOT NULL,
        ended_at BIGINT,
        end_reason TEXT
      )`,
      `CREATE INDEX sessions_user_ended ON sessions (user_id, ended_at)`,
      // An admin's reset (or a new account) makes the next login change the password first.
      `ALTER TABLE users ADD COLUMN must_change_password SMALLINT NOT NULL DEFAULT 0`,
      // Who first logged in from a station key: new station codes are limited per user and day.
      `ALTER TABLE stations ADD COLUMN created_by TEXT`,
      `CREATE INDEX stations_created_by ON stations (created_by, created_at)`,
      // Who did what to whom, when: user administration, ended sessions, locked logins.
      `CREATE TABLE audit_log (
        id TEXT PRIMARY KEY,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT NOT NULL
      )`,
      `CREATE INDEX audit_log_at ON audit_log (at)`,
    ],
  },
  {
    version: 9,
    name: 'one noise branch',
    up: [],
    // 城市管理›噪音扰民 (urban.noise) overlapped 噪声污染›社会生活噪声 (noise.residential): same
    // questions, same routing. Its cases move there; the seed then retires the code (inactive,
    // removed from the workstations' category lists).
    run: async (q, now) => {
      await moveCategory(
        q,
        {
          from: 'urban.noise',
          into: 'noise.residential',
          ensure: [
            { code: 'noise', parent: null, nameZh: '噪声污染', nameEn: 'Noise pollution', slaClass: 'general' },
            { code: 'noise.residential', parent: 'noise', nameZh: '社会生活噪声（噪音扰民）', nameEn: 'Noise from neighbours and residents', slaClass: 'general' },
          ],
          note: '分类合并：城市管理›噪音扰民 → 噪声污染›社会生活噪声 / Category merged: Urban management › Noise nuisance → Noise pollution › Noise from neighbours and residents',
        },
        now,
      );
    },
  },
  {
    version: 10,
    name: 'token secret out of the database',
    up: [],
    // Whoever could read the database (a backup, a replica, a 0644 file) could forge any token.
    // The secret moves to the keyring file (kid "legacy": it verifies the tokens it signed until
    // retired, a fresh key signs from now on) and leaves the database.
    run: async (q, _now, ctx) => {
      const row = await q.get<{ value: string }>('SELECT value FROM server_meta WHERE key = ?', ['token_secret']);
      if (!row) return;
      if (!ctx.adoptTokenSecret) throw new Error('the database holds a token secret and this migration was given no keyring to move it to');
      ctx.adoptTokenSecret(row.value);
      await q.run('DELETE FROM server_meta WHERE key = ?', ['token_secret']);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export class SchemaTooNewError extends Error {
  constructor(readonly found: number, readonly supported: number) {
    super(`database schema version ${found} is newer than this server supports (${supported}); upgrade the server`);
    this.name = 'SchemaTooNewError';
  }
}

/** Applies pending migrations, each in its own transaction; refuses a database newer than the code. */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, ctx: MigrationContext = {}): Promise<number[]> {
  await db.tx(async (q) => {
    // Under the same lock as the migrations: concurrent CREATE TABLE IF NOT EXISTS can collide on PostgreSQL.
    if (db.dialect === 'postgres') await q.run('SELECT pg_advisory_xact_lock(4212345)');
    await q.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
  });
  const supported = migrations[migrations.length - 1]?.version ?? 0;
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.tx(async (q) => {
      // Several server nodes may start at once against one PostgreSQL.
      if (db.dialect === 'postgres') await q.run('SELECT pg_advisory_xact_lock(4212345)');
      const row = await q.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
      const current = row?.v ?? 0;
      if (current > supported) throw new SchemaTooNewError(current, supported);
      if (current >= migration.version) return false;
      for (const statement of migration.up) await q.run(statement);
      await migration.run?.(q, Date.now(), ctx);
      await q.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  if (migrations.length === 0) {
    const row = await db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    if ((row?.v ?? 0) > supported) throw new SchemaTooNewError(row?.v ?? 0, supported);
  }
  return applied;
}
