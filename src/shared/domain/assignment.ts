import type { CaseRecord } from './case';

/**
 * A case handed to another holder: the new assignee, rev + 1 and a `reassigned` event. The same
 * on the server (authoritative, after the intent and policy checks) and on the workstation
 * (optimistic effect).
 */
export function reassigned(
  record: CaseRecord,
  toUserId: string,
  ctx: { at: number; actor: { id: string; station: string | null } },
  /** The team the case moves to, when an admin moves it across teams. */
  toTeam: string = record.team,
): CaseRecord {
  const moved = toTeam !== record.team ? { fromTeam: record.team, toTeam } : {};
  return {
    ...record,
    team: toTeam,
    assignee: toUserId,
    rev: record.rev + 1,
    updatedAt: ctx.at,
    timeline: [
      ...record.timeline,
      { at: ctx.at, kind: 'reassigned', actor: ctx.actor.id, actorKind: 'staff', station: ctx.actor.station, note: null, data: { from: record.assignee, to: toUserId, ...moved } },
    ],
  };
}
