import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo, SyncStatus } from '../../../shared/contract/contract';
import { useFormatters } from '../format';
import { useAction, useKeyFlag } from '../keys/hooks';
import { LanguageSwitch } from './LanguageSwitch';
import { Dialog } from './Dialog';
import { PasswordChangeForm } from './PasswordChange';

/** Beyond this the PC clock is visibly wrong: case times and token expiry would suffer. */
const CLOCK_WARN_MS = 2000;

interface Props {
  status: SyncStatus | null;
  session: SessionInfo;
  onLogout: () => void;
  loggingOut: boolean;
}

export function StatusBar({ status, session, onLogout, loggingOut }: Props) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const online = status?.online ?? false;
  const pending = status?.pending ?? 0;
  const offset = status?.clockOffsetMs ?? 0;
  const [changing, setChanging] = useState(false);
  const [changed, setChanged] = useState(false);
  const passwordButton = useRef<HTMLButtonElement>(null);
  const passwordField = useRef<HTMLInputElement>(null);
  useKeyFlag('dialog', changing);
  useAction('session.logout', () => {
    if (!loggingOut) onLogout();
  });
  useAction('session.changePassword', () => setChanging(true));
  const closePassword = () => {
    setChanging(false);
    passwordButton.current?.focus();
  };

  return (
    <footer className="statusbar" aria-label={t('statusbar.label')}>
      <div className="statusbar__group" role="status" aria-live="polite">
        <span className={`sync-indicator ${online ? 'is-online' : 'is-offline'}`} data-testid="sync-online" data-online={String(online)}>
          <span className="sync-indicator__dot" aria-hidden="true" />
          {online ? t('sync.online') : t('sync.offline')}
          {status?.syncing && <span className="sync-indicator__busy"> · {t('sync.syncing')}</span>}
        </span>
        <span className={`statusbar__item ${pending > 0 ? 'has-pending' : ''}`} data-testid="sync-pending" data-pending={pending}>
          {t('sync.pending')} <strong className="statusbar__count">{fmt.integer.format(pending)}</strong>
        </span>
        <span className="statusbar__item">
          {t('sync.lastSync')}{' '}
          {status?.lastSyncAt != null ? (
            <time dateTime={new Date(status.lastSyncAt).toISOString()} title={fmt.fullTime.format(status.lastSyncAt)}>
              {fmt.clock.format(status.lastSyncAt)}
            </time>
          ) : (
            t('sync.never')
          )}
        </span>
        {Math.abs(offset) > CLOCK_WARN_MS && (
          <span className="statusbar__item statusbar__warn" title={t('sync.clockOffsetHint')}>
            ⚠ {t('sync.clockOffset', { offset: fmt.offsetSeconds.format(offset / 1000) })}
          </span>
        )}
        {status?.error && (
          <span className="statusbar__item statusbar__error" title={status.error}>
            {t('sync.error', { message: status.error })}
          </span>
        )}
      </div>
      <div className="statusbar__group statusbar__group--end">
        <span className="statusbar__item statusbar__user">
          <strong>{session.user.displayName}</strong> · {t(`roles.${session.user.role}`)} · {t('statusbar.station', { station: session.station })}
        </span>
        <LanguageSwitch className="lang-switch--dark" />
        {changed && (
          <span className="statusbar__item" role="status" data-testid="password-changed">
            {t('password.changed')}
          </span>
        )}
        <button ref={passwordButton} type="button" className="btn btn--ghost-dark" data-testid="password-change" onClick={() => setChanging(true)} title={t('actions.session.changePassword')}>
          {t('password.button')}
        </button>
        <button type="button" className="btn btn--ghost-dark" data-testid="logout" onClick={onLogout} disabled={loggingOut} title={t('actions.session.logout')}>
          {t('session.logout')}
        </button>
      </div>
      {changing && (
        <Dialog labelledBy="password-dialog-heading" onClose={closePassword} initialFocus={passwordField} testId="password-dialog" className="password-dialog">
          <h2 id="password-dialog-heading" className="dialog__title">{t('password.heading')}</h2>
          <PasswordChangeForm
            idPrefix="password-dialog"
            firstFieldRef={passwordField}
            onChanged={() => {
              setChanged(true);
              closePassword();
            }}
            secondary={{ label: t('password.cancel'), onClick: closePassword, testId: 'password-dialog-cancel' }}
          />
        </Dialog>
      )}
    </footer>
  );
}
