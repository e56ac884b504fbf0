import type { Queryable } from '../db/driver';
import type { MutationName } from '../../shared/sync/mutations';
import { MutationArgs } from '../../shared/sync/mutations';
import type { RejectionCode } from '../../shared/sync/protocol';
import type { TokenClaims } from '../auth/token';
import type { ChangeRecorder } from '../store/changes';
import { assignCase, caseClash, findCase, insertCase } from '../store/cases';
import { categoryExists } from '../store/categories';
import { findUserById } from '../store/users';

/** A mutation refused for a reason the operator must be told; it is recorded and never retried. */
export class MutationRejected extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
    /** For conflicts: the entity as it is now, so the workstation can show what changed. */
    readonly current?: unknown,
  ) {
    super(message);
    this.name = 'MutationRejected';
  }
}

export interface MutationContext {
  q: Queryable;
  rec: ChangeRecorder;
  user: TokenClaims;
  station: string;
  now: number;
  /** Lookups that cannot change within one push transaction (categories), shared by its mutations. */
  memo: Map<string, boolean>;
}

async function knownCategory(ctx: MutationContext, code: string): Promise<boolean> {
  const key = `category:${code}`;
  let known = ctx.memo.get(key);
  if (known === undefined) {
    known = await categoryExists(ctx.q, code);
    ctx.memo.set(key, known);
  }
  return known;
}

type Mutator = (ctx: MutationContext, args: unknown) => Promise<void>;

const CREATE_ROLES = new Set(['operator', 'lead', 'admin']);
const REASSIGN_ROLES = new Set(['lead', 'admin']);
const ASSIGNABLE_ROLES = new Set(['operator', 'lead']);

function parseArgs<N extends MutationName>(name: N, raw: unknown) {
  const parsed = MutationArgs[name].safeParse(raw);
  if (!parsed.success) throw new MutationRejected('invalid_args', `the ${name} fields are not valid`);
  return parsed.data as (typeof MutationArgs)[N]['_output'];
}

const createCase: Mutator = async (ctx, raw) => {
  const args = parseArgs('createCase', raw);
  if (!CREATE_ROLES.has(ctx.user.role)) throw new MutationRejected('forbidden', `role ${ctx.user.role} may not register cases`);
  if (!args.number.startsWith(`${ctx.station}-`)) {
    throw new MutationRejected('bad_number', `case number ${args.number} does not belong to station ${ctx.station}`);
  }
  if (!(await knownCategory(ctx, args.categoryCode))) {
    throw new MutationRejected('unknown_category', `category ${args.categoryCode} does not exist`);
  }
  const clash = await caseClash(ctx.q, args.id, args.number);
  if (clash === 'id') throw new MutationRejected('duplicate_id', `case ${args.id} already exists`);
  if (clash === 'number') throw new MutationRejected('number_taken', `case number ${args.number} is already used`);
  await insertCase(
    ctx.q,
    ctx.rec,
    {
      id: args.id,
      number: args.number,
      status: 'registered',
      channel: 'phone',
      callerPhone: args.callerPhone,
      callerName: args.callerName,
      categoryCode: args.categoryCode,
      address: args.address,
      description: args.description,
      createdBy: ctx.user.sub,
      team: ctx.user.team,
      station: ctx.station,
      // The operator's moment of intake, bounded so a wrong PC clock cannot date a case in the future.
      createdAt: Math.min(args.createdAt, ctx.now),
      updatedAt: ctx.now,
      // Whoever registers a case holds it until a lead hands it on.
      assignee: ctx.user.sub,
      rev: 1,
    },
    { userId: ctx.user.sub, station: ctx.station },
  );
};

const reassignCase: Mutator = async (ctx, raw) => {
  const args = parseArgs('reassignCase', raw);
  if (!REASSIGN_ROLES.has(ctx.user.role)) throw new MutationRejected('forbidden', `role ${ctx.user.role} may not reassign cases`);
  const current = await findCase(ctx.q, args.caseId);
  if (!current) throw new MutationRejected('not_found', `case ${args.caseId} does not exist`);
  if (current.rev !== args.expectedRev) {
    throw new MutationRejected('conflict', `case ${current.number} changed since you saw it (revision ${args.expectedRev} → ${current.rev})`, current);
  }
  const target = await findUserById(ctx.q, args.toUserId);
  if (!target || !target.active || !ASSIGNABLE_ROLES.has(target.role)) {
    throw new MutationRejected('invalid_args', `user ${args.toUserId} cannot take cases`);
  }
  await assignCase(ctx.q, ctx.rec, current, target.id, { userId: ctx.user.sub, station: ctx.station }, ctx.now);
};

export const serverMutators: Record<MutationName, Mutator> = { createCase, reassignCase };
