import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/shared/result';
import { CaseDraft, CaseStatus } from '../../src/shared/domain/case';
import { SlaClass } from '../../src/shared/domain/reference';
import { Role } from '../../src/shared/domain/user';
import { RejectionCode } from '../../src/shared/sync/protocol';
import { CaseListScope } from '../../src/shared/contract/contract';
import { SuggestionReason } from '../../src/shared/reference/routing';
import { ReplyOutcome, Satisfaction } from '../../src/shared/domain/case';
import { LifecycleAction } from '../../src/shared/domain/lifecycle';
import { MutationName } from '../../src/shared/sync/mutations';

// Every user-visible string goes through i18next (docs/architecture.md): zh-CN and en must both be complete.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rendererSrc = path.join(root, 'src/renderer/src');
const LANGUAGES = ['zh-CN', 'en'] as const;

type Tree = Record<string, unknown>;

function loadLocale(language: string): Tree {
  return JSON.parse(fs.readFileSync(path.join(rendererSrc, 'locales', `${language}.json`), 'utf8')) as Tree;
}

/** Flattens to dotted keys; a non-string leaf is reported as such so the value checks catch it. */
function flatten(tree: Tree, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value as Tree, full, out);
    else out.set(full, value);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Interpolations ({{x}}) and Trans tags (<x>) a translation relies on. */
function placeholders(value: string): string[] {
  const vars = [...value.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => `{{${m[1] ?? ''}}}`);
  const tags = [...value.matchAll(/<\/?(\w+)>/g)].map((m) => m[0]);
  return [...vars, ...tags].sort();
}

const locales = Object.fromEntries(LANGUAGES.map((lng) => [lng, flatten(loadLocale(lng))])) as Record<(typeof LANGUAGES)[number], Map<string, unknown>>;
const files = sourceFiles(rendererSrc);
const sources = files.map((file) => ({ file: path.relative(root, file), text: fs.readFileSync(file, 'utf8') }));

/** t('a.b'), i18n.t("a.b"), i18nKey="a.b" and i18nKey={'a.b'}: keys written out in full. */
function literalKeys(): { key: string; file: string }[] {
  const patterns = [/\bt\(\s*(['"])([^'"\n]+)\1/g, /\bi18nKey=\{?\s*(['"])([^'"\n]+)\1/g];
  return sources.flatMap(({ file, text }) => patterns.flatMap((re) => [...text.matchAll(re)].map((m) => ({ key: m[2] ?? '', file }))));
}

/** t(`status.${x}`) and the like: the part before the first ${ must name a group of keys. */
function templatePrefixes(): { prefix: string; file: string }[] {
  return sources.flatMap(({ file, text }) =>
    [...text.matchAll(/\bt\(\s*`([^`$]*)\$\{/g), ...text.matchAll(/\bi18nKey=\{\s*`([^`$]*)\$\{/g)].map((m) => ({ prefix: m[1] ?? '', file })),
  );
}

describe('locales', () => {
  it('zh-CN and en have exactly the same keys', () => {
    const zh = [...locales['zh-CN'].keys()].sort();
    const en = [...locales.en.keys()].sort();
    expect({
      onlyInZhCN: zh.filter((k) => !locales.en.has(k)),
      onlyInEn: en.filter((k) => !locales['zh-CN'].has(k)),
    }).toEqual({ onlyInZhCN: [], onlyInEn: [] });
  });

  it.each(LANGUAGES)('%s has no empty or non-string values', (lng) => {
    const bad = [...locales[lng]].filter(([, value]) => typeof value !== 'string' || value.trim() === '').map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it('translations use the same interpolations and tags in both languages', () => {
    const mismatched = [...locales['zh-CN']]
      .filter(([key, zh]) => {
        const en = locales.en.get(key);
        return typeof zh === 'string' && typeof en === 'string' && placeholders(zh).join() !== placeholders(en).join();
      })
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });
});

describe('renderer source', () => {
  it('finds the renderer sources and some keys (the scan itself works)', () => {
    expect(files.length).toBeGreaterThan(3);
    expect(literalKeys().length).toBeGreaterThan(20);
  });

  it.each(LANGUAGES)('every t(literal) key exists as a string in %s', (lng) => {
    const missing = literalKeys()
      .filter(({ key }) => typeof locales[lng].get(key) !== 'string')
      .map(({ key, file }) => `${key} (${file})`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it.each(LANGUAGES)('every t(`prefix.${x}`) names a group of keys in %s', (lng) => {
    const missing = templatePrefixes()
      .filter(({ prefix }) => ![...locales[lng].keys()].some((key) => key.startsWith(prefix) && key.length > prefix.length))
      .map(({ prefix, file }) => `${prefix}… (${file})`);
    expect([...new Set(missing)]).toEqual([]);
  });
});

describe('codes from src/shared are all translated', () => {
  // Dynamic keys (errors.${code}, status.${status}, …) escape the source scan: check them by enum.
  const groups: [string, readonly string[]][] = [
    ['errors', ErrorCode.options],
    ['status', CaseStatus.options],
    ['roles', Role.options],
    ['sla', SlaClass.options],
    ['rejectionReasons', RejectionCode.options],
    ['mutations', MutationName.options],
    ['cases.tab', CaseListScope.options],
    ['cases.empty', CaseListScope.options],
    ['suggestReason', SuggestionReason.options],
    ['satisfaction', Satisfaction.options],
    ['outcome', ReplyOutcome.options],
    ['timeline.kind', [...LifecycleAction.options, 'registered', 'reassigned', 'absorbed']],
  ];
  it.each(groups)('%s.<code> exists for every code', (group, codes) => {
    for (const lng of LANGUAGES) {
      const missing = codes.filter((code) => typeof locales[lng].get(`${group}.${code}`) !== 'string');
      expect(missing, `${lng}: ${group}`).toEqual([]);
    }
  });

  it('fields.<message> exists for every message code CaseDraft produces', () => {
    const bad = [
      {},
      { callerPhone: 'x', callerName: 'n'.repeat(51), categoryCode: '', address: 'a', description: 'd' },
      { callerPhone: '13800138000', categoryCode: 'c'.repeat(41), address: 'a'.repeat(201), description: 'd'.repeat(4001) },
    ];
    const codes = new Set<string>(['unknown_category']); // added by the core after validation
    for (const draft of bad) {
      const parsed = CaseDraft.safeParse(draft);
      for (const issue of parsed.error?.issues ?? []) {
        // zod's own defaults are sentences, shown through fields.invalid; ours are snake_case codes.
        if (/^[a-z]+(_[a-z]+)*$/.test(issue.message)) codes.add(issue.message);
      }
    }
    expect(codes.size).toBeGreaterThan(3);
    for (const lng of LANGUAGES) {
      const missing = [...codes, 'invalid'].filter((code) => typeof locales[lng].get(`fields.${code}`) !== 'string');
      expect(missing, lng).toEqual([]);
    }
  });
});
