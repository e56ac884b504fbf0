import type { CallerLanguage } from '../../../../shared/domain/contact';
import { KbSuggestions } from '../kb/KbSuggestions';

/** What the call is about so far: the knowledge base suggests articles from it. */
export interface KbSlotProps {
  description: string;
  categoryCode: string;
  language: CallerLanguage;
}

/** The place in intake's context pane where the knowledge base's suggestions go. */
export function KbSlot({ description, categoryCode, language }: KbSlotProps) {
  return <KbSuggestions description={description} categoryCode={categoryCode} language={language} />;
}
