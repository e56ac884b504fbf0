import crypto from 'node:crypto';
import { openPostgres } from '../../src/server/db/postgres';
import { seedUsers } from '../../src/server/store/users';
import { viewDigest, type OperatorSpec, type View } from './messages';

/** The floor's accounts, written straight into the store before the workstations log in. */
export async function seedFloor(databaseUrl: string, floor: readonly OperatorSpec[], password: string): Promise<void> {
  const db = openPostgres(databaseUrl);
  try {
    await db.tx((q) =>
      seedUsers(
        q,
        floor.map((o) => ({ username: o.username, password, displayName: o.username, role: o.lead ? 'lead' : 'operator', team: o.team })),
      ),
    );
  } finally {
    await db.close();
  }
}

export interface Tracked {
  team: string;
  status?: string;
  ackAt?: number;
  /** Mutations acknowledged as applied, plus the unit steps the unit API accepted. */
  applied: number;
}

export interface AuditResult {
  /** Acknowledged cases the server does not hold. */
  lost: number;
  /** Cases stored more than once (by their unique description), and mutations logged twice. */
  duplicated: number;
  /** Acknowledged cases whose timeline does not hold exactly one event per acknowledged step. */
  historyMismatch: number;
  /** Workstations whose view of their team differs from the server's (ids and revisions). */
  staleViews: number;
}

/**
 * After the run: every case acknowledged to a workstation exists exactly once on the server with
 * one timeline event per acknowledged step; no mutation is logged twice; every workstation holds
 * every case of its team at the server's revision.
 */
export async function audit(databaseUrl: string, cases: ReadonlyMap<string, Tracked>, views: readonly View[]): Promise<AuditResult> {
  const db = openPostgres(databaseUrl);
  try {
    const rows = await db.all<{ id: string; team: string; rev: number; description: string }>('SELECT id, team, rev, description FROM cases');
    const events = new Map((await db.all<{ case_id: string; n: number }>('SELECT case_id, COUNT(*)::int AS n FROM case_events GROUP BY case_id')).map((r) => [r.case_id, r.n]));
    const twiceLogged = await db.get<{ n: number }>('SELECT COUNT(*)::int AS n FROM (SELECT mutation_id FROM mutation_log GROUP BY mutation_id HAVING COUNT(*) > 1) d');
    const held = new Set(rows.map((r) => r.id));
    const byDescription = new Map<string, number>();
    for (const r of rows) byDescription.set(r.description, (byDescription.get(r.description) ?? 0) + 1);

    let lost = 0;
    let historyMismatch = 0;
    for (const [id, c] of cases) {
      if (c.ackAt === undefined || c.status === 'rejected') continue;
      if (!held.has(id)) {
        lost += 1;
        continue;
      }
      if ((events.get(id) ?? 0) !== c.applied) historyMismatch += 1;
    }
    const duplicated = Array.from(byDescription.values()).filter((n) => n > 1).length + (twiceLogged?.n ?? 0);

    const hash = (s: string) => crypto.createHash('sha1').update(s).digest('hex');
    const teams = new Map<string, [string, number][]>();
    for (const r of rows) teams.set(r.team, [...(teams.get(r.team) ?? []), [r.id, r.rev]]);
    const expected = new Map(Array.from(teams, ([team, entries]) => [team, viewDigest(entries, hash)]));
    const empty = viewDigest([], hash);
    const staleViews = views.filter((v) => v.teamDigest !== (expected.get(v.team) ?? empty)).length;
    return { lost, duplicated, historyMismatch, staleViews };
  } finally {
    await db.close();
  }
}
