import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTIONS, CONDITION_LABELS, findConflicts, GROUP_LABELS, satisfiable, WIDGET_KEYS, type ActionDeclaration } from '../../src/renderer/src/keys/actions';
import { chordId, parseChord, pressedChordId, typesText } from '../../src/renderer/src/keys/chords';
import { readmeWithShortcuts, translator } from '../../src/renderer/src/keys/doc';
import en from '../../src/renderer/src/locales/en.json';
import zhCN from '../../src/renderer/src/locales/zh-CN.json';

// The keymap (src/renderer/src/keys/actions.ts) is the one source of the window's shortcuts, the
// command palette, the cheat sheet and README's table: README must be what the generator writes,
// and no two actions may claim one chord where both can apply.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DECLARED: readonly ActionDeclaration[] = ACTIONS;

describe("README's keyboard shortcut table", () => {
  it('is what npm run docs:shortcuts writes from the keymap', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme, 'README.md is out of date: run npm run docs:shortcuts').toBe(readmeWithShortcuts(readme));
  });

  it('names every action and chord of the keymap', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const action of DECLARED) expect(readme).toContain(`\`${action.id}\``);
  });
});

describe('keymap declarations', () => {
  it('no two actions claim the same chord where both can apply', () => {
    expect(findConflicts(DECLARED)).toEqual([]);
  });

  it('the conflict check finds a clash, and accepts contexts that exclude each other', () => {
    const a: ActionDeclaration = { id: 'a', keys: ['Alt+N'], label: 'x', group: 'general', when: ['!dialog'], inTextField: true };
    const clash: ActionDeclaration = { id: 'b', keys: ['Alt+X', 'Alt+N'], label: 'x', group: 'general', when: ['caseOpen'], inTextField: true };
    const apart: ActionDeclaration = { id: 'c', keys: ['Alt+N'], label: 'x', group: 'general', when: ['dialog'], inTextField: true };
    expect(findConflicts([a, clash])).toEqual([{ chord: 'Alt+KeyN', actions: ['a', 'b'] }]);
    expect(findConflicts([a, apart])).toEqual([]);
    expect(findConflicts([...DECLARED, { ...a, id: 'dup', keys: ['Escape'], when: [] }]).map((c) => c.actions)).toEqual([['case.close', 'dup']]);
  });

  it('ids are unique and every chord parses', () => {
    expect(new Set(DECLARED.map((a) => a.id)).size).toBe(DECLARED.length);
    for (const a of DECLARED) {
      expect(a.keys.length, a.id).toBeGreaterThan(0);
      for (const k of a.keys) expect(() => parseChord(k), `${a.id}: ${k}`).not.toThrow();
    }
    for (const w of WIDGET_KEYS) for (const k of w.keys) expect(() => parseChord(k), k).not.toThrow();
    expect(() => parseChord('Alt+ß')).toThrow();
    expect(() => parseChord('Hyper+N')).toThrow();
  });

  it('every condition can hold, and a bare typing key never fires in a text field', () => {
    for (const a of DECLARED) {
      expect(satisfiable(a.when), a.id).toBe(true);
      if (a.keys.some((k) => typesText(parseChord(k)))) expect(a.inTextField, `${a.id} would eat typing`).toBe(false);
    }
    expect(typesText(parseChord('/'))).toBe(true);
    expect(typesText(parseChord('Alt+N'))).toBe(false);
    expect(typesText(parseChord('F1'))).toBe(false);
  });

  it('labels, groups and conditions are translated in both languages', () => {
    for (const [name, locale] of [['en', en], ['zh-CN', zhCN]] as const) {
      const t = translator(locale, name);
      for (const a of DECLARED) expect(() => t(a.label), `${name}: ${a.label}`).not.toThrow();
      for (const w of WIDGET_KEYS) expect(() => t(w.label), `${name}: ${w.label}`).not.toThrow();
      for (const key of [...Object.values(GROUP_LABELS), ...Object.values(CONDITION_LABELS)]) expect(() => t(key), `${name}: ${key}`).not.toThrow();
    }
  });

  it('matches keys by physical key: Alt+1 on a layout that types "¡" is still Alt+1', () => {
    const alt1 = chordId(parseChord('Alt+1'));
    expect(pressedChordId({ code: 'Digit1', altKey: true, ctrlKey: false, shiftKey: false, metaKey: false })).toBe(alt1);
    expect(pressedChordId({ code: 'Digit1', altKey: true, ctrlKey: true, shiftKey: false, metaKey: false })).not.toBe(alt1); // AltGr
    expect(pressedChordId({ code: 'AltLeft', altKey: true, ctrlKey: false, shiftKey: false, metaKey: false })).toBeNull();
  });
});
