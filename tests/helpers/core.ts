import { contract, type MethodInput, type MethodOutput } from '../../src/shared/contract/contract';
import type { MethodName } from '../../src/shared/contract/names';
import type { Result } from '../../src/shared/result';

/** What the helpers need from a WorkstationCore (or any transport that speaks the contract). */
export interface Invoker {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
}

/** Calls a contract method, fails with the error when it is not ok, and types the value via the contract. */
export async function call<M extends MethodName>(core: Invoker, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.invoke(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
  return contract.methods[method].output.parse(result.value) as MethodOutput<M>;
}
