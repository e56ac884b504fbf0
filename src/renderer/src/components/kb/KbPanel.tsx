import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArticleHit } from '../../../../shared/contract/contract';
import type { ArticleRecord } from '../../../../shared/domain/article';
import type { AppError } from '../../../../shared/result';
import { api } from '../../api/client';
import { errorText } from '../../format';
import { primaryKeys } from '../../keys/actions';
import { showChord } from '../../keys/chords';
import { useAction } from '../../keys/hooks';
import { ArticleView } from './ArticleView';
import { forAnswer, offerToIntake, onOpenKbPanel, type PanelRequest } from './kbBus';
import { Snippet } from './Snippet';
import { itemOfHit, itemOfRecord, useKbMine, useKbSearch, type KbItem } from './useKbSearch';
import './kb.css';

interface Section {
  id: 'hits' | 'suggested' | 'recent' | 'most';
  items: readonly KbItem[];
}

/** Focus `el` if it is still on screen. */
function focusBack(el: Element | null): void {
  if (el instanceof HTMLElement && el.isConnected && el !== document.body && el.getClientRects().length > 0) el.focus();
}

/**
 * The KB panel (F2 / Alt+K): free search of the knowledge base during a call, results as the
 * operator types; recent and most used articles (and intake's suggestions) before anything is
 * typed; an article with its answer script first. Alt+I puts the script into intake's direct
 * answer, Alt+A answers the call with it. Not modal: intake stays usable beside it.
 * Focus: the search box on opening; Esc goes back from an article to the list, then closes the
 * panel and returns focus where it was.
 */
export function KbPanel({ canAnswer }: { canAnswer: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const [suggested, setSuggested] = useState<readonly ArticleHit[]>([]);
  const [article, setArticle] = useState<ArticleRecord | null>(null);
  const [error, setError] = useState<AppError | string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const articleRef = useRef<HTMLElement>(null);
  const opener = useRef<Element | null>(null);
  // Where focus goes once the panel has rendered what it asks for (an article, the search box).
  const [focusTo, setFocusTo] = useState<{ to: 'search' | 'article' } | null>(null);
  const search = useKbSearch(q);
  const mine = useKbMine(open);

  const idle: Section[] = [
    { id: 'suggested', items: suggested.map(itemOfHit) },
    { id: 'recent', items: mine.recent.map(itemOfRecord) },
    { id: 'most', items: mine.most.map(itemOfRecord) },
  ];
  const sections: Section[] = q.trim() !== '' ? [{ id: 'hits', items: search.hits.map(itemOfHit) }] : idle.filter((s) => s.items.length > 0);
  const flat = sections.flatMap((s) => s.items.map((item) => ({ section: s.id, item })));
  const current = flat[Math.min(active, flat.length - 1)];

  const show = async (articleId: string) => {
    setError(null);
    const res = await api.invoke('kb.get', { id: articleId });
    if (!res.ok) {
      setError(res.error);
      return;
    }
    setArticle(res.value);
    setFocusTo({ to: 'article' });
  };

  const openPanel = (request: PanelRequest = {}) => {
    if (!open) opener.current = document.activeElement;
    setOpen(true);
    setError(null);
    setSuggested(request.suggestions ?? []);
    if (request.suggestions) {
      setQ('');
      setActive(0);
    }
    if (request.articleId) void show(request.articleId);
    else {
      setArticle(null);
      setFocusTo({ to: 'search' });
    }
  };

  const close = () => {
    setOpen(false);
    setArticle(null);
    const back = opener.current;
    opener.current = null;
    setTimeout(() => focusBack(back), 0);
  };

  useEffect(() => {
    if (!focusTo) return;
    (focusTo.to === 'article' ? articleRef.current : inputRef.current)?.focus();
    setFocusTo(null);
  }, [focusTo, article, open]);

  const openRef = useRef(openPanel);
  useEffect(() => {
    openRef.current = openPanel;
  });
  useEffect(() => onOpenKbPanel((r) => openRef.current(r)), []);

  useAction('kb.panel', () => (open ? close() : openPanel()));

  // The article shown (or the line chosen in the list) goes to intake: its script, or the whole answer.
  const target = article ?? null;
  const offer = (kind: 'insert' | 'answer') => {
    if (!target) return;
    if (offerToIntake({ kind, ...forAnswer(target) })) {
      setOpen(false);
      setArticle(null);
      opener.current = null;
    } else setError(t('kb.noIntake'));
  };
  useAction('kb.insertScript', () => offer('insert'), open && canAnswer && target !== null);
  useAction('kb.answerWith', () => offer('answer'), open && canAnswer && target !== null);

  if (!open) return null;

  const onListKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (flat.length === 0) return;
      setActive((a) => (e.key === 'ArrowDown' ? Math.min(flat.length - 1, a + 1) : Math.max(0, a - 1)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (current) void show(current.item.id);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  };
  const onArticleKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      setArticle(null);
      setFocusTo({ to: 'search' });
    }
  };

  const optionId = (i: number) => `${id}-opt-${i}`;
  let index = -1;
  const key = (action: Parameters<typeof primaryKeys>[0]) => showChord(primaryKeys(action));
  return (
    <aside className="kb-panel" aria-labelledby={`${id}-title`} data-testid="kb-panel">
      <header className="kb-panel__head">
        <h2 id={`${id}-title`} className="kb-panel__title">
          {t('kb.panelTitle')}
        </h2>
        <p className="kb-panel__keys">
          <kbd>↑↓</kbd> <kbd>Enter</kbd> {t('kb.keys.open')} · {canAnswer && article && (
            <>
              <kbd>{key('kb.insertScript')}</kbd> {t('kb.keys.insert')} · <kbd>{key('kb.answerWith')}</kbd> {t('kb.keys.answer')} ·{' '}
            </>
          )}
          <kbd>Esc</kbd> {article ? t('kb.keys.back') : t('kb.keys.close')}
        </p>
      </header>
      {article ? (
        <div className="kb-panel__article" onKeyDown={onArticleKey}>
          <ArticleView ref={articleRef} content={article} version={article.version} />
        </div>
      ) : (
        <>
          <div className="kb-panel__search">
            <input
              ref={inputRef}
              type="search"
              role="combobox"
              aria-expanded={flat.length > 0}
              aria-controls={`${id}-list`}
              aria-activedescendant={current ? optionId(Math.min(active, flat.length - 1)) : undefined}
              aria-label={t('kb.searchLabel')}
              placeholder={t('kb.searchPlaceholder')}
              value={q}
              onChange={(e) => {
                setQ(e.target.value);
                setActive(0);
              }}
              onKeyDown={onListKey}
              data-testid="kb-search"
            />
          </div>
          {error !== null && (
            <p className="alert alert--error kb-panel__error" role="alert">
              {typeof error === 'string' ? error : errorText(t, error)}
            </p>
          )}
          <div className="kb-panel__list" id={`${id}-list`} role="listbox" aria-label={t('kb.results')} data-testid="kb-results">
            {q.trim() !== '' && search.done === q.trim() && search.hits.length === 0 && <p className="kb-panel__empty">{t('kb.noHits')}</p>}
            {q.trim() === '' && sections.length === 0 && <p className="kb-panel__empty">{t('kb.typeToSearch')}</p>}
            {sections.map((s) => (
              <div key={s.id} role="group" aria-label={t(`kb.sections.${s.id}`)}>
                <h3 className="kb-panel__section">{t(`kb.sections.${s.id}`)}</h3>
                {s.items.map((item) => {
                  index += 1;
                  const i = index;
                  const selected = current !== undefined && i === Math.min(active, flat.length - 1);
                  return (
                    <div
                      key={`${s.id}-${item.id}`}
                      id={optionId(i)}
                      role="option"
                      aria-selected={selected}
                      className={`kb-hit${selected ? ' kb-hit--active' : ''}`}
                      data-testid="kb-hit"
                      data-article-id={item.id}
                      onMouseDown={(e) => {
                        e.preventDefault();
                        setActive(i);
                        void show(item.id);
                      }}
                    >
                      <span className="kb-hit__title">
                        {item.title}
                        {item.expired && <span className="kb-badge kb-badge--expired">{t('kb.validity.expired')}</span>}
                      </span>
                      <span className="kb-hit__text">{item.snippet ? <Snippet snippet={item.snippet} /> : item.answerScript}</span>
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
        </>
      )}
    </aside>
  );
}
