import { useEffect, useState } from 'react';

/** Server time (local clock corrected by the measured offset), ticking every `everyMs`. */
export function useServerNow(clockOffsetMs: number, everyMs = 15_000): number {
  const [local, setLocal] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setLocal(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return local + clockOffsetMs;
}
