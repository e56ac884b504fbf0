import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseView } from '../../../shared/domain/case';
import type { AppError } from '../../../shared/result';
import { api } from '../api/client';

export type { CaseListScope as CaseScope } from '../../../shared/contract/contract';
import type { CaseListScope as CaseScope } from '../../../shared/contract/contract';

const LIST_LIMIT = 200;

interface Loaded {
  scope: CaseScope;
  cases: CaseView[];
}

/**
 * The cases of one scope, reloaded on cases.changed and whenever `refreshKey` changes (after a
 * create). Answers that arrive out of order are dropped: only the latest request may land.
 * `cases` is null until the scope asked for has loaded, so one tab never shows the other's rows.
 */
export function useCaseList(scope: CaseScope, refreshKey: number): { cases: CaseView[] | null; error: AppError | null } {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const latest = useRef(0);

  const load = useCallback(() => {
    const request = ++latest.current;
    void api.invoke('cases.list', { scope, limit: LIST_LIMIT }).then((res) => {
      if (request !== latest.current) return;
      if (res.ok) {
        setLoaded({ scope, cases: res.value });
        setError(null);
      } else {
        setError(res.error);
      }
    });
  }, [scope]);

  useEffect(() => {
    load();
  }, [load, refreshKey]);

  useEffect(() => api.on('cases.changed', () => load()), [load]);

  useEffect(
    () => () => {
      latest.current++; // unmounted: let no answer land
    },
    [],
  );

  return { cases: loaded?.scope === scope ? loaded.cases : null, error };
}
