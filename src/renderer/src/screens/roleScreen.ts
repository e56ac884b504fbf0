import type { Role } from '../../../shared/domain/user';
import { can, type Actor } from '../../../shared/policy/policy';

/** The screens a login can land on. */
export type ScreenName = 'workspace' | 'kbEditor' | 'admin';

/**
 * Which screen a role works on: the knowledge editor edits the knowledge base, the admin has the
 * admin screen; operators, shift leads and trainers have the workspace (leads' and trainers' own
 * screens come later).
 */
export function screenFor(role: Role): ScreenName {
  switch (role) {
    case 'editor':
      return 'kbEditor';
    case 'admin':
      return 'admin';
    default:
      return 'workspace';
  }
}

/** Whether the workspace shows intake: only a role that may register cases in this space. */
export function canIntake(actor: Actor): boolean {
  return can(actor, 'case.create');
}
