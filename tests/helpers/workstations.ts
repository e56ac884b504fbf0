import { WorkstationCore } from '../../src/main/core/core';
import type { SessionInfo, SyncStatus } from '../../src/shared/contract/contract';
import type { CaseDraftInput } from '../../src/shared/domain/case';
import { call } from './core';
import { waitFor } from './wait';

/** An intake as an operator types it; `i` makes the description unique. */
export function caseDraft(i: number, tag = 'fault'): CaseDraftInput {
  return {
    callerPhone: '13800138000',
    callerName: '王先生',
    categoryCode: 'noise.residential',
    address: '朝阳区建国路 88 号',
    description: `${tag} #${i}：夜间施工噪音扰民`,
  };
}

/** A core; `ackTimeoutMs` shortens the wait for a lost acknowledgement (default: the product's 15 s). */
export function openCore(dataDir: string, serverUrl: string, ackTimeoutMs?: number): WorkstationCore {
  return new WorkstationCore({ dataDir, serverUrl, mode: 'browser', version: 'test', ackTimeoutMs });
}

/** Logs in and waits for the category list (intake needs it), which comes with the first pull. */
export async function loginReady(core: WorkstationCore, username: string, password = 'hotline123', timeoutMs = 20_000): Promise<SessionInfo> {
  const session = await call(core, 'session.login', { username, password });
  await waitFor(async () => (await call(core, 'reference.categories', {})).length > 0, timeoutMs, { message: `categories for ${username}` });
  return session;
}

export const syncStatus = (core: WorkstationCore): Promise<SyncStatus> => call(core, 'sync.status', {});

export async function waitSynced(core: WorkstationCore, timeoutMs: number, message = 'pending 0'): Promise<SyncStatus> {
  return waitFor(
    async () => {
      const s = await syncStatus(core);
      return s.online && s.pending === 0 && !s.syncing ? s : undefined;
    },
    timeoutMs,
    { intervalMs: 50, message },
  );
}

/**
 * Closes a core when its sync loop is idle: closing under a running loop makes the loop touch a
 * closed database (reported to the lead). Gives up waiting after `timeoutMs` and closes anyway.
 */
export async function closeWhenIdle(core: WorkstationCore, timeoutMs = 5000): Promise<void> {
  await waitFor(async () => !(await syncStatus(core)).syncing, timeoutMs, { intervalMs: 20 }).catch(() => undefined);
  await core.close();
}

/** Seeded so a failing run can be repeated with FAULT_SEED=<seed>. */
export { seededRandom } from '../../src/shared/random';

export function faultSeed(): number {
  const fromEnv = Number(process.env.FAULT_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.floor(Math.random() * 2 ** 31) + 1;
}
