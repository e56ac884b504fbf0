import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../shared/domain/case';
import type { CategoryTree } from '../hooks/useCategories';
import { useCaseList, type CaseScope } from '../hooks/useCaseList';
import { categoryName, errorText, useFormatters } from '../format';
import type { SlaPolicy } from '../../../shared/reference/sla';
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

const SCOPES: readonly CaseScope[] = ['mine', 'team', 'callback', 'withUnits'];
const SHORTCUT_CODES: Record<string, CaseScope> = { Digit1: 'mine', Digit2: 'team', Digit3: 'callback', Digit4: 'withUnits' };

interface Props {
  scope: CaseScope;
  onScopeChange: (scope: CaseScope) => void;
  categories: CategoryTree;
  refreshKey: number;
  selectedId: string | null;
  onSelect: (caseId: string) => void;
  now: number;
  sla: SlaPolicy | null;
}

export function CaseList({ scope, onScopeChange, categories, refreshKey, selectedId, onSelect, now, sla }: Props) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const id = useId();
  const { cases, error } = useCaseList(scope, refreshKey);
  const tabRefs = useRef<Partial<Record<CaseScope, HTMLButtonElement | null>>>({});

  // Alt+1 / Alt+2 from anywhere; by physical key so layouts that turn Alt+digit into a symbol work too.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      const target = SHORTCUT_CODES[e.code];
      if (!target) return;
      e.preventDefault();
      onScopeChange(target);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onScopeChange]);

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

  const categoryLabel = (c: CaseView) => {
    const cat = categories.byCode.get(c.categoryCode);
    return cat ? categoryName(cat, i18n.language) : c.categoryCode;
  };

  return (
    <section className="panel cases" aria-labelledby={`${id}-heading`}>
      <header className="panel__head cases__head">
        <h2 id={`${id}-heading`}>{t('cases.heading')}</h2>
        <div className="tabs" role="tablist" aria-label={t('cases.heading')}>
          {SCOPES.map((s, i) => (
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
              aria-keyshortcuts={`Alt+${i + 1}`}
              tabIndex={scope === s ? 0 : -1}
              className="tabs__tab"
              data-testid={`case-tab-${s}`}
              onClick={() => onScopeChange(s)}
              onKeyDown={onTabKeyDown}
            >
              {t(`cases.tab.${s}`)} <kbd className="tabs__key">Alt+{i + 1}</kbd>
            </button>
          ))}
        </div>
        <span className="cases__count" aria-live="polite">
          {cases && t('cases.count', { shown: fmt.integer.format(cases.length) })}
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
        {cases === null && !error && <p className="cases__empty">{t('cases.loading')}</p>}
        {cases?.length === 0 && <p className="cases__empty">{t(`cases.empty.${scope}`)}</p>}
        {cases && cases.length > 0 && (
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
              {cases.map((c) => (
                <tr
                  key={c.id}
                  data-testid="case-row"
                  data-case-number={c.number}
                  data-pending={c.pending}
                  data-status={c.status}
                  className={[c.pending ? 'is-pending' : '', c.id === selectedId ? 'is-selected' : ''].join(' ').trim() || undefined}
                  tabIndex={0}
                  aria-selected={c.id === selectedId}
                  onClick={() => onSelect(c.id)}
                  onKeyDown={(e) => onRowKeyDown(e, () => onSelect(c.id))}
                >
                  <td className="col-number mono">{c.number}</td>
                  <td className="col-time">
                    <time dateTime={new Date(c.createdAt).toISOString()} title={fmt.fullTime.format(c.createdAt)}>
                      {fmt.listTime.format(c.createdAt)}
                    </time>
                  </td>
                  <td className="col-category" title={categoryLabel(c)}>
                    {categoryLabel(c)}
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
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
