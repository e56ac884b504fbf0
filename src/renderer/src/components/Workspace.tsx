import { useCallback, useState } from 'react';
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
  const onCreated = useCallback(() => setRefreshKey((k) => k + 1), []);

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
          <kbd>Alt+N</kbd> {t('shortcuts.newCase')} · <kbd>Alt+1</kbd>/<kbd>Alt+2</kbd> {t('shortcuts.switchList')}
        </p>
      </header>
      <RejectionBanner rejections={rejections} onDismiss={dismiss} onRedo={redo} />
      {categoriesError && (
        <p className="alert alert--error workspace__alert" role="alert">
          {t('intake.categoriesError', { reason: errorText(t, categoriesError) })}
        </p>
      )}
      <main className="workspace__main">
        <IntakeForm categories={tree} onCreated={onCreated} />
        <CaseList scope={scope} onScopeChange={setScope} categories={tree} refreshKey={refreshKey} />
      </main>
      <SyncProgressBar progress={progress} />
      <StatusBar status={status} session={session} onLogout={onLogout} loggingOut={loggingOut} />
    </div>
  );
}
