import { useEffect, useState } from 'react';
import type { Draft } from '../../../../shared/domain/draft';
import type { AppError } from '../../../../shared/result';
import { api } from '../../api/client';

const EVERY_MS = 4000;

/** This user's parked and autosaved calls on this workstation, read again every few seconds while shown. */
export function useDrafts(active: boolean): { drafts: readonly Draft[] | null; error: AppError | null } {
  const [drafts, setDrafts] = useState<readonly Draft[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    if (!active) return;
    let live = true;
    const load = () =>
      void api.invoke('drafts.list', {}).then((res) => {
        if (!live) return;
        if (res.ok) {
          setDrafts(res.value);
          setError(null);
        } else setError(res.error);
      });
    load();
    const timer = setInterval(load, EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [active]);
  return { drafts, error };
}
