import { useId, useRef, useState, type KeyboardEvent, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../../shared/domain/case';
import type { AppError } from '../../../../shared/result';
import { api } from '../../api/client';
import { primaryKeys } from '../../keys/actions';
import { showChord } from '../../keys/chords';
import { useAction } from '../../keys/hooks';
import { store } from '../../store';
import { StepError } from '../StepError';
import { submitOnCtrlEnter } from '../StepForms';

/**
 * A confidential caller, withheld from this user: "reveal" asks for the reason, which is logged on
 * the case for good (`cases.revealCaller`); then the name and numbers show.
 */
export function RevealCaller({ view }: { view: CaseView }) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  const start = () => {
    setOpen(true);
    requestAnimationFrame(() => inputRef.current?.focus());
  };
  useAction('case.reveal', start, view.callerHidden);

  const submit = async (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const res = await api.invoke('cases.revealCaller', { caseId: view.id, reason });
    setBusy(false);
    if (res.ok) store.upsert(res.value);
    else setError(res.error);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
      requestAnimationFrame(() => buttonRef.current?.focus());
      return;
    }
    submitOnCtrlEnter(e);
  };

  if (!open) {
    return (
      <span className="reveal">
        <span className="muted">{t('caseView.hidden')}</span>{' '}
        <button ref={buttonRef} type="button" className="btn btn--small" onClick={start} aria-keyshortcuts={primaryKeys('case.reveal')} data-testid="reveal-open">
          {t('caseView.reveal')} <kbd>{showChord(primaryKeys('case.reveal'))}</kbd>
        </button>
      </span>
    );
  }
  return (
    <form className="reveal reveal--form" aria-labelledby={`${id}-l`} onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown} data-testid="reveal-form">
      <label id={`${id}-l`} htmlFor={`${id}-i`} className="field__label">
        {t('caseView.revealReason')}
      </label>
      <input ref={inputRef} id={`${id}-i`} className="field__input" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} data-testid="reveal-reason" />
      <button type="submit" className="btn btn--small btn--primary" disabled={busy} data-testid="reveal-submit">
        {t('caseView.revealSubmit')} <kbd>Enter</kbd>
      </button>
      <StepError error={error} />
    </form>
  );
}
