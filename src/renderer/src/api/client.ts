import type { RawWorkstationApi, WorkstationApi } from '../../../shared/contract/api';
import { createWsBridge } from './ws-bridge';

declare global {
  interface Window {
    /** Present in Electron (exposed by the preload); absent in browser mode. */
    workstation?: RawWorkstationApi;
  }
}

/**
 * The renderer's only way to the core. Both transports carry the same contract; the types come
 * from it, and the core validates every input on its side.
 */
function createApi(): WorkstationApi {
  const raw = window.workstation ?? createWsBridge();
  return {
    invoke: (method, input) => raw.invoke(method, input) as never,
    on: (event, listener) => raw.on(event, listener as (payload: unknown) => void),
  };
}

export const api: WorkstationApi = createApi();
export const transport: 'electron' | 'browser' = window.workstation ? 'electron' : 'browser';
