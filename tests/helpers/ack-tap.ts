import { Socket } from 'socket.io-client';

/** One request a workstation sent with an acknowledgement, and how it ended. */
export interface AckRecord {
  n: number;
  event: string;
  payload: unknown;
  sentAt: number;
  settledAt?: number;
  response?: unknown;
  error?: string;
}

export interface AckTap {
  records: AckRecord[];
  /** Called synchronously before a request is handed to the socket (e.g. to switch a proxy mode). */
  onSend(hook: (record: AckRecord) => void): void;
  restore(): void;
}

type EmitWithAck = (this: Socket, event: string, ...args: unknown[]) => Promise<unknown>;

/**
 * Records every `emitWithAck` of socket.io-client in this process (the in-process cores' push
 * and pull requests and their answers), so a test can see that a resent push was answered
 * `duplicate`, or that a request timed out. Test instrumentation only: it wraps the prototype
 * method and calls through unchanged.
 */
export function tapAcks(): AckTap {
  const proto = Socket.prototype as unknown as { emitWithAck: EmitWithAck };
  const original = proto.emitWithAck;
  const records: AckRecord[] = [];
  const hooks: ((record: AckRecord) => void)[] = [];
  proto.emitWithAck = function (this: Socket, event: string, ...args: unknown[]) {
    const record: AckRecord = { n: records.length + 1, event, payload: args[0], sentAt: Date.now() };
    records.push(record);
    for (const hook of hooks) hook(record);
    const result = original.call(this, event, ...args);
    result.then(
      (response) => {
        record.response = response;
        record.settledAt = Date.now();
      },
      (error: unknown) => {
        record.error = error instanceof Error ? error.message : String(error);
        record.settledAt = Date.now();
      },
    );
    return result;
  };
  return {
    records,
    onSend: (hook) => hooks.push(hook),
    restore: () => {
      proto.emitWithAck = original;
    },
  };
}

interface PushOutcomeLike {
  seq: number;
  status: string;
}

/** Outcomes of every answered push, flattened: which seqs were answered applied / duplicate / rejected. */
export function pushOutcomes(tap: AckTap): PushOutcomeLike[] {
  const out: PushOutcomeLike[] = [];
  for (const r of tap.records) {
    if (r.event !== 'push' || !r.response || typeof r.response !== 'object') continue;
    const outcomes = (r.response as { outcomes?: unknown }).outcomes;
    if (!Array.isArray(outcomes)) continue;
    for (const o of outcomes as PushOutcomeLike[]) out.push({ seq: o.seq, status: o.status });
  }
  return out;
}

/** Seqs of the mutations a push request carried. */
export function pushedSeqs(record: AckRecord): number[] {
  const mutations = (record.payload as { mutations?: { seq: number }[] } | undefined)?.mutations;
  return Array.isArray(mutations) ? mutations.map((m) => m.seq) : [];
}
