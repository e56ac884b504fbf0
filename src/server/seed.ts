import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './db/driver';
import type { Logger } from './log';
import type { ReferenceSet } from './reference/reference-set';
import { writeTx } from './lifecycle/write';
import { mirrorUsers, seedUsers, UsersFile } from './store/users';
import { migrate } from './db/migrations';
import { loadKbSeed, seedArticles } from './reference/kb-seed';
import { upsertCategories } from './store/categories';
import { upsertReferenceDoc, upsertUnits } from './store/reference-docs';
import { ensureApiKeys, type ApiKeyOwner } from './store/api-keys';
import { ensurePrivateDir, writePrivateFile } from './files';

/** The Open311 client key made at first start, for demos and tests; real clients get their own. */
export const DEMO_OPEN311_KEY_ID = 'o311_demo';

/** Where new API key secrets are written (readable by the server's user only). */
export const API_KEYS_FILE = 'api-keys.json';

/**
 * Loads the reference set into the database (categories, units, the documents workstations
 * sync) and makes API keys for units that have none; returns the new secrets.
 */
export async function seedReference(
  db: Database,
  ref: ReferenceSet,
  now = Date.now(),
  opts: { apiKeys?: boolean } = {},
): Promise<{ changed: number; newKeys: Record<string, string> }> {
  const { value } = await writeTx(db, async (q, rec) => {
    let changed = await upsertCategories(q, rec, ref.bundle.categories.categories);
    changed += await upsertUnits(q, ref.bundle.units.units);
    const docs = { units: ref.bundle.units, routing: ref.bundle.routing, sla: ref.bundle.sla, geography: ref.bundle.geography };
    for (const [name, content] of Object.entries(docs)) if (await upsertReferenceDoc(q, rec, name, content, now)) changed += 1;
    // Units and Open311 clients reach the live space only: another space's store has no keys.
    if (opts.apiKeys === false) return { changed, newKeys: {} };
    const wanted: ApiKeyOwner[] = ref.bundle.units.units.map((u) => ({ keyId: u.apiKeyId, kind: 'unit', owner: u.id }));
    wanted.push({ keyId: DEMO_OPEN311_KEY_ID, kind: 'open311', owner: 'demo' });
    const newKeys = await ensureApiKeys(q, wanted, now);
    return { changed, newKeys };
  });
  return value;
}

/** Adds new secrets to `<dataDir>/api-keys.json` (mode 0600), keeping the ones already there. */
export function writeApiKeysFile(dataDir: string, newKeys: Record<string, string>): string {
  const file = path.join(dataDir, API_KEYS_FILE);
  let existing: Record<string, string> = {};
  if (fs.existsSync(file)) existing = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  ensurePrivateDir(dataDir);
  writePrivateFile(file, `${JSON.stringify({ ...existing, ...newKeys }, null, 2)}\n`);
  return file;
}

export async function seedAll(db: Database, ref: ReferenceSet, resourcesDir: string, dataDir: string, log: Logger): Promise<void> {
  const kb = await seedArticles(db, loadKbSeed(resourcesDir, ref));
  if (kb.added) log.info('knowledge base seeded', { articles: kb.added });
  const users = UsersFile.parse(JSON.parse(fs.readFileSync(path.join(resourcesDir, 'seed/users.json'), 'utf8')));
  const addedUsers = await db.tx((q) => seedUsers(q, users.users));
  const { changed, newKeys } = await seedReference(db, ref);
  const keyCount = Object.keys(newKeys).length;
  if (keyCount > 0) {
    const file = writeApiKeysFile(dataDir, newKeys);
    log.info('api keys created', { count: keyCount, file });
  }
  if (addedUsers || changed) log.info('seeded', { users: addedUsers, reference: changed });
}

/**
 * Prepares another space's store (practice): migrations, the reference data, and the user
 * directory mirrored from the live store. No API keys, no service accounts.
 */
export async function prepareSpaceStore(db: Database, live: Database, ref: ReferenceSet, log: Logger, resourcesDir: string): Promise<void> {
  const applied = await migrate(db);
  // Practice reads the knowledge base as shipped.
  await seedArticles(db, loadKbSeed(resourcesDir, ref));
  const { changed } = await seedReference(db, ref, Date.now(), { apiKeys: false });
  const users = await db.tx(async (q) => mirrorUsers(live, q));
  log.info('space store ready', { migrated: applied, reference: changed, users });
}
