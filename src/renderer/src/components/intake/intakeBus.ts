import type { Draft } from '../../../../shared/domain/draft';

type Listener = (draft: Draft) => void;
const listeners = new Set<Listener>();

/**
 * Takes a saved draft up again in intake (the drafts queue calls this): the call on the form, if
 * any, is parked as a draft first, so nothing is lost.
 */
export function openDraftInIntake(draft: Draft): void {
  for (const l of listeners) l(draft);
}

export function onOpenDraft(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
