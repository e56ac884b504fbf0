import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ArticleVersion } from '../../../../../shared/domain/article';
import type { AppError } from '../../../../../shared/result';
import { api } from '../../../api/client';
import { errorText, useFormatters } from '../../../format';
import { useReference } from '../../../hooks/useReference';
import { Dialog } from '../../Dialog';
import { ContentDiff } from './ContentDiff';

interface Props {
  articleId: string;
  onRestore: (fromVersion: number) => void;
  onClose: () => void;
}

/** restored:3 → "restored from version 3"; saved, published as they are. */
function eventText(t: TFunction, event: string): string {
  const restored = /^restored:(\d+)$/.exec(event);
  if (restored) return t('kbEditor.history.restored', { version: restored[1] });
  return t(`kbEditor.history.events.${event === 'published' ? 'published' : 'saved'}`);
}

/**
 * Alt+H: every version of the article (the server keeps them), newest first, who and when; the
 * version chosen (↑↓) shown as a diff against the one before it. Enter restores it as the latest
 * draft (nothing is lost: the current one stays in the history). Esc closes.
 */
export function HistoryDialog({ articleId, onRestore, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const reference = useReference();
  const id = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const [versions, setVersions] = useState<readonly ArticleVersion[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [active, setActive] = useState(0);

  useEffect(() => {
    let live = true;
    void api.invoke('kb.history', { id: articleId }).then((res) => {
      if (!live) return;
      if (res.ok) setVersions(res.value);
      else setError(res.error);
    });
    return () => {
      live = false;
    };
  }, [articleId]);

  const list = versions ?? [];
  const chosen = list[active];
  const previous = list[active + 1];
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, Math.min(list.length - 1, a + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter' && chosen && active > 0) {
      e.preventDefault();
      onRestore(chosen.version);
    }
  };
  return (
    <Dialog labelledBy={`${id}-title`} onClose={onClose} initialFocus={listRef} className="kb-history" testId="kb-history">
      <header className="dialog__head">
        <h2 id={`${id}-title`} className="dialog__title">
          {t('kbEditor.history.title')}
        </h2>
        <p className="dialog__hint">{t('kbEditor.history.keys')}</p>
      </header>
      {error && (
        <p className="alert alert--error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {versions === null && !error && <p role="status">{t('app.loading')}</p>}
      <div className="kb-history__body">
        <div
          ref={listRef}
          className="kb-history__list"
          role="listbox"
          tabIndex={0}
          aria-label={t('kbEditor.history.title')}
          aria-activedescendant={chosen ? `${id}-v-${active}` : undefined}
          onKeyDown={onKey}
          data-testid="kb-history-list"
        >
          {list.map((v, i) => (
            <div key={v.version} id={`${id}-v-${i}`} role="option" aria-selected={i === active} className={`kb-history__item${i === active ? ' kb-history__item--active' : ''}`} data-testid="kb-history-item">
              <strong>v{v.version}</strong> {eventText(t, v.event)}
              <br />
              <span className="kb-history__who">
                {reference.users.get(v.author)?.displayName ?? v.author} · {fmt.listTime.format(v.at)}
              </span>
            </div>
          ))}
        </div>
        <div className="kb-history__diff">
          {chosen && (
            <>
              <h3>{previous ? t('kbEditor.history.diffTitle', { from: previous.version, to: chosen.version }) : t('kbEditor.history.first')}</h3>
              {previous ? <ContentDiff before={previous.content} after={chosen.content} testId="kb-history-diff" /> : <p>{chosen.content.title}</p>}
              {active > 0 && <p className="field__hint">{t('kbEditor.history.restoreHint', { version: chosen.version })}</p>}
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}
