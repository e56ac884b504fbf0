import { useCallback, useRef, useState } from 'react';
import type { StaffStepInput } from '../../../shared/contract/contract';
import type { AppError } from '../../../shared/result';
import { api } from '../api/client';
import { store } from '../store';

/** Takes a lifecycle step on a case; one at a time, with the error of the last attempt. */
export function useStep(caseId: string): { run: (step: StaffStepInput) => Promise<boolean>; busy: boolean; error: AppError | null } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const busyRef = useRef(false);
  const run = useCallback(
    async (step: StaffStepInput) => {
      if (busyRef.current) return false;
      busyRef.current = true;
      setBusy(true);
      setError(null);
      const res = await api.invoke('cases.step', { caseId, step });
      busyRef.current = false;
      setBusy(false);
      if (res.ok) store.upsert(res.value);
      else setError(res.error);
      return res.ok;
    },
    [caseId],
  );
  return { run, busy, error };
}
