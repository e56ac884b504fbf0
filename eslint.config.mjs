// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Import patterns a layer may not use (DESIGN.md: layers). */
const electron = { name: 'electron', message: 'Only the Electron shell (src/main/index.ts, src/main/*.ts outside core) and the preload may import electron.' };
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net', 'url', 'util', 'stream'];
const layer = (files, paths, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { paths, patterns: patterns.map((group) => ({ group: [group], message })) }],
  },
});

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'native/**', 'data/**', 'test-results/**', 'playwright-report/**', '.ci/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
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
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Layering: shared imports nothing outside itself; core never imports electron; renderer only shared.
  layer(['src/shared/**/*.ts'], [electron, { name: 'react', message: 'shared is UI-free' }], [...nodeBuiltins, '**/main/**', '**/server/**', '**/renderer/**', '**/preload/**'], 'src/shared imports nothing from node, electron, the DOM or other layers.'),
  layer(['src/main/core/**/*.ts'], [electron], ['**/renderer/**', '**/server/**', '**/preload/**', 'electron/*'], 'src/main/core is Node-only: no electron, renderer, server or preload imports.'),
  layer(['src/renderer/**/*.{ts,tsx}'], [electron], [...nodeBuiltins, '**/main/**', '**/server/**', '**/preload/**', 'better-sqlite3', 'socket.io*'], 'src/renderer talks only to window.workstation through src/renderer/src/api.'),
  layer(['src/server/**/*.ts'], [electron], ['**/main/**', '**/renderer/**', '**/preload/**'], 'src/server shares only src/shared with the workstation.'),
  layer(['src/preload/**/*.ts'], [], ['**/main/**', '**/server/**', '**/renderer/**', 'zod'], 'the preload exposes contract names only.'),
);
