import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArticleContent, ArticleDraftRecord } from '../../../../../shared/domain/article';
import { useFormatters } from '../../../format';
import { useReference } from '../../../hooks/useReference';
import { ContentDiff } from './ContentDiff';

interface Props {
  /** What this editor wrote and could not save. */
  mine: ArticleContent;
  /** The article as the other editor left it (the latest version). */
  theirs: ArticleDraftRecord;
  /** Whether the form is already merging (mine in the form, on top of theirs). */
  merging: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  onMerge: () => void;
}

/**
 * Another editor saved this article first: both versions side by side (theirs, then what changes
 * if mine is kept), and the choice — keep mine (saved over theirs, which stays in the history),
 * take theirs (mine dropped), or merge by hand in the form with both in view. Nothing is
 * overwritten until the editor chooses. Focus: the first choice; Tab moves between them.
 */
export function ConflictPanel({ mine, theirs, merging, onKeepMine, onTakeTheirs, onMerge }: Props) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const reference = useReference();
  const id = useId();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!merging) first.current?.focus();
  }, [merging]);
  const who = reference.users.get(theirs.updatedBy)?.displayName ?? theirs.updatedBy;
  return (
    <section className="kb-conflict" role="alertdialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} data-testid="kb-conflict">
      <h3 id={`${id}-title`} className="kb-conflict__title">
        {t('kbEditor.conflict.title')}
      </h3>
      <p id={`${id}-desc`}>{t('kbEditor.conflict.desc', { who, version: theirs.version, at: fmt.listTime.format(theirs.updatedAt) })}</p>
      <div className="kb-conflict__sides">
        <div className="kb-conflict__side" data-testid="kb-conflict-theirs">
          <h4>{t('kbEditor.conflict.theirs', { who, version: theirs.version })}</h4>
          <p className="kb-conflict__title-text">{theirs.content.title}</p>
          <p className="kb-conflict__script">{theirs.content.answerScript}</p>
        </div>
        <div className="kb-conflict__side" data-testid="kb-conflict-mine">
          <h4>{t('kbEditor.conflict.mine')}</h4>
          <p className="kb-conflict__title-text">{mine.title}</p>
          <p className="kb-conflict__script">{mine.answerScript}</p>
        </div>
      </div>
      <h4>{t('kbEditor.conflict.diff')}</h4>
      <ContentDiff before={theirs.content} after={mine} testId="kb-conflict-diff" />
      {!merging && (
        <p className="kb-conflict__choices">
          <button ref={first} type="button" className="btn" onClick={onMerge} data-testid="kb-conflict-merge">
            {t('kbEditor.conflict.merge')}
          </button>{' '}
          <button type="button" className="btn" onClick={onTakeTheirs} data-testid="kb-conflict-theirs-take">
            {t('kbEditor.conflict.takeTheirs')}
          </button>{' '}
          <button type="button" className="btn" onClick={onKeepMine} data-testid="kb-conflict-keep-mine">
            {t('kbEditor.conflict.keepMine', { version: theirs.version + 1 })}
          </button>
        </p>
      )}
      {merging && <p className="field__hint">{t('kbEditor.conflict.merging', { version: theirs.version })}</p>}
    </section>
  );
}
