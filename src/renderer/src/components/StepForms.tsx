import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView, Satisfaction } from '../../../shared/domain/case';
import { useStep } from '../hooks/useStep';
import { StepError } from './StepError';

interface FormProps {
  view: CaseView;
  autoFocus?: boolean;
}

function useAutoFocus<T extends HTMLElement>(on: boolean | undefined) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (on) ref.current?.focus();
  }, [on]);
  return ref;
}

/** A direct answer at intake, then closed at once (the caller has what they need). */
export function AnswerForm({ view, autoFocus }: FormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [answer, setAnswer] = useState('');
  const { run, busy, error } = useStep(view.id);
  const ref = useAutoFocus<HTMLTextAreaElement>(autoFocus);
  const submit = async (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    // The close is queued right behind the answer, against the revision the answer will make.
    if (await run({ action: 'answer', answer })) await run({ action: 'close' });
  };
  return (
    <form className="step-panel" aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)} data-testid="answer-form">
      <h3 id={`${id}-h`}>{t('answer.heading')}</h3>
      <textarea ref={ref} className="field__input" rows={3} value={answer} maxLength={4000} onChange={(e) => setAnswer(e.target.value)} data-testid="answer-text" aria-label={t('answer.heading')} />
      <StepError error={error} />
      <button type="submit" className="btn btn--primary" disabled={busy} data-testid="answer-submit">
        {t('answer.submit')}
      </button>
    </form>
  );
}

const SATISFACTION: readonly Satisfaction[] = ['satisfied', 'basically', 'unsatisfied'];

/** The callback: did the unit resolve it, how satisfied is the citizen, in their words. */
export function CallbackForm({ view, autoFocus }: FormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [resolved, setResolved] = useState<boolean | null>(null);
  const [satisfaction, setSatisfaction] = useState<Satisfaction | null>(null);
  const [words, setWords] = useState('');
  const [missing, setMissing] = useState(false);
  const { run, busy, error } = useStep(view.id);
  const ref = useAutoFocus<HTMLInputElement>(autoFocus);
  const submit = async (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (resolved === null || satisfaction === null) {
      setMissing(true);
      return;
    }
    setMissing(false);
    await run({ action: 'evaluate', resolved, satisfaction, words });
  };
  return (
    <form className="step-panel" aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)} data-testid="callback-form">
      <h3 id={`${id}-h`}>{t('callback.heading')}</h3>
      <fieldset className="choices">
        <legend>{t('callback.resolved')}</legend>
        <label>
          <input ref={ref} type="radio" name={`${id}-resolved`} checked={resolved === true} onChange={() => setResolved(true)} data-testid="callback-resolved-yes" />
          {t('callback.yes')}
        </label>
        <label>
          <input type="radio" name={`${id}-resolved`} checked={resolved === false} onChange={() => setResolved(false)} data-testid="callback-resolved-no" />
          {t('callback.no')}
        </label>
      </fieldset>
      <fieldset className="choices">
        <legend>{t('callback.satisfaction')}</legend>
        {SATISFACTION.map((s) => (
          <label key={s}>
            <input type="radio" name={`${id}-satisfaction`} checked={satisfaction === s} onChange={() => setSatisfaction(s)} data-testid={`callback-${s}`} />
            {t(`satisfaction.${s}`)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span className="field__label">{t('callback.words')}</span>
        <textarea className="field__input" rows={2} value={words} maxLength={2000} onChange={(e) => setWords(e.target.value)} data-testid="callback-words" />
      </label>
      {missing && (
        <p className="alert alert--error" role="alert">
          {t('callback.missing')}
        </p>
      )}
      <StepError error={error} />
      <button type="submit" className="btn btn--primary" disabled={busy} data-testid="callback-submit">
        {t('callback.submit')}
      </button>
    </form>
  );
}

/** Close a case that is done (answered, or evaluated after the callback). */
export function CloseButton({ view, autoFocus }: FormProps) {
  const { t } = useTranslation();
  const { run, busy, error } = useStep(view.id);
  const ref = useAutoFocus<HTMLButtonElement>(autoFocus);
  return (
    <div className="step-panel">
      <StepError error={error} />
      <button ref={ref} type="button" className="btn btn--primary" disabled={busy} onClick={() => void run({ action: 'close' })} data-testid="close-submit">
        {t('close.submit')}
      </button>
    </div>
  );
}

/** Reopen with the reason (the citizen called again, or the callback found it unresolved). */
export function ReopenForm({ view, autoFocus }: FormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  const { run, busy, error } = useStep(view.id);
  const ref = useAutoFocus<HTMLInputElement>(autoFocus);
  return (
    <form
      className="step-panel"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault();
        void run({ action: 'reopen', reason });
      }}
      data-testid="reopen-form"
    >
      <h3 id={`${id}-h`}>{t('reopen.heading')}</h3>
      <input ref={ref} className="field__input" value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} aria-label={t('reopen.reason')} placeholder={t('reopen.reason')} data-testid="reopen-reason" />
      <StepError error={error} />
      <button type="submit" className="btn" disabled={busy} data-testid="reopen-submit">
        {t('reopen.submit')}
      </button>
    </form>
  );
}

/** Merge a duplicate into the case that carries the matter (by its number). */
export function MergeForm({ view }: FormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [into, setInto] = useState('');
  const { run, busy, error } = useStep(view.id);
  return (
    <form
      className="step-panel step-panel--minor"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault();
        void run({ action: 'merge', intoNumber: into });
      }}
      data-testid="merge-form"
    >
      <h3 id={`${id}-h`}>{t('merge.heading')}</h3>
      <input className="field__input mono" value={into} maxLength={40} onChange={(e) => setInto(e.target.value)} aria-label={t('merge.into')} placeholder={t('merge.into')} data-testid="merge-into" />
      <StepError error={error} />
      <button type="submit" className="btn" disabled={busy} data-testid="merge-submit">
        {t('merge.submit')}
      </button>
    </form>
  );
}
