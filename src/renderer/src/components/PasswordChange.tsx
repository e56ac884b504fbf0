import { useRef, useState, type RefObject, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/contract/contract';
import { api } from '../api/client';
import { errorText } from '../format';

interface Props {
  /** Id prefix of the form's fields (the forced screen and the dialog may both exist in tests). */
  idPrefix: string;
  onChanged: (session: SessionInfo) => void;
  /** Shown next to the submit button (Cancel in the dialog, Sign out on the forced screen). */
  secondary?: { label: string; onClick: () => void; testId: string };
  /** The current-password field, for a dialog that focuses it on opening. */
  firstFieldRef?: RefObject<HTMLInputElement | null>;
}

/**
 * Current password, new password twice. The server checks the current one (its wrong answers count
 * towards the login throttle) and ends the user's sessions elsewhere; this one goes on.
 */
export function PasswordChangeForm({ idPrefix, onChanged, secondary, firstFieldRef }: Props) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const ownRef = useRef<HTMLInputElement>(null);
  const currentRef = firstFieldRef ?? ownRef;
  const nextRef = useRef<HTMLInputElement>(null);

  const submit = async () => {
    if (busy) return;
    if (!current || !next) {
      setMessage(t('password.missing'));
      (current ? nextRef : currentRef).current?.focus();
      return;
    }
    if (next.length < 8) {
      setMessage(t('password.tooShort'));
      nextRef.current?.focus();
      return;
    }
    if (next !== repeat) {
      setMessage(t('password.mismatch'));
      nextRef.current?.focus();
      return;
    }
    setBusy(true);
    setMessage(null);
    const res = await api.invoke('session.changePassword', { currentPassword: current, newPassword: next });
    setBusy(false);
    if (res.ok) {
      onChanged(res.value);
      return;
    }
    if (res.error.code === 'invalid_credentials') {
      setMessage(t('password.wrongCurrent'));
      setCurrent('');
      currentRef.current?.focus();
      return;
    }
    setMessage(res.error.code === 'invalid_input' ? t('password.rejected') : errorText(t, res.error));
    nextRef.current?.focus();
  };

  const onSubmit = (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    void submit();
  };

  return (
    <form className="login__form" onSubmit={onSubmit} noValidate data-testid={`${idPrefix}-form`}>
      <label className="field">
        <span className="field__label">{t('password.current')}</span>
        <input ref={currentRef} data-testid={`${idPrefix}-current`} type="password" autoComplete="current-password" autoFocus maxLength={200} value={current} onChange={(e) => setCurrent(e.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">{t('password.new')}</span>
        <input ref={nextRef} data-testid={`${idPrefix}-new`} type="password" autoComplete="new-password" maxLength={200} value={next} onChange={(e) => setNext(e.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">{t('password.repeat')}</span>
        <input data-testid={`${idPrefix}-repeat`} type="password" autoComplete="new-password" maxLength={200} value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      </label>
      <p className="field__hint">{t('password.hint')}</p>
      <div className="login__error-slot">
        {message && (
          <p className="alert alert--error" role="alert" data-testid={`${idPrefix}-error`}>
            {message}
          </p>
        )}
      </div>
      <div className="password-form__actions">
        <button type="submit" className="btn btn--primary" data-testid={`${idPrefix}-submit`} disabled={busy} aria-busy={busy}>
          {busy ? t('password.submitting') : t('password.submit')}
        </button>
        {secondary && (
          <button type="button" className="btn" data-testid={secondary.testId} onClick={secondary.onClick}>
            {secondary.label}
          </button>
        )}
      </div>
    </form>
  );
}

/** The whole window when the account's password was set by an admin: change it, or sign out. */
export function PasswordChangeScreen({ session, onChanged, onLogout }: { session: SessionInfo; onChanged: (s: SessionInfo) => void; onLogout: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="login">
      <main className="login__card" aria-labelledby="password-forced-heading">
        <div className="login__card-head">
          <h2 id="password-forced-heading">{t('password.forcedHeading')}</h2>
        </div>
        <p>{t('password.forcedText', { name: session.user.displayName })}</p>
        <PasswordChangeForm idPrefix="password-forced" onChanged={onChanged} secondary={{ label: t('session.logout'), onClick: onLogout, testId: 'password-forced-logout' }} />
      </main>
    </div>
  );
}
