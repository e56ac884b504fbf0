import { useEffect, useState } from 'react';
import type { SyncProgress } from '../../../shared/contract/contract';
import { api } from '../api/client';

/** The current catch-up (a fresh workstation's initial sync), or null when there is none. */
export function useSyncProgress(): SyncProgress | null {
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  useEffect(() => api.on('sync.progress', (p) => setProgress(p.done ? null : p)), []);
  return progress;
}
