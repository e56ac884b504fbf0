import { useCallback, useEffect, useState } from 'react';
import type { Rejection } from '../../../shared/contract/contract';
import { api } from '../api/client';

/** Mutations the server refused: those stored by the core plus any that arrive while open. */
export function useRejections(): { rejections: Rejection[]; dismiss: (mutationId: string) => void; redo: (mutationId: string) => void } {
  const [rejections, setRejections] = useState<Rejection[]>([]);

  useEffect(() => {
    let active = true;
    const merge = (incoming: Rejection[]) =>
      setRejections((current) => {
        const known = new Set(current.map((r) => r.mutationId));
        const added = incoming.filter((r) => !known.has(r.mutationId));
        return added.length === 0 ? current : [...added, ...current].sort((a, b) => b.at - a.at);
      });
    const off = api.on('sync.rejected', (rejection) => merge([rejection]));
    void api.invoke('sync.rejections', {}).then((res) => {
      if (active && res.ok) merge(res.value);
    });
    return () => {
      active = false;
      off();
    };
  }, []);

  const dismiss = useCallback((mutationId: string) => {
    setRejections((current) => current.filter((r) => r.mutationId !== mutationId));
    void api.invoke('sync.dismissRejection', { mutationId });
  }, []);

  // A conflict: the core repeats the action on the case as it is now, and the entry goes.
  const redo = useCallback((mutationId: string) => {
    void api.invoke('sync.redo', { mutationId }).then((res) => {
      if (res.ok) setRejections((current) => current.filter((r) => r.mutationId !== mutationId));
    });
  }, []);

  return { rejections, dismiss, redo };
}
