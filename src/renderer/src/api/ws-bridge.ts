import { BRIDGE_PATH, BridgeMessage } from '../../../shared/contract/bridge';
import type { RawWorkstationApi } from '../../../shared/contract/api';

const TOKEN_KEY = 'workstation.bridgeToken';

/** Reads the per-launch token from the URL fragment once, then keeps it for reloads of this tab. */
function takeToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * Browser mode: the contract over a WebSocket to the workstation core on loopback. Calls made
 * while the bridge is (re)connecting wait for it; a lost bridge reconnects by itself.
 */
export function createWsBridge(): RawWorkstationApi {
  const token = takeToken();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const waiting = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    ready ??= new Promise<WebSocket>((resolve, reject) => {
      if (!token) {
        reject(new Error('no bridge token: open the workstation with the URL it printed'));
        return;
      }
      const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
      const ws = new WebSocket(`${proto}//${window.location.host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onmessage = (event) => {
        const parsed = BridgeMessage.safeParse(JSON.parse(String(event.data)));
        if (!parsed.success) return;
        const msg = parsed.data;
        if (msg.type === 'result') {
          waiting.get(msg.id)?.(msg.result);
          waiting.delete(msg.id);
        } else {
          listeners.get(msg.event)?.forEach((l) => l(msg.payload));
        }
      };
      ws.onclose = () => {
        socket = null;
        ready = null;
        for (const [id, settle] of waiting) {
          settle({ ok: false, error: { code: 'internal', message: 'connection to the workstation core was lost' } });
          waiting.delete(id);
        }
        reject(new Error('bridge closed'));
        window.setTimeout(() => void connect().catch(() => undefined), 1000);
      };
    });
    return ready;
  };
  void connect().catch(() => undefined);

  return {
    async invoke(method, input) {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch (error) {
        return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : 'bridge unavailable' } };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id, method, input }));
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
