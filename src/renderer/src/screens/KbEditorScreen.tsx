import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/contract/contract';
import { CheatSheet } from '../components/CheatSheet';
import { CommandPalette } from '../components/CommandPalette';
import { Dialog } from '../components/Dialog';
import { RejectionBanner } from '../components/RejectionBanner';
import { StatusBar } from '../components/StatusBar';
import { ArticleView } from '../components/kb/ArticleView';
import { ArticleForm } from '../components/kb/editor/ArticleForm';
import { ArticleList } from '../components/kb/editor/ArticleList';
import { ConflictPanel } from '../components/kb/editor/ConflictPanel';
import { HistoryDialog } from '../components/kb/editor/HistoryDialog';
import { statusOf } from '../components/kb/editor/form';
import { useArticleEditor } from '../components/kb/editor/useArticleEditor';
import '../components/kb/kb.css';
import { errorText, rejectionReasonText } from '../format';
import { primaryKeys, type ActionDeclaration, type ActionId } from '../keys/actions';
import { showChord } from '../keys/chords';
import { useAction, useKeyFlag } from '../keys/hooks';
import { keymap } from '../keys/registry';
import { useRejections, useSyncStatus } from '../store/hooks';

interface Props {
  session: SessionInfo;
  onLogout: () => void;
  loggingOut: boolean;
}

type OpenDialog = { kind: 'palette'; actions: readonly ActionDeclaration[] } | { kind: 'shortcuts' } | { kind: 'history'; id: string } | { kind: 'retire' };

/**
 * The knowledge editor's screen, keyboard-driven: the articles (F6), the form, and a live preview
 * as operators will see it. Alt+Shift+N new, Ctrl+S save a draft version, Alt+P publish,
 * Alt+Shift+R retire, Alt+H history with diffs and restore; F1 and Ctrl+K as everywhere.
 */
export function KbEditorScreen({ session, onLogout, loggingOut }: Props) {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const { rejections, dismiss, redo } = useRejections();
  const ed = useArticleEditor();
  const listRef = useRef<HTMLInputElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const retireRef = useRef<HTMLButtonElement>(null);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const dialogOpener = useRef<Element | null>(null);
  const chosen = useRef<string | null>(null);
  useKeyFlag('dialog', dialog !== null);

  useEffect(() => listRef.current?.focus(), []);

  const openDialog = (next: OpenDialog) => {
    if (dialog === null) dialogOpener.current = document.activeElement;
    setDialog(next);
  };
  const closeDialog = useCallback(() => setDialog(null), []);
  useLayoutEffect(() => {
    if (dialog !== null) return;
    const opener = dialogOpener.current;
    dialogOpener.current = null;
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    if (chosen.current !== null) {
      const id = chosen.current;
      chosen.current = null;
      keymap.run(id);
    }
  }, [dialog]);

  useAction('palette.open', () => (dialog?.kind === 'palette' ? setDialog(null) : openDialog({ kind: 'palette', actions: keymap.available({ dialog: false }).filter((a) => a.id !== 'palette.open') })));
  useAction('help.shortcuts', () => (dialog?.kind === 'shortcuts' ? setDialog(null) : openDialog({ kind: 'shortcuts' })));
  useAction('kbEditor.list', () => listRef.current?.focus());
  useAction('kbEditor.new', () => {
    ed.startNew();
    setTimeout(() => titleRef.current?.focus(), 0);
  });
  useAction('kbEditor.save', () => void ed.save());
  useAction('kbEditor.publish', () => void ed.publish());
  useAction('kbEditor.retire', () => ed.current && ed.current.status !== 'retired' && openDialog({ kind: 'retire' }));
  useAction('kbEditor.history', () => ed.current && openDialog({ kind: 'history', id: ed.current.id }));

  const openArticle = (id: string) => {
    ed.open(id);
    setTimeout(() => titleRef.current?.focus(), 0);
  };

  const key = (id: ActionId) => showChord(primaryKeys(id));
  const button = (id: ActionId, label: string, run: () => void, disabled = false) => (
    <button type="button" className="btn btn--small" onClick={run} disabled={disabled || ed.busy} aria-keyshortcuts={primaryKeys(id)} data-testid={`kb-editor-${id.split('.')[1] ?? id}`}>
      <kbd>{key(id)}</kbd> {label}
    </button>
  );
  const notice = ed.notice;
  const s = ed.current ? statusOf(ed.current) : null;
  return (
    <>
      <div className="workspace kb-editor" inert={dialog !== null} data-testid="kb-editor">
        <header className="topbar">
          <div className="brand-mark brand-mark--small" aria-hidden="true">
            12345
          </div>
          <h1 className="topbar__title">
            {t('app.title')} <span className="topbar__subtitle">{t('kbEditor.title')}</span>
          </h1>
          <p className="topbar__keys">
            <kbd>{key('kbEditor.list')}</kbd> {t('kbEditor.keys.list')} · <kbd>{key('kbEditor.new')}</kbd> {t('kbEditor.keys.new')} · <kbd>{key('palette.open')}</kbd>{' '}
            {t('shortcuts.palette')} · <kbd>{key('help.shortcuts')}</kbd> {t('shortcuts.cheatSheet')}
          </p>
        </header>
        <RejectionBanner rejections={rejections.filter((r) => !(r.name === 'saveArticle' && r.code === 'conflict' && ed.conflict))} onDismiss={dismiss} onRedo={redo} />
        {ed.listError && (
          <p className="alert alert--error workspace__alert" role="alert">
            {errorText(t, ed.listError)}
          </p>
        )}
        <main className="kb-editor__main">
          <ArticleList ref={listRef} drafts={ed.drafts} selectedId={ed.current?.id ?? null} onOpen={openArticle} />
          <section className="panel kb-editor__edit" aria-label={t('kbEditor.formTitle')}>
            <header className="kb-editor__toolbar">
              <h2 className="kb-title" data-testid="kb-editor-heading">
                {ed.isNew ? t('kbEditor.newArticle') : (ed.current?.id ?? '')}
                {ed.current && s && (
                  <span className={`kb-status kb-status--${s}`} data-testid="kb-editor-status" data-status={s}>
                    {' '}
                    {t(`kbEditor.status.${s}`)} · v{ed.current.version}
                  </span>
                )}
                {ed.dirty && <span className="kb-editor__dirty"> · {t('kbEditor.unsaved')}</span>}
              </h2>
              <p className="kb-editor__buttons">
                {button('kbEditor.save', t('kbEditor.save'), () => void ed.save())}
                {button('kbEditor.publish', t('kbEditor.publish'), () => void ed.publish())}
                {button('kbEditor.history', t('kbEditor.historyButton'), () => ed.current && openDialog({ kind: 'history', id: ed.current.id }), !ed.current)}
                {button('kbEditor.retire', t('kbEditor.retire'), () => openDialog({ kind: 'retire' }), !ed.current || ed.current.status === 'retired')}
              </p>
            </header>
            {notice && (
              <p
                className={`alert ${notice.kind === 'ok' ? 'alert--ok' : notice.kind === 'warn' ? 'alert--warn' : 'alert--error'} kb-editor__notice`}
                role={notice.kind === 'ok' ? 'status' : 'alert'}
                data-testid="kb-editor-notice"
              >
                {notice.kind === 'error' ? errorText(t, notice.error) : notice.kind === 'rejected' ? rejectionReasonText(t, notice.code) : t(notice.key, { version: notice.version })}
              </p>
            )}
            {ed.conflict && ed.theirs && (
              <ConflictPanel
                mine={ed.conflict.mine}
                theirs={ed.theirs}
                merging={ed.conflict.merging}
                onKeepMine={() => void ed.resolve.keepMine()}
                onTakeTheirs={ed.resolve.takeTheirs}
                onMerge={() => {
                  ed.resolve.merge();
                  setTimeout(() => titleRef.current?.focus(), 0);
                }}
              />
            )}
            <ArticleForm values={ed.values} onChange={ed.setValues} isNew={ed.isNew} errors={ed.errors} titleRef={titleRef} />
          </section>
          <section className="panel kb-editor__preview" aria-label={t('kbEditor.preview')} data-testid="kb-editor-preview">
            <h2 className="kb-title">{t('kbEditor.preview')}</h2>
            <ArticleView content={ed.content} testId="kb-preview-article" />
          </section>
        </main>
        <StatusBar status={status} session={session} onLogout={onLogout} loggingOut={loggingOut} />
      </div>
      {dialog?.kind === 'palette' && (
        <CommandPalette
          actions={dialog.actions}
          onRun={(id) => {
            chosen.current = id;
            setDialog(null);
          }}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'shortcuts' && <CheatSheet onClose={closeDialog} />}
      {dialog?.kind === 'history' && (
        <HistoryDialog
          articleId={dialog.id}
          onClose={closeDialog}
          onRestore={(v) => {
            setDialog(null);
            void ed.restore(v);
          }}
        />
      )}
      {dialog?.kind === 'retire' && ed.current && (
        <Dialog labelledBy="kb-retire-title" onClose={closeDialog} initialFocus={retireRef} testId="kb-retire">
          <header className="dialog__head">
            <h2 id="kb-retire-title" className="dialog__title">
              {t('kbEditor.retireConfirm.title', { title: ed.current.content.title })}
            </h2>
          </header>
          <p>{t('kbEditor.retireConfirm.body')}</p>
          <p className="kb-conflict__choices">
            <button
              ref={retireRef}
              type="button"
              className="btn btn--primary"
              data-testid="kb-retire-confirm"
              onClick={() => {
                setDialog(null);
                void ed.retire();
              }}
            >
              {t('kbEditor.retire')}
            </button>{' '}
            <button type="button" className="btn" onClick={closeDialog}>
              {t('kbEditor.cancel')}
            </button>
          </p>
        </Dialog>
      )}
    </>
  );
}
