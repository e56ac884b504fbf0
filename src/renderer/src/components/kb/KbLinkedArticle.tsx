import { useTranslation } from 'react-i18next';
import type { AnsweredArticle } from '../../../../shared/domain/lifecycle';

/** Under intake's direct answer: the knowledge-base article it comes from (recorded on the case). */
export function KbLinkedArticle({ article }: { article: AnsweredArticle | null }) {
  const { t } = useTranslation();
  if (!article) return null;
  return (
    <p className="field__hint" data-testid="intake-answer-article" data-article-id={article.id}>
      {t('kb.linkedArticle', { title: article.title })}
    </p>
  );
}
