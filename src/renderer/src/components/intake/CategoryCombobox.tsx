import { memo, useEffect, useId, useMemo, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { categoryName } from '../../format';
import type { CategoryTree } from '../../store/categories';
import { indexCategories, searchCategories } from './categorySearch';

interface Props {
  id: string;
  inputRef: RefObject<HTMLInputElement | null>;
  tree: CategoryTree;
  value: string;
  invalid: boolean;
  describedBy: string | undefined;
  onChange: (code: string) => void;
  /** The category was picked with Enter: focus moves on to the next field. */
  onPicked: () => void;
}

/**
 * The category as a searchable combobox (WAI-ARIA combobox with a listbox popup): Chinese, English,
 * pinyin, pinyin initials or the code; ↑/↓ move in the list, Enter picks (the top match unless
 * another is highlighted) and moves on, Esc closes the list first.
 */
export const CategoryCombobox = memo(function CategoryCombobox({ id, inputRef, tree, value, invalid, describedBy, onChange, onPicked }: Props) {
  const { t, i18n } = useTranslation();
  const listId = useId();
  const entries = useMemo(() => indexCategories(tree.all), [tree.all]);
  const [usage, setUsage] = useState<Record<string, number>>({});
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const chosen = tree.byCode.get(value);
  const parent = chosen?.parent ? tree.byCode.get(chosen.parent) : undefined;
  const shown = chosen ? `${categoryName(chosen, i18n.language)}${parent ? ` · ${categoryName(parent, i18n.language)}` : ''}` : '';
  const open = query !== null;
  const matches = useMemo(() => (query === null ? [] : searchCategories(entries, query, usage)), [entries, query, usage]);

  // This operator's usage ranks ties; read once per list of categories (and again when focus comes back).
  const loadUsage = () => {
    void api.invoke('cases.categoryUsage', {}).then((res) => res.ok && setUsage(res.value));
  };
  useEffect(loadUsage, [tree.all]);

  const pick = (code: string) => {
    onChange(code);
    setQuery(null);
    setActive(0);
    onPicked();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        setQuery('');
        setActive(0);
        return;
      }
      const n = matches.length;
      if (n > 0) setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a - 1 + n) % n));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const match = matches[active] ?? matches[0];
      if (open && match) pick(match.category.code);
      else if (!open && value !== '') onPicked();
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setQuery(null);
    }
  };

  return (
    <div className="combo">
      <input
        ref={inputRef}
        id={id}
        data-testid="intake-category"
        data-value={value}
        data-categories={tree.all.length}
        role="combobox"
        aria-expanded={open && matches.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
        aria-required="true"
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        spellCheck={false}
        placeholder={t('intakePane.categoryPlaceholder')}
        value={query ?? shown}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onFocus={(e) => {
          e.target.select();
          loadUsage();
        }}
        onBlur={() => setQuery(null)}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" className="combo__list" hidden={!open || matches.length === 0} aria-label={t('intake.category')}>
        {matches.map((m, i) => (
          <li
            key={m.category.code}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className="combo__option"
            data-testid="category-option"
            data-code={m.category.code}
            // Keep focus in the field: the click picks without a blur first.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(m.category.code)}
          >
            <span className="combo__name">{categoryName(m.category, i18n.language)}</span>
            {m.parent && <span className="combo__parent">{categoryName(m.parent, i18n.language)}</span>}
            <span className="combo__code mono">{m.category.code}</span>
          </li>
        ))}
      </ul>
      {open && query !== '' && matches.length === 0 && (
        <p className="field__hint" role="status">
          {t('intakePane.noCategory')}
        </p>
      )}
    </div>
  );
});
