import { describe, expect, it } from 'vitest';
import { controlCharIn, describeControlChar, findControlChar } from '../../../src/shared/text/control';

describe('control characters in input', () => {
  it('refuses C0 controls, DEL and lone surrogates; keeps tab, line breaks, emoji and CJK', () => {
    for (let cp = 0; cp < 0x20; cp++) expect(controlCharIn(`a${String.fromCharCode(cp)}b`), `U+${cp.toString(16)}`).toBe([9, 10, 13].includes(cp) ? null : cp);
    expect(controlCharIn('a\u007fb')).toBe(0x7f);
    expect(controlCharIn('a\ud800b')).toBe(0xd800);
    expect(controlCharIn('a\udc00')).toBe(0xdc00);
    expect(controlCharIn('𠮷野家 😀 １３８ 漏水\t\r\n')).toBeNull();
  });

  it('names the field of the first offender, object keys included, through deep nesting', () => {
    expect(findControlChar({ a: 'ok', changes: { callerName: 'x\u0000' } })).toEqual({ field: 'changes.callerName', codePoint: 0 });
    expect(findControlChar({ answers: { 'attr-1': ['ok', 'b\u0001'] } })).toEqual({ field: 'answers["attr-1"][1]', codePoint: 1 });
    expect(findControlChar({ ['k\u0002']: 1 })).toEqual({ field: '["k\\u0002"]', codePoint: 2 });
    expect(findControlChar({ n: 1, b: true, z: null, s: 'fine\n' })).toBeNull();
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findControlChar(deep)?.codePoint).toBe(0);
    expect(describeControlChar({ field: 'description', codePoint: 0 })).toBe('description: control character U+0000 is not allowed');
    expect(describeControlChar({ field: '', codePoint: 0xd800 })).toBe('value: unpaired surrogate U+D800 is not allowed');
  });
});
