import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKeymapListener } from './keys/hooks';
import { useLanguagePref } from './hooks/useLanguagePref';
import { store } from './store';
import { sessionKey } from './store/store';
import { useSession, useStoreRunning } from './store/hooks';
import { LoginScreen } from './components/LoginScreen';
import { Workspace } from './components/Workspace';
import { PasswordChangeScreen } from './components/PasswordChange';
import { AdminScreen } from './screens/AdminScreen';
import { KbEditorScreen } from './screens/KbEditorScreen';
import { canIntake, screenFor, type ScreenName } from './screens/roleScreen';

export function App() {
  const { t } = useTranslation();
  useStoreRunning();
  useKeymapListener();
  const session = useSession();
  // The remembered UI language: the workstation's before login, the user's after.
  useLanguagePref(session.kind === 'in' ? sessionKey(session.session) : '');
  const [loggingOut, setLoggingOut] = useState(false);
  // An admin may open another screen from theirs; everyone else has the one of their role.
  const [chosen, setChosen] = useState<{ key: string; screen: ScreenName } | null>(null);

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
  const s = session.session;
  // Keyed by user and data space: a different operator, or practice, starts with a fresh screen.
  const key = sessionKey(s);
  const actor = { id: s.user.id, role: s.user.role, team: s.user.team, space: s.space };
  // An admin set this password: the user chooses their own before anything else.
  if (s.mustChangePassword) return <PasswordChangeScreen key={key} session={s} onChanged={(next) => store.adoptSession(next)} onLogout={logout} />;
  const screen = chosen?.key === key ? chosen.screen : screenFor(s.user.role);
  switch (screen) {
    case 'kbEditor':
      return <KbEditorScreen key={key} session={s} onLogout={logout} loggingOut={loggingOut} />;
    case 'admin':
      // The slot of the admin console (being built); until then it lists the admin's functions.
      return <AdminScreen key={key} session={s} onLogout={logout} loggingOut={loggingOut} onOpen={(next) => setChosen({ key, screen: next })} />;
    case 'workspace':
      return <Workspace key={key} session={s} onLogout={logout} loggingOut={loggingOut} intake={canIntake(actor)} />;
  }
}
