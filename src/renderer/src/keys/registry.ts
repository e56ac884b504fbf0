import { ACTIONS, holds, type ActionDeclaration, type ActionId, type KeyFlag } from './actions';
import { chordId, parseChord, pressedChordId, type KeyPress } from './chords';

export type ActionHandler = () => void;

/** The keydown facts the dispatcher reads (a DOM KeyboardEvent has them all). */
export interface KeyDown extends KeyPress {
  readonly defaultPrevented: boolean;
  readonly isComposing: boolean;
  readonly repeat: boolean;
  readonly target: EventTarget | null;
  preventDefault(): void;
}

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Where typing goes: a text-like input, a textarea, a select (type-ahead) or editable content. */
export function isTextField(target: EventTarget | null): boolean {
  if (target instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(target.type);
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLElement && target.isContentEditable;
}

/**
 * The keymap at run time: which component handles each action now, which flags hold, and the
 * window's one keydown listener that dispatches by chord. Components use it through hooks.ts.
 */
export class Keymap {
  private readonly byChord = new Map<string, ActionDeclaration[]>();
  /** Handlers per action; the latest registered one runs (a nested view overrides an outer one). */
  private readonly handlers = new Map<string, ActionHandler[]>();
  private readonly flags = new Map<KeyFlag, number>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  constructor(private readonly actions: readonly ActionDeclaration[]) {
    for (const action of actions) {
      for (const keys of action.keys) {
        const id = chordId(parseChord(keys));
        this.byChord.set(id, [...(this.byChord.get(id) ?? []), action]);
      }
    }
  }

  register(id: ActionId, handler: ActionHandler): () => void {
    this.handlers.set(id, [...(this.handlers.get(id) ?? []), handler]);
    this.changed();
    return () => {
      const rest = (this.handlers.get(id) ?? []).filter((h) => h !== handler);
      if (rest.length > 0) this.handlers.set(id, rest);
      else this.handlers.delete(id);
      this.changed();
    };
  }

  /** Sets a flag until the returned function is called; counted, so two dialogs keep `dialog` set. */
  raise(flag: KeyFlag): () => void {
    this.flags.set(flag, (this.flags.get(flag) ?? 0) + 1);
    this.changed();
    let lowered = false;
    return () => {
      if (lowered) return;
      lowered = true;
      this.flags.set(flag, (this.flags.get(flag) ?? 1) - 1);
      this.changed();
    };
  }

  isSet = (flag: KeyFlag): boolean => (this.flags.get(flag) ?? 0) > 0;

  /** Whether the action has a handler and its `when` holds now (with the flags in `assume` taken as given). */
  canRun(action: ActionDeclaration, assume: Partial<Record<KeyFlag, boolean>> = {}): boolean {
    return (this.handlers.get(action.id)?.length ?? 0) > 0 && holds(action.when, (flag) => assume[flag] ?? this.isSet(flag));
  }

  /** Every action that could run now, in declaration order. */
  available(assume: Partial<Record<KeyFlag, boolean>> = {}): ActionDeclaration[] {
    return this.actions.filter((a) => this.canRun(a, assume));
  }

  /** Runs an action (from the palette, or a test); false when it is not available now. */
  run(id: string): boolean {
    const action = this.actions.find((a) => a.id === id);
    const handler = this.handlers.get(id)?.at(-1);
    if (!action || !handler || !this.canRun(action)) return false;
    handler();
    return true;
  }

  /** The one global keydown listener. A key a widget already handled (defaultPrevented) is left alone. */
  onKeyDown = (event: KeyDown): void => {
    if (event.defaultPrevented || event.isComposing) return;
    const chord = pressedChordId(event);
    if (chord === null) return;
    const inText = isTextField(event.target);
    for (const action of this.byChord.get(chord) ?? []) {
      if (inText && !action.inTextField) continue;
      const handler = this.handlers.get(action.id)?.at(-1);
      if (!handler || !holds(action.when, this.isSet)) continue;
      event.preventDefault();
      // A held key repeats; an action runs once per press.
      if (!event.repeat) handler();
      return;
    }
  };

  install(target: Window): () => void {
    target.addEventListener('keydown', this.onKeyDown);
    return () => target.removeEventListener('keydown', this.onKeyDown);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes with every registration and flag, for useSyncExternalStore. */
  getVersion = (): number => this.version;

  private changed(): void {
    this.version += 1;
    for (const l of this.listeners) l();
  }
}

export const keymap = new Keymap(ACTIONS);
