import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../shared/contract/contract';
import { api } from '../api/client';

/** The core's sync status: fetched once, then kept current by the sync.status event. */
export function useSyncStatus(): SyncStatus | null {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let active = true;
    let heardEvent = false;
    const off = api.on('sync.status', (next) => {
      heardEvent = true;
      setStatus(next);
    });
    void api.invoke('sync.status', {}).then((res) => {
      // An event that arrived meanwhile is newer than this answer.
      if (active && res.ok && !heardEvent) setStatus(res.value);
    });
    return () => {
      active = false;
      off();
    };
  }, []);
  return status;
}
