import { z } from 'zod';
import { ResultSchema } from '../result';

/** Messages of the browser-mode WebSocket bridge (renderer ↔ workstation core). */
export const BridgeRequest = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  input: z.unknown(),
});
export type BridgeRequest = z.infer<typeof BridgeRequest>;

export const BridgeMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int(), result: ResultSchema(z.unknown()) }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type BridgeMessage = z.infer<typeof BridgeMessage>;

export const BRIDGE_PATH = '/bridge';
