import fs from 'node:fs';
import path from 'node:path';
import { readmeWithShortcuts } from '../src/renderer/src/keys/doc';

// Rewrites README's "Keyboard shortcuts" table (between <!-- shortcuts:start --> and
// <!-- shortcuts:end -->) from the keymap's declarations in src/renderer/src/keys/actions.ts,
// with the labels of both locales. `npm run docs:shortcuts`; with --check it only says whether
// README is current (exit 1 when not). tests/unit/shortcuts-doc.test.ts checks the same.

const README = path.resolve(__dirname, '..', 'README.md');

const before = fs.readFileSync(README, 'utf8');
const after = readmeWithShortcuts(before);
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error('README.md: the shortcut table is out of date; run npm run docs:shortcuts');
    process.exit(1);
  }
  console.log('README.md: the shortcut table is current');
} else if (after === before) {
  console.log('README.md: the shortcut table is already current');
} else {
  fs.writeFileSync(README, after);
  console.log('README.md: shortcut table rewritten');
}
