import { useId } from 'react';
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
import { Deadline } from './Deadline';
import { DispatchPanel } from './DispatchPanel';
import { AnswerForm, CallbackForm, CloseButton, MergeForm, ReopenForm } from './StepForms';
import { Timeline } from './Timeline';

interface Props {
  caseId: string;
  categories: CategoryTree;
  reference: Reference;
  now: number;
  onClose: () => void;
}

/** What can be done with the case now, first action focused so the operator goes on with the keyboard. */
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
      return (
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

export function CaseDetail({ caseId, categories, reference, now, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { view, error } = useCase(caseId);

  // Esc from anywhere on the case (a field of a step form too); the workspace puts focus back where the case was opened from.
  useAction('case.close', onClose);

  const category = view ? categories.byCode.get(view.categoryCode) : undefined;
  const zh = i18n.language.startsWith('zh');
  return (
    <section className="panel case-detail" aria-labelledby={`${id}-h`} data-testid="case-detail" data-status={view?.status} data-pending={view?.pending}>
      <header className="panel__head">
        <h2 id={`${id}-h`} className="mono">
          {view?.number ?? '…'}
        </h2>
        {view && (
          <span className={`status status--${view.status}`} data-testid="detail-status">
            {t(`status.${view.status}`)}
          </span>
        )}
        {view?.pending && <span className="badge badge--pending">{t('cases.pending')}</span>}
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
        <div className="case-detail__body">
          <Deadline view={view} now={now} sla={reference.sla} />
          <dl className="facts">
            <dt>{t('cases.col.category')}</dt>
            <dd>{category ? categoryName(category, i18n.language) : view.categoryCode}</dd>
            <dt>{t('detail.caller')}</dt>
            <dd>
              {view.callerName} <span className="mono">{view.callerPhone}</span>
            </dd>
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
                  <strong>{t(`outcome.${view.reply.outcome}`)}</strong> {view.reply.text}
                </dd>
              </>
            )}
            {view.evaluation && (
              <>
                <dt>{t('detail.evaluation')}</dt>
                <dd>
                  {view.evaluation.resolved ? t('callback.yes') : t('callback.no')} · {t(`satisfaction.${view.evaluation.satisfaction}`)}
                  {view.evaluation.words && <> · {view.evaluation.words}</>}
                </dd>
              </>
            )}
          </dl>
          <div className="case-detail__actions">
            <Actions key={view.status} view={view} categories={categories} />
          </div>
          <h3>{t('detail.timeline')}</h3>
          <Timeline view={view} reference={reference} />
        </div>
      )}
    </section>
  );
}
