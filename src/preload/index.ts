import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_NAMES, IPC_EVENT, IPC_INVOKE, METHOD_NAMES } from '../shared/contract/names';

// Exposes the contract and nothing else: invoke(method, input) for its methods, on(event) for its events.
const methods = new Set<string>(METHOD_NAMES);
const events = new Set<string>(EVENT_NAMES);

const api = {
  invoke(method: string, input: unknown): Promise<unknown> {
    if (!methods.has(method)) return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `unknown method ${method}` } });
    return ipcRenderer.invoke(IPC_INVOKE, method, input);
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!events.has(event)) throw new Error(`unknown event ${event}`);
    const handler = (_e: Electron.IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
};

contextBridge.exposeInMainWorld('workstation', api);
