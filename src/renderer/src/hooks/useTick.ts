import { useSyncExternalStore } from 'react';
import { useStore } from '../store/hooks';

// One ticker for every live countdown: a second's interval while anything shows one, none otherwise.
// Only the components that read it re-render each second (a deadline cell), not the rows or panes.

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let second = Math.floor(Date.now() / 1000);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    second = Math.floor(Date.now() / 1000);
    for (const l of listeners) l();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const getSecond = (): number => second;

/** Server time (the local clock corrected by the offset the last pull measured), to the second, ticking. */
export function useLiveNow(): number {
  const s = useSyncExternalStore(subscribe, getSecond);
  const offset = useStore((st) => st.sync?.clockOffsetMs ?? 0);
  return s * 1000 + offset;
}
