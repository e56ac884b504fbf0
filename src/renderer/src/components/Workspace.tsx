import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/contract/contract';
import { errorText } from '../format';
import { useReference } from '../hooks/useReference';
import type { ActionDeclaration } from '../keys/actions';
import { primaryKeys } from '../keys/actions';
import { showChord } from '../keys/chords';
import { useAction, useKeyFlag } from '../keys/hooks';
import { keymap } from '../keys/registry';
import { useCategories, useRejections, useSyncProgress, useSyncStatus } from '../store/hooks';
import { CaseDetail } from './CaseDetail';
import { CaseList, type QueueTab } from './CaseList';
import { CheatSheet } from './CheatSheet';
import { CommandPalette } from './CommandPalette';
import { IntakePane } from './intake/IntakePane';
import { KbPanel } from './kb/KbPanel';
import { RejectionBanner } from './RejectionBanner';
import { StatusBar } from './StatusBar';
import { SyncProgressBar } from './SyncProgressBar';

interface Props {
  session: SessionInfo;
  onLogout: () => void;
  loggingOut: boolean;
  /** Whether this role registers cases here (policy `case.create`); without it there is no intake. */
  intake?: boolean;
}

type OpenDialog = { kind: 'palette'; actions: readonly ActionDeclaration[] } | { kind: 'shortcuts' };

/** Focus `el` if it is still on screen, else `fallback`. */
function focusBack(el: Element | null, fallback: HTMLElement | null): void {
  if (el instanceof HTMLElement && el.isConnected && el !== document.body && el.getClientRects().length > 0) el.focus();
  else fallback?.focus();
}

/** The operator's screen after login: intake on the left, cases on the right, sync state below. */
export function Workspace({ session, onLogout, loggingOut, intake = true }: Props) {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const progress = useSyncProgress();
  const { tree, error: categoriesError } = useCategories();
  const { rejections, dismiss, redo } = useRejections();
  const [scope, setScope] = useState<QueueTab>('mine');
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const reference = useReference();
  const phoneRef = useRef<HTMLInputElement>(null);
  // Focus to set after the next render (an element that is hidden until then, such as the phone field behind a case).
  const [focusNext, setFocusNext] = useState<{ run: () => void } | null>(null);
  // Where focus was when the case view opened, and when the first dialog opened.
  const caseOpener = useRef<Element | null>(null);
  const dialogOpener = useRef<Element | null>(null);
  // An action chosen in the palette, run once the palette has closed and focus is back.
  const chosen = useRef<string | null>(null);

  useKeyFlag('caseOpen', selected !== null);
  useKeyFlag('dialog', dialog !== null);

  const openCase = useCallback((caseId: string) => {
    caseOpener.current = document.activeElement;
    setSelected(caseId);
  }, []);

  // Esc on a case: back where it was opened from (its row, the intake form), else the phone field.
  const closeCase = useCallback(() => {
    const opener = caseOpener.current;
    caseOpener.current = null;
    setSelected(null);
    setFocusNext({ run: () => focusBack(opener, phoneRef.current) });
  }, []);

  // A call rang: the case on screen goes (intake puts focus where the call needs it).
  const showIntake = useCallback(() => {
    caseOpener.current = null;
    setSelected(null);
  }, []);

  // Alt+N, the next call: the case on screen goes, the phone field takes focus.
  useAction('intake.focusPhone', () => {
    caseOpener.current = null;
    setSelected(null);
    setFocusNext({ run: () => phoneRef.current?.focus() });
  });

  const toggleDialog = (kind: OpenDialog['kind']) => {
    if (dialog?.kind === kind) {
      setDialog(null);
      return;
    }
    if (dialog === null) dialogOpener.current = document.activeElement;
    if (kind === 'shortcuts') setDialog({ kind });
    // What can run now, as if no dialog were open (Ctrl+K from the cheat sheet lists the same).
    else setDialog({ kind, actions: keymap.available({ dialog: false }).filter((a) => a.id !== 'palette.open') });
  };
  useAction('palette.open', () => toggleDialog('palette'));
  useAction('help.shortcuts', () => toggleDialog('shortcuts'));

  const closeDialog = useCallback(() => setDialog(null), []);
  const runChosen = useCallback((actionId: string) => {
    chosen.current = actionId;
    setDialog(null);
  }, []);

  // A dialog closed: focus back where it was (the page is no longer inert by now), then the chosen action, which may move it on.
  useLayoutEffect(() => {
    if (dialog !== null) return;
    const opener = dialogOpener.current;
    dialogOpener.current = null;
    if (opener) focusBack(opener, phoneRef.current);
  }, [dialog]);
  useEffect(() => {
    if (dialog !== null || chosen.current === null) return;
    const actionId = chosen.current;
    chosen.current = null;
    keymap.run(actionId);
  }, [dialog]);

  useEffect(() => focusNext?.run(), [focusNext]);

  const key = (id: Parameters<typeof primaryKeys>[0]) => showChord(primaryKeys(id));
  return (
    <>
      <div className="workspace" inert={dialog !== null}>
        <header className="topbar">
          <div className="brand-mark brand-mark--small" aria-hidden="true">
            12345
          </div>
          <h1 className="topbar__title">
            {t('app.title')} <span className="topbar__subtitle">{t('app.subtitle')}</span>
          </h1>
          <p className="topbar__keys">
            <kbd>{key('intake.focusPhone')}</kbd> {t('shortcuts.nextCall')} · <kbd>{key('lists.mine')}</kbd>…<kbd>{key('lists.drafts')}</kbd> {t('shortcuts.switchList')} · <kbd>{key('search.focus')}</kbd> {t('shortcuts.search')} ·{' '}
            <kbd>{key('palette.open')}</kbd> {t('shortcuts.palette')} · <kbd>{key('help.shortcuts')}</kbd> {t('shortcuts.cheatSheet')}
          </p>
        </header>
        <RejectionBanner rejections={rejections} onDismiss={dismiss} onRedo={redo} />
        {categoriesError && (
          <p className="alert alert--error workspace__alert" role="alert">
            {t('intake.categoriesError', { reason: errorText(t, categoriesError) })}
          </p>
        )}
        <main className={selected === null && intake ? 'workspace__main workspace__main--intake' : 'workspace__main'}>
          {/* Kept mounted while a case is open, so a half-typed intake is never lost. */}
          <div className="workspace__left" hidden={selected !== null}>
            {intake ? (
              <IntakePane categories={tree} phoneRef={phoneRef} visible={selected === null} onOpen={openCase} onCall={showIntake} />
            ) : (
              <section className="panel workspace__no-intake" data-testid="no-intake">
                <p>{t('screens.noIntake')}</p>
              </section>
            )}
          </div>
          {selected && <CaseDetail caseId={selected} categories={tree} reference={reference} onClose={closeCase} />}
          <CaseList scope={scope} onScopeChange={setScope} categories={tree} selectedId={selected} onSelect={openCase} />
        </main>
        <KbPanel canAnswer={intake && selected === null} />
        <SyncProgressBar progress={progress} />
        <StatusBar status={status} session={session} onLogout={onLogout} loggingOut={loggingOut} />
      </div>
      {dialog?.kind === 'palette' && <CommandPalette actions={dialog.actions} onRun={runChosen} onClose={closeDialog} />}
      {dialog?.kind === 'shortcuts' && <CheatSheet onClose={closeDialog} />}
    </>
  );
}
