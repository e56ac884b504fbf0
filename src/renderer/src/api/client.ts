import type { z } from 'zod';
import type { RawWorkstationApi, WorkstationApi } from '../../../shared/contract/api';
import { contract, type EventPayload, type MethodOutput } from '../../../shared/contract/contract';
import type { EventName, MethodName } from '../../../shared/contract/names';
import { ResultSchema, type Result } from '../../../shared/result';
import { createWsBridge } from './ws-bridge';

declare global {
  interface Window {
    /** Present in Electron (exposed by the preload); absent in browser mode. */
    workstation?: RawWorkstationApi;
  }
}

/**
 * The contract's schemas seen per name, so that indexing them with a generic method or event name
 * gives that name's schema (TypeScript resolves an indexed mapped type by name) rather than the
 * union of all of them. The contract is checked against these types here, without a cast.
 */
const OUTPUTS: { readonly [M in MethodName]: { readonly output: z.ZodType<MethodOutput<M>> } } = contract.methods;
const EVENTS: { readonly [E in EventName]: z.ZodType<EventPayload<E>> } = contract.events;

/** The answer to a call, checked against the method's output schema in the Result shape; its type comes from the parse. */
function parseResult<T>(method: string, output: z.ZodType<T>, raw: unknown): Result<T> {
  const parsed = ResultSchema(output).safeParse(raw);
  if (parsed.success) return parsed.data;
  console.warn(`workstation: dropped a malformed answer to ${method}`, parsed.error.issues);
  return { ok: false, error: { code: 'internal', message: `the workstation core gave a malformed answer to ${method}` } };
}

/** An event payload checked against the event's schema; null (and a warning) when it does not match. */
function parsePayload<T>(event: string, schema: z.ZodType<T>, payload: unknown): { data: T } | null {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { data: parsed.data };
  console.warn(`workstation: dropped a malformed ${event} event`, parsed.error.issues);
  return null;
}

/**
 * The renderer's only way to the core. Both transports carry the same contract; what comes back
 * is parsed with the contract's schemas here (the core validates every input on its side), so a
 * malformed answer becomes an `internal` error and a malformed event never reaches a listener.
 */
export function createApi(raw: RawWorkstationApi): WorkstationApi {
  return {
    async invoke(method, input) {
      return parseResult(method, OUTPUTS[method].output, await raw.invoke(method, input));
    },
    on(event, listener) {
      const schema = EVENTS[event];
      return raw.on(event, (payload) => {
        const parsed = parsePayload(event, schema, payload);
        if (parsed) listener(parsed.data);
      });
    },
  };
}

export const api: WorkstationApi = createApi(window.workstation ?? createWsBridge());
export const transport: 'electron' | 'browser' = window.workstation ? 'electron' : 'browser';
