import type { Database, Queryable } from '../db/driver';
import type { Mutation, MutationOutcome, Poke, PushRequest, PushResponse } from '../../shared/sync/protocol';
import type { ChangeRecorder } from '../store/changes';
import { writeTx } from '../lifecycle/write';
import type { TokenClaims } from '../auth/token';
import { lockClient, loggedMutation, recordMutation, setLastSeq } from '../store/clients';
import { MutationRejected, serverMutators, type MutationContext } from './mutators';
import type { Logger } from '../log';
import { shippedReferenceSet, type ReferenceSet } from '../reference/reference-set';

export interface PushResult {
  response: PushResponse;
  /** One per scope the applied mutations changed, to send after commit. */
  pokes: Poke[];
}

/** How many mutations share one savepoint on the optimistic path. */
export const RUN_LENGTH = 100;

type ApplyContext = Omit<MutationContext, 'now'>;

/**
 * Applies `run` under one savepoint. On the first failure the savepoint (all of the run) is rolled
 * back and the failing mutation's index and error are returned. A failure to roll back breaks the
 * transaction itself: it propagates and the whole batch fails (and is retried).
 */
async function applyRun(q: Queryable, rec: ChangeRecorder, ctx: ApplyContext, run: readonly Mutation[]): Promise<{ index: number; error: unknown } | undefined> {
  await q.run('SAVEPOINT run');
  const mark = rec.mark();
  for (const [index, m] of run.entries()) {
    try {
      await serverMutators[m.name]({ ...ctx, now: Date.now() }, m.args);
    } catch (error) {
      await q.run('ROLLBACK TO SAVEPOINT run');
      await q.run('RELEASE SAVEPOINT run');
      rec.discardSince(mark);
      return { index, error };
    }
  }
  await q.run('RELEASE SAVEPOINT run');
  return undefined;
}

/** Applies one mutation in its own savepoint; returns its error (after rolling it back) or undefined. */
async function applyOne(q: Queryable, rec: ChangeRecorder, ctx: ApplyContext, m: Mutation): Promise<unknown> {
  await q.run('SAVEPOINT mutation');
  const mark = rec.mark();
  try {
    await serverMutators[m.name]({ ...ctx, now: Date.now() }, m.args);
    await q.run('RELEASE SAVEPOINT mutation');
    return undefined;
  } catch (error) {
    // If the savepoint cannot be restored the transaction itself is broken: the batch fails and is
    // retried. Otherwise the fault belongs to this mutation alone, which is recorded as rejected so
    // that one bad mutation never wedges the client's queue.
    await q.run('ROLLBACK TO SAVEPOINT mutation');
    await q.run('RELEASE SAVEPOINT mutation');
    rec.discardSince(mark);
    return error ?? new Error('mutation failed without an error');
  }
}

/**
 * Applies one batch in one transaction, with the outcomes of a savepoint per mutation (runs of
 * RUN_LENGTH share one until a mutation fails): a rejected mutation is rolled back alone and
 * recorded with its reason; lastSeq advances in the same transaction, so a resent mutation is
 * recognised and never applied twice.
 */
export async function applyPush(
  db: Database,
  user: TokenClaims,
  station: string,
  req: PushRequest,
  log?: Logger,
  ref: ReferenceSet = shippedReferenceSet(),
): Promise<PushResult> {
  const none: Poke[] = [];
  // The whole batch is checked before anything is applied, so a refused batch changes nothing.
  for (const [i, m] of req.mutations.entries()) {
    if (m.clientId !== req.clientId) return { response: { ok: false, error: { code: 'bad_request', message: 'a mutation names another client' } }, pokes: none };
    const prev = req.mutations[i - 1];
    if (prev && m.seq !== prev.seq + 1) {
      return { response: { ok: false, error: { code: 'bad_request', message: `batch seqs must be consecutive (${prev.seq} then ${m.seq})` } }, pokes: none };
    }
  }
  // writeTx takes the version counter first (intent checks see the latest committed state) and
  // writes the change log at the end; nothing is recorded before a batch is refused.
  const { value: response, pokes: committed } = await writeTx(db, async (q, rec): Promise<PushResponse> => {
    const memo = new Map<string, boolean>();
    let lastSeq = await lockClient(q, req.clientId, db.dialect);
    const first = req.mutations[0];
    if (first && first.seq > lastSeq + 1) {
      // A gap means an earlier mutation has not arrived; applying this one would reorder intent.
      return { ok: false, error: { code: 'seq_gap', message: `expected seq ${lastSeq + 1}, got ${first.seq}` } };
    }
    const outcomes: MutationOutcome[] = [];
    const fresh: Mutation[] = [];
    for (const m of req.mutations) {
      if (m.seq > lastSeq) {
        fresh.push(m);
        continue;
      }
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
    }

    const ctx: ApplyContext = { q, rec, user, station, memo, ref };
    const applied = (m: Mutation) => {
      recordMutation(rec, { clientId: req.clientId, seq: m.seq, mutationId: m.id, name: m.name, status: 'applied' });
      outcomes.push({ seq: m.seq, id: m.id, status: 'applied' });
    };
    const rejected = (m: Mutation, error: unknown) => {
      if (!(error instanceof MutationRejected)) log?.error('mutation failed', { clientId: req.clientId, seq: m.seq, name: m.name, error });
      const reason =
        error instanceof MutationRejected
          ? { code: error.code, message: error.message, ...(error.current === undefined ? {} : { current: error.current }) }
          : { code: 'server_error', message: 'the server could not apply this change; it was not saved' };
      recordMutation(rec, { clientId: req.clientId, seq: m.seq, mutationId: m.id, name: m.name, status: 'rejected', reason });
      outcomes.push({ seq: m.seq, id: m.id, status: 'rejected', reason });
    };
    // Mutations are applied in runs of up to RUN_LENGTH under one savepoint. When one of them fails,
    // the run is rolled back; the mutations before the failing one are applied again one savepoint
    // each (the original path), and the failing one is recorded as rejected with the error it raised
    // (its writes went with the run). So the outcome of every mutation is what applying each in its
    // own savepoint gives, without a savepoint per mutation when none fails.
    for (let i = 0; i < fresh.length; ) {
      const run = fresh.slice(i, i + RUN_LENGTH);
      const failure = await applyRun(q, rec, ctx, run);
      if (!failure) {
        run.forEach(applied);
        i += run.length;
        continue;
      }
      for (const m of run.slice(0, failure.index)) {
        const error = await applyOne(q, rec, ctx, m);
        if (error === undefined) applied(m);
        else rejected(m, error);
      }
      const failed = run[failure.index];
      if (failed) rejected(failed, failure.error);
      i += failure.index + 1;
    }
    lastSeq = Math.max(lastSeq, fresh[fresh.length - 1]?.seq ?? 0);
    await setLastSeq(q, req.clientId, lastSeq);
    return { ok: true, lastSeq, outcomes };
  });
  return { response, pokes: committed };
}
