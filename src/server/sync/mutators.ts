import type { Queryable } from '../db/driver';
import type { MutationName } from '../../shared/sync/mutations';
import type { RejectionCode } from '../../shared/sync/protocol';
import { MutationArgs } from '../../shared/sync/mutations';
import type { TokenClaims } from '../auth/token';
import { caseNumberTaken, findCase, insertCase, teamScope } from '../store/cases';
import { categoryExists } from '../store/categories';

/** A mutation refused for a reason the operator must be told; it is recorded and never retried. */
export class MutationRejected extends Error {
  constructor(readonly code: RejectionCode, message: string) {
    super(message);
    this.name = 'MutationRejected';
  }
}

export interface MutationContext {
  q: Queryable;
  user: TokenClaims;
  station: string;
  now: number;
}

export interface MutatorResult {
  /** Sync scopes whose clients must be poked after commit. */
  scopes: string[];
}

const CREATE_ROLES = new Set(['operator', 'lead', 'admin']);

async function createCase(ctx: MutationContext, raw: unknown): Promise<MutatorResult> {
  const parsed = MutationArgs.createCase.safeParse(raw);
  if (!parsed.success) throw new MutationRejected('invalid_args', 'the case fields are not valid');
  const args = parsed.data;
  if (!CREATE_ROLES.has(ctx.user.role)) throw new MutationRejected('forbidden', `role ${ctx.user.role} may not register cases`);
  if (!args.number.startsWith(`${ctx.station}-`)) {
    throw new MutationRejected('bad_number', `case number ${args.number} does not belong to station ${ctx.station}`);
  }
  if (!(await categoryExists(ctx.q, args.categoryCode))) {
    throw new MutationRejected('unknown_category', `category ${args.categoryCode} does not exist`);
  }
  if (await findCase(ctx.q, args.id)) throw new MutationRejected('duplicate_id', `case ${args.id} already exists`);
  if (await caseNumberTaken(ctx.q, args.number)) throw new MutationRejected('number_taken', `case number ${args.number} is already used`);
  await insertCase(
    ctx.q,
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
    },
    { userId: ctx.user.sub, station: ctx.station },
  );
  return { scopes: [teamScope(ctx.user.team)] };
}

export const serverMutators: Record<MutationName, (ctx: MutationContext, args: unknown) => Promise<MutatorResult>> = {
  createCase,
};
