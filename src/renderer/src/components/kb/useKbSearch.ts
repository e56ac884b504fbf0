import { useEffect, useState } from 'react';
import type { ArticleHit } from '../../../../shared/contract/contract';
import type { ArticleRecord } from '../../../../shared/domain/article';
import type { AppError } from '../../../../shared/result';
import { api } from '../../api/client';
import { validityOf } from './validity';

/** A line of the KB panel's list: a search hit, a suggestion, or a recent / most used article. */
export interface KbItem {
  id: string;
  title: string;
  answerScript: string;
  version: number;
  expired: boolean;
  snippet?: ArticleHit['snippet'];
}

export const itemOfHit = (h: ArticleHit): KbItem => ({ id: h.id, title: h.title, answerScript: h.answerScript, version: h.version, expired: h.expired, snippet: h.snippet });
export const itemOfRecord = (a: ArticleRecord): KbItem => ({ id: a.id, title: a.title, answerScript: a.answerScript, version: a.version, expired: validityOf(a) === 'expired' });

/** Search as you type (a short pause between keys, then kb.search); the latest query wins. */
export function useKbSearch(q: string, delayMs = 120): { hits: readonly ArticleHit[]; error: AppError | null; done: string } {
  const [state, setState] = useState<{ hits: readonly ArticleHit[]; error: AppError | null; done: string }>({ hits: [], error: null, done: '' });
  useEffect(() => {
    const query = q.trim();
    if (query === '') return;
    let live = true;
    const timer = setTimeout(() => {
      void api.invoke('kb.search', { q: query, limit: 20 }).then((res) => {
        if (!live) return;
        setState(res.ok ? { hits: res.value, error: null, done: query } : { hits: [], error: res.error, done: query });
      });
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, delayMs]);
  return q.trim() === '' ? { hits: [], error: null, done: '' } : state;
}

/** This operator's recent and most used articles, fetched again whenever the panel opens or the base changes. */
export function useKbMine(open: boolean): { recent: readonly ArticleRecord[]; most: readonly ArticleRecord[] } {
  const [mine, setMine] = useState<{ recent: readonly ArticleRecord[]; most: readonly ArticleRecord[] }>({ recent: [], most: [] });
  const [tick, setTick] = useState(0);
  useEffect(() => api.on('kb.changed', () => setTick((n) => n + 1)), []);
  useEffect(() => {
    if (!open) return;
    let live = true;
    void api.invoke('kb.mine', {}).then((res) => {
      if (live && res.ok) setMine(res.value);
    });
    return () => {
      live = false;
    };
  }, [open, tick]);
  return mine;
}
