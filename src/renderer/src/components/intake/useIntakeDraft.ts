import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { EMPTY_VALUES, fromDraft, hasContent, toDraft, type IntakeValues } from './fields';

/** The pref naming the draft the intake form is typing in (a reload takes it up again). */
export const CURRENT_DRAFT_PREF = 'intake.currentDraft';
const SAVE_DELAY_MS = 400;

/** Where the call being typed is kept: nowhere yet, saving, or on this workstation (the local store). */
export type DraftState = 'none' | 'saving' | 'saved' | 'failed';

export interface IntakeDraft {
  values: IntakeValues;
  draftId: string;
  state: DraftState;
  /** False until the draft this form was typing in (before a reload) has been read back. */
  restored: boolean;
  set: (patch: Partial<IntakeValues>) => void;
  /** A new empty call; the old draft is deleted when `discard` (it was finished or thrown away), else kept (parked). */
  reset: (opts: { discard: boolean; values?: IntakeValues }) => void;
  /** Saves now (before a park or a finish). */
  flush: () => Promise<void>;
  /** Puts back a call that Esc threw away (a new draft with its fields). */
  restore: (values: IntakeValues) => void;
}

/**
 * The intake form's state, kept on this workstation as it is typed (`drafts.save`, debounced), so
 * a crash, a reload or a wrong key loses nothing; an empty form is never saved.
 */
export function useIntakeDraft(): IntakeDraft {
  const [values, setValues] = useState<IntakeValues>(EMPTY_VALUES);
  const [draftId, setDraftId] = useState<string>(() => crypto.randomUUID());
  const [state, setState] = useState<DraftState>('none');
  const [restored, setRestored] = useState(false);
  const dirty = useRef(false);
  const latest = useRef({ values, draftId });
  useEffect(() => {
    latest.current = { values, draftId };
  });

  // A reload: take up the draft the form was typing in.
  useEffect(() => {
    const run = { live: true };
    void (async () => {
      const [prefs, drafts] = await Promise.all([api.invoke('prefs.get', {}), api.invoke('drafts.list', {})]);
      if (!run.live) return;
      const id = prefs.ok ? prefs.value[CURRENT_DRAFT_PREF] : undefined;
      const draft = drafts.ok && typeof id === 'string' ? drafts.value.find((d) => d.id === id) : undefined;
      if (draft && !dirty.current) {
        setDraftId(draft.id);
        setValues(fromDraft(draft.fields));
        setState('saved');
      }
      setRestored(true);
    })();
    return () => {
      run.live = false;
    };
  }, []);

  const save = useCallback(async (id: string, v: IntakeValues) => {
    if (!hasContent(v)) return;
    setState('saving');
    const res = await api.invoke('drafts.save', { id, fields: toDraft(v) });
    if (latest.current.draftId !== id) return;
    setState(res.ok ? 'saved' : 'failed');
    if (res.ok) void api.invoke('prefs.set', { key: CURRENT_DRAFT_PREF, value: id });
  }, []);

  // Autosave: a moment after the last change.
  useEffect(() => {
    if (!dirty.current) return;
    const timer = setTimeout(() => {
      dirty.current = false;
      void save(draftId, values);
    }, SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [values, draftId, save]);

  const set = useCallback((patch: Partial<IntakeValues>) => {
    dirty.current = true;
    setValues((v) => ({ ...v, ...patch }));
  }, []);

  const flush = useCallback(async () => {
    dirty.current = false;
    await save(latest.current.draftId, latest.current.values);
  }, [save]);

  const reset = useCallback((opts: { discard: boolean; values?: IntakeValues }) => {
    const old = latest.current.draftId;
    if (opts.discard) void api.invoke('drafts.discard', { id: old });
    const next = crypto.randomUUID();
    const v = opts.values ?? EMPTY_VALUES;
    latest.current = { values: v, draftId: next };
    dirty.current = hasContent(v);
    setDraftId(next);
    setValues(v);
    setState('none');
    void api.invoke('prefs.set', { key: CURRENT_DRAFT_PREF, value: null });
  }, []);

  const restore = useCallback((v: IntakeValues) => reset({ discard: false, values: v }), [reset]);

  return { values, draftId, state, restored, set, reset, flush, restore };
}
