import type { EventName } from '../../shared/contract/names';
import type { EventPayload } from '../../shared/contract/contract';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/** Typed emitter for the contract's events. */
export class ContractEvents {
  private listeners = new Map<EventName, Set<(payload: never) => void>>();

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Every event, for transports that forward all of them. */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners.get(event) ?? []) (l as Listener<E>)(payload);
    for (const l of this.anyListeners) l(event, payload);
  }

  private anyListeners = new Set<(event: EventName, payload: unknown) => void>();
}
