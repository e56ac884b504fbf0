import { useEffect, useRef, useState } from 'react';
import type { ArticleContent, ArticleDraftRecord } from '../../../../../shared/domain/article';
import { articleId } from '../../../../../shared/domain/article';
import type { AppError } from '../../../../../shared/result';
import { api } from '../../../api/client';
import { contentOf, EMPTY_FORM, formOf, sameContent, type ArticleFormValues } from './form';
import { useArticleDrafts } from './useArticleDrafts';

/** What the editor said last: saved, published…, or why not. */
export type Notice = { kind: 'ok' | 'warn'; key: string; version?: number } | { kind: 'error'; error: AppError } | { kind: 'rejected'; code: string };

/** Another editor saved first: what this editor wrote, and whether they are merging it by hand now. */
export interface Conflict {
  id: string;
  mine: ArticleContent;
  /** The refused save's mutation (a rejection to dismiss once resolved), when the server refused it. */
  mutationId: string | null;
  merging: boolean;
}

/** The version the form was opened from (none for a new article). */
interface Loaded {
  id: string | null;
  content: ArticleContent | null;
  version: number;
}

const NEW: Loaded = { id: null, content: null, version: 0 };
const KB_MUTATIONS = new Set(['saveArticle', 'publishArticle', 'retireArticle', 'restoreArticle']);

/**
 * The knowledge editor's state: the list, the article open in the form and the version it was
 * opened from, saving (a new version on that one), publishing, retiring, restoring, and the
 * conflict when another editor saved first — refused here (the local copy moved on) or by the
 * server (sync.rejected): the editor is shown both and chooses; nothing is saved over the other's
 * version until they do.
 */
export function useArticleEditor() {
  const { drafts, error: listError, loaded: listLoaded } = useArticleDrafts();
  const [loaded, setLoaded] = useState<Loaded>(NEW);
  const [values, setValues] = useState<ArticleFormValues>(EMPTY_FORM);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [busy, setBusy] = useState(false);
  // The last save sent, to know a refused one when the server says so.
  const pending = useRef<{ id: string; content: ArticleContent } | null>(null);

  const current = loaded.id === null ? undefined : drafts.find((d) => d.id === loaded.id);
  const content = contentOf(values, loaded.content);
  const dirty = loaded.content === null ? JSON.stringify(values) !== JSON.stringify(EMPTY_FORM) : !sameContent(content, loaded.content);
  const theirs = conflict ? drafts.find((d) => d.id === conflict.id) : undefined;

  const load = (d: ArticleDraftRecord) => {
    setLoaded({ id: d.id, content: d.content, version: d.version });
    setValues(formOf(d.content));
    setErrors({});
  };

  // A newer version arrived (the server confirmed, another editor published, a restore): an
  // unchanged form follows it; a changed one keeps the editor's text (a save will tell them).
  useEffect(() => {
    if (!current || conflict || dirty || current.version === loaded.version) return;
    load(current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current?.version, current?.content, conflict, dirty]);

  // The server refused a change of the article open here.
  useEffect(
    () =>
      api.on('sync.rejected', (r) => {
        if (!KB_MUTATIONS.has(r.name)) return;
        const mine = pending.current;
        if (r.name === 'saveArticle' && r.code === 'conflict' && mine && r.message.includes(mine.id)) {
          pending.current = null;
          setConflict({ id: mine.id, mine: mine.content, mutationId: r.mutationId, merging: false });
          return;
        }
        setNotice({ kind: 'rejected', code: r.code });
      }),
    [],
  );

  const dismissRejection = (c: Conflict | null) => {
    if (c?.mutationId) void api.invoke('sync.dismissRejection', { mutationId: c.mutationId });
  };

  const open = (id: string) => {
    const d = drafts.find((x) => x.id === id);
    if (!d) return;
    setConflict(null);
    setNotice(null);
    load(d);
  };

  const startNew = () => {
    setConflict(null);
    setNotice(null);
    setLoaded(NEW);
    setValues(EMPTY_FORM);
    setErrors({});
  };

  const fieldErrors = (error: AppError): Record<string, string> =>
    Object.fromEntries(Object.entries(error.fields ?? {}).map(([path, message]) => [path.replace(/^content\./, '').split('.')[0] ?? path, message]));

  /** Saves the form as a new version on `base`; the saved draft, or null (errors shown). */
  const saveOn = async (base: number, text: ArticleContent): Promise<ArticleDraftRecord | null> => {
    setBusy(true);
    const res = await api.invoke('kb.save', { content: text, baseVersion: base });
    setBusy(false);
    if (res.ok) {
      pending.current = { id: res.value.id, content: text };
      setLoaded({ id: res.value.id, content: text, version: res.value.version });
      setErrors({});
      setNotice({ kind: 'ok', key: 'kbEditor.notice.saved', version: res.value.version });
      return res.value;
    }
    if (res.error.code === 'conflict') {
      setConflict({ id: articleId(text.key, text.language), mine: text, mutationId: null, merging: false });
      return null;
    }
    setErrors(fieldErrors(res.error));
    setNotice({ kind: 'error', error: res.error });
    return null;
  };

  const save = async (): Promise<ArticleDraftRecord | null> => {
    // Mid-conflict, only a merge saves (on the other editor's version, chosen knowingly).
    if (conflict && !conflict.merging) {
      setNotice({ kind: 'warn', key: 'kbEditor.notice.resolveFirst' });
      return null;
    }
    if (!dirty && current) return current;
    const saved = await saveOn(loaded.version, content);
    if (saved && conflict) {
      dismissRejection(conflict);
      setConflict(null);
    }
    return saved;
  };

  const publish = async () => {
    const saved = dirty || !current ? await save() : current;
    if (!saved) return;
    if (saved.status === 'published' && saved.publishedVersion === saved.version) {
      setNotice({ kind: 'warn', key: 'kbEditor.notice.alreadyPublished' });
      return;
    }
    const res = await api.invoke('kb.publish', { id: saved.id, expectedVersion: saved.version });
    setNotice(res.ok ? { kind: 'ok', key: 'kbEditor.notice.published', version: saved.version } : { kind: 'error', error: res.error });
  };

  const retire = async () => {
    if (!current) return;
    const res = await api.invoke('kb.retire', { id: current.id, expectedVersion: current.version });
    setNotice(res.ok ? { kind: 'ok', key: 'kbEditor.notice.retired' } : { kind: 'error', error: res.error });
  };

  const restore = async (fromVersion: number) => {
    if (!current) return;
    const res = await api.invoke('kb.restore', { id: current.id, fromVersion, expectedVersion: current.version });
    setNotice(res.ok ? { kind: 'ok', key: 'kbEditor.notice.restored', version: fromVersion } : { kind: 'error', error: res.error });
  };

  const resolve = {
    keepMine: async () => {
      if (!conflict || !theirs) return;
      const c = conflict;
      setConflict({ ...c, merging: true });
      const saved = await saveOn(theirs.version, c.mine);
      if (saved) {
        dismissRejection(c);
        setConflict(null);
        setValues(formOf(c.mine));
      }
    },
    takeTheirs: () => {
      if (!conflict || !theirs) return;
      dismissRejection(conflict);
      setConflict(null);
      load(theirs);
      setNotice({ kind: 'ok', key: 'kbEditor.notice.tookTheirs', version: theirs.version });
    },
    merge: () => {
      if (!conflict || !theirs) return;
      // Mine in the form, on top of their version: the next save is made on theirs, knowingly.
      setLoaded({ id: theirs.id, content: theirs.content, version: theirs.version });
      setValues(formOf(conflict.mine));
      setConflict({ ...conflict, merging: true });
    },
  };

  return {
    drafts,
    listError,
    listLoaded,
    current,
    isNew: loaded.id === null,
    values,
    setValues: (patch: Partial<ArticleFormValues>) => setValues((v) => ({ ...v, ...patch })),
    content,
    dirty,
    errors,
    notice,
    conflict,
    theirs,
    busy,
    open,
    startNew,
    save,
    publish,
    retire,
    restore,
    resolve,
  };
}
