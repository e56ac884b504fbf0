import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ActionDeclaration } from '../keys/actions';
import { showChord } from '../keys/chords';
import { Dialog } from './Dialog';

interface Props {
  /** The actions available when the palette was opened, in keymap order. */
  actions: readonly ActionDeclaration[];
  onRun: (actionId: string) => void;
  onClose: () => void;
}

/** Every word typed must be found in the label (current language) or in the action id. */
export function matches(t: TFunction, action: ActionDeclaration, query: string): boolean {
  const haystack = `${t(action.label)} ${action.id}`.toLocaleLowerCase();
  return query
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/**
 * Ctrl+K: the actions available now with their labels and keys, filtered as the operator types;
 * arrows choose, Enter runs (after the palette has closed and given focus back), Esc closes.
 */
export function CommandPalette({ actions, onRun, onClose }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const shown = useMemo(() => actions.filter((a) => matches(t, a, query)), [actions, t, query]);
  const current = Math.min(active, Math.max(shown.length - 1, 0));

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') setActive(shown.length === 0 ? 0 : (current + 1) % shown.length);
    else if (e.key === 'ArrowUp') setActive(shown.length === 0 ? 0 : (current - 1 + shown.length) % shown.length);
    else if (e.key === 'Enter') {
      const chosen = shown[current];
      if (chosen) onRun(chosen.id);
    } else return;
    e.preventDefault();
  };

  const optionId = (i: number) => `${id}-opt-${i}`;
  return (
    <Dialog labelledBy={`${id}-title`} onClose={onClose} initialFocus={inputRef} className="palette" testId="command-palette">
      <h2 id={`${id}-title`} className="dialog__title">
        {t('keymap.palette.title')}
      </h2>
      <input
        ref={inputRef}
        className="palette__filter"
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-activedescendant={shown.length > 0 ? optionId(current) : undefined}
        aria-autocomplete="list"
        aria-label={t('keymap.palette.filter')}
        placeholder={t('keymap.palette.filter')}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        data-testid="palette-filter"
      />
      <ul id={`${id}-list`} role="listbox" className="palette__list" aria-label={t('keymap.palette.title')}>
        {shown.map((a, i) => (
          <li
            key={a.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            className={i === current ? 'palette__item is-active' : 'palette__item'}
            data-testid="palette-option"
            data-action-id={a.id}
            onMouseMove={() => setActive(i)}
            onClick={() => onRun(a.id)}
          >
            <span className="palette__label">{t(a.label)}</span>
            <span className="palette__id mono">{a.id}</span>
            <span className="palette__keys">
              {a.keys.map((k) => (
                <kbd key={k}>{showChord(k)}</kbd>
              ))}
            </span>
          </li>
        ))}
      </ul>
      {shown.length === 0 && (
        <p className="palette__empty" role="status">
          {t('keymap.palette.empty', { query })}
        </p>
      )}
      <p className="dialog__hint">{t('keymap.palette.hint')}</p>
    </Dialog>
  );
}
