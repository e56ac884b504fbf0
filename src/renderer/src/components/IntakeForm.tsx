import { useId, useRef, useState, type KeyboardEvent, type RefObject, type SubmitEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { CaseView } from '../../../shared/domain/case';
import type { AppError } from '../../../shared/result';
import { api } from '../api/client';
import type { CategoryTree } from '../store/categories';
import { store } from '../store';
import { primaryKeys } from '../keys/actions';
import { showChord } from '../keys/chords';
import { useAction, useKeyFlag } from '../keys/hooks';
import { errorText, fieldText, useFormatters } from '../format';
import { CategorySelect } from './CategorySelect';
import { FieldError } from './FieldError';
import { IntakeQuestions, questionInputId, toAnswers } from './IntakeQuestions';
import { checkIntakeAnswers } from '../../../shared/reference/intake';

/** Tab order of the form, which is also the order in which the first invalid field is sought. */
const FIELDS = ['callerPhone', 'callerName', 'categoryCode', 'address', 'description'] as const;
type FieldName = (typeof FIELDS)[number];
type Draft = Record<FieldName, string>;

const EMPTY_DRAFT: Draft = { callerPhone: '', callerName: '', categoryCode: '', address: '', description: '' };
const DESCRIPTION_MAX = 4000;

function isField(key: string): key is FieldName {
  return FIELDS.some((field) => field === key);
}

interface Props {
  categories: CategoryTree;
  /** The caller's phone field, where the next call starts (Alt+N, owned by the workspace). */
  phoneRef: RefObject<HTMLInputElement | null>;
  /** Opens a case (the one just registered) to dispatch or answer it. */
  onOpen: (caseId: string) => void;
}

export function IntakeForm({ categories, phoneRef, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const id = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<AppError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [created, setCreated] = useState<CaseView | null>(null);
  // Answers to the chosen category's questions (raw field values), and their problems by key.
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [answerErrors, setAnswerErrors] = useState<Record<string, string>>({});
  // Set after a submit stopped on unanswered required questions: the next submit saves without them.
  const [confirmMissing, setConfirmMissing] = useState(false);
  const questions = categories.byCode.get(draft.categoryCode)?.intakeQuestions ?? [];
  // The state flag re-renders the button; the ref stops a second Enter before that render lands.
  const submittingRef = useRef(false);
  const refs = {
    callerPhone: phoneRef,
    callerName: useRef<HTMLInputElement>(null),
    categoryCode: useRef<HTMLSelectElement>(null),
    address: useRef<HTMLInputElement>(null),
    description: useRef<HTMLTextAreaElement>(null),
  };

  // Alt+O: open the case just registered, to dispatch or answer it without the mouse (focus: its first action).
  useKeyFlag('created', created !== null);
  useAction('intake.openCreated', () => {
    if (created) onOpen(created.id);
  });

  const setAnswer = (key: string, value: string) => {
    setConfirmMissing(false);
    setAnswers((a) => ({ ...a, [key]: value }));
    setAnswerErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => k !== key)));
  };

  const set = (field: FieldName) => (value: string) => {
    // Another category asks other questions.
    if (field === 'categoryCode') {
      setAnswers({});
      setAnswerErrors({});
      setConfirmMissing(false);
    }
    setDraft((d) => ({ ...d, [field]: value }));
    // The operator is fixing it: stop shouting about this field.
    setFieldErrors((errs) => (field in errs ? Object.fromEntries(Object.entries(errs).filter(([key]) => key !== field)) : errs));
  };

  const clear = () => {
    setDraft(EMPTY_DRAFT);
    setFieldErrors({});
    setFormError(null);
    setAnswers({});
    setAnswerErrors({});
    setConfirmMissing(false);
    refs.callerPhone.current?.focus();
  };

  const submit = async () => {
    if (submittingRef.current) return;
    // Ask for every required answer once; a second submit saves without them (the caller hung up).
    const unanswered = questions.filter((q) => checkIntakeAnswers([q], toAnswers([q], answers))[q.key] === 'required');
    if (unanswered.length > 0 && !confirmMissing) {
      setAnswerErrors(Object.fromEntries(unanswered.map((q) => [q.key, 'required'])));
      setConfirmMissing(true);
      const first = unanswered[0];
      if (first) document.getElementById(questionInputId(id, first.key))?.focus();
      return;
    }
    submittingRef.current = true;
    setSubmitting(true);
    setFormError(null);
    const res = await api.invoke('cases.create', { ...draft, answers: toAnswers(questions, answers) });
    submittingRef.current = false;
    setSubmitting(false);
    if (res.ok) {
      setCreated(res.value);
      setDraft(EMPTY_DRAFT);
      setFieldErrors({});
      setAnswers({});
      setAnswerErrors({});
      setConfirmMissing(false);
      refs.callerPhone.current?.focus();
      store.upsert(res.value);
      return;
    }
    const errs: Partial<Record<FieldName, string>> = {};
    const qErrs: Record<string, string> = {};
    let unplaced = false;
    for (const [path, message] of Object.entries(res.error.fields ?? {})) {
      if (isField(path)) errs[path] = message;
      else if (path.startsWith('answers.')) qErrs[path.slice('answers.'.length)] = message;
      else unplaced = true;
    }
    setFieldErrors(errs);
    setAnswerErrors(qErrs);
    // The first problem in tab order: the fixed fields, then the questions in the category's order.
    const first = FIELDS.find((f) => f in errs);
    const firstQuestion = questions.find((q) => q.key in qErrs);
    if (first) refs[first].current?.focus();
    else if (firstQuestion) document.getElementById(questionInputId(id, firstQuestion.key))?.focus();
    if ((!first && !firstQuestion) || unplaced || res.error.code !== 'invalid_input') setFormError(res.error);
  };

  const onSubmit = (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    void submit();
  };

  const onFormKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.defaultPrevented) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      clear();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      // Ctrl+Enter saves from any field (the description, or a question after it).
      e.preventDefault();
      void submit();
    }
  };

  const onDescriptionKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    }
  };

  const errorId = (field: FieldName) => `${id}-${field}-error`;
  const a11y = (field: FieldName) => ({
    id: `${id}-${field}`,
    'aria-invalid': field in fieldErrors ? true : undefined,
    'aria-describedby': field in fieldErrors ? errorId(field) : undefined,
  });
  const message = (field: FieldName) => {
    const code = fieldErrors[field];
    return code === undefined ? null : <FieldError id={errorId(field)} text={fieldText(t, code)} />;
  };

  const chosen = categories.byCode.get(draft.categoryCode);

  return (
    <section className="panel intake" aria-labelledby={`${id}-heading`}>
      <header className="panel__head">
        <h2 id={`${id}-heading`}>{t('intake.heading')}</h2>
      </header>
      <div className="intake__result" data-testid="intake-result" aria-live="polite" aria-atomic="true">
        {created && (
          <>
            <p className="intake__result-text">
              <Trans
                i18nKey="intake.result"
                values={{ number: created.number }}
                components={{ num: <strong className="case-number case-number--big" /> }}
              />
            </p>
          </>
        )}
      </div>
      {created && (
        <button type="button" className="btn btn--small intake__open" onClick={() => onOpen(created.id)} aria-keyshortcuts={primaryKeys('intake.openCreated')} data-testid="intake-open">
          {t('intake.openCreated')} <kbd>{showChord(primaryKeys('intake.openCreated'))}</kbd>
        </button>
      )}
      <form className="intake__form" onSubmit={onSubmit} onKeyDown={onFormKeyDown} noValidate>
        <div className="intake__row">
          <div className="field field--phone">
            <label className="field__label" htmlFor={`${id}-callerPhone`}>
              {t('intake.phone')} <span className="field__req" aria-hidden="true">*</span>
            </label>
            <input
              ref={refs.callerPhone}
              {...a11y('callerPhone')}
              data-testid="intake-phone"
              type="tel"
              inputMode="tel"
              autoComplete="off"
              autoFocus
              aria-required="true"
              maxLength={24}
              className="mono"
              value={draft.callerPhone}
              onChange={(e) => set('callerPhone')(e.target.value)}
            />
            {message('callerPhone')}
          </div>
          <div className="field field--name">
            <label className="field__label" htmlFor={`${id}-callerName`}>
              {t('intake.name')} <span className="field__opt">{t('intake.optional')}</span>
            </label>
            <input
              ref={refs.callerName}
              {...a11y('callerName')}
              data-testid="intake-name"
              autoComplete="off"
              maxLength={50}
              value={draft.callerName}
              onChange={(e) => set('callerName')(e.target.value)}
            />
            {message('callerName')}
          </div>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-categoryCode`}>
            {t('intake.category')} <span className="field__req" aria-hidden="true">*</span>
          </label>
          <CategorySelect
            ref={refs.categoryCode}
            {...a11y('categoryCode')}
            data-testid="intake-category"
            aria-required="true"
            tree={categories}
            value={draft.categoryCode}
            onChange={(e) => set('categoryCode')(e.target.value)}
          />
          {message('categoryCode') ??
            (chosen && (
              <p className={`field__hint sla sla--${chosen.slaClass}`}>
                {t(`sla.${chosen.slaClass}`)}
                {chosen.directAnswer && <> · {t('intake.directAnswer')}</>}
              </p>
            ))}
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-address`}>
            {t('intake.address')} <span className="field__req" aria-hidden="true">*</span>
          </label>
          <input
            ref={refs.address}
            {...a11y('address')}
            data-testid="intake-address"
            autoComplete="off"
            aria-required="true"
            maxLength={200}
            value={draft.address}
            onChange={(e) => set('address')(e.target.value)}
          />
          {message('address')}
        </div>
        <div className="field field--grow">
          <label className="field__label" htmlFor={`${id}-description`}>
            {t('intake.description')} <span className="field__req" aria-hidden="true">*</span>
            <span className="field__counter" aria-hidden="true">
              {t('intake.counter', { used: fmt.integer.format(draft.description.length), max: fmt.integer.format(DESCRIPTION_MAX) })}
            </span>
          </label>
          <textarea
            ref={refs.description}
            {...a11y('description')}
            data-testid="intake-description"
            aria-required="true"
            maxLength={DESCRIPTION_MAX}
            rows={6}
            value={draft.description}
            onChange={(e) => set('description')(e.target.value)}
            onKeyDown={onDescriptionKeyDown}
          />
          {message('description')}
        </div>
        <IntakeQuestions idPrefix={id} questions={questions} values={answers} errors={answerErrors} onChange={setAnswer} />
        {confirmMissing && (
          <p className="alert alert--warn" role="status" data-testid="intake-confirm-missing">
            {t('intake.confirmMissing')}
          </p>
        )}
        {formError && (
          <p className="alert alert--error" role="alert">
            {errorText(t, formError)}
          </p>
        )}
        <div className="intake__actions">
          <button type="submit" className="btn btn--primary" data-testid="intake-submit" disabled={submitting} aria-busy={submitting}>
            {submitting ? t('intake.submitting') : t('intake.submit')}
          </button>
          <p className="intake__keys">
            <kbd>Enter</kbd> {t('intake.keySubmit')} · <kbd>Ctrl+Enter</kbd> {t('intake.keySubmitDescription')} ·{' '}
            <kbd>Esc</kbd> {t('intake.keyClear')}
          </p>
        </div>
      </form>
    </section>
  );
}
