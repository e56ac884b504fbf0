import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/contract/contract';
import { permissionsOf } from '../../../shared/policy/policy';
import { StatusBar } from '../components/StatusBar';
import { useSyncStatus } from '../store/hooks';
import type { ScreenName } from './roleScreen';
import '../components/kb/kb.css';

interface Props {
  session: SessionInfo;
  onLogout: () => void;
  loggingOut: boolean;
  /** Opens one of the screens an admin may also work on. */
  onOpen: (screen: Exclude<ScreenName, 'admin'>) => void;
}

/**
 * The admin's screen — a route slot: the admin console is being built elsewhere. Until it lands,
 * this says which functions an admin has (from the policy) and opens the workspace or the
 * knowledge editor (Tab and Enter).
 */
export function AdminScreen({ session, onLogout, loggingOut, onOpen }: Props) {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const actions = permissionsOf(session.user.role, session.space);
  return (
    <div className="workspace" data-testid="admin-screen">
      <header className="topbar">
        <div className="brand-mark brand-mark--small" aria-hidden="true">
          12345
        </div>
        <h1 className="topbar__title">
          {t('app.title')} <span className="topbar__subtitle">{t('screens.admin.title')}</span>
        </h1>
      </header>
      <main className="screen-placeholder">
        <section className="panel screen-placeholder__panel">
          <h2>{t('screens.admin.title')}</h2>
          <p>{t('screens.admin.pending')}</p>
          <h3>{t('screens.admin.functions')}</h3>
          <ul data-testid="admin-functions">
            {actions.map((a) => (
              <li key={a} data-action={a}>
                {t(`screens.functions.${a.replace('.', '_')}`)}
              </li>
            ))}
          </ul>
          <p className="screen-placeholder__buttons">
            <button ref={first} type="button" className="btn btn--primary" onClick={() => onOpen('workspace')} data-testid="admin-open-workspace">
              {t('screens.admin.openWorkspace')}
            </button>{' '}
            <button type="button" className="btn" onClick={() => onOpen('kbEditor')} data-testid="admin-open-editor">
              {t('screens.admin.openEditor')}
            </button>
          </p>
        </section>
      </main>
      <StatusBar status={status} session={session} onLogout={onLogout} loggingOut={loggingOut} />
    </div>
  );
}
