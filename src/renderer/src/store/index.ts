import { api } from '../api/client';
import { Store } from './store';

/** The renderer's one store, fed by the core's events (see store.ts). */
export const store = new Store(api);
