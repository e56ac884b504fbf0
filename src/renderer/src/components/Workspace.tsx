import { useCallback, useEffect, useState } from 'react';
import { CaseDetail } from './CaseDetail';
import { useReference } from '../hooks/useReference';
import { useServerNow } from '../hooks/useNow';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/contract/contract';
import { useCategories } from '../hooks/useCategories';
import type { CaseScope } from '../hooks/useCaseList';
import { useRejections } from '../hooks/useRejections';
import { useSyncStatus } from '../hooks/useSyncStatus';
import { errorText } from '../format';
import { CaseList } from './CaseList';
import { IntakeForm } from './IntakeForm';
import { RejectionBanner } from './RejectionBanner';
import { StatusBar } from './StatusBar';
import { SyncProgressBar } from './SyncProgressBar';
import { useSyncProgress } from '../hooks/useSyncProgress';

interface Props {
  session: SessionInfo;
  onLogout: () => void;
  loggingOut: boolean;
}

/** The operator's screen after login: intake on the left, cases on the right, sync state below. */
export function Workspace({ session, onLogout, loggingOut }: Props) {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const progress = useSyncProgress();
  const { tree, error: categoriesError } = useCategories();
  const { rejections, dismiss, redo } = useRejections();
  const [scope, setScope] = useState<CaseScope>('mine');
  const [refreshKey, setRefreshKey] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const reference = useReference();
  const now = useServerNow(status?.clockOffsetMs ?? 0);
  const onCreated = useCallback(() => setRefreshKey((k) => k + 1), []);
  const closeDetail = useCallback(() => setSelected(null), []);

  // Alt+N (the next call) leaves the case open on screen for the intake form.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.code === 'KeyN') setSelected(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="workspace">
      <header className="topbar">
        <div className="brand-mark brand-mark--small" aria-hidden="true">
          12345
        </div>
        <h1 className="topbar__title">
          {t('app.title')} <span className="topbar__subtitle">{t('app.subtitle')}</span>
        </h1>
        <p className="topbar__keys">
          <kbd>Alt+N</kbd> {t('shortcuts.newCase')} · <kbd>Alt+1</kbd>…<kbd>Alt+4</kbd> {t('shortcuts.switchList')} · <kbd>Enter</kbd> {t('shortcuts.openCase')}
        </p>
      </header>
      <RejectionBanner rejections={rejections} onDismiss={dismiss} onRedo={redo} />
      {categoriesError && (
        <p className="alert alert--error workspace__alert" role="alert">
          {t('intake.categoriesError', { reason: errorText(t, categoriesError) })}
        </p>
      )}
      <main className="workspace__main">
        {/* Kept mounted while a case is open, so a half-typed intake is never lost. */}
        <div className="workspace__left" hidden={selected !== null}>
          <IntakeForm categories={tree} onCreated={onCreated} onOpen={setSelected} />
        </div>
        {selected && <CaseDetail caseId={selected} categories={tree} reference={reference} now={now} onClose={closeDetail} />}
        <CaseList
          scope={scope}
          onScopeChange={setScope}
          categories={tree}
          refreshKey={refreshKey}
          selectedId={selected}
          onSelect={setSelected}
          now={now}
          sla={reference.sla}
        />
      </main>
      <SyncProgressBar progress={progress} />
      <StatusBar status={status} session={session} onLogout={onLogout} loggingOut={loggingOut} />
    </div>
  );
}
