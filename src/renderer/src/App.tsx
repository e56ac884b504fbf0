import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../shared/contract/contract';
import { api } from './api/client';
import { LoginScreen } from './components/LoginScreen';
import { Workspace } from './components/Workspace';

type SessionState = { kind: 'loading' } | { kind: 'out' } | { kind: 'in'; session: SessionInfo };

export function App() {
  const { t } = useTranslation();
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const [loggingOut, setLoggingOut] = useState(false);

  useEffect(() => {
    let active = true;
    let heardEvent = false;
    const adopt = (session: SessionInfo | null) => setState(session ? { kind: 'in', session } : { kind: 'out' });
    const off = api.on('session.changed', (session) => {
      heardEvent = true;
      adopt(session);
    });
    // The core may already hold a session (a reload of the window): resume it.
    void api.invoke('session.current', {}).then((res) => {
      if (active && !heardEvent) adopt(res.ok ? res.value : null);
    });
    return () => {
      active = false;
      off();
    };
  }, []);

  const logout = () => {
    setLoggingOut(true);
    void api.invoke('session.logout', {}).then(() => {
      setLoggingOut(false);
      setState({ kind: 'out' });
    });
  };

  if (state.kind === 'loading') {
    return (
      <div className="splash" role="status">
        {t('app.loading')}
      </div>
    );
  }
  if (state.kind === 'out') {
    return <LoginScreen onLoggedIn={(session) => setState({ kind: 'in', session })} />;
  }
  // Keyed by user: a different operator starts with a fresh workspace.
  return <Workspace key={state.session.user.id} session={state.session} onLogout={logout} loggingOut={loggingOut} />;
}
