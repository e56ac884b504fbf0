import type { Result } from '../result';
import type { EventName, MethodName } from './names';
import type { EventPayload, MethodInput, MethodOutput } from './contract';

/**
 * What a transport (Electron preload or the browser-mode WebSocket bridge) gives the renderer.
 * Both are generated from the contract's names; neither knows the methods one by one.
 */
export interface WorkstationApi {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The untyped shape that actually crosses a process boundary. */
export interface RawWorkstationApi {
  invoke(method: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
