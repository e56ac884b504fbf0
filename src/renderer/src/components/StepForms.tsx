import { useEffect, useId, useRef, useState, type KeyboardEvent, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView, Satisfaction } from '../../../shared/domain/case';
import { CallbackOutcome } from '../../../shared/domain/amend';
import { nextInWindow } from '../../../shared/domain/contact';
import { api } from '../api/client';
import { unitName, useReference } from '../hooks/useReference';
import { useStep } from '../hooks/useStep';
import { store } from '../store';
import type { AppError } from '../../../shared/result';
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

/** Ctrl+Enter submits the form from any of its fields (Enter in a text area stays a new line). */
export function submitOnCtrlEnter(e: KeyboardEvent<HTMLFormElement>): void {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
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
    <form className="step-panel" aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)} onKeyDown={submitOnCtrlEnter} data-testid="answer-form">
      <h3 id={`${id}-h`}>{t('answer.heading')}</h3>
      <textarea ref={ref} className="field__input" rows={3} value={answer} maxLength={4000} onChange={(e) => setAnswer(e.target.value)} data-testid="answer-text" aria-label={t('answer.heading')} />
      <StepError error={error} />
      <button type="submit" className="btn btn--primary" disabled={busy} data-testid="answer-submit">
        {t('answer.submit')} <kbd>Ctrl+Enter</kbd>
      </button>
    </form>
  );
}

const SATISFACTION: readonly Satisfaction[] = ['satisfied', 'basically', 'unsatisfied'];

const HOUR = 3_600_000;

/** When to try again after an unanswered callback: soon, later, the next day; inside the citizen's window. */
function retryChoices(view: CaseView, now: number): { key: string; at: number | null }[] {
  const fit = (at: number) => (view.callbackWindow ? nextInWindow(view.callbackWindow, at) : at);
  return [
    { key: 'in30', at: fit(now + HOUR / 2) },
    { key: 'in2h', at: fit(now + 2 * HOUR) },
    { key: 'tomorrow', at: fit(now + 24 * HOUR) },
    { key: 'never', at: null },
  ];
}

/**
 * The callback: did the unit resolve it, how satisfied is the citizen, in their words. Or the
 * citizen could not be reached: the attempt is recorded and the next one scheduled (the queue
 * waits until then, inside the citizen's window).
 */
export function CallbackForm({ view, autoFocus }: FormProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [resolved, setResolved] = useState<boolean | null>(null);
  const [satisfaction, setSatisfaction] = useState<Satisfaction | null>(null);
  const [words, setWords] = useState('');
  const [missing, setMissing] = useState(false);
  const [unreached, setUnreached] = useState(false);
  const { run, busy, error } = useStep(view.id);
  const ref = useAutoFocus<HTMLInputElement>(autoFocus);
  const unreachableRef = useRef<HTMLButtonElement>(null);
  const submit = async (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (resolved === null || satisfaction === null) {
      setMissing(true);
      return;
    }
    setMissing(false);
    await run({ action: 'evaluate', resolved, satisfaction, words });
  };
  const fmt = new Intl.DateTimeFormat(i18n.language, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const callNumber = view.callerHidden ? null : (view.callbackPhone ?? view.callerPhone);
  return (
    <div className="step-panel step-panel--callback">
      <form aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)} onKeyDown={submitOnCtrlEnter} data-testid="callback-form" className="step-form">
        <h3 id={`${id}-h`}>{t('callback.heading')}</h3>
        <p className="callback__who">
          {callNumber && <span className="mono callback__phone">{t('caseView.callNumber', { phone: callNumber })}</span>}
          {view.callbackWindow && <span>{t('queues.window', { from: view.callbackWindow.from, to: view.callbackWindow.to })}</span>}
          <span>
            {t('caseView.callIn', { language: t(`callerLanguage.${view.language}`) })}
            {view.interpreter && <strong className="chip chip--interp">{t('queues.interpreterHint')}</strong>}
          </span>
          {view.callbackAttempts > 0 && <span className="muted">{t('queues.attempts', { count: view.callbackAttempts })}</span>}
        </p>
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
        <div className="step-buttons">
          <button type="submit" className="btn btn--primary" disabled={busy} data-testid="callback-submit">
            {t('callback.submit')} <kbd>Ctrl+Enter</kbd>
          </button>
          <button ref={unreachableRef} type="button" className="btn" aria-expanded={unreached} onClick={() => setUnreached(!unreached)} data-testid="callback-unreachable">
            {t('attempt.open')}
          </button>
        </div>
      </form>
      {unreached && (
        <AttemptForm
          view={view}
          fmt={fmt}
          onDone={() => {
            setUnreached(false);
            requestAnimationFrame(() => unreachableRef.current?.focus());
          }}
        />
      )}
    </div>
  );
}

/** "Citizen not reachable": the outcome and when to try again; recorded on the case, the queue reschedules. */
function AttemptForm({ view, fmt, onDone }: { view: CaseView; fmt: Intl.DateTimeFormat; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [outcome, setOutcome] = useState<CallbackOutcome>('unreachable');
  const [choices] = useState(() => retryChoices(view, Date.now()));
  const [retry, setRetry] = useState(choices[0]?.key ?? 'never');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const ref = useAutoFocus<HTMLSelectElement>(true);
  const submit = async (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const retryAt = choices.find((c) => c.key === retry)?.at ?? null;
    const res = await api.invoke('cases.callbackAttempt', { caseId: view.id, attempt: { outcome, retryAt, note } });
    setBusy(false);
    if (res.ok) {
      store.upsert(res.value);
      onDone();
    } else setError(res.error);
  };
  return (
    <form className="step-form step-form--attempt" aria-labelledby={`${id}-h`} onSubmit={(e) => void submit(e)} onKeyDown={submitOnCtrlEnter} data-testid="attempt-form">
      <h3 id={`${id}-h`}>{t('attempt.heading')}</h3>
      <div className="step-row">
        <label className="field">
          <span className="field__label">{t('attempt.outcome')}</span>
          <select ref={ref} className="field__input" value={outcome} onChange={(e) => setOutcome(CallbackOutcome.parse(e.target.value))} data-testid="attempt-outcome">
            {CallbackOutcome.options.map((o) => (
              <option key={o} value={o}>
                {t(`attempt.outcomes.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('attempt.retry')}</span>
          <select className="field__input" value={retry} onChange={(e) => setRetry(e.target.value)} data-testid="attempt-retry">
            {choices.map((c) => (
              <option key={c.key} value={c.key}>
                {c.at === null ? t('attempt.retryNever') : t(`attempt.retryAt.${c.key}`, { time: fmt.format(c.at) })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span className="field__label">{t('attempt.note')}</span>
        <input className="field__input" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} data-testid="attempt-note" />
      </label>
      <StepError error={error} />
      <button type="submit" className="btn btn--primary" disabled={busy} data-testid="attempt-submit">
        {t('attempt.submit')} <kbd>Ctrl+Enter</kbd>
      </button>
    </form>
  );
}

/** Close a case that is done (answered, or evaluated after the callback); `deliberate`: not the suggested step. */
export function CloseButton({ view, autoFocus, deliberate = false }: FormProps & { deliberate?: boolean }) {
  const { t } = useTranslation();
  const { run, busy, error } = useStep(view.id);
  const ref = useAutoFocus<HTMLButtonElement>(autoFocus);
  return (
    <div className={deliberate ? 'step-panel step-panel--minor' : 'step-panel'}>
      {deliberate && <p className="muted">{t('caseView.closeAnyway')}</p>}
      <StepError error={error} />
      <button ref={ref} type="button" className={deliberate ? 'btn' : 'btn btn--primary'} disabled={busy} onClick={() => void run({ action: 'close' })} data-testid="close-submit">
        {deliberate ? t('caseView.closeDeliberate') : t('close.submit')}
      </button>
    </div>
  );
}

/**
 * The callback found it unresolved or the citizen dissatisfied: back to the unit that handled it
 * (reopened and dispatched to it again in one go, the citizen's words as the reason), or reopened
 * for another unit (the dispatch panel follows). This is the suggested step; closing is not.
 */
export function ReturnToUnitForm({ view, autoFocus }: FormProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const reference = useReference();
  const words = view.evaluation?.words ?? '';
  const [reason, setReason] = useState(() => t('caseView.returnReasonDefault', { words: words || t(`satisfaction.${view.evaluation?.satisfaction ?? 'unsatisfied'}`) }));
  const { run, busy, error } = useStep(view.id);
  const ref = useAutoFocus<HTMLButtonElement>(autoFocus);
  const unit = unitName(reference, view.unitId, i18n.language);
  const back = async (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!view.unitId) return;
    if (await run({ action: 'reopen', reason })) await run({ action: 'dispatch', unitId: view.unitId, note: reason });
  };
  return (
    <form className="step-panel step-panel--return" aria-labelledby={`${id}-h`} onSubmit={(e) => void back(e)} onKeyDown={submitOnCtrlEnter} data-testid="return-form">
      <h3 id={`${id}-h`}>{t('caseView.returnHeading')}</h3>
      <label className="field">
        <span className="field__label">{t('caseView.returnReason')}</span>
        <input className="field__input" value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} data-testid="return-reason" />
      </label>
      <StepError error={error} />
      <div className="step-buttons">
        {view.unitId && (
          <button ref={ref} type="submit" className="btn btn--primary" disabled={busy} data-testid="return-submit">
            {t('caseView.returnTo', { unit })} <kbd>Ctrl+Enter</kbd>
          </button>
        )}
        <button type="button" className="btn" disabled={busy} onClick={() => void run({ action: 'reopen', reason })} data-testid="redispatch-other">
          {t('caseView.redispatchOther')}
        </button>
      </div>
    </form>
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
      onKeyDown={submitOnCtrlEnter}
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
      className="step-panel step-panel--minor step-panel--inline"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault();
        void run({ action: 'merge', intoNumber: into });
      }}
      onKeyDown={submitOnCtrlEnter}
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
