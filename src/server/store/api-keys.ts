import crypto from 'node:crypto';
import type { Queryable } from '../db/driver';

export type ApiKeyKind = 'unit' | 'open311';

export interface ApiKeyOwner {
  keyId: string;
  kind: ApiKeyKind;
  /** The unit id, or the Open311 client's name. */
  owner: string;
}

const hashOf = (secret: string): string => crypto.createHash('sha256').update(secret).digest('hex');

/** `<keyId>.<random>`: the id says which key is meant, the random part is the secret. */
function newSecret(keyId: string): string {
  return `${keyId}.${crypto.randomBytes(24).toString('base64url')}`;
}

/**
 * Makes a key for every wanted id that has none yet and returns the new secrets, which exist only
 * in this return value: the database keeps their SHA-256. Safe with several nodes starting at once.
 */
export async function ensureApiKeys(q: Queryable, wanted: readonly ApiKeyOwner[], now: number): Promise<Record<string, string>> {
  const created: Record<string, string> = {};
  for (const w of wanted) {
    const secret = newSecret(w.keyId);
    const result = await q.run(
      'INSERT INTO api_keys (id, kind, owner, key_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [w.keyId, w.kind, w.owner, hashOf(secret), now],
    );
    if (result.changes > 0) created[w.keyId] = secret;
  }
  return created;
}

/** Who a presented secret belongs to, or null (unknown, malformed, revoked or of another kind). */
export async function authenticateApiKey(q: Queryable, secret: string, kind: ApiKeyKind): Promise<ApiKeyOwner | null> {
  if (secret.length > 200) return null;
  const row = await q.get<{ id: string; kind: string; owner: string; key_hash: string; revoked_at: unknown }>(
    'SELECT id, kind, owner, key_hash, revoked_at FROM api_keys WHERE key_hash = ?',
    [hashOf(secret)],
  );
  if (!row || row.kind !== kind || row.revoked_at !== null) return null;
  return { keyId: row.id, kind, owner: row.owner };
}

/**
 * A new secret for a key, named by its id or by its owner (a unit id): the old secret is refused
 * from the moment this commits. Returns the key id and the new secret (shown once; the database
 * keeps its SHA-256); null when no such key exists.
 */
export async function rotateApiKey(q: Queryable, keyIdOrOwner: string, now: number): Promise<{ keyId: string; secret: string } | null> {
  const rows = await q.all<{ id: string }>('SELECT id FROM api_keys WHERE id = ? OR owner = ? ORDER BY id', [keyIdOrOwner, keyIdOrOwner]);
  const exact = rows.find((r) => r.id === keyIdOrOwner);
  if (!exact && rows.length > 1) throw new Error(`${keyIdOrOwner} owns several keys (${rows.map((r) => r.id).join(', ')}): name the key id`);
  const keyId = (exact ?? rows[0])?.id;
  if (!keyId) return null;
  const secret = newSecret(keyId);
  await q.run('UPDATE api_keys SET key_hash = ?, created_at = ?, revoked_at = NULL WHERE id = ?', [hashOf(secret), now, keyId]);
  return { keyId, secret };
}
