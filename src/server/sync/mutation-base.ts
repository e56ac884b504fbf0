import type { Queryable } from '../db/driver';
import { MutationArgs, type MutationName } from '../../shared/sync/mutations';
import type { RejectionCode } from '../../shared/sync/protocol';
import type { TokenClaims } from '../auth/token';
import type { ChangeRecorder } from '../store/changes';
import { categoryExists } from '../store/categories';
import type { ReferenceSet } from '../reference/reference-set';
import { decide, type Action, type PolicyObject } from '../../shared/policy/policy';
import { describeControlChar, findControlChar } from '../../shared/text/control';

// What every server mutator shares: the context of the push, refusals, argument parsing, the policy.

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
  ref: ReferenceSet;
  /** Lookups that cannot change within one push transaction (categories), shared by its mutations. */
  memo: Map<string, boolean>;
}

export async function knownCategory(ctx: MutationContext, code: string): Promise<boolean> {
  const key = `category:${code}`;
  let known = ctx.memo.get(key);
  if (known === undefined) {
    known = await categoryExists(ctx.q, code);
    ctx.memo.set(key, known);
  }
  return known;
}

export type Mutator = (ctx: MutationContext, args: unknown) => Promise<void>;

/** The policy's answer for the pushing user; a refusal is recorded as `forbidden`. */
export function authorize(ctx: MutationContext, action: Action, object?: PolicyObject): void {
  const decision = decide({ id: ctx.user.sub, role: ctx.user.role, team: ctx.user.team, space: ctx.user.space }, action, object);
  if (!decision.ok) throw new MutationRejected('forbidden', decision.reason);
}

export function parseArgs<N extends MutationName>(name: N, raw: unknown) {
  // Before the schema: a NUL would reach the store (PostgreSQL refuses it, losing the push).
  const control = findControlChar(raw);
  if (control) throw new MutationRejected('invalid_args', `${name}: ${describeControlChar(control)}`);
  const parsed = MutationArgs[name].safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.map(String).join('.') || name))].slice(0, 5);
    throw new MutationRejected('invalid_args', `the ${name} fields are not valid: ${fields.join(', ')}`);
  }
  return parsed.data as (typeof MutationArgs)[N]['_output'];
}

