import type { Role } from '../domain/user';
import type { Space } from '../domain/space';

/**
 * Who may do what: the one table of roles × actions, with the rules that look at the object
 * (the case's team, the target user, the data space). The server enforces it on every mutation
 * and HTTP request; the workstation core refuses early with the same answer, and the renderer
 * hides what the role cannot do. Nothing else in the code base decides on a role.
 */
export const ACTIONS = [
  /** Log in and work in the space at all (the live space, or practice). */
  'space.enter',
  /** Register a case (intake). */
  'case.create',
  /**
   * Take a lifecycle step on a case (answer, dispatch, evaluate, close, reopen, merge), change its
   * intake record (type, urgency, language, callback) or record a repeat call about it.
   */
  'case.step',
  /** See a confidential caller's identity (the reason is logged on the case). */
  'case.reveal',
  /** Search the server's cases beyond this workstation's cache (older ones, the caller's history). */
  'case.search',
  /** Hand a case to another operator or lead. */
  'case.reassign',
  /** Hold cases: be the target of a reassignment. */
  'case.hold',
  /** Read the response, resolution and satisfaction rates. */
  'rates.read',
  /** Write, publish, retire and restore knowledge-base articles. */
  'kb.edit',
  /** Administer accounts: list, create, deactivate, reset passwords, change role and team, end sessions. */
  'user.admin',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The acting user as the policy sees them. */
export interface Actor {
  id: string;
  role: Role;
  team: string;
  /** The data space of the session (live when absent). */
  space?: Space;
}

/** What an action is done to, where that matters. */
export interface PolicyObject {
  /** The team of the case acted on. */
  caseTeam?: string;
  /** The team of the user a case is handed to (`case.reassign`). */
  targetTeam?: string;
  /** The reassignment says it moves the case to the target's team (`case.reassign`; admins only). */
  acrossTeams?: boolean;
  /** The space being entered (`space.enter`). */
  space?: Space;
}

export type Decision = { ok: true } | { ok: false; code: 'forbidden'; reason: string };

interface Rule {
  /** Roles allowed in the live space. */
  live: readonly Role[];
  /** Roles allowed in the training space (practice: trainers demonstrate, trainees act as operators). */
  training: readonly Role[];
  /** A check on the object, after the role passed; returns the reason when refused. */
  object?: (actor: Actor, object: PolicyObject) => string | null;
  /** What the refusal says about the roles, for the message. */
  says: string;
}

const STAFF: readonly Role[] = ['operator', 'lead', 'trainer', 'editor', 'admin'];

/** The table. Read a row as: in this space, these roles may, if the object rule agrees. */
export const POLICY: Readonly<Record<Action, Rule>> = {
  'space.enter': {
    live: STAFF,
    training: ['operator', 'lead', 'trainer', 'admin'],
    says: 'only hotline staff log in; knowledge editors have no practice space',
  },
  'case.create': {
    live: ['operator', 'lead', 'admin'],
    training: ['operator', 'lead', 'trainer', 'admin'],
    says: 'operators, shift leads and admins register cases (trainers too, in practice)',
  },
  'case.step': {
    live: ['operator', 'lead', 'admin'],
    training: ['operator', 'lead', 'trainer', 'admin'],
    // Operators work their own team's cases; leads and admins any.
    object: (actor, object) =>
      actor.role === 'operator' && object.caseTeam !== undefined && object.caseTeam !== actor.team ? `the case belongs to team ${object.caseTeam}` : null,
    says: 'operators, shift leads and admins change cases',
  },
  'case.reveal': {
    live: ['operator', 'lead', 'admin'],
    training: ['operator', 'lead', 'trainer', 'admin'],
    object: (actor, object) =>
      actor.role === 'operator' && object.caseTeam !== undefined && object.caseTeam !== actor.team ? `the case belongs to team ${object.caseTeam}` : null,
    says: 'operators of the case’s team, shift leads and admins may look, with a reason',
  },
  'case.search': {
    live: ['operator', 'lead', 'admin'],
    training: ['operator', 'lead', 'trainer', 'admin'],
    says: 'operators (their team’s cases), shift leads and admins search the server',
  },
  'case.reassign': {
    live: ['lead', 'admin'],
    training: ['lead', 'trainer', 'admin'],
    // Within the case's team; across teams only by an admin who says so (the case moves to that team).
    object: (actor, object) => {
      if (object.caseTeam === undefined || object.targetTeam === undefined || object.caseTeam === object.targetTeam) return null;
      if (actor.role === 'admin' && object.acrossTeams === true) return null;
      return actor.role === 'admin'
        ? `the case belongs to team ${object.caseTeam} and the user to team ${object.targetTeam}: say that the case moves across teams`
        : `the case belongs to team ${object.caseTeam} and the user to team ${object.targetTeam}: only an admin moves a case to another team`;
    },
    says: 'only shift leads and admins reassign cases',
  },
  'case.hold': {
    live: ['operator', 'lead'],
    training: ['operator', 'lead'],
    says: 'only operators and shift leads hold cases',
  },
  'rates.read': {
    live: ['lead', 'admin'],
    training: [],
    says: 'the rates are for shift leads and admins',
  },
  'kb.edit': {
    live: ['editor', 'admin'],
    // Practice reads the knowledge base as shipped; nobody edits it there.
    training: [],
    says: 'knowledge editors and admins write the knowledge base',
  },
  'user.admin': {
    live: ['admin'],
    // Accounts are the live directory's; practice mirrors it and changes nothing.
    training: [],
    says: 'only admins administer accounts and sessions',
  },
};

function decideRole(role: Role, action: Action, space: Space): boolean {
  return POLICY[action][space].includes(role);
}

/** Whether `actor` may do `action` (to `object`), and why not. */
export function decide(actor: Actor, action: Action, object: PolicyObject = {}): Decision {
  const rule = POLICY[action];
  const space = action === 'space.enter' ? (object.space ?? actor.space ?? 'live') : (actor.space ?? 'live');
  if (!decideRole(actor.role, action, space)) {
    return { ok: false, code: 'forbidden', reason: `role ${actor.role} may not ${action} in the ${space} space: ${rule.says}` };
  }
  const refused = rule.object?.(actor, object) ?? null;
  return refused === null ? { ok: true } : { ok: false, code: 'forbidden', reason: refused };
}

export function can(actor: Actor, action: Action, object?: PolicyObject): boolean {
  return decide(actor, action, object).ok;
}

/**
 * Whether a user can be handed cases (the target of a reassignment): an active account whose
 * role may hold cases; the reason when not.
 */
export function holdRefusal(target: { role: Role; active: boolean }, space: Space = 'live'): string | null {
  if (!target.active) return 'the user is deactivated';
  return decideRole(target.role, 'case.hold', space) ? null : `a ${target.role} cannot hold cases (${POLICY['case.hold'].says})`;
}

/** The actions a role may take in a space at all (object rules aside): what a screen offers. */
export function permissionsOf(role: Role, space: Space = 'live'): Action[] {
  return ACTIONS.filter((action) => decideRole(role, action, space));
}
