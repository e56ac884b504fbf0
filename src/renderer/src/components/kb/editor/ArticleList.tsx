import { forwardRef, useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArticleDraftRecord } from '../../../../../shared/domain/article';
import { statusOf } from './form';

export type StatusFilter = 'all' | 'draft' | 'published' | 'retired';
const FILTERS: readonly StatusFilter[] = ['all', 'draft', 'published', 'retired'];

interface Props {
  drafts: readonly ArticleDraftRecord[];
  selectedId: string | null;
  onOpen: (id: string) => void;
}

function matches(d: ArticleDraftRecord, filter: StatusFilter, q: string): boolean {
  const s = statusOf(d);
  if (filter === 'draft' && s !== 'draft' && s !== 'changed') return false;
  if (filter === 'published' && s !== 'published' && s !== 'changed') return false;
  if (filter === 'retired' && s !== 'retired') return false;
  if (q === '') return true;
  const hay = `${d.content.title} ${d.id} ${d.content.tags.join(' ')} ${d.content.categories.join(' ')}`.toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .every((w) => hay.includes(w));
}

/**
 * The editor's list of articles: a filter box (↑↓ move, Enter opens) and a status filter; newest
 * change first. F6 comes back here from anywhere on the screen.
 */
export const ArticleList = forwardRef<HTMLInputElement, Props>(function ArticleList({ drafts, selectedId, onOpen }, ref) {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<StatusFilter>('all');
  const [active, setActive] = useState(0);
  const shown = [...drafts].filter((d) => matches(d, filter, q.trim())).sort((a, b) => b.updatedAt - a.updatedAt);
  const at = Math.min(active, shown.length - 1);

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(Math.max(0, Math.min(shown.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const d = shown[at];
      if (d) onOpen(d.id);
    }
  };
  return (
    <section className="panel kb-editor__list" aria-labelledby={`${id}-title`} data-testid="kb-editor-list">
      <h2 className="kb-title" id={`${id}-title`}>
        {t('kbEditor.listTitle', { count: shown.length })}
      </h2>
      <div className="kb-editor__filters">
        <input
          ref={ref}
          type="search"
          role="combobox"
          aria-expanded={shown.length > 0}
          aria-controls={`${id}-rows`}
          aria-activedescendant={shown[at] ? `${id}-row-${at}` : undefined}
          aria-label={t('kbEditor.filter')}
          placeholder={t('kbEditor.filter')}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKey}
          data-testid="kb-editor-filter"
        />
        <select aria-label={t('kbEditor.statusFilter')} value={filter} onChange={(e) => setFilter(e.target.value as StatusFilter)} data-testid="kb-editor-status-filter">
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {t(`kbEditor.filters.${f}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="kb-editor__rows" id={`${id}-rows`} role="listbox" aria-label={t('kbEditor.listTitle', { count: shown.length })}>
        {shown.map((d, i) => {
          const s = statusOf(d);
          return (
            <div
              key={d.id}
              id={`${id}-row-${i}`}
              role="option"
              aria-selected={i === at}
              className={`kb-editor__row${i === at ? ' kb-editor__row--active' : ''}${d.id === selectedId ? ' kb-editor__row--open' : ''}`}
              data-testid="kb-editor-row"
              data-article-id={d.id}
              onMouseDown={(e) => {
                e.preventDefault();
                setActive(i);
                onOpen(d.id);
              }}
            >
              <span className="kb-editor__row-title">{d.content.title}</span>
              <span className={`kb-status kb-status--${s}`}>
                {t(`kbEditor.status.${s}`)} · v{d.version}
                {d.publishedVersion !== null && d.publishedVersion !== d.version ? ` (${t('kbEditor.liveVersion', { version: d.publishedVersion })})` : ''}
              </span>
            </div>
          );
        })}
      </div>
    </section>
  );
});
