import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseView } from '../../../shared/domain/case';
import type { AppError } from '../../../shared/result';
import { api } from '../api/client';

/** One case, reloaded whenever the core says it changed (a pull, a poke, our own step). */
export function useCase(caseId: string | null): { view: CaseView | null; error: AppError | null; reload: () => void } {
  const [view, setView] = useState<CaseView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const latest = useRef(0);

  const reload = useCallback(() => {
    if (!caseId) return;
    const request = ++latest.current;
    void api.invoke('cases.get', { caseId }).then((res) => {
      if (request !== latest.current) return;
      if (res.ok) {
        setView(res.value);
        setError(null);
      } else setError(res.error);
    });
  }, [caseId]);

  useEffect(() => {
    setView(null);
    setError(null);
    reload();
  }, [reload]);

  useEffect(
    () =>
      api.on('cases.changed', ({ ids }) => {
        if (caseId && ids.includes(caseId)) reload();
      }),
    [caseId, reload],
  );
  return { view, error, reload };
}
