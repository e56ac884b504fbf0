import { memo, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseListScope } from '../../../shared/contract/contract';
import type { CaseView } from '../../../shared/domain/case';
import { CallerLanguage, ContactType, Urgency } from '../../../shared/domain/contact';
import { dueOf, dueState } from '../../../shared/domain/queue';
import { errorText, useFormatters } from '../format';
import { useReference } from '../hooks/useReference';
import { useLiveNow } from '../hooks/useTick';
import { primaryKeys, type ActionId } from '../keys/actions';
import { showChord } from '../keys/chords';
import { useAction } from '../keys/hooks';
import type { CategoryTree } from '../store/categories';
import { useCaseList, useCaseRow, useStore } from '../store/hooks';
import { QueueHead, type CellContext, type ColumnId } from './queues/columns';
import { QueueRow } from './queues/QueueRow';
import { DraftsTable } from './queues/DraftsTable';
import { SearchBox, SearchResults, useCaseSearch } from './queues/Search';
import { useReplies } from './queues/useReplies';
import './queues/queues.css';

/** The tabs of the queues pane: the case lists, the replies since the last look, the drafts. */
export type QueueTab = CaseListScope | 'replies' | 'drafts';

export const QUEUE_TABS: readonly QueueTab[] = ['mine', 'team', 'callback', 'withUnits', 'returned', 'replies', 'drafts'];

/** The keymap's action for each tab (Alt+1 … Alt+7 by default). */
const TAB_ACTIONS: Readonly<Record<QueueTab, ActionId>> = {
  mine: 'lists.mine',
  team: 'lists.team',
  callback: 'lists.callback',
  withUnits: 'lists.withUnits',
  returned: 'lists.returned',
  replies: 'lists.replies',
  drafts: 'lists.drafts',
};

/** What each tab's table shows: the facts its work needs. */
const COLUMNS: Readonly<Record<Exclude<QueueTab, 'drafts'>, readonly ColumnId[]>> = {
  mine: ['number', 'meta', 'category', 'address', 'status', 'deadline'],
  team: ['number', 'createdAt', 'meta', 'category', 'address', 'status', 'deadline'],
  callback: ['number', 'meta', 'unit', 'reply', 'callback', 'deadline'],
  withUnits: ['number', 'meta', 'category', 'unit', 'status', 'deadline'],
  returned: ['number', 'meta', 'unit', 'returnReason', 'deadline'],
  replies: ['number', 'meta', 'unit', 'reply', 'status', 'deadline'],
};

interface Filters {
  type: ContactType | '';
  urgency: Urgency | '';
  language: CallerLanguage | '';
}
const NO_FILTERS: Filters = { type: '', urgency: '', language: '' };

function passes(c: CaseView | undefined, f: Filters): boolean {
  if (!c) return false;
  return (f.type === '' || c.contactType === f.type) && (f.urgency === '' || c.urgency === f.urgency) && (f.language === '' || c.language === f.language);
}

interface Props {
  scope: QueueTab;
  onScopeChange: (scope: QueueTab) => void;
  categories: CategoryTree;
  selectedId: string | null;
  onSelect: (caseId: string) => void;
}

/**
 * The queues pane: my open cases, the team's, callbacks due, cases with units, returned cases,
 * replies since I last looked (a count on the tab and a notification), drafts; a search over the
 * cases on this workstation (and older ones on the server). Queues are ordered most urgent first,
 * then by the deadline of each case's state, counting down live; filters by type, urgency, language.
 */
export function CaseList({ scope, onScopeChange, categories, selectedId, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const id = useId();
  const reference = useReference();
  const listScope: CaseListScope = scope === 'replies' ? 'callback' : scope === 'drafts' ? 'mine' : scope;
  const { ids, error } = useCaseList(listScope);
  // The callback queue is always kept: the replies count and the callbacks due come from it.
  const callbacks = useCaseList('callback');
  const cases = useStore((s) => s.cases);
  const replies = useReplies();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const search = useCaseSearch();
  const tabRefs = useRef<Partial<Record<QueueTab, HTMLButtonElement | null>>>({});
  const sectionRef = useRef<HTMLElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const searchOpener = useRef<Element | null>(null);
  const now = useLiveNow();

  // The replies tab open: everything up to now is seen (the tab keeps listing what was new).
  const { look } = replies;
  useEffect(() => {
    if (scope === 'replies') look(Date.now());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per visit of the tab
  }, [scope]);

  // Alt+1 … Alt+7 from anywhere. Focus stays where the operator is typing; if it was in the pane, it goes to the new tab.
  const show = (target: QueueTab) => {
    const inPane = sectionRef.current?.contains(document.activeElement) ?? false;
    search.clear();
    onScopeChange(target);
    if (inPane) tabRefs.current[target]?.focus();
  };
  useAction('lists.mine', () => show('mine'));
  useAction('lists.team', () => show('team'));
  useAction('lists.callback', () => show('callback'));
  useAction('lists.withUnits', () => show('withUnits'));
  useAction('lists.returned', () => show('returned'));
  useAction('lists.replies', () => show('replies'));
  useAction('lists.drafts', () => show('drafts'));
  // Into the list: the first row (else the list itself), wherever focus was.
  useAction('lists.focusRows', () => {
    const first = bodyRef.current?.querySelector<HTMLElement>('tbody tr');
    (first ?? bodyRef.current)?.focus();
  });
  useAction('search.focus', () => {
    if (document.activeElement !== searchRef.current) searchOpener.current = document.activeElement;
    searchRef.current?.focus();
    searchRef.current?.select();
  });

  const closeSearch = () => {
    search.clear();
    const back = searchOpener.current;
    searchOpener.current = null;
    if (back instanceof HTMLElement && back.isConnected && back !== document.body) back.focus();
    else tabRefs.current[scope]?.focus();
  };

  // WAI-ARIA tabs: arrows move between tabs, Home/End jump to the ends, ArrowDown into the rows.
  const onTabKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const index = QUEUE_TABS.indexOf(scope);
    let next: QueueTab | undefined;
    if (e.key === 'ArrowRight') next = QUEUE_TABS[(index + 1) % QUEUE_TABS.length];
    else if (e.key === 'ArrowLeft') next = QUEUE_TABS[(index - 1 + QUEUE_TABS.length) % QUEUE_TABS.length];
    else if (e.key === 'Home') next = QUEUE_TABS[0];
    else if (e.key === 'End') next = QUEUE_TABS[QUEUE_TABS.length - 1];
    else if (e.key === 'ArrowDown') {
      e.preventDefault();
      bodyRef.current?.querySelector<HTMLElement>('tbody tr')?.focus();
      return;
    }
    if (!next) return;
    e.preventDefault();
    onScopeChange(next);
    tabRefs.current[next]?.focus();
  };

  const shownIds = useMemo(() => {
    const base = scope === 'replies' ? replies.shown : (ids ?? []);
    if (filters.type === '' && filters.urgency === '' && filters.language === '') return base;
    return base.filter((caseId) => passes(cases.get(caseId), filters));
  }, [scope, replies.shown, ids, filters, cases]);

  const dueCallbacks = useMemo(() => {
    let n = 0;
    for (const caseId of callbacks.ids ?? []) {
      const c = cases.get(caseId);
      if (c && dueState(dueOf(c, reference.sla), now, reference.sla) === 'due') n += 1;
    }
    return n;
  }, [callbacks.ids, cases, reference.sla, now]);

  const ctx: CellContext = { t, language: i18n.language, categories, reference, sla: reference.sla, listTime: fmt.listTime };
  const columns = scope === 'drafts' ? null : COLUMNS[scope];
  const filtered = filters.type !== '' || filters.urgency !== '' || filters.language !== '';
  const loading = scope !== 'drafts' && scope !== 'replies' && ids === null && !error;

  return (
    <section ref={sectionRef} className="panel cases queues" aria-labelledby={`${id}-heading`} data-testid="queues">
      <header className="panel__head cases__head queues__head">
        <h2 id={`${id}-heading`} className="visually-hidden">
          {t('cases.heading')}
        </h2>
        <div className="tabs queues__tabs" role="tablist" aria-label={t('cases.heading')}>
          {QUEUE_TABS.map((s) => {
            const count = s === 'replies' ? replies.fresh.length : s === 'callback' ? dueCallbacks : 0;
            return (
              <button
                key={s}
                ref={(el) => {
                  tabRefs.current[s] = el;
                }}
                type="button"
                role="tab"
                id={`${id}-tab-${s}`}
                aria-selected={scope === s && !search.active}
                aria-controls={`${id}-panel`}
                aria-keyshortcuts={primaryKeys(TAB_ACTIONS[s])}
                tabIndex={scope === s ? 0 : -1}
                className="tabs__tab"
                data-testid={`case-tab-${s}`}
                title={`${t(`cases.tab.${s}`)} (${showChord(primaryKeys(TAB_ACTIONS[s]))})`}
                onClick={() => show(s)}
                onKeyDown={onTabKeyDown}
              >
                {t(`cases.tab.${s}`)}
                {count > 0 && (
                  <span className={`tabs__count tabs__count--${s}`} data-testid={`tab-count-${s}`} aria-label={t(`queues.count.${s === 'replies' ? 'replies' : 'due'}`, { count })}>
                    {fmt.integer.format(count)}
                  </span>
                )}
              </button>
            );
          })}
        </div>
      </header>
      <div className="queues__tools">
        <SearchBox search={search} inputRef={searchRef} onClose={closeSearch} onDown={() => bodyRef.current?.querySelector<HTMLElement>('tbody tr')?.focus()} />
        {!search.active && scope !== 'drafts' && (
          <div className="queues__filters" role="group" aria-label={t('queues.filters')}>
            <FilterSelect label={t('queues.filter.type')} value={filters.type} options={ContactType.options} prefix="contactType" onChange={(v) => setFilters({ ...filters, type: v as Filters['type'] })} testId="filter-type" />
            <FilterSelect label={t('queues.filter.urgency')} value={filters.urgency} options={Urgency.options} prefix="urgency" onChange={(v) => setFilters({ ...filters, urgency: v as Filters['urgency'] })} testId="filter-urgency" />
            <FilterSelect label={t('queues.filter.language')} value={filters.language} options={CallerLanguage.options} prefix="callerLanguage" onChange={(v) => setFilters({ ...filters, language: v as Filters['language'] })} testId="filter-language" />
          </div>
        )}
        <span className="cases__count" aria-live="polite">
          {search.active ? null : scope !== 'drafts' && ids && t(filtered ? 'queues.countFiltered' : 'cases.count', { shown: fmt.integer.format(shownIds.length) })}
        </span>
      </div>
      <div
        ref={bodyRef}
        id={`${id}-panel`}
        className="cases__body"
        role="tabpanel"
        aria-labelledby={`${id}-tab-${scope}`}
        tabIndex={0}
        data-testid="case-list"
        data-scope={search.active ? 'search' : scope}
      >
        {search.active ? (
          <SearchResults search={search} ctx={ctx} selectedId={selectedId} onSelect={onSelect} />
        ) : scope === 'drafts' ? (
          <DraftsTable categories={categories} />
        ) : (
          <>
            {error && (
              <p className="alert alert--error" role="alert">
                {t('cases.loadError', { reason: errorText(t, error) })}
              </p>
            )}
            {loading && <p className="cases__empty">{t('cases.loading')}</p>}
            {!loading && shownIds.length === 0 && !error && <p className="cases__empty">{filtered ? t('queues.emptyFiltered') : t(`cases.empty.${scope}`)}</p>}
            {columns && shownIds.length > 0 && (
              <CaseTable columns={columns} ids={shownIds} ctx={ctx} selectedId={selectedId} onSelect={onSelect} />
            )}
          </>
        )}
      </div>
      <ReplyNotice arrived={replies.arrived} onShow={() => show('replies')} />
    </section>
  );
}

function FilterSelect({ label, value, options, prefix, onChange, testId }: { label: string; value: string; options: readonly string[]; prefix: string; onChange: (v: string) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <select className="queues__filter" aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} data-active={value !== ''}>
      <option value="">{label}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {t(`${prefix}.${o}`)}
        </option>
      ))}
    </select>
  );
}

export function CaseTable({ columns, ids, ctx, selectedId, onSelect }: { columns: readonly ColumnId[]; ids: readonly string[]; ctx: CellContext; selectedId: string | null; onSelect: (caseId: string) => void }) {
  const { t } = ctx;
  return (
    <table className="case-table queue-table">
      <QueueHead columns={columns} t={t} />
      <tbody>
        {ids.map((caseId) => (
          <CaseRow key={caseId} caseId={caseId} columns={columns} ctx={ctx} selected={caseId === selectedId} onSelect={onSelect} />
        ))}
      </tbody>
    </table>
  );
}

interface RowProps {
  caseId: string;
  columns: readonly ColumnId[];
  ctx: CellContext;
  selected: boolean;
  onSelect: (caseId: string) => void;
}

/** One row, read from the store by id: it re-renders when its own case changes, not when the list does. */
const CaseRow = memo(function CaseRow({ caseId, columns, ctx, selected, onSelect }: RowProps) {
  const c = useCaseRow(caseId);
  if (!c) return null;
  return <QueueRow view={c} columns={columns} ctx={ctx} selected={selected} onSelect={onSelect} />;
});

/** A reply arrived: a quiet notice (not a dialog), with the key that shows the replies; it goes by itself. */
function ReplyNotice({ arrived, onShow }: { arrived: readonly string[]; onShow: () => void }) {
  const { t } = useTranslation();
  const cases = useStore((s) => s.cases);
  const [shown, setShown] = useState<readonly string[]>([]);
  useEffect(() => {
    if (arrived.length === 0) return;
    setShown(arrived);
    const timer = setTimeout(() => setShown([]), 12_000);
    return () => clearTimeout(timer);
  }, [arrived]);
  const numbers = shown.map((caseId) => cases.get(caseId)?.number).filter((n): n is string => n !== undefined);
  return (
    <div className="reply-notice" role="status" aria-live="polite" data-testid="reply-notice" hidden={numbers.length === 0}>
      {numbers.length > 0 && (
        <>
          <strong>{t('queues.notice.title', { count: numbers.length })}</strong> <span className="mono">{numbers.slice(0, 3).join(' · ')}</span>{' '}
          <button type="button" className="btn btn--small" onClick={onShow} tabIndex={-1}>
            {t('queues.notice.show')} <kbd>{showChord(primaryKeys('lists.replies'))}</kbd>
          </button>
        </>
      )}
    </div>
  );
}
