import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type { ActionId, KeyFlag } from './actions';
import { keymap, type ActionHandler } from './registry';

/**
 * Handles an action while the component is mounted (and `enabled`). The handler decides where
 * focus goes. The latest handler is always the one called; it is not re-registered on each render.
 */
export function useAction(id: ActionId, handler: ActionHandler, enabled = true): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!enabled) return;
    return keymap.register(id, () => latest.current());
  }, [id, enabled]);
}

/** Holds a keymap flag (`dialog`, `caseOpen`, `created`) while `on`; set before paint so no key slips past it. */
export function useKeyFlag(flag: KeyFlag, on: boolean): void {
  useLayoutEffect(() => (on ? keymap.raise(flag) : undefined), [flag, on]);
}

/** Installs the renderer's one window keydown listener (App does this once). */
export function useKeymapListener(): void {
  useEffect(() => keymap.install(window), []);
}

/** Re-renders when handlers or flags change (e.g. a palette listing what is available). */
export function useKeymapVersion(): number {
  return useSyncExternalStore(keymap.subscribe, keymap.getVersion);
}
