import { memo, useId, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseListScope as CaseScope } from '../../../shared/contract/contract';
import type { SlaPolicy } from '../../../shared/reference/sla';
import { categoryName, errorText, useFormatters } from '../format';
import { primaryKeys, type ActionId } from '../keys/actions';
import { showChord } from '../keys/chords';
import { useAction } from '../keys/hooks';
import type { CategoryTree } from '../store/categories';
import { useCaseList, useCaseRow } from '../store/hooks';
import { LIST_SCOPES } from '../store/lists';
import { Deadline } from './Deadline';

/** Rows: Enter or Space opens the case, arrows move between rows. */
function onRowKeyDown(e: KeyboardEvent<HTMLTableRowElement>, open: () => void) {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    open();
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const next = e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
    if (next instanceof HTMLElement) next.focus();
  }
}

const SCOPES = LIST_SCOPES;
/** The keymap's action for each list (Alt+1 … Alt+4 by default). */
const SCOPE_ACTIONS: Readonly<Record<CaseScope, ActionId>> = { mine: 'lists.mine', team: 'lists.team', callback: 'lists.callback', withUnits: 'lists.withUnits' };

interface Props {
  scope: CaseScope;
  onScopeChange: (scope: CaseScope) => void;
  categories: CategoryTree;
  selectedId: string | null;
  onSelect: (caseId: string) => void;
  now: number;
  sla: SlaPolicy | null;
}

export function CaseList({ scope, onScopeChange, categories, selectedId, onSelect, now, sla }: Props) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const id = useId();
  const { ids, error } = useCaseList(scope);
  const tabRefs = useRef<Partial<Record<CaseScope, HTMLButtonElement | null>>>({});
  const sectionRef = useRef<HTMLElement>(null);

  // Alt+1 … Alt+4 from anywhere. Focus stays where the operator is typing; if it was in the list, it goes to the new tab.
  const show = (target: CaseScope) => {
    const inList = sectionRef.current?.contains(document.activeElement) ?? false;
    onScopeChange(target);
    if (inList) tabRefs.current[target]?.focus();
  };
  useAction('lists.mine', () => show('mine'));
  useAction('lists.team', () => show('team'));
  useAction('lists.callback', () => show('callback'));
  useAction('lists.withUnits', () => show('withUnits'));

  // WAI-ARIA tabs: arrows move between tabs, Home/End jump to the ends.
  const onTabKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const index = SCOPES.indexOf(scope);
    let next: CaseScope | undefined;
    if (e.key === 'ArrowRight') next = SCOPES[(index + 1) % SCOPES.length];
    else if (e.key === 'ArrowLeft') next = SCOPES[(index - 1 + SCOPES.length) % SCOPES.length];
    else if (e.key === 'Home') next = SCOPES[0];
    else if (e.key === 'End') next = SCOPES[SCOPES.length - 1];
    if (!next) return;
    e.preventDefault();
    onScopeChange(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <section ref={sectionRef} className="panel cases" aria-labelledby={`${id}-heading`}>
      <header className="panel__head cases__head">
        <h2 id={`${id}-heading`}>{t('cases.heading')}</h2>
        <div className="tabs" role="tablist" aria-label={t('cases.heading')}>
          {SCOPES.map((s) => (
            <button
              key={s}
              ref={(el) => {
                tabRefs.current[s] = el;
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${s}`}
              aria-selected={scope === s}
              aria-controls={`${id}-panel`}
              aria-keyshortcuts={primaryKeys(SCOPE_ACTIONS[s])}
              tabIndex={scope === s ? 0 : -1}
              className="tabs__tab"
              data-testid={`case-tab-${s}`}
              onClick={() => onScopeChange(s)}
              onKeyDown={onTabKeyDown}
            >
              {t(`cases.tab.${s}`)} <kbd className="tabs__key">{showChord(primaryKeys(SCOPE_ACTIONS[s]))}</kbd>
            </button>
          ))}
        </div>
        <span className="cases__count" aria-live="polite">
          {ids && t('cases.count', { shown: fmt.integer.format(ids.length) })}
        </span>
      </header>
      <div
        id={`${id}-panel`}
        className="cases__body"
        role="tabpanel"
        aria-labelledby={`${id}-tab-${scope}`}
        tabIndex={0}
        data-testid="case-list"
        data-scope={scope}
      >
        {error && (
          <p className="alert alert--error" role="alert">
            {t('cases.loadError', { reason: errorText(t, error) })}
          </p>
        )}
        {ids === null && !error && <p className="cases__empty">{t('cases.loading')}</p>}
        {ids?.length === 0 && <p className="cases__empty">{t(`cases.empty.${scope}`)}</p>}
        {ids && ids.length > 0 && (
          <table className="case-table">
            <thead>
              <tr>
                <th scope="col" className="col-number">{t('cases.col.number')}</th>
                <th scope="col" className="col-time">{t('cases.col.createdAt')}</th>
                <th scope="col" className="col-category">{t('cases.col.category')}</th>
                <th scope="col" className="col-phone">{t('cases.col.phone')}</th>
                <th scope="col" className="col-address">{t('cases.col.address')}</th>
                <th scope="col" className="col-status">{t('cases.col.status')}</th>
                <th scope="col" className="col-deadline">{t('cases.col.deadline')}</th>
              </tr>
            </thead>
            <tbody>
              {ids.map((caseId) => (
                <CaseRow key={caseId} caseId={caseId} selected={caseId === selectedId} onSelect={onSelect} categories={categories} now={now} sla={sla} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

interface RowProps {
  caseId: string;
  selected: boolean;
  onSelect: (caseId: string) => void;
  categories: CategoryTree;
  now: number;
  sla: SlaPolicy | null;
}

/** One row, read from the store by id: it re-renders when its own case changes, not when the list does. */
const CaseRow = memo(function CaseRow({ caseId, selected, onSelect, categories, now, sla }: RowProps) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const c = useCaseRow(caseId);
  if (!c) return null;
  const cat = categories.byCode.get(c.categoryCode);
  const categoryLabel = cat ? categoryName(cat, i18n.language) : c.categoryCode;
  return (
    <tr
      data-testid="case-row"
      data-case-number={c.number}
      data-pending={c.pending}
      data-status={c.status}
      className={[c.pending ? 'is-pending' : '', selected ? 'is-selected' : ''].join(' ').trim() || undefined}
      tabIndex={0}
      aria-selected={selected}
      onClick={() => onSelect(c.id)}
      onKeyDown={(e) => onRowKeyDown(e, () => onSelect(c.id))}
    >
      <td className="col-number mono">{c.number}</td>
      <td className="col-time">
        <time dateTime={new Date(c.createdAt).toISOString()} title={fmt.fullTime.format(c.createdAt)}>
          {fmt.listTime.format(c.createdAt)}
        </time>
      </td>
      <td className="col-category" title={categoryLabel}>
        {categoryLabel}
      </td>
      <td className="col-phone mono">{c.callerPhone}</td>
      <td className="col-address" title={c.address}>
        <span className="ellipsis">{c.address}</span>
      </td>
      <td className="col-status">
        <span className={`status status--${c.status}`}>{t(`status.${c.status}`)}</span>
        {c.pending && (
          <span className="badge badge--pending" title={t('cases.pendingHint')}>
            {t('cases.pending')}
          </span>
        )}
      </td>
      <td className="col-deadline">
        <Deadline view={c} now={now} sla={sla} />
      </td>
    </tr>
  );
});
