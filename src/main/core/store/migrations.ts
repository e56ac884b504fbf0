import type BetterSqlite3 from 'better-sqlite3';
import { caseSearchKeys } from './case-search-keys';
import { indexArticle } from './article-index';
import { ArticleRecord } from '../../../shared/domain/article';

/** Forward-only migrations of the workstation's local store. Never edit a released one. */
export interface LocalMigration {
  version: number;
  name: string;
  sql: string;
  /** Fills what the SQL added from the rows already there, in the same transaction. */
  backfill?: (db: BetterSqlite3.Database) => void;
}

export const LOCAL_MIGRATIONS: readonly LocalMigration[] = [
  {
    version: 1,
    name: 'foundation',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      -- One row per user who has logged in here; each has its own sync client id and mutation seq.
      CREATE TABLE accounts (
        user_id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        team TEXT NOT NULL,
        client_id TEXT NOT NULL UNIQUE,
        next_seq INTEGER NOT NULL DEFAULT 1,
        -- scrypt verifier of the last password that the server accepted: lets the operator log in
        -- while the server is unreachable. Never the password itself.
        offline_verifier TEXT,
        station TEXT
      );
      -- Local mutations not yet confirmed: pending (not acknowledged) or pushed (applied, awaiting pull).
      CREATE TABLE outbox (
        client_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        args TEXT NOT NULL,
        at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'pushed')),
        PRIMARY KEY (client_id, seq)
      );
      -- The next batch to push is found without walking the rows already pushed.
      CREATE INDEX outbox_state ON outbox (client_id, state, seq);
      -- Server-confirmed state of every synced entity in each scope that holds it, as last pulled.
      CREATE TABLE confirmed (
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        scope TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (entity, id, scope)
      );
      -- How far this workstation has pulled each scope the server grants it.
      CREATE TABLE cursors (scope TEXT PRIMARY KEY, version INTEGER NOT NULL);
      -- The operator's view: confirmed state with pending mutations applied on top.
      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        channel TEXT NOT NULL,
        caller_phone TEXT NOT NULL,
        caller_name TEXT NOT NULL,
        category_code TEXT NOT NULL,
        address TEXT NOT NULL,
        description TEXT NOT NULL,
        created_by TEXT NOT NULL,
        team TEXT NOT NULL,
        station TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        assignee TEXT,
        rev INTEGER NOT NULL,
        pending INTEGER NOT NULL
      );
      CREATE INDEX cases_created_by ON cases (created_by, created_at);
      CREATE INDEX cases_team ON cases (team, created_at);
      CREATE TABLE categories (
        code TEXT PRIMARY KEY,
        parent TEXT,
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL,
        sla_class TEXT NOT NULL,
        direct_answer INTEGER NOT NULL
      );
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        team TEXT NOT NULL
      );
      -- Mutations the server refused, kept until the operator has seen why.
      CREATE TABLE rejections (
        mutation_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        name TEXT NOT NULL,
        case_number TEXT,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        at INTEGER NOT NULL,
        -- For conflicts: the mutation and the state it met, so the operator can redo it.
        mutation_name TEXT,
        mutation_args TEXT,
        current TEXT
      );
    `,
  },
  {
    version: 2,
    name: 'lifecycle',
    sql: `
      -- Lifecycle columns the workstation queries by (queues, countdowns); the rest of the record in detail (JSON).
      ALTER TABLE cases ADD COLUMN unit_id TEXT;
      ALTER TABLE cases ADD COLUMN sign_by INTEGER;
      ALTER TABLE cases ADD COLUMN reply_by INTEGER;
      ALTER TABLE cases ADD COLUMN detail TEXT;
      CREATE INDEX cases_team_status ON cases (team, status);
      ALTER TABLE categories ADD COLUMN intake_questions TEXT NOT NULL DEFAULT '[]';
      -- Cached views confirmed before this version lack the lifecycle: pull everything again.
      DELETE FROM confirmed;
      DELETE FROM cursors;
    `,
  },
  {
    version: 3,
    name: 'intake record',
    sql: `
      -- Queues sort and filter by the contact type, urgency, language and dispatch deadline. Rows
      -- already here were registered as the common call (their detail holds no such fields, and
      -- the record's defaults say the same), so nothing needs pulling again.
      ALTER TABLE cases ADD COLUMN contact_type TEXT NOT NULL DEFAULT 'complaint';
      ALTER TABLE cases ADD COLUMN urgency TEXT NOT NULL DEFAULT 'normal';
      ALTER TABLE cases ADD COLUMN language TEXT NOT NULL DEFAULT 'zh';
      ALTER TABLE cases ADD COLUMN dispatch_by INTEGER;
      CREATE INDEX cases_team_urgency ON cases (team, urgency);
    `,
  },
  {
    version: 4,
    name: 'case search',
    sql: `
      -- Search by phone and case number (prefix and, reversed, suffix: the last digits a caller
      -- reads out), and the full-text index of what was said (address, description, name): every
      -- Chinese character a token, so 1- and 2-character queries are found (see shared/search).
      ALTER TABLE cases ADD COLUMN phone_digits TEXT NOT NULL DEFAULT '';
      ALTER TABLE cases ADD COLUMN phone_rev TEXT NOT NULL DEFAULT '';
      ALTER TABLE cases ADD COLUMN number_rev TEXT NOT NULL DEFAULT '';
      CREATE INDEX cases_phone ON cases (phone_digits);
      CREATE INDEX cases_phone_rev ON cases (phone_rev);
      CREATE INDEX cases_number_rev ON cases (number_rev);
      -- Caller history and possible duplicates: the same category, recent first.
      CREATE INDEX cases_category ON cases (category_code, created_at);
      CREATE VIRTUAL TABLE case_search USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
    `,
    backfill: (db) => {
      const rows = db.prepare('SELECT rowid, number, caller_phone, caller_name, address, description FROM cases').all() as {
        rowid: number;
        number: string;
        caller_phone: string;
        caller_name: string;
        address: string;
        description: string;
      }[];
      const keys = db.prepare('UPDATE cases SET phone_digits = ?, phone_rev = ?, number_rev = ? WHERE rowid = ?');
      const text = db.prepare('INSERT INTO case_search (rowid, body) VALUES (?, ?)');
      for (const r of rows) {
        const k = caseSearchKeys({ number: r.number, callerPhone: r.caller_phone, callerName: r.caller_name, address: r.address, description: r.description });
        keys.run(k.phoneDigits, k.phoneRev, k.numberRev, r.rowid);
        text.run(r.rowid, k.body);
      }
    },
  },
  {
    version: 5,
    name: 'intake drafts',
    sql: `
      -- What an operator has typed for a call not yet saved, kept as they type (a crash, a
      -- restart or a wrong Esc loses nothing); per user, per space store.
      CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        fields TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX drafts_user ON drafts (user_id, updated_at);
    `,
  },
  {
    version: 6,
    name: 'preferences',
    sql: `
      -- What a user set up on this workstation (language, pane sizes, what they last looked at);
      -- user '' holds the workstation's own (the login screen's language).
      CREATE TABLE prefs (user_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (user_id, key));
    `,
  },
  {
    version: 7,
    name: 'knowledge base',
    sql: `
      -- The published knowledge base, whole, for offline answers (the kb scope); its full-text
      -- index (shared/search/kb.ts: characters and character pairs, pinyin initials of titles).
      CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        language TEXT NOT NULL,
        title TEXT NOT NULL,
        valid_from TEXT,
        valid_to TEXT,
        data TEXT NOT NULL
      );
      CREATE VIRTUAL TABLE article_search USING fts5(title, script, tags, body, initials, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
      -- How many articles hold each term: the search leaves out terms nearly every article has.
      CREATE VIRTUAL TABLE article_vocab USING fts5vocab(article_search, 'row');
      CREATE TABLE article_categories (article_id TEXT NOT NULL, category_code TEXT NOT NULL, PRIMARY KEY (category_code, article_id));
      -- What the editors work on (the kb-edit scope: editors only).
      CREATE TABLE article_drafts (id TEXT PRIMARY KEY, status TEXT NOT NULL, version INTEGER NOT NULL, updated_at INTEGER NOT NULL, data TEXT NOT NULL);
      -- Which articles a user opened or answered with here, for "recent" and "most used".
      CREATE TABLE article_usage (user_id TEXT NOT NULL, article_id TEXT NOT NULL, uses INTEGER NOT NULL, last_at INTEGER NOT NULL, PRIMARY KEY (user_id, article_id));
    `,
  },
  {
    version: 8,
    name: 'knowledge base impact index',
    sql: `
      -- The knowledge base's search reads its own impact-ordered postings (store/article-index.ts)
      -- instead of FTS5's BM25, which scored every matching article: a query reads only the best
      -- postings of each term, so a base of 50,000 articles stays in milliseconds (bench:kb).
      DROP TABLE article_vocab;
      DROP TABLE article_search;
      -- Every term once, by number, with how many articles hold it (its IDF; the term '' counts the articles).
      CREATE TABLE article_terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, df INTEGER NOT NULL);
      -- A term's articles, best impact first when read backwards (term, impact DESC).
      CREATE TABLE article_postings (term INTEGER NOT NULL, impact INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (term, impact, doc)) WITHOUT ROWID;
      -- An article's categories, for the case's category tier.
      CREATE INDEX article_categories_article ON article_categories (article_id);
    `,
    backfill: (db) => {
      const rows = db.prepare('SELECT rowid, data FROM articles').all() as { rowid: number; data: string }[];
      for (const r of rows) {
        // An article that does not read as one is left unindexed: the next pull writes it again.
        const a = ArticleRecord.safeParse(JSON.parse(r.data));
        if (a.success) indexArticle(db, r.rowid, a.data);
      }
    },
  },
  {
    version: 9,
    name: 'one noise branch',
    sql: `
      -- 城市管理›噪音扰民 (urban.noise) was merged into 噪声污染›社会生活噪声 (noise.residential):
      -- the server moves its cases (server migration 9) and sends them again; until then, and for
      -- what only this workstation holds, the code changes here too: the view, the confirmed
      -- state, the queued and refused registrations, the drafts and the preferences that name it.
      UPDATE cases SET category_code = 'noise.residential' WHERE category_code = 'urban.noise';
      UPDATE confirmed SET data = json_set(data, '$.categoryCode', 'noise.residential')
        WHERE entity = 'case' AND CASE WHEN json_valid(data) THEN json_extract(data, '$.categoryCode') END = 'urban.noise';
      UPDATE outbox SET args = json_set(args, '$.categoryCode', 'noise.residential')
        WHERE name = 'createCase' AND CASE WHEN json_valid(args) THEN json_extract(args, '$.categoryCode') END = 'urban.noise';
      UPDATE rejections SET mutation_args = json_set(mutation_args, '$.categoryCode', 'noise.residential')
        WHERE mutation_name = 'createCase' AND CASE WHEN json_valid(mutation_args) THEN json_extract(mutation_args, '$.categoryCode') END = 'urban.noise';
      UPDATE drafts SET fields = json_set(fields, '$.categoryCode', 'noise.residential')
        WHERE CASE WHEN json_valid(fields) THEN json_extract(fields, '$.categoryCode') END = 'urban.noise';
      UPDATE prefs SET value = replace(value, '"urban.noise"', '"noise.residential"') WHERE value LIKE '%"urban.noise"%';
      -- No longer offered (the next pull brings its tombstone as well).
      DELETE FROM categories WHERE code = 'urban.noise';
      DELETE FROM confirmed WHERE entity = 'category' AND id = 'urban.noise';
    `,
  },
];

export const LOCAL_SCHEMA_VERSION = LOCAL_MIGRATIONS[LOCAL_MIGRATIONS.length - 1]?.version ?? 0;
