import { memo, useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncomingCall } from '../../../../shared/contract/contract';
import type { CaseView } from '../../../../shared/domain/case';
import { DESCRIPTION_MAX } from '../../../../shared/domain/case';
import { checkIntakeAnswers } from '../../../../shared/reference/intake';
import type { AppError } from '../../../../shared/result';
import { api } from '../../api/client';
import { errorText, fieldText, useFormatters } from '../../format';
import { primaryKeys } from '../../keys/actions';
import { showChord } from '../../keys/chords';
import { useAction, useKeyFlag } from '../../keys/hooks';
import { store } from '../../store';
import { useSession } from '../../store/hooks';
import { permissionsOf } from '../../../../shared/policy/policy';
import type { CategoryTree } from '../../store/categories';
import { FieldError } from '../FieldError';
import { IntakeQuestions, questionInputId, toAnswers } from '../IntakeQuestions';
import { KbSlot } from './KbSlot';
import { KbLinkedArticle } from '../kb/KbLinkedArticle';
import { useKbAnswer } from '../kb/useKbAnswer';
import { AddressField } from './AddressField';
import { CallbackRow } from './CallbackRow';
import { CategoryCombobox } from './CategoryCombobox';
import { ContextPane } from './ContextPane';
import { movesOnEnter, nextField, plainDigits } from './enterNav';
import { cutDescription, EMPTY_VALUES, fromDraft, hasContent, toCaseInput, type IntakeValues } from './fields';
import { FinishResult, type Finished } from './FinishResult';
import { onOpenDraft } from './intakeBus';
import { RecordRow } from './RecordRow';
import { useIntakeContext } from './useIntakeContext';
import { useIntakeDraft } from './useIntakeDraft';
import './intake.css';

/** Fields whose refusal is shown under them, in the order focus looks for the first problem. */
const FIELDS = ['callerPhone', 'callerName', 'categoryCode', 'address', 'description', 'answer', 'callbackPhone', 'callbackWindow'] as const;
type FieldName = (typeof FIELDS)[number];
const isField = (key: string): key is FieldName => FIELDS.some((f) => f === key);

type FinishMode = 'register' | 'dispatch' | 'answer';

/** The category's questions re-render only when they or their answers change. */
const Questions = memo(IntakeQuestions);

/** A short note under the form after a key that did something other than finish a case. */
type Note = { kind: 'parked' | 'discarded' | 'popped' | 'restored'; values?: IntakeValues } | { kind: 'confirmDiscard' } | null;

interface Props {
  categories: CategoryTree;
  /** The caller's phone field, where the next call starts (Alt+N, owned by the workspace). */
  phoneRef: RefObject<HTMLInputElement | null>;
  /** Whether intake is on screen (a case view may cover it). */
  visible: boolean;
  /** Opens a case in the case view. */
  onOpen: (caseId: string) => void;
  /** A call rang: the workspace shows intake (closes an open case). */
  onCall: () => void;
}

/**
 * Intake for a whole shift: the call's record typed top to bottom with Enter, the context beside
 * it (where it would go, possible duplicates, the caller's history), and one key to finish — F9
 * registers and dispatches to the suggested unit, F7 answers on the call, F8 parks a draft.
 */
export function IntakePane(props: Props) {
  const { t } = useTranslation();
  const session = useSession();
  // A role that may not register cases (an editor, a trainer on the live line) gets no intake form.
  const allowed = session.kind === 'in' && permissionsOf(session.session.user.role, session.session.space).includes('case.create');
  if (allowed) return <Intake {...props} />;
  return (
    <section className="panel intake" data-testid="intake-refused">
      <p className="alert alert--warn intake__note">{t('intakePane.notAllowed')}</p>
    </section>
  );
}

function Intake({ categories, phoneRef, visible, onOpen, onCall }: Props) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const id = useId();
  const draft = useIntakeDraft();
  const v = draft.values;
  const context = useIntakeContext({ callerPhone: v.callerPhone, categoryCode: v.categoryCode, address: v.address, urgency: v.urgency });
  const [finished, setFinished] = useState<Finished | null>(null);
  const [note, setNote] = useState<Note>(null);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [answerErrors, setAnswerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<AppError | string | null>(null);
  const [confirmMissing, setConfirmMissing] = useState(false);
  const [cut, setCut] = useState<{ cut: number; total: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const [focusTarget, setFocusTarget] = useState<{ field: 'phone' | 'name' } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const refs = {
    callerName: useRef<HTMLInputElement>(null),
    categoryCode: useRef<HTMLInputElement>(null),
    address: useRef<HTMLInputElement>(null),
    description: useRef<HTMLTextAreaElement>(null),
    answer: useRef<HTMLTextAreaElement>(null),
  };
  const category = categories.byCode.get(v.categoryCode);
  const questions = category?.intakeQuestions ?? [];
  const suggestion = context.preview?.suggestions[0] ?? null;
  const zh = i18n.language.startsWith('zh');

  useKeyFlag('created', finished !== null);

  // Focus asked for by a pop or a finish, given once intake is on screen.
  useEffect(() => {
    if (!visible || focusTarget === null) return;
    (focusTarget.field === 'name' ? refs.callerName.current : phoneRef.current)?.focus();
    setFocusTarget(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [visible, focusTarget]);

  const clearErrors = () => {
    setErrors({});
    setAnswerErrors({});
    setFormError(null);
    setConfirmMissing(false);
    setCut(null);
  };

  // Stable callbacks (the memoised parts of the form do not re-render on every keystroke of the description).
  const latest = useRef({ v, categories });
  useEffect(() => {
    latest.current = { v, categories };
  });
  const draftSet = draft.set;
  const set = useCallback(
    (patch: Partial<IntakeValues>) => {
      draftSet(patch);
      // The next call has begun: what the last one ended in (and its undo) goes.
      setNote((n) => (n === null ? n : null));
      setFinished((f) => (f === null ? f : null));
      setErrors((errs) => {
        const keys = Object.keys(patch);
        return keys.some((k) => k in errs) ? Object.fromEntries(Object.entries(errs).filter(([k]) => !keys.includes(k))) : errs;
      });
    },
    [draftSet],
  );

  const setCategory = useCallback(
    (code: string) => {
      const { v: now, categories: tree } = latest.current;
      const next = tree.byCode.get(code);
      const before = tree.byCode.get(now.categoryCode);
      const patch: Partial<IntakeValues> = { categoryCode: code, answers: {} };
      // A question answered on the call is a consultation; a category of another kind puts back the default.
      if (next?.directAnswer && now.contactType === 'complaint') patch.contactType = 'consultation';
      else if (next && !next.directAnswer && now.contactType === 'consultation' && before?.directAnswer) patch.contactType = 'complaint';
      setAnswerErrors({});
      setConfirmMissing(false);
      set(patch);
    },
    [set],
  );
  const setAnswer = useCallback(
    (k: string, value: string) => {
      setConfirmMissing(false);
      setAnswerErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([q]) => q !== k)));
      set({ answers: { ...latest.current.v.answers, [k]: value } });
    },
    [set],
  );
  const setAddress = useCallback((address: string) => set({ address }), [set]);
  const toAddress = useCallback(() => refs.address.current?.focus(), [refs.address]);
  const toDescription = useCallback(() => refs.description.current?.focus(), [refs.description]);

  // A call rings: intake opens with its number and this caller's history; a call half-typed is parked first.
  const takeCall = async (call: IncomingCall) => {
    const current = draft.values;
    if (hasContent(current) && current.callFrom === call.from && call.from !== '') {
      void api.invoke('call.taken', {});
      return;
    }
    if (hasContent(current)) await draft.flush();
    draft.reset({ discard: false, values: { ...EMPTY_VALUES, callerPhone: call.from, callFrom: call.from } });
    clearErrors();
    setFinished(null);
    setNote({ kind: hasContent(current) ? 'parked' : 'popped' });
    onCall();
    setFocusTarget({ field: call.from === '' ? 'phone' : 'name' });
    void api.invoke('call.taken', {});
  };
  const takeCallRef = useRef(takeCall);
  useEffect(() => {
    takeCallRef.current = takeCall;
  });
  useEffect(() => api.on('call.incoming', (call) => void takeCallRef.current(call)), []);
  // A reload while a call rings (after the draft it was typing in is back).
  useEffect(() => {
    if (!draft.restored) return;
    void api.invoke('call.current', {}).then((res) => {
      if (res.ok && res.value) void takeCallRef.current(res.value);
    });
  }, [draft.restored]);

  // A draft taken up from the drafts queue.
  const openDraftRef = useRef<(fields: IntakeValues) => void>(() => undefined);
  useEffect(() => {
    openDraftRef.current = (fields: IntakeValues) => {
      void (async () => {
        if (hasContent(draft.values)) await draft.flush();
        draft.reset({ discard: false, values: fields });
        clearErrors();
        onCall();
        setFocusTarget({ field: 'phone' });
      })();
    };
  });
  useEffect(() => onOpenDraft((d) => openDraftRef.current(fromDraft(d.fields))), []);

  const focusField = (field: FieldName) => {
    if (field === 'callerPhone') phoneRef.current?.focus();
    else if (field === 'callbackPhone' || field === 'callbackWindow') document.getElementById(`${id}-${field}`)?.focus();
    else refs[field].current?.focus();
  };

  const finish = async (mode: FinishMode) => {
    if (busyRef.current) return;
    setFormError(null);
    // Every required answer is asked for once; a second finish saves without them (the caller hung up).
    const unanswered = questions.filter((q) => checkIntakeAnswers([q], toAnswers([q], v.answers))[q.key] === 'required');
    if (unanswered.length > 0 && !confirmMissing) {
      setAnswerErrors(Object.fromEntries(unanswered.map((q) => [q.key, 'required'])));
      setConfirmMissing(true);
      const first = unanswered[0];
      if (first) document.getElementById(questionInputId(id, first.key))?.focus();
      return;
    }
    if (mode === 'dispatch' && !suggestion) {
      setFormError(t('intakePane.noSuggestion', { register: showChord('Ctrl+Enter') }));
      (v.categoryCode === '' ? refs.categoryCode : refs.address).current?.focus();
      return;
    }
    if (mode === 'answer' && v.answer.trim() === '') {
      if (v.contactType !== 'consultation') set({ contactType: 'consultation' });
      setErrors((e) => ({ ...e, answer: 'required' }));
      setTimeout(() => refs.answer.current?.focus(), 0);
      return;
    }
    busyRef.current = true;
    setBusy(true);
    const then =
      mode === 'dispatch' && suggestion
        ? { action: 'dispatch' as const, unitId: suggestion.unitId, note: '' }
        : mode === 'answer'
          ? { action: 'answer' as const, answer: v.answer, ...(kbArticle ? { article: kbArticle } : {}) }
          : undefined;
    const res = await api.invoke('cases.create', { ...toCaseInput(v, toAnswers(questions, v.answers)), draftId: draft.draftId, ...(then ? { then } : {}) });
    busyRef.current = false;
    setBusy(false);
    if (res.ok) {
      store.upsert(res.value);
      const kind = mode === 'dispatch' ? 'dispatched' : mode === 'answer' ? 'answered' : 'registered';
      setFinished({ kind, caseId: res.value.id, number: res.value.number, unitName: suggestion ? (zh ? suggestion.nameZh : suggestion.nameEn) : undefined });
      draft.reset({ discard: false });
      clearErrors();
      setNote(null);
      phoneRef.current?.focus();
      return;
    }
    const fieldErrs: Partial<Record<FieldName, string>> = {};
    const qErrs: Record<string, string> = {};
    let unplaced = false;
    for (const [path, message] of Object.entries(res.error.fields ?? {})) {
      const [head, sub] = path.split('.');
      if (head === 'answers' && sub) qErrs[sub] = message;
      else if (head === 'then') fieldErrs.answer = message;
      else if (head !== undefined && isField(head)) fieldErrs[head] = message;
      else unplaced = true;
    }
    setErrors(fieldErrs);
    setAnswerErrors(qErrs);
    const first = FIELDS.find((f) => f in fieldErrs);
    const firstQuestion = questions.find((q) => q.key in qErrs);
    if (first) focusField(first);
    else if (firstQuestion) document.getElementById(questionInputId(id, firstQuestion.key))?.focus();
    if ((!first && !firstQuestion) || unplaced || res.error.code !== 'invalid_input') setFormError(res.error);
  };

  // A repeat call: the caller calls again about an open case; it goes on that case's timeline.
  const [linking, setLinking] = useState(false);
  const linkRef = useRef<(c: CaseView) => Promise<void>>(() => Promise.resolve());
  const onLink = useCallback((c: CaseView) => void linkRef.current(c), []);
  const link = async (c: CaseView) => {
    if (linking) return;
    setLinking(true);
    const res = await api.invoke('cases.repeatCall', { caseId: c.id, note: v.description.trim().slice(0, 2000) });
    setLinking(false);
    if (!res.ok) {
      setFormError(res.error);
      return;
    }
    store.upsert(res.value);
    setFinished({ kind: 'linked', caseId: res.value.id, number: res.value.number });
    draft.reset({ discard: true });
    clearErrors();
    setNote(null);
    phoneRef.current?.focus();
  };

  useEffect(() => {
    linkRef.current = link;
  });

  const park = async () => {
    if (!hasContent(v)) return;
    await draft.flush();
    draft.reset({ discard: false });
    clearErrors();
    setNote({ kind: 'parked' });
    phoneRef.current?.focus();
  };

  const discard = () => {
    const kept = v;
    draft.reset({ discard: true });
    clearErrors();
    setNote({ kind: 'discarded', values: kept });
    phoneRef.current?.focus();
  };

  const discarded = note?.kind === 'discarded' ? note.values : undefined;
  useAction('intake.finishDispatch', () => void finish('dispatch'), visible);
  useAction('intake.finishAnswer', () => void finish('answer'), visible);
  // An article from the knowledge base (KB panel, suggestions): its script as the answer, linked on the case.
  const kbArticle = useKbAnswer({ visible, answer: v.answer, set, answerRef: refs.answer, finishAnswer: () => void finish('answer') });
  useAction('intake.parkDraft', () => void park(), visible);
  useAction('intake.urgent', () => set({ urgency: v.urgency === 'urgent' ? 'normal' : 'urgent' }), visible);
  useAction('intake.emergency', () => set({ urgency: v.urgency === 'emergency' ? 'normal' : 'emergency' }), visible);
  useAction('intake.type.complaint', () => set({ contactType: 'complaint' }), visible);
  useAction('intake.type.help', () => set({ contactType: 'help' }), visible);
  useAction('intake.type.consultation', () => set({ contactType: 'consultation' }), visible);
  useAction('intake.type.suggestion', () => set({ contactType: 'suggestion' }), visible);
  useAction('intake.type.praise', () => set({ contactType: 'praise' }), visible);
  useAction('intake.type.report', () => set({ contactType: 'report' }), visible);
  useAction(
    'intake.linkDuplicate',
    () => {
      const first = context.similar.find((s) => !['closed', 'merged', 'answered'].includes(s.case.status));
      if (first) void link(first.case);
    },
    visible && context.similar.length > 0,
  );
  useAction(
    'intake.undoDiscard',
    () => {
      if (!discarded) return;
      draft.restore(discarded);
      setNote({ kind: 'restored' });
      phoneRef.current?.focus();
    },
    visible && discarded !== undefined,
  );
  useAction('intake.openCreated', () => {
    if (finished) onOpen(finished.caseId);
  });

  const onFormKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (note?.kind === 'confirmDiscard' && e.key !== 'Escape') setNote(null);
    if (e.defaultPrevented || e.nativeEvent.isComposing) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      if (note?.kind === 'confirmDiscard') discard();
      else if (hasContent(v)) setNote({ kind: 'confirmDiscard' });
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void finish('register');
    } else if (e.key === 'Enter' && !e.altKey && !e.shiftKey && movesOnEnter(e.target)) {
      // Enter in a one-line field moves on; it never submits.
      e.preventDefault();
      const form = formRef.current;
      if (form && e.target instanceof Element) nextField(form, e.target)?.focus();
    }
  };

  const onDescription = (text: string) => {
    const kept = cutDescription(text);
    setCut(kept.cut > 0 ? { cut: kept.cut, total: text.length } : null);
    set({ description: kept.text });
  };

  const errorId = (f: FieldName) => `${id}-${f}-error`;
  const a11y = (f: FieldName) => ({
    id: `${id}-${f}`,
    'aria-invalid': f in errors ? true : undefined,
    'aria-describedby': f in errors ? errorId(f) : undefined,
  });
  const message = (f: FieldName) => {
    const code = errors[f];
    return code === undefined ? null : <FieldError id={errorId(f)} text={fieldText(t, code)} />;
  };
  const key = (action: Parameters<typeof primaryKeys>[0]) => showChord(primaryKeys(action));
  const consultation = v.contactType === 'consultation';

  return (
    <div className="intake-pane" data-testid="intake-pane">
      <section className={`panel intake intake--${v.urgency}`} aria-labelledby={`${id}-heading`} data-testid="intake" data-urgency={v.urgency}>
        <header className="panel__head intake__head">
          <h2 id={`${id}-heading`}>{t('intake.heading')}</h2>
          <span className={`urgency-badge urgency-badge--${v.urgency}`} data-testid="intake-record-badge">
            {t(`contactType.${v.contactType}`)} · {t(`urgency.${v.urgency}`)}
            {v.language !== 'zh' && <> · {t(`callerLanguage.${v.language}`)}</>}
            {v.confidential && <> · {t('intakePane.confidential')}</>}
          </span>
          <span className={`draft-state draft-state--${draft.state}`} data-testid="intake-draft-state" data-state={draft.state}>
            {draft.state === 'none' ? '' : t(`intakePane.draft.${draft.state}`)}
          </span>
        </header>
        <div data-testid="intake-result">{finished && <FinishResult finished={finished} onOpen={onOpen} />}</div>
        {note && note.kind !== 'confirmDiscard' && (
          <p className="alert alert--info intake__note" role="status" data-testid="intake-note" data-kind={note.kind}>
            {t(`intakePane.note.${note.kind}`, { undo: key('intake.undoDiscard') })}
          </p>
        )}
        <form ref={formRef} className="intake__form" onSubmit={(e) => e.preventDefault()} onKeyDown={onFormKeyDown} noValidate>
          <div className="intake__row">
            <div className="field field--phone">
              <label className="field__label" htmlFor={`${id}-callerPhone`}>
                {t('intake.phone')} <span className="field__req" aria-hidden="true">*</span>
              </label>
              <input
                ref={phoneRef}
                {...a11y('callerPhone')}
                data-testid="intake-phone"
                type="tel"
                inputMode="tel"
                autoComplete="off"
                autoFocus
                aria-required="true"
                maxLength={30}
                className="mono"
                value={v.callerPhone}
                onChange={(e) => set({ callerPhone: plainDigits(e.target.value) })}
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
                disabled={v.anonymous}
                placeholder={v.anonymous ? t('intakePane.anonymous') : undefined}
                value={v.anonymous ? '' : v.callerName}
                onChange={(e) => set({ callerName: e.target.value })}
              />
              {message('callerName')}
            </div>
          </div>
          <div className="field">
            <label className="field__label" htmlFor={`${id}-categoryCode`}>
              {t('intake.category')} <span className="field__req" aria-hidden="true">*</span>
              <span className="field__opt">{t('intakePane.categorySearchHint')}</span>
            </label>
            <CategoryCombobox
              id={`${id}-categoryCode`}
              inputRef={refs.categoryCode}
              tree={categories}
              value={v.categoryCode}
              invalid={'categoryCode' in errors}
              describedBy={'categoryCode' in errors ? errorId('categoryCode') : undefined}
              onChange={setCategory}
              onPicked={toAddress}
            />
            {message('categoryCode') ??
              (category && (
                <p className={`field__hint sla sla--${category.slaClass}`}>
                  {t(`sla.${category.slaClass}`)}
                  {category.directAnswer && <> · {t('intake.directAnswer')}</>}
                </p>
              ))}
          </div>
          <div className="field">
            <label className="field__label" htmlFor={`${id}-address`}>
              {t('intake.address')} <span className="field__req" aria-hidden="true">*</span>
            </label>
            <AddressField
              id={`${id}-address`}
              inputRef={refs.address}
              value={v.address}
              invalid={'address' in errors}
              describedBy={'address' in errors ? errorId('address') : undefined}
              preview={context.preview}
              onChange={setAddress}
              onDone={toDescription}
            />
            {message('address')}
          </div>
          <div className="field">
            <label className="field__label" htmlFor={`${id}-description`}>
              {t('intake.description')} <span className="field__req" aria-hidden="true">*</span>
              <span className="field__counter" aria-hidden="true">
                {t('intake.counter', { used: fmt.integer.format(v.description.length), max: fmt.integer.format(DESCRIPTION_MAX) })}
              </span>
            </label>
            <textarea
              ref={refs.description}
              {...a11y('description')}
              data-testid="intake-description"
              aria-required="true"
              rows={4}
              value={v.description}
              onChange={(e) => onDescription(e.target.value)}
            />
            {message('description')}
            {cut && (
              <p className="alert alert--warn" role="status" data-testid="intake-cut">
                {t('intakePane.cut', { total: fmt.integer.format(cut.total), max: fmt.integer.format(DESCRIPTION_MAX), cut: fmt.integer.format(cut.cut) })}
              </p>
            )}
          </div>
          <Questions idPrefix={id} questions={questions} values={v.answers} errors={answerErrors} onChange={setAnswer} />
          {consultation && (
            <div className="field">
              <label className="field__label" htmlFor={`${id}-answer`}>
                {t('intakePane.answer')} <span className="field__opt">{t('intakePane.answerHint', { key: key('intake.finishAnswer') })}</span>
              </label>
              <textarea ref={refs.answer} {...a11y('answer')} data-testid="intake-answer" rows={3} value={v.answer} onChange={(e) => set({ answer: e.target.value })} />
              {message('answer')}
              <KbLinkedArticle article={kbArticle} />
            </div>
          )}
          <RecordRow idPrefix={id} values={v} set={set} />
          <CallbackRow idPrefix={id} values={v} set={set} errors={errors} />
          {confirmMissing && (
            <p className="alert alert--warn" role="status" data-testid="intake-confirm-missing">
              {t('intakePane.confirmMissing')}
            </p>
          )}
          {note?.kind === 'confirmDiscard' && (
            <p className="alert alert--warn" role="alert" data-testid="intake-confirm-discard">
              {t('intakePane.confirmDiscard')}
            </p>
          )}
          {formError && (
            <p className="alert alert--error" role="alert" data-testid="intake-error">
              {typeof formError === 'string' ? formError : errorText(t, formError)}
            </p>
          )}
        </form>
        <footer className="intake__finish" aria-label={t('intakePane.finishKeys')}>
          <button type="button" className="btn btn--primary" disabled={busy || !suggestion} onClick={() => void finish('dispatch')} data-testid="intake-dispatch" aria-keyshortcuts={primaryKeys('intake.finishDispatch')}>
            <kbd>{key('intake.finishDispatch')}</kbd> {t('intakePane.finishDispatch')}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void finish('register')} data-testid="intake-submit" aria-keyshortcuts="Control+Enter">
            <kbd>{showChord('Ctrl+Enter')}</kbd> {t('intakePane.finishRegister')}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void finish('answer')} data-testid="intake-answer-finish" aria-keyshortcuts={primaryKeys('intake.finishAnswer')}>
            <kbd>{key('intake.finishAnswer')}</kbd> {t('intakePane.finishAnswer')}
          </button>
          <button type="button" className="btn" disabled={busy || !hasContent(v)} onClick={() => void park()} data-testid="intake-park" aria-keyshortcuts={primaryKeys('intake.parkDraft')}>
            <kbd>{key('intake.parkDraft')}</kbd> {t('intakePane.park')}
          </button>
          <span className="intake__keys">
            <kbd>Enter</kbd> {t('intakePane.keyNext')} · <kbd>Esc</kbd> {t('intakePane.keyDiscard')}
          </span>
        </footer>
      </section>
      <aside className="panel context" aria-label={t('intakePane.context')} data-testid="intake-context">
        <ContextPane context={context} categories={categories} phone={v.callerPhone} categoryCode={v.categoryCode} linking={linking} onLink={onLink} onOpen={onOpen} />
        <KbSlot description={v.description} categoryCode={v.categoryCode} language={v.language} />
        {context.error && (
          <p className="alert alert--error" role="alert">
            {errorText(t, context.error)}
          </p>
        )}
      </aside>
    </div>
  );
}

