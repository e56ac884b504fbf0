import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The layer rules of DESIGN.md are lint rules; these cases prove they bite. Each lints new text
// under the path of an existing file of that layer, so the typed lint setup applies unchanged.
const ROOT = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function restrictedImportErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['src/main/core/core.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src/shared/result.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src/shared/result.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['src/renderer/src/api/client.ts', "import { WorkstationCore } from '../../../main/core/core';\nexport const x = WorkstationCore;\n"],
    ['src/renderer/src/api/client.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['src/server/app.ts', "import { WorkstationCore } from '../main/core/core';\nexport const x = WorkstationCore;\n"],
  ])('%s may not: %s', async (file, code) => {
    expect(await restrictedImportErrors(code, file)).not.toEqual([]);
  });

  it('allows electron in the shell and node in the core', async () => {
    expect(await restrictedImportErrors("import { app } from 'electron';\nexport const x = app;\n", 'src/main/index.ts')).toEqual([]);
    expect(await restrictedImportErrors("import fs from 'node:fs';\nexport const x = fs;\n", 'src/main/core/core.ts')).toEqual([]);
  });
});
