import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/contract/contract';
import type { AppError } from '../../../shared/result';
import { api } from '../api/client';
import { errorText } from '../format';
import { LanguageSwitch } from './LanguageSwitch';

interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
}

export function LoginScreen({ onLoggedIn }: { onLoggedIn: (session: SessionInfo) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const busyRef = useRef(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let active = true;
    void api.invoke('app.info', {}).then((res) => {
      if (active && res.ok) setInfo(res.value);
    });
    return () => {
      active = false;
    };
  }, []);

  const submit = async () => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setError(null);
    const res = await api.invoke('session.login', { username, password });
    busyRef.current = false;
    setBusy(false);
    if (res.ok) {
      onLoggedIn(res.value);
      return;
    }
    setError(res.error);
    // Put the operator where the fix is: an empty username, else the password to retype.
    if (res.error.fields?.username || !username.trim()) {
      usernameRef.current?.focus();
    } else {
      if (res.error.code === 'invalid_credentials') setPassword('');
      passwordRef.current?.focus();
    }
  };

  const onSubmit = (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    void submit();
  };

  // The only invalid input here is a blank field; say which thing is wanted rather than "required".
  const errorMessage = error ? (error.code === 'invalid_input' ? t('login.missing') : errorText(t, error)) : null;

  return (
    <div className="login">
      <header className="login__brand">
        <div className="brand-mark" aria-hidden="true">
          12345
        </div>
        <div>
          <h1 className="login__title">{t('app.title')}</h1>
          <p className="login__subtitle">{t('app.subtitle')}</p>
        </div>
      </header>
      <main className="login__card">
        <div className="login__card-head">
          <h2>{t('login.heading')}</h2>
          <LanguageSwitch />
        </div>
        <form className="login__form" onSubmit={onSubmit} noValidate aria-describedby={errorMessage ? 'login-error' : undefined}>
          <label className="field">
            <span className="field__label">{t('login.username')}</span>
            <input
              ref={usernameRef}
              data-testid="login-username"
              name="username"
              autoFocus
              autoComplete="username"
              spellCheck={false}
              autoCapitalize="off"
              maxLength={40}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-invalid={error?.fields?.username ? true : undefined}
            />
          </label>
          <label className="field">
            <span className="field__label">{t('login.password')}</span>
            <input
              ref={passwordRef}
              data-testid="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              maxLength={200}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={error?.code === 'invalid_credentials' || error?.fields?.password ? true : undefined}
            />
          </label>
          <div className="login__error-slot">
            {errorMessage && (
              <p id="login-error" className="alert alert--error" data-testid="login-error" role="alert">
                {errorMessage}
              </p>
            )}
          </div>
          <button type="submit" className="btn btn--primary btn--block" data-testid="login-submit" disabled={busy} aria-busy={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </main>
      <footer className="login__footer">
        {info && (
          <span>
            {t('login.version', { version: info.version })} · {t(`appMode.${info.mode}`)}
          </span>
        )}
      </footer>
    </div>
  );
}
