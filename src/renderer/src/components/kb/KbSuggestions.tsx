import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArticleHit } from '../../../../shared/contract/contract';
import { api } from '../../api/client';
import { primaryKeys } from '../../keys/actions';
import { showChord } from '../../keys/chords';
import { useAction } from '../../keys/hooks';
import { forAnswer, offerToIntake, openKbPanel } from './kbBus';
import './kb.css';

export interface KbSuggestionsProps {
  /** The category chosen so far (its articles come first); '' when none. */
  categoryCode: string;
  /** What the caller said, as typed. */
  description: string;
  /** The caller's language: an English caller is offered the English articles. */
  language?: string;
  /** Pause after the last key before asking (ms). */
  delayMs?: number;
}

const MIN_CHARS = 2;

/**
 * The top 3 articles for the call being typed (kb.suggest, debounced; expired ones never come),
 * for intake's context pane. Never takes focus. Alt+J opens them in the KB panel (the first one
 * shown, ↑↓ for the others), Alt+I puts the first one's answer script into the direct answer,
 * Alt+A answers the call with it.
 */
export function KbSuggestions({ categoryCode, description, language, delayMs = 300 }: KbSuggestionsProps) {
  const { t } = useTranslation();
  const [hits, setHits] = useState<readonly ArticleHit[]>([]);
  const text = description.trim();
  const articleLanguage = language === 'en' ? 'en' : language === undefined ? undefined : 'zh';

  useEffect(() => {
    if (text.length < MIN_CHARS && categoryCode === '') return;
    let live = true;
    const timer = setTimeout(() => {
      void api
        .invoke('kb.suggest', { text: text.slice(0, 4000), limit: 3, ...(categoryCode ? { categoryCode } : {}), ...(articleLanguage ? { language: articleLanguage } : {}) })
        .then((res) => {
          if (live) setHits(res.ok ? res.value : []);
        });
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, categoryCode, articleLanguage, delayMs]);

  const shown = text.length < MIN_CHARS && categoryCode === '' ? [] : hits;
  const first = shown[0];
  useAction('kb.openSuggestion', () => first && openKbPanel({ suggestions: shown, articleId: first.id }), first !== undefined);
  useAction('kb.insertScript', () => first && offerToIntake({ kind: 'insert', ...forAnswer(first) }), first !== undefined);
  useAction('kb.answerWith', () => first && offerToIntake({ kind: 'answer', ...forAnswer(first) }), first !== undefined);

  if (shown.length === 0) return null;
  const key = (id: Parameters<typeof primaryKeys>[0]) => showChord(primaryKeys(id));
  return (
    <section className="kb-suggest" aria-label={t('kb.suggestTitle')} data-testid="kb-suggestions" aria-live="polite">
      <h3 className="kb-suggest__title">
        {t('kb.suggestTitle')}{' '}
        <span className="kb-suggest__keys">
          <kbd>{key('kb.openSuggestion')}</kbd> {t('kb.keys.open')} · <kbd>{key('kb.insertScript')}</kbd> {t('kb.keys.insert')} · <kbd>{key('kb.answerWith')}</kbd> {t('kb.keys.answer')}
        </span>
      </h3>
      <ol className="kb-suggest__list">
        {shown.map((h) => (
          <li key={h.id} className="kb-suggest__item" data-testid="kb-suggestion" data-article-id={h.id}>
            <span className="kb-hit__title">{h.title}</span>
            <span className="kb-hit__text">{h.answerScript}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
