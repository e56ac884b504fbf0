import { useEffect, useState } from 'react';
import type { ArticleDraftRecord } from '../../../../../shared/domain/article';
import type { AppError } from '../../../../../shared/result';
import { api } from '../../../api/client';

/** Every article as its editors see it (kb.drafts), read again whenever the knowledge base changes here. */
export function useArticleDrafts(): { drafts: readonly ArticleDraftRecord[]; error: AppError | null; loaded: boolean } {
  const [state, setState] = useState<{ drafts: readonly ArticleDraftRecord[]; error: AppError | null; loaded: boolean }>({ drafts: [], error: null, loaded: false });
  const [tick, setTick] = useState(0);
  useEffect(() => api.on('kb.changed', () => setTick((n) => n + 1)), []);
  useEffect(() => {
    let live = true;
    void api.invoke('kb.drafts', {}).then((res) => {
      if (!live) return;
      setState(res.ok ? { drafts: res.value, error: null, loaded: true } : { drafts: [], error: res.error, loaded: true });
    });
    return () => {
      live = false;
    };
  }, [tick]);
  return state;
}
