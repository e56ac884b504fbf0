import { describe, expect, it } from 'vitest';
import { ACTIONS, can, decide, holdRefusal, permissionsOf, type Action } from '../../../src/shared/policy/policy';
import { Role } from '../../../src/shared/domain/user';
import type { Space } from '../../../src/shared/domain/space';

// The expected answers, written out by hand from the hotline's rules (not read from POLICY):
// who may do what in the live space and in practice.
const LIVE: Record<Action, readonly Role[]> = {
  'space.enter': ['operator', 'lead', 'trainer', 'editor', 'admin'],
  'case.create': ['operator', 'lead', 'admin'],
  'case.step': ['operator', 'lead', 'admin'],
  'case.reveal': ['operator', 'lead', 'admin'],
  'case.search': ['operator', 'lead', 'admin'],
  'case.reassign': ['lead', 'admin'],
  'case.hold': ['operator', 'lead'],
  'rates.read': ['lead', 'admin'],
  'kb.edit': ['editor', 'admin'],
  'user.admin': ['admin'],
};
const TRAINING: Record<Action, readonly Role[]> = {
  'space.enter': ['operator', 'lead', 'trainer', 'admin'],
  'case.create': ['operator', 'lead', 'trainer', 'admin'],
  'case.step': ['operator', 'lead', 'trainer', 'admin'],
  'case.reveal': ['operator', 'lead', 'trainer', 'admin'],
  'case.search': ['operator', 'lead', 'trainer', 'admin'],
  'case.reassign': ['lead', 'trainer', 'admin'],
  'case.hold': ['operator', 'lead'],
  'rates.read': [],
  'kb.edit': [],
  'user.admin': [],
};

const cells = (space: Space, table: Record<Action, readonly Role[]>) =>
  ACTIONS.flatMap((action) => Role.options.map((role) => [space, action, role, table[action].includes(role)] as const));

describe('policy', () => {
  it('lists exactly the actions the expectations cover', () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(LIVE).sort());
  });

  it.each([...cells('live', LIVE), ...cells('training', TRAINING)])('%s: %s by %s → %s', (space, action, role, allowed) => {
    const actor = { id: 'u1', role, team: 'team-a', space };
    const object = action === 'space.enter' ? { space } : {};
    const decision = decide(actor, action, object);
    expect(decision.ok).toBe(allowed);
    if (!decision.ok) {
      expect(decision.code).toBe('forbidden');
      expect(decision.reason).toContain(role);
    }
  });

  it('a service account can do nothing through the policy, in either space', () => {
    for (const space of ['live', 'training'] as const) expect(permissionsOf('service', space)).toEqual([]);
  });

  it('operators see a confidential caller only on their own team’s cases', () => {
    expect(can({ id: 'o', role: 'operator', team: 'team-a' }, 'case.reveal', { caseTeam: 'team-a' })).toBe(true);
    expect(can({ id: 'o', role: 'operator', team: 'team-a' }, 'case.reveal', { caseTeam: 'team-b' })).toBe(false);
    expect(can({ id: 'l', role: 'lead', team: 'team-a' }, 'case.reveal', { caseTeam: 'team-b' })).toBe(true);
  });

  it('operators step only their own team’s cases; leads and admins any team’s', () => {
    expect(can({ id: 'o', role: 'operator', team: 'team-a' }, 'case.step', { caseTeam: 'team-a' })).toBe(true);
    const other = decide({ id: 'o', role: 'operator', team: 'team-a' }, 'case.step', { caseTeam: 'team-b' });
    expect(other).toEqual({ ok: false, code: 'forbidden', reason: 'the case belongs to team team-b' });
    expect(can({ id: 'l', role: 'lead', team: 'team-a' }, 'case.step', { caseTeam: 'team-b' })).toBe(true);
    expect(can({ id: 'a', role: 'admin', team: 'ops' }, 'case.step', { caseTeam: 'team-b' })).toBe(true);
  });

  it('a case is handed within its team; across teams only by an admin who says so', () => {
    const lead = { id: 'l', role: 'lead', team: 'team-a' } as const;
    const admin = { id: 'a', role: 'admin', team: 'ops' } as const;
    expect(can(lead, 'case.reassign', { caseTeam: 'team-a', targetTeam: 'team-a' })).toBe(true);
    expect(decide(lead, 'case.reassign', { caseTeam: 'team-a', targetTeam: 'team-b', acrossTeams: true })).toMatchObject({ ok: false, reason: expect.stringContaining('only an admin') as string });
    expect(can(lead, 'case.reassign', { caseTeam: 'team-b', targetTeam: 'team-b' })).toBe(true);
    expect(can(admin, 'case.reassign', { caseTeam: 'team-a', targetTeam: 'team-b' })).toBe(false);
    expect(can(admin, 'case.reassign', { caseTeam: 'team-a', targetTeam: 'team-b', acrossTeams: true })).toBe(true);
  });

  it('space.enter judges the space asked for, not the session’s', () => {
    const editor = { id: 'e', role: 'editor' as const, team: 'knowledge', space: 'live' as const };
    expect(can(editor, 'space.enter', { space: 'live' })).toBe(true);
    expect(can(editor, 'space.enter', { space: 'training' })).toBe(false);
  });

  it('only active operators and leads can be handed cases', () => {
    expect(holdRefusal({ role: 'operator', active: true })).toBeNull();
    expect(holdRefusal({ role: 'lead', active: true })).toBeNull();
    expect(holdRefusal({ role: 'operator', active: false })).toBe('the user is deactivated');
    for (const role of ['trainer', 'editor', 'admin', 'service'] as const) expect(holdRefusal({ role, active: true })).toContain(role);
  });

  it('permissionsOf lists a role’s actions in the space', () => {
    expect(permissionsOf('operator')).toEqual(['space.enter', 'case.create', 'case.step', 'case.reveal', 'case.search', 'case.hold']);
    expect(permissionsOf('trainer', 'training')).toEqual(['space.enter', 'case.create', 'case.step', 'case.reveal', 'case.search', 'case.reassign']);
  });
});
