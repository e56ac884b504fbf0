import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppFailure, ErrorCode, ResultSchema, fail, issuesToFields, ok } from '../../../src/shared/result';

describe('ok and fail', () => {
  it('wrap a value or an error', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(fail('not_found', 'gone')).toEqual({ ok: false, error: { code: 'not_found', message: 'gone' } });
  });

  it('fail carries field messages only when given', () => {
    expect(fail('invalid_input', 'bad', { address: 'too_short' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'bad', fields: { address: 'too_short' } },
    });
    expect('fields' in fail('invalid_input', 'bad').error).toBe(false);
  });
});

describe('AppFailure', () => {
  it('is an Error that converts to the AppError it carries', () => {
    const f = new AppFailure('forbidden', 'no', { role: 'operator_only' });
    expect(f).toBeInstanceOf(Error);
    expect(f.name).toBe('AppFailure');
    expect(f.toAppError()).toEqual({ code: 'forbidden', message: 'no', fields: { role: 'operator_only' } });
    expect(new AppFailure('internal', 'x').toAppError()).toEqual({ code: 'internal', message: 'x' });
  });
});

describe('issuesToFields', () => {
  const schema = z.object({ a: z.string().min(3, 'too_short'), nested: z.object({ b: z.number({ error: 'nan' }) }) });

  it('maps each failing path to its first message, nested paths dotted', () => {
    const result = schema.safeParse({ a: 'x', nested: { b: 'y' } });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(issuesToFields(result.error)).toEqual({ a: 'too_short', 'nested.b': 'nan' });
  });

  it('keeps the first of several messages on one path', () => {
    const s = z.object({ a: z.string().min(3, 'first').regex(/^[0-9]+$/, 'second') });
    const result = s.safeParse({ a: 'x' });
    if (result.success) throw new Error('expected failure');
    expect(result.error.issues.length).toBe(2);
    expect(issuesToFields(result.error)).toEqual({ a: 'first' });
  });

  it('puts root-level problems under _', () => {
    const result = z.string({ error: 'not_a_string' }).safeParse(5);
    if (result.success) throw new Error('expected failure');
    expect(issuesToFields(result.error)).toEqual({ _: 'not_a_string' });
  });
});

describe('ResultSchema', () => {
  const schema = ResultSchema(z.number());

  it('validates the value of an ok result', () => {
    expect(schema.safeParse({ ok: true, value: 1 }).success).toBe(true);
    expect(schema.safeParse({ ok: true, value: 'one' }).success).toBe(false);
  });

  it('accepts only known error codes', () => {
    for (const code of ErrorCode.options) expect(schema.safeParse({ ok: false, error: { code, message: '' } }).success, code).toBe(true);
    expect(schema.safeParse({ ok: false, error: { code: 'teapot', message: '' } }).success).toBe(false);
  });
});
