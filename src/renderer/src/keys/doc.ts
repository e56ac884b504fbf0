/**
 * README's "Keyboard shortcuts" table, written from the keymap's declarations with the labels
 * of both languages. scripts/gen-shortcuts.ts writes it; tests/unit/shortcuts-doc.test.ts checks
 * README holds exactly this. Pure: no React, no DOM.
 */
import { ACTION_GROUPS, ACTIONS, CONDITION_LABELS, GROUP_LABELS, primaryKeys, WIDGET_KEYS, type ActionDeclaration } from './actions';
import { showChord } from './chords';
import en from '../locales/en.json';
import zhCN from '../locales/zh-CN.json';

export const START_MARKER = '<!-- shortcuts:start -->';
export const END_MARKER = '<!-- shortcuts:end -->';

/** Looks an i18n key up in one language; throws when it is missing, so a label cannot be forgotten. */
export type Translate = (key: string) => string;

/** A nested locale object ({"a": {"b": "text"}}) as a Translate for dotted keys. */
export function translator(locale: unknown, language: string): Translate {
  return (key) => {
    let node: unknown = locale;
    for (const part of key.split('.')) {
      node = typeof node === 'object' && node !== null ? Object.entries(node).find(([k]) => k === part)?.[1] : undefined;
    }
    if (typeof node !== 'string') throw new Error(`${language}: no text for ${key}`);
    return node;
  };
}

/** Typed as declarations, not as the literal table, so each field reads as what it may be. */
const DECLARED: readonly ActionDeclaration[] = ACTIONS;

const cell = (text: string) => text.replace(/\|/g, '\\|');
const keysCell = (keys: readonly string[]) => keys.map((k) => `<kbd>${showChord(k)}</kbd>`).join(' ');

function whenCell(action: ActionDeclaration, en: Translate): string {
  return action.when.length === 0 ? en(CONDITION_LABELS.always) : action.when.map((c) => en(CONDITION_LABELS[c])).join('; ');
}

/** The lines between the markers (without them). */
export function shortcutsSection(en: Translate, zh: Translate): string {
  const lines = [
    '_Generated from `src/renderer/src/keys/actions.ts` by `npm run docs:shortcuts`; do not edit by hand._',
    '',
    '| Group | Keys | Action | 操作 | When | In a text field | Action id |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const group of ACTION_GROUPS) {
    for (const action of DECLARED.filter((a) => a.group === group)) {
      lines.push(
        `| ${cell(en(GROUP_LABELS[group]))} · ${cell(zh(GROUP_LABELS[group]))} | ${keysCell(action.keys)} | ${cell(en(action.label))} | ${cell(zh(action.label))} | ${cell(whenCell(action, en))} | ${action.inTextField ? 'yes' : 'no'} | \`${action.id}\` |`,
      );
    }
  }
  lines.push('', `${en(GROUP_LABELS.widget)} (${zh(GROUP_LABELS.widget)}), handled by that widget:`, '', '| Keys | What they do | 作用 |', '|---|---|---|');
  for (const w of WIDGET_KEYS) lines.push(`| ${keysCell(w.keys)} | ${cell(en(w.label))} | ${cell(zh(w.label))} |`);
  lines.push(
    '',
    `${showChord(primaryKeys('palette.open'))} lists the actions available at that moment and runs the one chosen; ${showChord(primaryKeys('help.shortcuts'))} shows all of them by group.`,
  );
  return lines.join('\n');
}

/** README with the section between the markers replaced; throws when the markers are not there once each. */
export function withShortcuts(readme: string, section: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start || readme.indexOf(START_MARKER, start + 1) >= 0 || readme.indexOf(END_MARKER, end + 1) >= 0) {
    throw new Error(`README must hold ${START_MARKER} … ${END_MARKER} once`);
  }
  return `${readme.slice(0, start + START_MARKER.length)}\n${section}\n${readme.slice(end)}`;
}

/** README as `npm run docs:shortcuts` leaves it: the section regenerated from the keymap and both locales. */
export function readmeWithShortcuts(readme: string): string {
  return withShortcuts(readme, shortcutsSection(translator(en, 'en'), translator(zhCN, 'zh-CN')));
}
