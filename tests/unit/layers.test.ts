import path from 'node:path';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The layer rules of docs/architecture.md ("Processes and layers") are lint rules in
// eslint.config.mjs; these cases prove they bite. Each lints new text under the path of an
// existing file of that layer (so the typed lint setup and the file's folder depth, against which
// relative imports are resolved, apply unchanged) and checks which of its imports were refused.
const ROOT = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });
const LAYER_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax', 'no-restricted-globals', 'no-restricted-properties']);

interface Layered {
  line: number;
  rule: string;
  message: string;
}

async function layerErrors(code: string, filePath: string): Promise<Layered[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId)).map((m) => ({ line: m.line, rule: m.ruleId ?? '', message: m.message }));
}

/** Lints one side-effect import per line; returns, per import source, the layer errors on its line. */
async function importErrors(file: string, sources: readonly string[]): Promise<Map<string, Layered[]>> {
  const code = sources.map((s) => `import '${s}';`).join('\n') + '\n';
  const errors = await layerErrors(code, file);
  return new Map(sources.map((s, i) => [s, errors.filter((e) => e.line === i + 1)]));
}

async function refused(file: string, sources: readonly string[]): Promise<string[]> {
  return [...(await importErrors(file, sources))].filter(([, errs]) => errs.length === 0).map(([s]) => s);
}

async function allowed(file: string, sources: readonly string[]): Promise<string[]> {
  return [...(await importErrors(file, sources))].filter(([, errs]) => errs.length > 0).map(([s]) => s);
}

/** The import source that reaches `target` (a repository path) from `file`, as a TS import writes it. */
function rel(file: string, target: string): string {
  const r = path.posix.relative(path.posix.dirname(file), target).replace(/\.tsx?$/, '');
  return r.startsWith('.') ? r : `./${r}`;
}

// Existing files of each layer (at two folder depths where the layer has folders). Files that are
// rarely edited, so the typed program knows them.
const FILES = {
  renderer: ['src/renderer/src/format.ts', 'src/renderer/src/components/Timeline.tsx'],
  shared: ['src/shared/result.ts', 'src/shared/domain/user.ts'],
  tools: ['src/tools/unit-simulator.ts'],
  preload: ['src/preload/index.ts'],
  core: ['src/main/core/events.ts', 'src/main/core/store/db.ts'],
  server: ['src/server/log.ts', 'src/server/auth/password.ts'],
} as const;

// One file of every layer, as another layer would try to reach it.
const TARGETS = {
  renderer: 'src/renderer/src/format.ts',
  shared: 'src/shared/result.ts',
  tools: 'src/tools/unit-simulator.ts',
  preload: 'src/preload/index.ts',
  core: 'src/main/core/core.ts',
  shell: 'src/main/index.ts',
  server: 'src/server/app.ts',
} as const;

const ALL_BUILTINS = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:test'];
const SOME_BUILTINS = ['https', 'node:https', 'fs', 'node:fs', 'child_process', 'node:child_process', 'path', 'node:crypto'];
const SERVER_PACKAGES = ['pg', 'redis', 'better-sqlite3', 'socket.io', 'socket.io-client', '@socket.io/redis-adapter', 'ws', 'bufferutil', 'tsx'];
const ELECTRON = ['electron', 'electron/main', '@electron/remote'];
const UI_PACKAGES = ['react', 'react-dom', 'react-dom/client', 'i18next', 'react-i18next'];
/** Imports no layer's allowlist names. */
const UNKNOWN = ['lodash', 'express', '/etc/passwd'];

/** The files of `layer`, and the other layers' files each may not reach. */
function otherLayers(layer: keyof typeof FILES, mayReach: readonly (keyof typeof TARGETS)[]): [string, string, string[]][] {
  return FILES[layer].map((file) => [
    'other layers',
    file,
    Object.entries(TARGETS)
      .filter(([name]) => name !== layer && !mayReach.includes(name as keyof typeof TARGETS))
      .flatMap(([, target]) => [rel(file, target), rel(file, path.posix.dirname(target)) + '/x']),
  ]);
}

/** Every forbidden-import case: [what, file, sources], counted below. */
const FORBIDDEN: [string, string, string[]][] = [
  ...FILES.renderer.map((f): [string, string, string[]] => ['Node built-ins, server packages, electron, others', f, [...ALL_BUILTINS, ...SERVER_PACKAGES, ...ELECTRON, ...UNKNOWN]]),
  ...otherLayers('renderer', ['shared']),
  ...FILES.shared.map((f): [string, string, string[]] => ['Node built-ins, server packages, electron, UI, others', f, [...ALL_BUILTINS, ...SERVER_PACKAGES, ...ELECTRON, ...UI_PACKAGES, ...UNKNOWN]]),
  ...otherLayers('shared', []),
  ...FILES.tools.map((f): [string, string, string[]] => ['server packages, electron, UI, others', f, [...SERVER_PACKAGES, ...ELECTRON, ...UI_PACKAGES, ...UNKNOWN]]),
  ...otherLayers('tools', ['shared']),
  ...FILES.preload.map((f): [string, string, string[]] => ['Node built-ins, packages, zod, shared beyond names', f, [...SOME_BUILTINS, ...SERVER_PACKAGES, ...UI_PACKAGES, 'zod', ...UNKNOWN, rel(f, 'src/shared/contract/contract'), rel(f, 'src/shared/result')]]),
  ...otherLayers('preload', []),
  ...FILES.core.map((f): [string, string, string[]] => ['electron', f, [...ELECTRON]]),
  ...otherLayers('core', ['shared']),
  ...FILES.server.map((f): [string, string, string[]] => ['electron', f, [...ELECTRON]]),
  ...otherLayers('server', ['shared']),
];

const ALLOWED: [string, string[]][] = [
  ...FILES.renderer.map((f): [string, string[]] => [f, [...UI_PACKAGES, 'zod', 'pinyin-pro', 'markdown-it', 'diff', './x', './x.css', './locales/en.json', rel(f, 'src/renderer/src/styles.css'), rel(f, 'src/renderer/src/main'), rel(f, 'src/shared/domain/case'), rel(f, 'src/shared/result')]]),
  ...FILES.shared.map((f): [string, string[]] => [f, ['zod', './x', rel(f, 'src/shared/domain/case'), rel(f, 'src/shared/reference/sla')]]),
  ...FILES.tools.map((f): [string, string[]] => [f, [...SOME_BUILTINS, 'zod', './x', rel(f, 'src/shared/units/api')]]),
  ...FILES.preload.map((f): [string, string[]] => [f, ['electron', rel(f, 'src/shared/contract/names'), './x']]),
  ...FILES.core.map((f): [string, string[]] => [f, [...SOME_BUILTINS, 'better-sqlite3', 'socket.io-client', 'ws', 'zod', './x', rel(f, 'src/main/core/store/db'), rel(f, 'src/shared/domain/case')]]),
  ...FILES.server.map((f): [string, string[]] => [f, [...SOME_BUILTINS, 'pg', 'redis', 'better-sqlite3', 'socket.io', '@socket.io/redis-adapter', 'zod', './x', rel(f, 'src/server/db/driver'), rel(f, 'src/shared/domain/case')]]),
  ['src/main/index.ts', ['electron', 'node:fs', rel('src/main/index.ts', 'src/main/core/core')]],
];

const FORBIDDEN_CASES = FORBIDDEN.reduce((n, [, , sources]) => n + sources.length, 0);

describe('layer rules', () => {
  it('covers every Node built-in, with and without node:, in the renderer and shared', () => {
    expect(builtinModules.length).toBeGreaterThan(50);
    expect(ALL_BUILTINS).toEqual(expect.arrayContaining(['https', 'node:https', 'fs', 'node:fs', 'child_process', 'node:child_process', 'fs/promises', 'node:fs/promises']));
    expect(FORBIDDEN_CASES).toBeGreaterThan(4 * ALL_BUILTINS.length);
  });

  it.each(FORBIDDEN)('refuses %s in %s', async (_what, file, sources) => {
    expect(await refused(file, sources)).toEqual([]);
  });

  it.each(ALLOWED)('%s keeps its allowed imports', async (file, sources) => {
    expect(await allowed(file, sources)).toEqual([]);
  });

  it('says what the layer may import', async () => {
    const [renderer] = (await importErrors('src/renderer/src/format.ts', ['pg'])).get('pg') ?? [];
    expect(renderer?.message).toMatch(/src\/renderer may import only its own files.*src\/shared.*react/);
    const [shared] = (await importErrors('src/shared/result.ts', ['react'])).get('react') ?? [];
    expect(shared?.message).toMatch(/src\/shared may import only src\/shared and zod/);
    const [tools] = (await importErrors('src/tools/unit-simulator.ts', ['pg'])).get('pg') ?? [];
    expect(tools?.message).toMatch(/src\/tools may import only Node built-ins/);
    const [preload] = (await importErrors('src/preload/index.ts', ['zod'])).get('zod') ?? [];
    expect(preload?.message).toMatch(/src\/preload may import only electron and src\/shared\/contract\/names/);
    const [core] = (await importErrors('src/main/core/events.ts', ['electron'])).get('electron') ?? [];
    expect(core?.message).toMatch(/src\/main\/core .*never electron/);
    const [server] = (await importErrors('src/server/log.ts', ['electron'])).get('electron') ?? [];
    expect(server?.message).toMatch(/src\/server .*never electron/);
  });

  it('refuses every import form, not only import declarations', async () => {
    const code = [
      "import pg from 'pg';",
      "import type { Pool } from 'pg';",
      "export { default as https } from 'https';",
      "export * from 'node:fs';",
      "export const lazy = () => import('better-sqlite3');",
      'const name = "pg";',
      'export const dynamic = () => import(name);',
      'export const used: Pool | undefined = pg as unknown as undefined;',
      "export const own = () => import('./i18n');",
      "export const sharedLazy = () => import('../../shared/result');",
    ].join('\n');
    const lines = (await layerErrors(code, 'src/renderer/src/format.ts')).map((e) => e.line);
    expect([...new Set(lines)]).toEqual([1, 2, 3, 4, 5, 7]);
  });

  it.each([
    ['src/renderer/src/format.ts', 'export const env = process.env.NODE_ENV;'],
    ['src/renderer/src/format.ts', "export const env = globalThis.process.env['X'];"],
    ['src/renderer/src/format.ts', "export const r = require('pg') as unknown;"],
    ['src/renderer/src/format.ts', 'export const d = __dirname;'],
    ['src/renderer/src/format.ts', "export const b = Buffer.from('x');"],
    ['src/renderer/src/format.ts', 'export const g = global;'],
    ['src/renderer/src/components/Timeline.tsx', 'export const env = process.env.NODE_ENV;'],
    ['src/shared/result.ts', 'export const env = process.env.NODE_ENV;'],
    ['src/shared/result.ts', 'export const w = window.location.href;'],
    ['src/shared/result.ts', "export const el = document.createElement('div');"],
    ['src/shared/result.ts', "export const b = Buffer.from('x');"],
    ['src/shared/domain/user.ts', 'export const d = globalThis.document;'],
  ])('%s may not use the global in: %s', async (file, code) => {
    expect(await layerErrors(code, file)).not.toEqual([]);
  });

  it('allows the globals both sides have, and local names that shadow restricted ones', async () => {
    expect(await layerErrors('export const t = setTimeout(() => undefined, 1); export const n = Date.now(); export const u = globalThis.crypto.randomUUID();', 'src/shared/result.ts')).toEqual([]);
    expect(await layerErrors('export function f(window: number): number { return window * 2; }', 'src/shared/result.ts')).toEqual([]);
    expect(await layerErrors('export const w = window.location.href; export const mode = import.meta.env.MODE;', 'src/renderer/src/format.ts')).toEqual([]);
  });
});
