import { useId, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { categoryName, fieldText } from '../../../format';
import { unitName, useReference } from '../../../hooks/useReference';
import { useCategories } from '../../../store/hooks';
import { splitList, type ArticleFormValues } from './form';

interface Props {
  values: ArticleFormValues;
  onChange: (patch: Partial<ArticleFormValues>) => void;
  /** A new article: its key and language are chosen here; afterwards they name it. */
  isNew: boolean;
  /** Field errors by the content's field name (from the core's validation). */
  errors: Readonly<Record<string, string>>;
  titleRef: RefObject<HTMLInputElement | null>;
}

type TextField = Exclude<keyof ArticleFormValues, 'language'>;

/** The article's fields, in the order an editor writes them; lists typed with commas, names shown under them. */
export function ArticleForm({ values, onChange, isNew, errors, titleRef }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { tree } = useCategories();
  const reference = useReference();
  const fid = (f: string) => `${id}-${f}`;
  const a11y = (f: TextField) => ({
    id: fid(f),
    'aria-invalid': errors[f] !== undefined,
    'aria-describedby': errors[f] !== undefined ? `${fid(f)}-err` : undefined,
    value: values[f],
    'data-testid': `kb-field-${f}`,
  });
  const err = (f: string) =>
    errors[f] !== undefined && (
      <span className="field__error" id={`${fid(f)}-err`} role="alert">
        {fieldText(t, errors[f] ?? '')}
      </span>
    );
  const label = (f: string) => (
    <label className="field__label" htmlFor={fid(f)}>
      {t(`kbEditor.fields.${f}`)}
    </label>
  );
  const categories = splitList(values.categories);
  const unknownCategories = categories.filter((c) => !tree.byCode.has(c));
  const units = splitList(values.units);
  return (
    <div className="kb-editor__form" data-testid="kb-editor-form">
      <div className="field">
        {label('title')}
        <input ref={titleRef} {...a11y('title')} onChange={(e) => onChange({ title: e.target.value })} />
        {err('title')}
      </div>
      {isNew && (
        <div className="kb-editor__row2">
          <div className="field">
            {label('key')}
            <input {...a11y('key')} onChange={(e) => onChange({ key: e.target.value })} placeholder="heating-fee-subsidy" />
            {err('key')}
          </div>
          <div className="field">
            {label('language')}
            <select id={fid('language')} value={values.language} onChange={(e) => onChange({ language: e.target.value === 'en' ? 'en' : 'zh' })} data-testid="kb-field-language">
              <option value="zh">中文</option>
              <option value="en">English</option>
            </select>
          </div>
        </div>
      )}
      <div className="field">
        {label('answerScript')}
        <textarea rows={3} {...a11y('answerScript')} onChange={(e) => onChange({ answerScript: e.target.value })} />
        {err('answerScript')}
      </div>
      <div className="field">
        {label('body')}
        <textarea rows={9} className="kb-editor__body" {...a11y('body')} onChange={(e) => onChange({ body: e.target.value })} />
        <span className="field__hint">{t('kbEditor.markdownHint')}</span>
        {err('body')}
      </div>
      <div className="field">
        {label('categories')}
        <input {...a11y('categories')} onChange={(e) => onChange({ categories: e.target.value })} />
        <span className="field__hint" data-testid="kb-categories-named">
          {categories.map((c) => { const cat = tree.byCode.get(c); return cat ? categoryName(cat, i18n.language) : c; }).join('、')}
        </span>
        {unknownCategories.length > 0 && <span className="field__error">{t('kbEditor.unknownCategories', { codes: unknownCategories.join(', ') })}</span>}
        {err('categories')}
      </div>
      <div className="kb-editor__row2">
        <div className="field">
          {label('tags')}
          <input {...a11y('tags')} onChange={(e) => onChange({ tags: e.target.value })} />
          {err('tags')}
        </div>
        <div className="field">
          {label('units')}
          <input {...a11y('units')} onChange={(e) => onChange({ units: e.target.value })} />
          {units.length > 0 && <span className="field__hint">{units.map((u) => unitName(reference, u, i18n.language)).join('、')}</span>}
          {err('units')}
        </div>
      </div>
      <div className="kb-editor__row2">
        <div className="field">
          {label('validFrom')}
          <input type="date" {...a11y('validFrom')} onChange={(e) => onChange({ validFrom: e.target.value })} />
          {err('validFrom')}
        </div>
        <div className="field">
          {label('validTo')}
          <input type="date" {...a11y('validTo')} onChange={(e) => onChange({ validTo: e.target.value })} />
          {err('validTo')}
        </div>
      </div>
    </div>
  );
}
