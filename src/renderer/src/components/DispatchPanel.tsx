import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DispatchSuggestion } from '../../../shared/contract/contract';
import type { CaseView } from '../../../shared/domain/case';
import type { AppError } from '../../../shared/result';
import { api } from '../api/client';
import { errorText } from '../format';
import { useStep } from '../hooks/useStep';
import { StepError } from './StepError';

interface Props {
  view: CaseView;
  autoFocus: boolean;
}

/**
 * The suggested units, best first, with the rule that put each there; arrows pick, Enter dispatches.
 * Suggestions come from the routing data on this workstation, so dispatch works offline.
 */
export function DispatchPanel({ view, autoFocus }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [suggestions, setSuggestions] = useState<DispatchSuggestion[] | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [active, setActive] = useState(0);
  const [note, setNote] = useState('');
  const { run, busy, error } = useStep(view.id);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    void api.invoke('dispatch.suggest', { caseId: view.id }).then((res) => {
      if (res.ok) {
        setSuggestions(res.value);
        setActive(0);
        setLoadError(null);
      } else setLoadError(res.error);
    });
  }, [view.id, view.status]);

  useEffect(() => {
    if (autoFocus && suggestions && suggestions.length > 0) listRef.current?.focus();
  }, [autoFocus, suggestions]);

  const dispatch = async (index: number) => {
    const s = suggestions?.[index];
    if (!s) return;
    await run({ action: 'dispatch', unitId: s.unitId, note });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    if (!suggestions?.length) return;
    if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, suggestions.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Home') setActive(0);
    else if (e.key === 'End') setActive(suggestions.length - 1);
    else if (e.key === 'Enter') void dispatch(active);
    else return;
    e.preventDefault();
  };

  const zh = i18n.language.startsWith('zh');
  return (
    <section
      className="step-panel"
      aria-labelledby={`${id}-h`}
      data-testid="dispatch-panel"
      onKeyDown={(e) => {
        // Ctrl+Enter from the note (or the list) sends to the chosen unit, like every form's Ctrl+Enter.
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
          e.preventDefault();
          void dispatch(active);
        }
      }}
    >
      <h3 id={`${id}-h`}>{t('dispatch.heading')}</h3>
      {loadError && (
        <p className="alert alert--error" role="alert">
          {t('dispatch.loadError', { reason: errorText(t, loadError) })}
        </p>
      )}
      {suggestions === null && !loadError && <p className="muted">{t('dispatch.loading')}</p>}
      {suggestions && (
        <ul
          ref={listRef}
          className="suggestions"
          role="listbox"
          tabIndex={0}
          aria-label={t('dispatch.heading')}
          aria-activedescendant={`${id}-opt-${active}`}
          onKeyDown={onKeyDown}
          data-testid="dispatch-suggestions"
        >
          {suggestions.map((s, i) => (
            <li
              key={s.unitId}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'suggestion is-active' : 'suggestion'}
              data-testid="dispatch-option"
              data-unit-id={s.unitId}
              onClick={() => setActive(i)}
              onDoubleClick={() => void dispatch(i)}
            >
              <span className="suggestion__name">{zh ? s.nameZh : s.nameEn}</span>
              <span className="suggestion__reason">{zh ? s.reason.zh : s.reason.en}</span>
              <span className="suggestion__code">{t(`suggestReason.${s.reasonCode}`)}</span>
            </li>
          ))}
        </ul>
      )}
      <label className="field">
        <span className="field__label">{t('dispatch.note')}</span>
        <input className="field__input" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} data-testid="dispatch-note" />
      </label>
      <StepError error={error} />
      <button type="button" className="btn btn--primary" disabled={busy || !suggestions?.length} onClick={() => void dispatch(active)} data-testid="dispatch-submit">
        {t('dispatch.submit')} <kbd>Enter</kbd> <kbd>Ctrl+Enter</kbd>
      </button>
    </section>
  );
}
