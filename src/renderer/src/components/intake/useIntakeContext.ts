import { useEffect, useMemo, useRef, useState } from 'react';
import type { DispatchPreview, SimilarCase } from '../../../../shared/contract/contract';
import type { CaseView } from '../../../../shared/domain/case';
import { normalizePhone, type Urgency } from '../../../../shared/domain/contact';
import type { AppError } from '../../../../shared/result';
import { api } from '../../api/client';
import { useStore } from '../../store/hooks';

/** What the context pane shows beside intake, fetched from the core as the operator types. */
export interface IntakeContext {
  /** This caller's earlier cases, newest first (null: no full number yet). */
  history: CaseView[] | null;
  /** Possible duplicates: the same caller's open or recent cases, or the same category at the same place. */
  similar: SimilarCase[];
  /** Where the address is, who the case would go to and why, and its deadlines. */
  preview: DispatchPreview | null;
  error: AppError | null;
}

const DEBOUNCE_MS = 120;
const NONE: SimilarCase[] = [];
const digits = (phone: string) => normalizePhone(phone).replace(/\D/g, '');

/** Runs `load` after the inputs have been still for a moment; a late answer to older inputs is dropped. */
function useDebounced<T>(key: string, load: (() => Promise<T>) | null, delay: number): { value: T | null; error: AppError | null } {
  const [state, setState] = useState<{ key: string; value: T | null; error: AppError | null }>({ key: '', value: null, error: null });
  useEffect(() => {
    if (load === null) return;
    let live = true;
    const timer = setTimeout(() => {
      load().then(
        (value) => live && setState({ key, value, error: null }),
        (error: unknown) => live && setState({ key, value: null, error: { code: 'internal', message: String(error) } }),
      );
    }, delay);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `key` names everything `load` reads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return load === null ? { value: null, error: null } : { value: state.value, error: state.error };
}

/** Counts how often a value changed identity (a refresh key for what depends on it). */
function useChangeCount(value: unknown): number {
  const seen = useRef<{ value: unknown; count: number }>({ value, count: 0 });
  if (seen.current.value !== value) seen.current = { value, count: seen.current.count + 1 };
  return seen.current.count;
}

async function unwrap<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: AppError }>): Promise<T> {
  const res = await p;
  if (!res.ok) throw new Error(res.error.code);
  return res.value;
}

export function useIntakeContext(call: { callerPhone: string; categoryCode: string; address: string; urgency: Urgency }): IntakeContext {
  // A case registered or changed anywhere (this form, a sync) may be a new duplicate or history line.
  const casesVersion = useChangeCount(useStore((s) => s.cases));
  const phone = digits(call.callerPhone);
  const fullNumber = phone.length >= 7;
  const history = useDebounced(
    `${phone}|${fullNumber ? casesVersion : 0}`,
    fullNumber ? () => unwrap(api.invoke('cases.history', { phone, limit: 10 })) : null,
    0,
  );
  const similarKey = JSON.stringify([phone, call.categoryCode, call.address.trim(), casesVersion]);
  const wantsSimilar = fullNumber || (call.categoryCode !== '' && call.address.trim().length >= 2);
  const similar = useDebounced(
    similarKey,
    wantsSimilar ? () => unwrap(api.invoke('cases.similar', { callerPhone: fullNumber ? phone : '', categoryCode: call.categoryCode, address: call.address.trim() })) : null,
    DEBOUNCE_MS,
  );
  const wantsPreview = call.address.trim().length >= 2;
  const preview = useDebounced(
    JSON.stringify([call.categoryCode, call.address.trim(), call.urgency]),
    wantsPreview ? () => unwrap(api.invoke('dispatch.preview', { categoryCode: call.categoryCode, address: call.address.trim(), urgency: call.urgency })) : null,
    DEBOUNCE_MS,
  );
  const error = history.error ?? similar.error ?? preview.error;
  // One object while nothing changed, so the context pane skips the keystrokes that change nothing here.
  return useMemo(() => ({ history: history.value, similar: similar.value ?? NONE, preview: preview.value, error }), [history.value, similar.value, preview.value, error]);
}
