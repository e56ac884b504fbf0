import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKeymapListener } from './keys/hooks';
import { store } from './store';
import { sessionKey } from './store/store';
import { useSession, useStoreRunning } from './store/hooks';
import { LoginScreen } from './components/LoginScreen';
import { Workspace } from './components/Workspace';

export function App() {
  const { t } = useTranslation();
  useStoreRunning();
  useKeymapListener();
  const session = useSession();
  const [loggingOut, setLoggingOut] = useState(false);

  const logout = () => {
    setLoggingOut(true);
    void store.logout().then(() => setLoggingOut(false));
  };

  if (session.kind === 'loading') {
    return (
      <div className="splash" role="status">
        {t('app.loading')}
      </div>
    );
  }
  if (session.kind === 'out') {
    return <LoginScreen onLoggedIn={(s) => store.adoptSession(s)} />;
  }
  // Keyed by user and data space: a different operator, or practice, starts with a fresh workspace.
  return <Workspace key={sessionKey(session.session)} session={session.session} onLogout={logout} loggingOut={loggingOut} />;
}
