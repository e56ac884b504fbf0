/**
 * Names of the renderer↔core contract, without schemas, so the sandboxed preload can import them
 * without bundling zod. `contract.ts` checks at compile time that these lists match the schemas.
 */
export const METHOD_NAMES = [
  'app.info',
  'session.login',
  'session.logout',
  'session.changePassword',
  'session.current',
  'cases.create',
  'cases.list',
  'cases.reassign',
  'cases.amend',
  'cases.search',
  'cases.searchServer',
  'cases.history',
  'cases.similar',
  'cases.repeatCall',
  'cases.revealCaller',
  'cases.callbackAttempt',
  'cases.get',
  'cases.getMany',
  'cases.step',
  'dispatch.suggest',
  'dispatch.preview',
  'reference.places',
  'cases.categoryUsage',
  'reference.categories',
  'reference.units',
  'reference.users',
  'reference.sla',
  'sync.status',
  'sync.rejections',
  'sync.dismissRejection',
  'sync.redo',
  'rates.get',
  'kb.search',
  'kb.suggest',
  'kb.get',
  'kb.mine',
  'kb.drafts',
  'kb.save',
  'kb.publish',
  'kb.retire',
  'kb.restore',
  'kb.history',
  'drafts.save',
  'drafts.list',
  'drafts.discard',
  'prefs.get',
  'prefs.set',
  'call.current',
  'call.taken',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export const EVENT_NAMES = ['sync.status', 'cases.changed', 'sync.rejected', 'session.changed', 'sync.progress', 'reference.changed', 'call.incoming', 'kb.changed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** IPC channel names shared by preload and main. */
export const IPC_INVOKE = 'contract:invoke';
export const IPC_EVENT = 'contract:event';
