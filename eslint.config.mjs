// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Layer rules (docs/architecture.md, "Processes and layers"): what each surface of src may
// import is an allowlist. One `no-restricted-imports` regex per surface refuses every import
// source that is not on its list: relative paths are resolved against the file's depth, so
// `../../server/x` is refused where it leaves the layer and allowed where it stays inside it.

/** Escapes a string for use inside a RegExp (u flag). */
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alt = (items) => `(?:${items.join('|')})`;

/** One path segment that is neither `.` nor `..`; a path of such segments (the part after the ups). */
const SEG = '(?!\\.\\.?(?:/|$))[^/]+';
const REST = `${SEG}(?:/${SEG})*`;
/** `.` (k = 0) or `..`, `../..`, … (k ups), optionally written `./..`. */
const ups = (k) => (k === 0 ? '\\.' : `(?:\\./)?\\.\\.${'(?:/\\.\\.)'.repeat(k - 1)}`);

const NODE_BUILTINS = alt([`node:${alt(builtinModules.map(esc))}`, alt(builtinModules.map(esc)), 'node:(?:test|sea|sqlite)(?:/[a-z_]+)?']);
/** Any package (a bare specifier) except electron and its scoped helpers. */
const ANY_PACKAGE_BUT_ELECTRON = '(?![./])(?!electron(?:/|$))(?!@electron/)[^]+';
const exact = (...names) => alt(names.map(esc));

/**
 * The relative import sources a file `m` folders below `root` may use: anything that stays
 * inside `root` (at most `m` ups, then no `..`), or that climbs out of `root` and goes straight
 * down into one of `targets` (a folder, or a module path without extension).
 */
function relativeAllowed(root, m, targets) {
  const rootSegs = root.split('/');
  const forms = [];
  for (let k = 0; k <= m; k++) forms.push(`${ups(k)}(?:/${REST}|/)?`);
  for (let j = 1; j <= rootSegs.length; j++) {
    const above = rootSegs.slice(0, rootSegs.length - j);
    for (const target of targets) {
      const segs = target.path.split('/');
      if (above.some((s, i) => segs[i] !== s)) continue;
      const down = segs.slice(above.length).map(esc).join('/');
      forms.push(`${ups(m + j)}/${down}${target.file ? '(?:\\.ts)?' : `(?:/${REST}|/)?`}`);
    }
  }
  return forms;
}

/** Folder depth below a surface's root up to which relative paths are resolved exactly (deeper: as at this depth). */
const DEEPEST = 12;

/**
 * The config blocks of one surface: one per folder depth (so relative paths can be resolved),
 * each refusing every import source outside the allowlist with the surface's message.
 */
function surface({ root, ext = 'ts', packages, targets = [], message, extra = {} }) {
  const blocks = [];
  for (let m = 0; m <= DEEPEST; m++) {
    const allowed = [...packages, ...relativeAllowed(root, m, targets)];
    const deeper = m === DEEPEST ? '**/' : '';
    blocks.push({
      files: [`${root}/${'*/'.repeat(m)}${deeper}*.${ext}`],
      rules: {
        'no-restricted-imports': ['error', { patterns: [{ regex: `^(?!${alt(allowed)}$)`, caseSensitive: true, message }] }],
        // import('x') is not seen by no-restricted-imports: same allowlist, and only literal sources.
        'no-restricted-syntax': [
          'error',
          { selector: `ImportExpression[source.value=/^(?!${alt(allowed).replaceAll('/', '\\/')}$)/]`, message },
          { selector: "ImportExpression[source.type!='Literal']", message: `${message} (import() takes a string literal here, so the layer rule can check it.)` },
        ],
        ...extra,
      },
    });
  }
  return blocks;
}

const dir = (path) => ({ path });
const file = (path) => ({ path, file: true });

const NODE_ONLY_GLOBALS = ['process', 'require', 'module', 'exports', '__dirname', '__filename', 'Buffer', 'global', 'setImmediate', 'clearImmediate'];
const DOM_GLOBALS = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'indexedDB', 'self'];
const restrictedGlobals = (names, message) => ['error', ...names.map((name) => ({ name, message }))];
const restrictedProperties = (objects, names, message) => ['error', ...objects.flatMap((object) => names.map((property) => ({ object, property, message })))];

const RENDERER_MESSAGE =
  'src/renderer may import only its own files (with their CSS and assets), src/shared, react, react-dom, react-dom/client, i18next, react-i18next, zod, pinyin-pro (the category search), markdown-it (articles, parser only) and diff (article versions). It reaches the core only through window.workstation (src/renderer/src/api/client.ts): no Node built-in, no server-side package, no electron, no other layer.';
const RENDERER_GLOBALS = 'src/renderer runs in Chromium without Node: no process, require, __dirname, Buffer or global (ask the core through src/renderer/src/api/client.ts).';
const SHARED_MESSAGE =
  'src/shared may import only src/shared and zod: the renderer, the core and the server all run it, so no Node built-in, no DOM, no react, no other layer.';
const SHARED_GLOBALS = 'src/shared runs in the renderer, the core and the server alike: no Node globals (process, Buffer, require, …) and no DOM globals (window, document, …).';
const TOOLS_MESSAGE =
  'src/tools may import only Node built-ins, its own files, src/shared and zod (it talks to the server over HTTP): not src/server, src/main, src/renderer, src/preload, electron, pg or better-sqlite3.';
const PRELOAD_MESSAGE =
  'src/preload may import only electron and src/shared/contract/names (and its own files): the sandboxed preload exposes contract names only, no zod and no other layer.';
const CORE_MESSAGE =
  'src/main/core is the Node-only workstation core: it may import Node built-ins, packages other than electron, its own files and src/shared; never electron, the shell (src/main/index.ts), src/renderer, src/server, src/preload or src/tools.';
const SERVER_MESSAGE =
  'src/server may import Node built-ins, packages other than electron, its own files and src/shared; never electron, src/main, src/renderer, src/preload or src/tools.';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'native/**', 'data/**', 'test-results/**', 'playwright-report/**', '.ci/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'error',
    },
  },
  // Node globals everywhere but the renderer (browser globals only) and shared (ECMAScript only).
  { ignores: ['src/renderer/**', 'src/shared/**'], languageOptions: { globals: { ...globals.node } } },
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },

  ...['ts', 'tsx'].flatMap((ext) =>
    surface({
      root: 'src/renderer',
      ext,
      packages: [exact('react', 'react-dom', 'react-dom/client', 'i18next', 'react-i18next', 'zod', 'pinyin-pro', 'markdown-it', 'diff')],
      targets: [dir('src/shared')],
      message: RENDERER_MESSAGE,
      extra: {
        'no-restricted-globals': restrictedGlobals(NODE_ONLY_GLOBALS, RENDERER_GLOBALS),
        'no-restricted-properties': restrictedProperties(['globalThis', 'window', 'self'], NODE_ONLY_GLOBALS, RENDERER_GLOBALS),
      },
    }),
  ),
  ...surface({
    root: 'src/shared',
    packages: [exact('zod')],
    message: SHARED_MESSAGE,
    extra: {
      'no-restricted-globals': restrictedGlobals([...NODE_ONLY_GLOBALS, ...DOM_GLOBALS], SHARED_GLOBALS),
      'no-restricted-properties': restrictedProperties(['globalThis'], [...NODE_ONLY_GLOBALS, ...DOM_GLOBALS], SHARED_GLOBALS),
    },
  }),
  ...surface({ root: 'src/tools', packages: [NODE_BUILTINS, exact('zod')], targets: [dir('src/shared')], message: TOOLS_MESSAGE }),
  ...surface({ root: 'src/preload', packages: [exact('electron')], targets: [file('src/shared/contract/names')], message: PRELOAD_MESSAGE }),
  ...surface({ root: 'src/main/core', packages: [ANY_PACKAGE_BUT_ELECTRON], targets: [dir('src/shared')], message: CORE_MESSAGE }),
  ...surface({ root: 'src/server', packages: [ANY_PACKAGE_BUT_ELECTRON], targets: [dir('src/shared')], message: SERVER_MESSAGE }),
);
