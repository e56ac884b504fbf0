/**
 * Key chords as the keymap writes them ("Alt+N", "Ctrl+K", "F1", "Escape", "/") and as a keydown
 * event presses them. Matching is by `KeyboardEvent.code` (the physical key), so a layout that turns
 * Alt+1 into "¡" or Alt+N into "˜" still runs the action. Pure: no DOM, so Node can import it.
 */

export type Modifier = 'Ctrl' | 'Alt' | 'Shift' | 'Meta';
const MODIFIERS: readonly Modifier[] = ['Ctrl', 'Alt', 'Shift', 'Meta'];

export interface Chord {
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
  /** `KeyboardEvent.code` of the key: `KeyN`, `Digit1`, `F1`, `Escape`, `Slash`. */
  code: string;
}

/** What a keydown event carries that a chord is matched on (a KeyboardEvent has all of it). */
export interface KeyPress {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/** Key names written in chords that are not letters, digits or F-keys, by their `code`. */
const NAMED_KEYS: Readonly<Record<string, string>> = {
  Escape: 'Escape',
  Enter: 'Enter',
  Space: 'Space',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  ArrowUp: 'ArrowUp',
  ArrowDown: 'ArrowDown',
  ArrowLeft: 'ArrowLeft',
  ArrowRight: 'ArrowRight',
  '/': 'Slash',
  '.': 'Period',
  ',': 'Comma',
  ';': 'Semicolon',
  '[': 'BracketLeft',
  ']': 'BracketRight',
  '-': 'Minus',
  '=': 'Equal',
};

/** How a key is shown to the operator (and in README): arrows as arrows, Escape as Esc. */
const SHOWN: Readonly<Record<string, string>> = {
  Escape: 'Esc',
  ArrowUp: '↑',
  ArrowDown: '↓',
  ArrowLeft: '←',
  ArrowRight: '→',
};

function keyCode(key: string): string | null {
  if (/^[A-Z]$/.test(key)) return `Key${key}`;
  if (/^[0-9]$/.test(key)) return `Digit${key}`;
  if (/^F([1-9]|1[0-2])$/.test(key)) return key;
  return NAMED_KEYS[key] ?? null;
}

function isModifier(token: string): token is Modifier {
  return MODIFIERS.some((m) => m === token);
}

/** Parses "Alt+N"; throws on anything it does not know, so a typo in the keymap fails at once. */
export function parseChord(text: string): Chord {
  // "Ctrl++" is not a chord we use; "+" as a key would need escaping, so it is refused.
  const tokens = text.split('+');
  const key = tokens.pop() ?? '';
  const chord: Chord = { ctrl: false, alt: false, shift: false, meta: false, code: '' };
  for (const token of tokens) {
    if (!isModifier(token)) throw new Error(`unknown modifier "${token}" in chord "${text}"`);
    const field = token === 'Ctrl' ? 'ctrl' : token === 'Alt' ? 'alt' : token === 'Shift' ? 'shift' : 'meta';
    if (chord[field]) throw new Error(`modifier "${token}" twice in chord "${text}"`);
    chord[field] = true;
  }
  const code = keyCode(key);
  if (code === null) throw new Error(`unknown key "${key}" in chord "${text}"`);
  chord.code = code;
  return chord;
}

/** One string per distinct chord ("Ctrl+Alt+KeyN"), for lookups and conflict checks. */
export function chordId(chord: Chord): string {
  return [chord.ctrl && 'Ctrl', chord.alt && 'Alt', chord.shift && 'Shift', chord.meta && 'Meta', chord.code].filter(Boolean).join('+');
}

/** The chord a keydown presses (modifier keys themselves press none). */
export function pressedChordId(press: KeyPress): string | null {
  if (/^(Control|Alt|Shift|Meta|OS)(Left|Right)?$/.test(press.code) || press.code === '') return null;
  return chordId({ ctrl: press.ctrlKey, alt: press.altKey, shift: press.shiftKey, meta: press.metaKey, code: press.code });
}

/**
 * Alt, Ctrl and Meta chords, F-keys and Escape do not type anything, so they may fire while the
 * operator is in a text field; a bare printable key ("/", "?", "j") would eat what they type.
 */
export function typesText(chord: Chord): boolean {
  if (chord.ctrl || chord.alt || chord.meta) return false;
  if (/^F\d+$/.test(chord.code)) return false;
  return !['Escape', 'Tab', 'Enter', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(chord.code);
}

/** "Alt+N" as shown in the UI: the keymap's own spelling, with Esc and arrows shortened. */
export function showChord(text: string): string {
  const tokens = text.split('+');
  const key = tokens.pop() ?? '';
  return [...tokens, SHOWN[key] ?? key].join('+');
}
