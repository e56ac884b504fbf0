import type { Database } from '../db/driver';
import type { MutationOutcome, Poke, PushRequest, PushResponse } from '../../shared/sync/protocol';
import { ChangeRecorder } from '../store/changes';
import type { TokenClaims } from '../auth/token';
import { lockClient, loggedMutation, recordMutation, setLastSeq } from '../store/clients';
import { MutationRejected, serverMutators } from './mutators';
import type { Logger } from '../log';
import { shippedReferenceSet, type ReferenceSet } from '../reference/reference-set';

export interface PushResult {
  response: PushResponse;
  /** One per scope the applied mutations changed, to send after commit. */
  pokes: Poke[];
}

/**
 * Applies one batch in one transaction, each mutation inside a savepoint: a rejected mutation is
 * rolled back alone and recorded with its reason; lastSeq advances in the same transaction, so a
 * resent mutation is recognised and never applied twice.
 */
export async function applyPush(
  db: Database,
  user: TokenClaims,
  station: string,
  req: PushRequest,
  log?: Logger,
  ref: ReferenceSet = shippedReferenceSet(),
): Promise<PushResult> {
  let pokes: Poke[] = [];
  // The whole batch is checked before anything is applied, so a refused batch changes nothing.
  for (const [i, m] of req.mutations.entries()) {
    if (m.clientId !== req.clientId) return { response: { ok: false, error: { code: 'bad_request', message: 'a mutation names another client' } }, pokes };
    const prev = req.mutations[i - 1];
    if (prev && m.seq !== prev.seq + 1) {
      return { response: { ok: false, error: { code: 'bad_request', message: `batch seqs must be consecutive (${prev.seq} then ${m.seq})` } }, pokes };
    }
  }
  const response = await db.tx(async (q): Promise<PushResponse> => {
    // Writers take the version counter first: every read-then-check of a mutation (intent checks)
    // then sees the latest committed state, on PostgreSQL too, with several server nodes.
    if (db.dialect === 'postgres') await q.get('SELECT version FROM version_counter WHERE id = 1 FOR UPDATE');
    const rec = new ChangeRecorder(q);
    const memo = new Map<string, boolean>();
    let lastSeq = await lockClient(q, req.clientId, db.dialect);
    const first = req.mutations[0];
    if (first && first.seq > lastSeq + 1) {
      // A gap means an earlier mutation has not arrived; applying this one would reorder intent.
      return { ok: false, error: { code: 'seq_gap', message: `expected seq ${lastSeq + 1}, got ${first.seq}` } };
    }
    const outcomes: MutationOutcome[] = [];
    for (const m of req.mutations) {
      if (m.seq <= lastSeq) {
        const logged = await loggedMutation(q, req.clientId, m.seq);
        if (logged && logged.mutationId !== m.id) {
          return { ok: false, error: { code: 'seq_reused', message: `seq ${m.seq} was already used by another mutation` } };
        }
        outcomes.push(
          logged?.status === 'rejected'
            ? {
                seq: m.seq,
                id: m.id,
                status: 'rejected',
                reason: {
                  code: logged.reasonCode ?? 'rejected',
                  message: logged.reasonMessage ?? '',
                  ...(logged.reasonCurrent === undefined ? {} : { current: logged.reasonCurrent }),
                },
              }
            : { seq: m.seq, id: m.id, status: 'duplicate' },
        );
        continue;
      }
      await q.run('SAVEPOINT mutation');
      const mark = rec.mark();
      try {
        await serverMutators[m.name]({ q, rec, user, station, now: Date.now(), memo, ref }, m.args);
        await q.run('RELEASE SAVEPOINT mutation');
        recordMutation(rec, { clientId: req.clientId, seq: m.seq, mutationId: m.id, name: m.name, status: 'applied' });
        outcomes.push({ seq: m.seq, id: m.id, status: 'applied' });
      } catch (error) {
        // If the savepoint cannot be restored the transaction itself is broken: the batch fails
        // and is retried. Otherwise the fault belongs to this mutation alone, which is recorded as
        // rejected so that one bad mutation never wedges the client's queue.
        await q.run('ROLLBACK TO SAVEPOINT mutation');
        await q.run('RELEASE SAVEPOINT mutation');
        if (!(error instanceof MutationRejected)) log?.error('mutation failed', { clientId: req.clientId, seq: m.seq, name: m.name, error });
        const reason =
          error instanceof MutationRejected
            ? { code: error.code, message: error.message, ...(error.current === undefined ? {} : { current: error.current }) }
            : { code: 'server_error', message: 'the server could not apply this change; it was not saved' };
        rec.discardSince(mark);
        recordMutation(rec, { clientId: req.clientId, seq: m.seq, mutationId: m.id, name: m.name, status: 'rejected', reason });
        outcomes.push({ seq: m.seq, id: m.id, status: 'rejected', reason });
      }
      lastSeq = m.seq;
    }
    await setLastSeq(q, req.clientId, lastSeq);
    pokes = await rec.finish();
    return { ok: true, lastSeq, outcomes };
  });
  return { response, pokes };
}
