import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArticleContent } from '../../../../shared/domain/article';
import { categoryName } from '../../format';
import { unitName, useReference } from '../../hooks/useReference';
import { useCategories } from '../../store/hooks';
import { MarkdownView } from './MarkdownView';
import { validityOf } from './validity';

interface Props {
  content: ArticleContent;
  /** The published version shown (absent in the editor's preview of unsaved text). */
  version?: number;
  testId?: string;
}

/**
 * One article as an operator reads it on the call: the answer script (the words to say) first and
 * prominent, then validity, categories, the body (safe Markdown), units, tags and sources.
 */
export const ArticleView = forwardRef<HTMLElement, Props>(function ArticleView({ content, version, testId }, ref) {
  const { t, i18n } = useTranslation();
  const { tree } = useCategories();
  const reference = useReference();
  const validity = validityOf(content);
  const dates =
    content.validFrom === null && content.validTo === null
      ? t('kb.validity.always')
      : t('kb.validity.range', { from: content.validFrom ?? '…', to: content.validTo ?? '…' });
  return (
    <article className="kb-article" tabIndex={-1} ref={ref} data-testid={testId ?? 'kb-article'} aria-labelledby={`${testId ?? 'kb-article'}-title`}>
      <h2 className="kb-article__title" id={`${testId ?? 'kb-article'}-title`} lang={content.language === 'zh' ? 'zh-CN' : 'en'}>
        {content.title}
      </h2>
      <section className="kb-article__script" aria-label={t('kb.answerScript')} data-testid="kb-answer-script">
        <span className="kb-article__script-label">{t('kb.answerScript')}</span>
        <p lang={content.language === 'zh' ? 'zh-CN' : 'en'}>{content.answerScript}</p>
      </section>
      <p className="kb-article__meta">
        <span className={`kb-validity kb-validity--${validity}`} data-testid="kb-validity" data-validity={validity}>
          {t(`kb.validity.${validity}`)} · {dates}
        </span>
        {version !== undefined && <span> · {t('kb.version', { version })}</span>}
        <span>
          {' '}
          · {content.categories.map((code) => { const c = tree.byCode.get(code); return c ? categoryName(c, i18n.language) : code; }).join('、')}
        </span>
      </p>
      <MarkdownView source={content.body} className="kb-article__body" />
      {content.units.length > 0 && (
        <p className="kb-article__units">
          {t('kb.units')}: {content.units.map((u) => unitName(reference, u, i18n.language)).join('、')}
        </p>
      )}
      {content.tags.length > 0 && (
        <p className="kb-article__tags">
          {content.tags.map((tag) => (
            <span key={tag} className="kb-tag">
              {tag}
            </span>
          ))}
        </p>
      )}
      {content.sources.length > 0 && (
        <p className="kb-article__sources">
          {t('kb.sources')}: {content.sources.map((s) => s.title + (s.publisher ? ` (${s.publisher})` : '')).join('; ')}
        </p>
      )}
    </article>
  );
});
