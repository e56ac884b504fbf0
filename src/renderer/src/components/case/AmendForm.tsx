import { useId, useRef, useState, type KeyboardEvent, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseChanges } from '../../../../shared/domain/amend';
import type { CaseView } from '../../../../shared/domain/case';
import { CallerLanguage, ContactType, Urgency } from '../../../../shared/domain/contact';
import type { AppError } from '../../../../shared/result';
import { api } from '../../api/client';
import { primaryKeys } from '../../keys/actions';
import { showChord } from '../../keys/chords';
import { useAction } from '../../keys/hooks';
import { store } from '../../store';
import { StepError } from '../StepError';
import { submitOnCtrlEnter } from '../StepForms';

interface Values {
  contactType: ContactType;
  urgency: Urgency;
  language: CallerLanguage;
  interpreter: boolean;
  confidential: boolean;
  callbackPhone: string;
  from: string;
  to: string;
}

function valuesOf(v: CaseView): Values {
  return {
    contactType: v.contactType,
    urgency: v.urgency,
    language: v.language,
    interpreter: v.interpreter,
    confidential: v.confidential,
    callbackPhone: v.callbackPhone ?? '',
    from: v.callbackWindow?.from ?? '',
    to: v.callbackWindow?.to ?? '',
  };
}

/** Only what changed (the core records each change on the timeline, from → to). */
function changesOf(before: CaseView, v: Values): CaseChanges {
  const c: CaseChanges = {};
  if (v.contactType !== before.contactType) c.contactType = v.contactType;
  if (v.urgency !== before.urgency) c.urgency = v.urgency;
  if (v.language !== before.language) c.language = v.language;
  if (v.interpreter !== before.interpreter) c.interpreter = v.interpreter;
  if (v.confidential !== before.confidential) c.confidential = v.confidential;
  // A hidden caller's callback number is not shown, so it is not offered for change either.
  if (!before.callerHidden && v.callbackPhone.trim() !== (before.callbackPhone ?? '')) c.callbackPhone = v.callbackPhone.trim() === '' ? null : v.callbackPhone.trim();
  const window = v.from === '' && v.to === '' ? null : { from: v.from, to: v.to };
  if (JSON.stringify(window) !== JSON.stringify(before.callbackWindow)) c.callbackWindow = window;
  return c;
}

/**
 * Changes to the intake record after registration: type, urgency, language, interpreter,
 * confidentiality, the callback number and window (`cases.amend`; on the timeline). Alt+M opens
 * it at its first field; Ctrl+Enter saves; Esc closes it without saving.
 */
export function AmendForm({ view }: { view: CaseView }) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Values>(() => valuesOf(view));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [noChange, setNoChange] = useState(false);
  const firstRef = useRef<HTMLSelectElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  const start = () => {
    setValues(valuesOf(view));
    setError(null);
    setNoChange(false);
    setOpen(true);
    requestAnimationFrame(() => firstRef.current?.focus());
  };
  const stop = () => {
    setOpen(false);
    requestAnimationFrame(() => toggleRef.current?.focus());
  };
  useAction('case.amend', start);

  const set = (patch: Partial<Values>) => setValues((v) => ({ ...v, ...patch }));
  const submit = async (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const changes = changesOf(view, values);
    if (Object.keys(changes).length === 0) {
      setNoChange(true);
      return;
    }
    setBusy(true);
    const res = await api.invoke('cases.amend', { caseId: view.id, changes });
    setBusy(false);
    if (res.ok) {
      store.upsert(res.value);
      stop();
    } else setError(res.error);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      stop();
      return;
    }
    submitOnCtrlEnter(e);
  };

  return (
    <section className="amend" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="amend__head">
        <button ref={toggleRef} type="button" className="btn btn--small" aria-expanded={open} onClick={open ? stop : start} aria-keyshortcuts={primaryKeys('case.amend')} data-testid="amend-open">
          {t('caseView.amend')} <kbd>{showChord(primaryKeys('case.amend'))}</kbd>
        </button>
      </h3>
      {open && (
        <form className="step-panel amend__form" onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown} data-testid="amend-form">
          <div className="amend__grid">
            <label className="field">
              <span className="field__label">{t('caseView.field.contactType')}</span>
              <select ref={firstRef} className="field__input" value={values.contactType} onChange={(e) => set({ contactType: ContactType.parse(e.target.value) })} data-testid="amend-type">
                {ContactType.options.map((o) => (
                  <option key={o} value={o}>
                    {t(`contactType.${o}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field__label">{t('caseView.field.urgency')}</span>
              <select className="field__input" value={values.urgency} onChange={(e) => set({ urgency: Urgency.parse(e.target.value) })} data-testid="amend-urgency">
                {Urgency.options.map((o) => (
                  <option key={o} value={o}>
                    {t(`urgency.${o}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field__label">{t('caseView.field.language')}</span>
              <select className="field__input" value={values.language} onChange={(e) => set({ language: CallerLanguage.parse(e.target.value) })} data-testid="amend-language">
                {CallerLanguage.options.map((o) => (
                  <option key={o} value={o}>
                    {t(`callerLanguage.${o}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field field--check">
              <input type="checkbox" checked={values.interpreter} onChange={(e) => set({ interpreter: e.target.checked })} data-testid="amend-interpreter" />
              <span>{t('caseView.field.interpreter')}</span>
            </label>
            <label className="field field--check">
              <input type="checkbox" checked={values.confidential} onChange={(e) => set({ confidential: e.target.checked })} data-testid="amend-confidential" />
              <span>{t('caseView.field.confidential')}</span>
            </label>
            {!view.callerHidden && (
              <label className="field">
                <span className="field__label">{t('caseView.field.callbackPhone')}</span>
                <input className="field__input mono" value={values.callbackPhone} maxLength={40} inputMode="tel" onChange={(e) => set({ callbackPhone: e.target.value })} data-testid="amend-callback-phone" />
              </label>
            )}
            <fieldset className="field amend__window">
              <legend className="field__label">{t('caseView.field.callbackWindow')}</legend>
              <input type="time" className="field__input" value={values.from} onChange={(e) => set({ from: e.target.value })} aria-label={t('caseView.windowFrom')} data-testid="amend-window-from" />
              <input type="time" className="field__input" value={values.to} onChange={(e) => set({ to: e.target.value })} aria-label={t('caseView.windowTo')} data-testid="amend-window-to" />
            </fieldset>
          </div>
          {noChange && <p className="muted" role="status">{t('caseView.noChange')}</p>}
          <StepError error={error} />
          <div className="step-buttons">
            <button type="submit" className="btn btn--primary" disabled={busy} data-testid="amend-submit">
              {t('caseView.amendSubmit')} <kbd>Ctrl+Enter</kbd>
            </button>
            <button type="button" className="btn" onClick={stop}>
              {t('caseView.cancel')} <kbd>Esc</kbd>
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
