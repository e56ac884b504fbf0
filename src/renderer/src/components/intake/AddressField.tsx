import { memo, useEffect, useId, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { DispatchPreview, PlaceInfo } from '../../../../shared/contract/contract';
import { api } from '../../api/client';

interface Props {
  id: string;
  inputRef: RefObject<HTMLInputElement | null>;
  value: string;
  invalid: boolean;
  describedBy: string | undefined;
  /** Where the address resolved (from the dispatch preview), shown under the field. */
  preview: DispatchPreview | null;
  onChange: (value: string) => void;
  /** Enter with no completion open: focus moves on. */
  onDone: () => void;
}

const SUGGEST_DELAY_MS = 80;

/** A picked place as address text: district, street, community, one after the other. */
const placeText = (p: PlaceInfo) => p.pathZh.split(' › ').join('');

/**
 * The address with completion from the city's geography: what was typed since the last pick is
 * looked up (districts, streets, communities); ↑/↓ move, Enter takes the place and the operator
 * goes on typing the house number; Enter with no list open moves on. Where the address resolves
 * is shown under it.
 */
export const AddressField = memo(function AddressField({ id, inputRef, value, invalid, describedBy, preview, onChange, onDone }: Props) {
  const { t } = useTranslation();
  const listId = useId();
  // The text a pick put in the field; what follows it is the query.
  const [base, setBase] = useState('');
  const [places, setPlaces] = useState<{ q: string; list: PlaceInfo[] }>({ q: '', list: [] });
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const q = (value.startsWith(base) ? value.slice(base.length) : value).trim();

  useEffect(() => {
    if (q.length === 0 || (q.length < 2 && !/\p{Script=Han}/u.test(q))) return;
    let live = true;
    const timer = setTimeout(() => {
      void api.invoke('reference.places', { q: q.slice(0, 40), limit: 8 }).then((res) => {
        if (live) setPlaces({ q, list: res.ok ? res.value : [] });
      });
    }, SUGGEST_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);

  const list = places.q === q && q !== '' && dismissed !== q ? places.list : [];
  const open = list.length > 0;

  const pick = (p: PlaceInfo) => {
    const text = placeText(p);
    setBase(text);
    setActive(0);
    onChange(text);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % list.length : (a - 1 + list.length) % list.length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const p = list[active] ?? list[0];
      if (open && p) pick(p);
      else onDone();
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setDismissed(q);
    }
  };

  const place = preview?.place ?? null;
  return (
    <div className="combo">
      <input
        ref={inputRef}
        id={id}
        data-testid="intake-address"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        aria-required="true"
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        maxLength={200}
        value={value}
        onChange={(e) => {
          if (!e.target.value.startsWith(base)) setBase('');
          setActive(0);
          onChange(e.target.value);
        }}
        onBlur={() => setDismissed(q)}
        onFocus={() => setDismissed(null)}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" className="combo__list" hidden={!open} aria-label={t('intake.address')}>
        {list.map((p, i) => (
          <li
            key={p.code}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className="combo__option"
            data-testid="place-option"
            data-code={p.code}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(p)}
          >
            <span className="combo__name">{p.nameZh}</span>
            <span className="combo__parent">{p.pathZh}</span>
            <span className="combo__code">{t(`intakePane.placeLevel.${p.level}`)}</span>
          </li>
        ))}
      </ul>
      <p className={`field__hint place-hint${preview && preview.confidence < 0.5 ? ' place-hint--unsure' : ''}`} data-testid="intake-place" aria-live="polite">
        {place ? (
          <>
            {place.pathZh}
            {preview && preview.confidence < 0.5 && <> · {t('intakePane.placeUnsure')}</>}
          </>
        ) : value.trim().length >= 2 && preview ? (
          t('intakePane.placeUnknown')
        ) : (
          t('intakePane.placeHint')
        )}
      </p>
    </div>
  );
});
