import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedUuid } from '../../../src/shared/ids';

describe('timeOrderedUuid', () => {
  it('is a version 7 UUID that carries its millisecond', () => {
    const at = Date.UTC(2026, 10, 28, 13, 30, 0, 123);
    const id = timeOrderedUuid(at);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time across milliseconds and differs within one', () => {
    const t = Date.now();
    const ids = [t - 86_400_000, t - 1, t, t + 1, t + 3_600_000].map((ms) => timeOrderedUuid(ms));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedUuid(t)));
    expect(same.size).toBe(1000);
  });
});
