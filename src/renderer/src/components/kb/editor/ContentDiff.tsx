import { diffArrays, diffWords } from 'diff';
import { useTranslation } from 'react-i18next';
import type { ArticleContent } from '../../../../../shared/domain/article';

type Field = 'title' | 'answerScript' | 'body' | 'categories' | 'tags' | 'units' | 'validFrom' | 'validTo' | 'language';
const FIELDS: readonly Field[] = ['title', 'answerScript', 'body', 'categories', 'tags', 'units', 'validFrom', 'validTo', 'language'];

// Chinese has no spaces between words: the browser's word segmenter cuts it (Intl.Segmenter).
const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(language: string): Intl.Segmenter {
  let s = segmenters.get(language);
  if (!s) {
    s = new Intl.Segmenter(language === 'zh' ? 'zh-CN' : 'en', { granularity: 'word' });
    segmenters.set(language, s);
  }
  return s;
}

function TextDiff({ before, after, language }: { before: string; after: string; language: string }) {
  const parts = diffWords(before, after, { intlSegmenter: segmenter(language) });
  return (
    <span className="kb-diff__text">
      {parts.map((p, i) =>
        p.added ? (
          <ins key={i}>{p.value}</ins>
        ) : p.removed ? (
          <del key={i}>{p.value}</del>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </span>
  );
}

function ListDiff({ before, after }: { before: readonly string[]; after: readonly string[] }) {
  const parts = diffArrays([...before], [...after]);
  return (
    <span className="kb-diff__text">
      {parts.flatMap((p, i) =>
        p.value.map((v, j) => {
          const k = `${i}-${j}`;
          return p.added ? <ins key={k}>{v} </ins> : p.removed ? <del key={k}>{v} </del> : <span key={k}>{v} </span>;
        }),
      )}
    </span>
  );
}

/**
 * What changed from one version of an article to another, field by field: removed text struck
 * through, added text underlined (jsdiff's word diff, words cut by Intl.Segmenter). Unchanged
 * fields are left out; none changed says so.
 */
export function ContentDiff({ before, after, testId }: { before: ArticleContent; after: ArticleContent; testId?: string }) {
  const { t } = useTranslation();
  const changed = FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
  return (
    <div className="kb-diff" data-testid={testId ?? 'kb-diff'}>
      {changed.length === 0 && <p className="kb-diff__none">{t('kbEditor.diff.none')}</p>}
      {changed.map((f) => {
        const a = before[f];
        const b = after[f];
        return (
          <div key={f} className="kb-diff__field" data-field={f}>
            <span className="kb-diff__label">{t(`kbEditor.fields.${f}`)}</span>
            {Array.isArray(a) && Array.isArray(b) ? <ListDiff before={a} after={b} /> : <TextDiff before={String(a ?? '')} after={String(b ?? '')} language={after.language} />}
          </div>
        );
      })}
    </div>
  );
}
