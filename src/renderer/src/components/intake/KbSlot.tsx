import type { CallerLanguage } from '../../../../shared/domain/contact';

/** What the call is about so far: the knowledge base suggests articles from it. */
export interface KbSlotProps {
  description: string;
  categoryCode: string;
  language: CallerLanguage;
}

/**
 * The place in intake's context pane where the knowledge base's suggestions go (the KB panel
 * fills this component in; intake passes what the call is about). Empty until then.
 */
export function KbSlot(_props: KbSlotProps) {
  return null;
}
