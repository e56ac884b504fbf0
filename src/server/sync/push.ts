import type { Database } from '../db/driver';
import type { MutationOutcome, PushRequest, PushResponse } from '../../shared/sync/protocol';
import type { TokenClaims } from '../auth/token';
import { lockClient, loggedMutation, recordMutation } from '../store/clients';
import { MutationRejected, serverMutators } from './mutators';

export interface PushResult {
  response: PushResponse;
  /** Scopes changed by the applied mutations (to poke after commit). */
  scopes: Set<string>;
}

/**
 * Applies one batch in one transaction, each mutation inside a savepoint: a rejected mutation is
 * rolled back alone and recorded with its reason; lastSeq advances in the same transaction, so a
 * resent mutation is recognised and never applied twice.
 */
export async function applyPush(db: Database, user: TokenClaims, station: string, req: PushRequest): Promise<PushResult> {
  const scopes = new Set<string>();
  const response = await db.tx(async (q): Promise<PushResponse> => {
    let lastSeq = await lockClient(q, req.clientId, db.dialect);
    const outcomes: MutationOutcome[] = [];
    for (const m of req.mutations) {
      if (m.clientId !== req.clientId) {
        return { ok: false, error: { code: 'bad_request', message: 'a mutation names another client' } };
      }
      if (m.seq <= lastSeq) {
        const logged = await loggedMutation(q, req.clientId, m.seq);
        if (logged && logged.mutationId !== m.id) {
          return { ok: false, error: { code: 'seq_reused', message: `seq ${m.seq} was already used by another mutation` } };
        }
        outcomes.push(
          logged?.status === 'rejected'
            ? { seq: m.seq, id: m.id, status: 'rejected', reason: { code: logged.reasonCode ?? 'rejected', message: logged.reasonMessage ?? '' } }
            : { seq: m.seq, id: m.id, status: 'duplicate' },
        );
        continue;
      }
      if (m.seq !== lastSeq + 1) {
        // A gap means an earlier mutation has not arrived; applying this one would reorder intent.
        return { ok: false, error: { code: 'seq_gap', message: `expected seq ${lastSeq + 1}, got ${m.seq}` } };
      }
      await q.run('SAVEPOINT mutation');
      try {
        const result = await serverMutators[m.name]({ q, user, station, now: Date.now() }, m.args);
        await q.run('RELEASE SAVEPOINT mutation');
        await recordMutation(q, { clientId: req.clientId, seq: m.seq, mutationId: m.id, name: m.name, status: 'applied' });
        result.scopes.forEach((s) => scopes.add(s));
        outcomes.push({ seq: m.seq, id: m.id, status: 'applied' });
      } catch (error) {
        if (!(error instanceof MutationRejected)) throw error;
        await q.run('ROLLBACK TO SAVEPOINT mutation');
        await q.run('RELEASE SAVEPOINT mutation');
        const reason = { code: error.code, message: error.message };
        await recordMutation(q, { clientId: req.clientId, seq: m.seq, mutationId: m.id, name: m.name, status: 'rejected', reason });
        outcomes.push({ seq: m.seq, id: m.id, status: 'rejected', reason });
      }
      lastSeq = m.seq;
    }
    return { ok: true, lastSeq, outcomes };
  });
  return { response, scopes };
}
