import { Fragment, useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../../shared/domain/case';
import type { AppError } from '../../../../shared/result';
import { api } from '../../api/client';
import { errorText } from '../../format';
import { primaryKeys } from '../../keys/actions';
import { showChord } from '../../keys/chords';
import { useSyncStatus } from '../../store/hooks';
import { onRowKeyDown, QueueRow } from './QueueRow';
import { cell, QueueHead, type CellContext, type ColumnId } from './columns';

/** How long the typing must pause before the central server is asked (it is far; the local cache is not). */
const SERVER_DELAY_MS = 350;
const LOCAL_LIMIT = 50;
const SERVER_LIMIT = 30;

export interface CaseSearch {
  query: string;
  setQuery: (q: string) => void;
  clear: () => void;
  active: boolean;
  local: { cases: readonly CaseView[]; more: boolean } | null;
  localError: AppError | null;
  /** Older cases from the server (those not on this workstation); null while not asked or asking. */
  server: readonly CaseView[] | null;
  serverBusy: boolean;
  serverError: AppError | null;
}

/**
 * Search as you type: the workstation's cache on every keystroke (numbers, phones, addresses,
 * words — one and two Chinese characters too), answers that arrive late for an older query
 * dropped; the central server for older cases once the typing pauses, when online.
 */
export function useCaseSearch(): CaseSearch {
  const [query, setQueryState] = useState('');
  const [local, setLocal] = useState<CaseSearch['local']>(null);
  const [localError, setLocalError] = useState<AppError | null>(null);
  const [server, setServer] = useState<readonly CaseView[] | null>(null);
  const [serverBusy, setServerBusy] = useState(false);
  const [serverError, setServerError] = useState<AppError | null>(null);
  const seq = useRef(0);
  const online = useSyncStatus()?.online ?? false;

  const setQuery = useCallback((q: string) => setQueryState(q), []);
  const clear = useCallback(() => setQueryState(''), []);
  const q = query.trim();

  useEffect(() => {
    const mine = ++seq.current;
    setServer(null);
    setServerError(null);
    setServerBusy(false);
    if (q === '') {
      setLocal(null);
      setLocalError(null);
      return;
    }
    void api.invoke('cases.search', { q, limit: LOCAL_LIMIT }).then((res) => {
      if (mine !== seq.current) return;
      if (res.ok) {
        setLocal(res.value);
        setLocalError(null);
      } else setLocalError(res.error);
    });
    if (!online) return;
    const timer = setTimeout(() => {
      setServerBusy(true);
      void api.invoke('cases.searchServer', { q, limit: SERVER_LIMIT }).then((res) => {
        if (mine !== seq.current) return;
        setServerBusy(false);
        if (res.ok) setServer(res.value.cases);
        else setServerError(res.error);
      });
    }, SERVER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q, online]);

  return { query, setQuery, clear, active: q !== '', local, localError, server, serverBusy, serverError };
}

interface BoxProps {
  search: CaseSearch;
  inputRef: RefObject<HTMLInputElement | null>;
  /** Esc: the search ends and focus goes back where it came from. */
  onClose: () => void;
  /** ArrowDown: to the first result. */
  onDown: () => void;
}

export function SearchBox({ search, inputRef, onClose, onDown }: BoxProps) {
  const { t } = useTranslation();
  const id = useId();
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape' && (search.query !== '' || document.activeElement === e.currentTarget)) {
      e.preventDefault();
      onClose();
    } else if (e.key === 'ArrowDown' || (e.key === 'Enter' && search.active)) {
      e.preventDefault();
      onDown();
    }
  };
  return (
    <span className="queues__search">
      <label htmlFor={id} className="visually-hidden">
        {t('search.label')}
      </label>
      <input
        ref={inputRef}
        id={id}
        type="search"
        className="queues__search-input"
        value={search.query}
        maxLength={100}
        placeholder={t('search.placeholder', { key: showChord(primaryKeys('search.focus')) })}
        onChange={(e) => search.setQuery(e.target.value)}
        onKeyDown={onKeyDown}
        aria-keyshortcuts={primaryKeys('search.focus')}
        aria-describedby={`${id}-hint`}
        data-testid="search-input"
        autoComplete="off"
      />
      <span id={`${id}-hint`} className="visually-hidden">
        {t('search.hint')}
      </span>
    </span>
  );
}

const LOCAL_COLUMNS: readonly ColumnId[] = ['number', 'createdAt', 'urgency', 'category', 'phone', 'address', 'status', 'deadline'];
const SERVER_COLUMNS: readonly ColumnId[] = ['number', 'createdAt', 'category', 'address', 'status'];

interface ResultsProps {
  search: CaseSearch;
  ctx: CellContext;
  selectedId: string | null;
  onSelect: (caseId: string) => void;
}

/** The cases found here (they open like any row) and the older ones the server found (read in place). */
export function SearchResults({ search, ctx, selectedId, onSelect }: ResultsProps) {
  const { t } = ctx;
  const [expanded, setExpanded] = useState<string | null>(null);
  const localIds = new Set((search.local?.cases ?? []).map((c) => c.id));
  const older = (search.server ?? []).filter((c) => !localIds.has(c.id));
  return (
    <div className="search-results" data-testid="search-results">
      <h3 className="search-results__head" data-testid="search-local-head">
        {search.local === null ? t('search.searching') : t(search.local.more ? 'search.localMore' : 'search.local', { count: search.local.cases.length })}
      </h3>
      {search.localError && (
        <p className="alert alert--error" role="alert">
          {errorText(t, search.localError)}
        </p>
      )}
      {search.local && search.local.cases.length > 0 && (
        <table className="case-table queue-table">
          <QueueHead columns={LOCAL_COLUMNS} t={t} />
          <tbody>
            {search.local.cases.map((c) => (
              <QueueRow key={c.id} view={c} columns={LOCAL_COLUMNS} ctx={ctx} selected={c.id === selectedId} onSelect={onSelect} testId="search-row" />
            ))}
          </tbody>
        </table>
      )}
      <h3 className="search-results__head" data-testid="search-server-head">
        {search.serverError
          ? t('search.serverError', { reason: errorText(t, search.serverError) })
          : search.serverBusy
            ? t('search.serverBusy')
            : search.server === null
              ? t('search.serverIdle')
              : t('search.server', { count: older.length })}
      </h3>
      {older.length > 0 && (
        <table className="case-table queue-table">
          <QueueHead columns={SERVER_COLUMNS} t={t} />
          <tbody>
            {older.map((c) => (
              <Fragment key={c.id}>
                <tr
                  tabIndex={0}
                  data-testid="server-row"
                  data-case-number={c.number}
                  aria-expanded={expanded === c.id}
                  onClick={() => setExpanded(expanded === c.id ? null : c.id)}
                  onKeyDown={(e) => onRowKeyDown(e, () => setExpanded(expanded === c.id ? null : c.id))}
                >
                  {SERVER_COLUMNS.map((col) => (
                    <td key={col} className={`col-${col}`}>
                      {cell(col, c, ctx)}
                    </td>
                  ))}
                </tr>
                {expanded === c.id && (
                  <tr className="server-row__detail">
                    <td colSpan={SERVER_COLUMNS.length}>
                      <p className="facts__text">{c.description}</p>
                      {c.reply && (
                        <p>
                          <strong>{t(`outcome.${c.reply.outcome}`)}</strong> {c.reply.text}
                        </p>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
