import type { SessionInfo } from '../../../../shared/contract/contract';
import type { Space } from '../../../../shared/domain/space';
import type { UserInfo } from '../../../../shared/domain/user';
import { decide } from '../../../../shared/policy/policy';
import { AppFailure } from '../../../../shared/result';
import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';
import { claimCacheFor, findOfflineAccount, rememberForOffline, upsertAccount } from '../../store/accounts';
import { getMeta, setMeta, stationKey } from '../../store/meta';
import { LOCAL_ENTITIES } from '../../entities';
import { OFFLINE_STATUS, type SyncService } from '../sync';
import type { HttpSession } from './http-session';
import { checkVerifier, makeVerifier } from './offline-login';

/** session.*: log in (online, or offline for a user who worked here before), log out, who is here. */
export function sessionFeature(ctx: CoreContext, http: HttpSession, sync: SyncService): Feature {
  const info = (): SessionInfo | null => {
    const account = ctx.account;
    if (!account) return null;
    const { clientId: _c, station, space, ...user } = account;
    return { user, station, space, serverUrl: http.serverUrl, ...(mustChange ? { mustChangePassword: true } : {}) };
  };
  /** The server said this password was set by an admin: sync waits until it is changed. */
  let mustChange = false;

  /** Leaves the session here; `tellServer` ends it on the server too (not when the server ended it). */
  const logout = (tellServer = true): Promise<void> => {
    // The round in flight stops at its next step; the stores stay open for the next login.
    void sync.stop();
    const told = tellServer ? http.logout() : Promise.resolve(http.ended());
    ctx.setAccount(null);
    ctx.events.emit('session.changed', null);
    ctx.events.emit('sync.status', { ...OFFLINE_STATUS });
    return told;
  };

  // The server ended the session (logged out elsewhere, an admin, a replayed token, the shift is
  // over): the workstation leaves it too and shows the login; the outbox stays for the next login.
  sync.onSessionEnded = (reason) => {
    if (!ctx.account) return;
    void logout(false).then(() => ctx.events.emit('sync.status', { ...OFFLINE_STATUS, error: `session_ended: ${reason}` }));
  };

  const login = async (username: string, password: string, space: Space): Promise<SessionInfo> => {
    if (ctx.account) await logout();
    // The workstation's own facts (station key, offline verifiers) live in the live store.
    const home = ctx.home;
    const key = stationKey(home);
    const credentials = { username, password, stationKey: key, space };
    let user: UserInfo;
    let station: string;
    mustChange = false;
    try {
      const res = await http.login(credentials);
      user = res.user;
      station = res.station;
      mustChange = res.mustChangePassword;
      upsertAccount(home, user);
      rememberForOffline(home, user.id, station, makeVerifier(password));
    } catch (error) {
      // Server down: an operator who has worked here before may go on offline and sync later.
      if (!(error instanceof AppFailure && error.code === 'server_unreachable')) throw error;
      const offline = findOfflineAccount(home, username.trim());
      if (!offline) throw new AppFailure('server_unreachable', `${error.message}; offline login works only for users who logged in here before`);
      if (!checkVerifier(password, offline.verifier)) throw new AppFailure('invalid_credentials', 'wrong username or password');
      http.startOffline({ ...credentials, username: username.trim() });
      user = offline.user;
      station = offline.station;
    }
    // The server decided online; offline, the same policy decides here.
    const entry = decide({ ...user, space }, 'space.enter', { space });
    if (!entry.ok) {
      await http.logout();
      throw new AppFailure('forbidden', entry.reason);
    }
    const db = ctx.openSpace(space);
    const account = upsertAccount(db, user);
    claimCacheFor(db, account.id, LOCAL_ENTITIES);
    const known = getMeta(db, 'station_code');
    if (known && known !== station) throw new AppFailure('internal', `station code changed from ${known} to ${station}`);
    setMeta(db, 'station_code', station);
    ctx.setAccount({ ...account, station, space });
    // The server refuses the socket of a session whose password must change first.
    if (!mustChange) sync.start(ctx.requireAccount());
    const session = info();
    ctx.events.emit('session.changed', session);
    if (!session) throw new AppFailure('internal', 'session lost');
    return session;
  };

  return {
    name: 'session',
    handlers: {
      'session.login': (input) => login(input.username, input.password, input.space),
      'session.logout': async () => {
        await logout();
        return null;
      },
      'session.current': () => info(),
      'session.changePassword': async (input) => {
        const account = ctx.requireAccount();
        await http.changePassword(input.currentPassword, input.newPassword);
        // Offline logins here take the new password from now on.
        rememberForOffline(ctx.home, account.id, account.station, makeVerifier(input.newPassword));
        if (mustChange) {
          mustChange = false;
          sync.start(account);
        }
        const session = info();
        if (!session) throw new AppFailure('internal', 'session lost');
        ctx.events.emit('session.changed', session);
        return session;
      },
    },
  };
}
