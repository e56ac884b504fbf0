import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api/client';
import { useStore } from '../../store/hooks';

/** The preference that keeps when this user last looked at the replies (epoch ms, server time). */
export const REPLIES_SEEN_PREF = 'queues.repliesSeenAt';

export interface Replies {
  /** Replied cases waiting for a callback that arrived after the last look, newest reply first. */
  fresh: readonly string[];
  /** What the replies tab lists while it is open: the replies since the look before this one. */
  shown: readonly string[];
  /** The operator opens the replies tab: they have seen everything up to now. */
  look: (now: number) => void;
  /** Replies that arrived while this workstation was showing the queues (for the notification). */
  arrived: readonly string[];
}

/**
 * Replies since the operator last looked, from the callback queue the store keeps current: a count
 * for the tab, a list, and the ones that just arrived (the pane shows a notification for them).
 * The moment of the last look is a preference of this user on this workstation (`prefs.set`).
 */
export function useReplies(): Replies {
  const ids = useStore((s) => s.lists.callback.ids);
  const cases = useStore((s) => s.cases);
  const [seenAt, setSeenAt] = useState<number | null>(null);
  const [shownSince, setShownSince] = useState<number | null>(null);
  const known = useRef<Set<string> | null>(null);
  const [arrived, setArrived] = useState<readonly string[]>([]);

  useEffect(() => {
    let live = true;
    void api.invoke('prefs.get', {}).then((res) => {
      if (!live) return;
      const value = res.ok ? res.value[REPLIES_SEEN_PREF] : undefined;
      setSeenAt(typeof value === 'number' ? value : 0);
    });
    return () => {
      live = false;
    };
  }, []);

  const replied = useMemo(() => {
    const out: { id: string; at: number }[] = [];
    for (const id of ids ?? []) {
      const c = cases.get(id);
      if (c) out.push({ id, at: c.repliedAt ?? c.updatedAt });
    }
    return out.sort((a, b) => b.at - a.at);
  }, [ids, cases]);

  const fresh = useMemo(() => (seenAt === null ? [] : replied.filter((r) => r.at > seenAt).map((r) => r.id)), [replied, seenAt]);
  const shown = useMemo(() => {
    const since = shownSince ?? seenAt ?? 0;
    return replied.filter((r) => r.at > since).map((r) => r.id);
  }, [replied, shownSince, seenAt]);

  // The first load is what was there already; replies that come in after it are news.
  useEffect(() => {
    if (ids === null) return;
    const now = new Set(replied.map((r) => r.id));
    if (known.current === null) {
      known.current = now;
      return;
    }
    const before = known.current;
    const added = replied.filter((r) => !before.has(r.id) && (seenAt === null || r.at > seenAt)).map((r) => r.id);
    known.current = now;
    if (added.length > 0) setArrived(added);
  }, [ids, replied, seenAt]);

  const look = useCallback(
    (now: number) => {
      setShownSince(seenAt ?? 0);
      setSeenAt(now);
      void api.invoke('prefs.set', { key: REPLIES_SEEN_PREF, value: now });
    },
    [seenAt],
  );

  return { fresh, shown, look, arrived };
}
