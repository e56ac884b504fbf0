import { z } from 'zod';
import { CaseDraft, CaseView } from '../domain/case';
import { Category } from '../domain/reference';
import { UserInfo } from '../domain/user';
import type { EventName, MethodName } from './names';

export const SessionInfo = z.object({
  user: UserInfo,
  station: z.string(),
  serverUrl: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SyncStatus = z.object({
  /** Connected to the central server and authenticated. */
  online: z.boolean(),
  /** Local mutations not yet confirmed by the server. */
  pending: z.number().int().nonnegative(),
  syncing: z.boolean(),
  lastSyncAt: z.number().int().nullable(),
  /** serverTime - localTime in ms, as measured at the last pull. */
  clockOffsetMs: z.number().int(),
  error: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const SyncProgress = z.object({
  /** Changes applied in this catch-up so far, and how many the server said remained in total. */
  received: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  done: z.boolean(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

export const Rejection = z.object({
  mutationId: z.string(),
  name: z.string(),
  caseNumber: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  at: z.number().int(),
  /** A conflict: the case moved on; `sync.redo` repeats the action on its current state. */
  redoable: z.boolean(),
});
export type Rejection = z.infer<typeof Rejection>;

const Empty = z.object({}).strict();

/** The renderer↔core API: every method with its input and output, every event with its payload. */
export const contract = {
  methods: {
    'app.info': { input: Empty, output: z.object({ version: z.string(), mode: z.enum(['electron', 'browser']), dataDir: z.string() }) },
    'session.login': {
      input: z.object({ username: z.string().trim().min(1, 'required').max(40), password: z.string().min(1, 'required').max(200) }).strict(),
      output: SessionInfo,
    },
    'session.logout': { input: Empty, output: z.null() },
    'session.current': { input: Empty, output: SessionInfo.nullable() },
    'cases.create': { input: CaseDraft.strict(), output: CaseView },
    'cases.list': {
      input: z.object({ scope: z.enum(['mine', 'team']), limit: z.number().int().min(1).max(500).default(100) }).strict(),
      output: z.array(CaseView),
    },
    'cases.reassign': {
      input: z.object({ caseId: z.uuid(), toUserId: z.string().min(1).max(64) }).strict(),
      output: CaseView,
    },
    'reference.categories': { input: Empty, output: z.array(Category) },
    'sync.status': { input: Empty, output: SyncStatus },
    'sync.rejections': { input: Empty, output: z.array(Rejection) },
    'sync.dismissRejection': { input: z.object({ mutationId: z.string() }).strict(), output: z.null() },
    'sync.redo': { input: z.object({ mutationId: z.string() }).strict(), output: z.null() },
  },
  events: {
    'sync.status': SyncStatus,
    'cases.changed': z.object({ ids: z.array(z.string()) }),
    'sync.rejected': Rejection,
    'session.changed': SessionInfo.nullable(),
    'sync.progress': SyncProgress,
  },
} as const;

type Contract = typeof contract;
export type MethodInput<M extends MethodName> = z.input<Contract['methods'][M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract['methods'][M]['output']>;
export type EventPayload<E extends EventName> = z.output<Contract['events'][E]>;

// Compile-time proof that names.ts and the schemas list the same methods and events.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const contractNamesMatch: [Same<keyof Contract['methods'], MethodName>, Same<keyof Contract['events'], EventName>] = [true, true];
