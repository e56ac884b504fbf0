import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../shared/domain/case';
import { isOpen } from '../../../shared/domain/lifecycle';
import type { CategoryTree } from '../store/categories';
import { useCase } from '../store/hooks';
import { primaryKeys } from '../keys/actions';
import { showChord } from '../keys/chords';
import { useAction } from '../keys/hooks';
import { unitName, type Reference } from '../hooks/useReference';
import { categoryName, errorText } from '../format';
import { AmendForm } from './case/AmendForm';
import { RevealCaller } from './case/RevealCaller';
import { Deadline } from './Deadline';
import { DispatchPanel } from './DispatchPanel';
import { StatusChip, UrgencyChip } from './queues/columns';
import { AnswerForm, CallbackForm, CloseButton, MergeForm, ReopenForm, ReturnToUnitForm } from './StepForms';
import { Timeline } from './Timeline';
import './case/case.css';

interface Props {
  caseId: string;
  categories: CategoryTree;
  reference: Reference;
  onClose: () => void;
}

/** The callback found the matter unresolved, or the citizen not satisfied: it goes back, not to the archive. */
export function needsReturn(view: Pick<CaseView, 'evaluation'>): boolean {
  return view.evaluation !== null && (!view.evaluation.resolved || view.evaluation.satisfaction === 'unsatisfied');
}

/** What can be done with the case now, the suggested step focused so the operator goes on with the keyboard. */
function Actions({ view, categories }: { view: CaseView; categories: CategoryTree }) {
  const direct = categories.byCode.get(view.categoryCode)?.directAnswer === true;
  const canMerge = isOpen(view.status);
  switch (view.status) {
    case 'registered':
      return (
        <>
          {direct && <AnswerForm view={view} autoFocus />}
          <DispatchPanel view={view} autoFocus={!direct} />
          {canMerge && <MergeForm view={view} />}
        </>
      );
    case 'returned':
    case 'reopened':
      return (
        <>
          <DispatchPanel view={view} autoFocus />
          <MergeForm view={view} />
        </>
      );
    case 'replied':
      return (
        <>
          <CallbackForm view={view} autoFocus />
          <MergeForm view={view} />
        </>
      );
    case 'evaluated':
      // Unresolved or dissatisfied: back to the unit is the suggested step; closing stays possible, deliberately.
      return needsReturn(view) ? (
        <>
          <ReturnToUnitForm view={view} autoFocus />
          <CloseButton view={view} deliberate />
        </>
      ) : (
        <>
          <CloseButton view={view} autoFocus />
          <ReopenForm view={view} />
        </>
      );
    case 'answered':
      return <CloseButton view={view} autoFocus />;
    case 'closed':
      return <ReopenForm view={view} autoFocus />;
    case 'dispatched':
    case 'accepted':
      return <MergeForm view={view} />;
    case 'merged':
      return null;
  }
}

/** The open case: what the caller said and where it stands on the left, its timeline on the right, the next step focused. */
export function CaseDetail({ caseId, categories, reference, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { view, error } = useCase(caseId);
  const sectionRef = useRef<HTMLElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Esc from anywhere on the case (a field of a step form too); the workspace puts focus back where the case was opened from.
  useAction('case.close', onClose);

  // A step done: its form is gone. If it had focus and the next state suggests nothing to focus
  // (sent to a unit, waiting for it), focus goes to the case's heading, never to the page.
  const status = view?.status;
  useEffect(() => {
    const active = document.activeElement;
    if (active === null || active === document.body || !active.isConnected) headingRef.current?.focus();
  }, [status]);

  const category = view ? categories.byCode.get(view.categoryCode) : undefined;
  const zh = i18n.language.startsWith('zh');
  return (
    <section ref={sectionRef} className="panel case-detail case-view" aria-labelledby={`${id}-h`} data-testid="case-detail" data-status={view?.status} data-pending={view?.pending}>
      <header className="panel__head case-view__head">
        <h2 id={`${id}-h`} ref={headingRef} tabIndex={-1} className="mono case-view__number">
          {view?.number ?? '…'}
        </h2>
        {view && (
          <>
            <span data-testid="detail-status">
              <StatusChip view={view} t={t} />
            </span>
            <UrgencyChip view={view} t={t} />
            <span className="chip">{t(`contactType.${view.contactType}`)}</span>
            {view.language !== 'zh' && <span className="chip">{t(`callerLanguage.${view.language}`)}</span>}
            {view.interpreter && <span className="chip chip--interp">{t('queues.interpreterHint')}</span>}
            {view.confidential && <span className="chip chip--secret">{t('caseView.confidential')}</span>}
            {view.anonymous && <span className="chip">{t('caseView.anonymous')}</span>}
            <Deadline view={view} sla={reference.sla} />
          </>
        )}
        <button type="button" className="btn btn--small case-detail__close" onClick={onClose} aria-keyshortcuts={primaryKeys('case.close')} data-testid="detail-close">
          {t('detail.back')} <kbd>{showChord(primaryKeys('case.close'))}</kbd>
        </button>
      </header>
      {error && (
        <p className="alert alert--error" role="alert">
          {t('detail.loadError', { reason: errorText(t, error) })}
        </p>
      )}
      {view && (
        <div className="case-view__body">
          <div className="case-view__main">
            <dl className="facts case-view__facts">
              <dt>{t('cases.col.category')}</dt>
              <dd>{category ? categoryName(category, i18n.language) : view.categoryCode}</dd>
              <dt>{t('detail.caller')}</dt>
              <dd data-testid="detail-caller" data-hidden={view.callerHidden}>
                {view.callerHidden ? (
                  <RevealCaller view={view} />
                ) : (
                  <>
                    {view.callerName || <span className="muted">{view.anonymous ? t('caseView.anonymous') : t('caseView.noName')}</span>}{' '}
                    <span className="mono">{view.callerPhone}</span>
                  </>
                )}
              </dd>
              {(view.callbackPhone !== null || view.callbackWindow !== null) && (
                <>
                  <dt>{t('caseView.callbackTo')}</dt>
                  <dd>
                    {view.callbackPhone && <span className="mono">{view.callbackPhone}</span>}{' '}
                    {view.callbackWindow && t('queues.window', { from: view.callbackWindow.from, to: view.callbackWindow.to })}
                  </dd>
                </>
              )}
              <dt>{t('cases.col.address')}</dt>
              <dd>{view.address}</dd>
              <dt>{t('detail.description')}</dt>
              <dd className="facts__text">{view.description}</dd>
              {Object.keys(view.answers).length > 0 && (
                <>
                  <dt>{t('detail.answers')}</dt>
                  <dd>
                    <ul className="answers" data-testid="detail-answers">
                      {(category?.intakeQuestions ?? []).filter((q) => q.key in view.answers).map((q) => {
                        const value = view.answers[q.key];
                        const choice = q.choices?.find((c) => c.value === value);
                        const shown =
                          typeof value === 'boolean' ? (value ? t('intake.yes') : t('intake.no')) : choice ? (zh ? choice.labelZh : choice.labelEn) : String(value);
                        return (
                          <li key={q.key}>
                            <span className="muted">{zh ? q.labelZh : q.labelEn}</span> {shown}
                          </li>
                        );
                      })}
                    </ul>
                  </dd>
                </>
              )}
              {view.unitId && (
                <>
                  <dt>{t('detail.unit')}</dt>
                  <dd data-testid="detail-unit" data-unit-id={view.unitId}>
                    {unitName(reference, view.unitId, i18n.language)}
                  </dd>
                </>
              )}
              {view.status === 'returned' && view.returnReason && (
                <>
                  <dt>{t('detail.returnReason')}</dt>
                  <dd>{view.returnReason}</dd>
                </>
              )}
              {view.answer && (
                <>
                  <dt>{t('detail.answer')}</dt>
                  <dd className="facts__text">{view.answer}</dd>
                </>
              )}
              {view.reply && (
                <>
                  <dt>{t('detail.reply')}</dt>
                  <dd className="facts__text" data-testid="detail-reply">
                    <strong className={`outcome outcome--${view.reply.outcome}`}>{t(`outcome.${view.reply.outcome}`)}</strong> {view.reply.text}
                  </dd>
                </>
              )}
              {view.evaluation && (
                <>
                  <dt>{t('detail.evaluation')}</dt>
                  <dd data-testid="detail-evaluation" className={needsReturn(view) ? 'evaluation--bad' : undefined}>
                    {view.evaluation.resolved ? t('callback.yes') : t('callback.no')} · {t(`satisfaction.${view.evaluation.satisfaction}`)}
                    {view.evaluation.words && <> · {view.evaluation.words}</>}
                  </dd>
                </>
              )}
            </dl>
            <div className="case-detail__actions">
              <Actions key={view.status} view={view} categories={categories} />
            </div>
          </div>
          <aside className="case-view__side" aria-labelledby={`${id}-tl`}>
            <h3 id={`${id}-tl`}>{t('detail.timeline')}</h3>
            <Timeline view={view} reference={reference} />
            <AmendForm key={view.id} view={view} />
          </aside>
        </div>
      )}
    </section>
  );
}
