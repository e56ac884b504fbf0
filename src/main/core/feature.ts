import type { z } from 'zod';
import type { contract, MethodOutput } from '../../shared/contract/contract';
import { METHOD_NAMES, type MethodName } from '../../shared/contract/names';

export type Handler<M extends MethodName> = (input: z.output<(typeof contract.methods)[M]['input']>) => Promise<MethodOutput<M>> | MethodOutput<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

/**
 * A feature of the core: the slice of the contract it answers. Its store modules, its part of the
 * entity registry and its service (what other features may ask of it) live in its folder; other
 * features reach it only through its `index.ts`.
 */
export interface Feature {
  name: string;
  handlers: Partial<Handlers>;
}

/** Every method answered by exactly one feature, or the core does not start. */
export function composeHandlers(features: readonly Feature[]): Handlers {
  const owner = new Map<string, string>();
  const merged: Partial<Record<MethodName, unknown>> = {};
  for (const feature of features) {
    for (const [method, handler] of Object.entries(feature.handlers)) {
      const taken = owner.get(method);
      if (taken) throw new Error(`method ${method} is answered by both ${taken} and ${feature.name}`);
      owner.set(method, feature.name);
      merged[method as MethodName] = handler;
    }
  }
  const missing = METHOD_NAMES.filter((m) => !owner.has(m));
  if (missing.length > 0) throw new Error(`no feature answers ${missing.join(', ')}`);
  return merged as Handlers;
}
