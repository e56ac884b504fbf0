import type { ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import type { CategoryTree } from '../store/categories';
import { categoryName } from '../format';

type Props = Omit<ComponentProps<'select'>, 'children'> & { tree: CategoryTree };

/**
 * Leaf categories grouped by parent, in a native select: arrow keys and type-ahead work without a
 * mouse, and screen readers know it. Parents are group labels, so they cannot be picked.
 */
export function CategorySelect({ tree, ...rest }: Props) {
  const { t, i18n } = useTranslation();
  return (
    <select {...rest}>
      <option value="">{t('intake.categoryPlaceholder')}</option>
      {tree.groups.map(({ parent, leaves }) => (
        <optgroup key={parent.code} label={categoryName(parent, i18n.language)}>
          {leaves.map((leaf) => (
            <option key={leaf.code} value={leaf.code}>
              {categoryName(leaf, i18n.language)}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
