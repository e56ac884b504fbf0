/**
 * Polls until `predicate` returns a truthy value (or a promise of one) and resolves with it.
 * A predicate that throws counts as "not yet"; the last error is reported on timeout.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  timeoutMs = 5000,
  opts: { intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const interval = opts.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
      lastValue = value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
  const detail =
    lastError instanceof Error
      ? `last error: ${lastError.message}`
      : lastError !== undefined
        ? `last error: ${JSON.stringify(lastError)}`
        : `last value: ${JSON.stringify(lastValue)}`;
  throw new Error(`waitFor timed out after ${timeoutMs} ms${opts.message ? ` (${opts.message})` : ''}; ${detail}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
