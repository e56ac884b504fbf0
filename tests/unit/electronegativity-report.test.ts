import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainedFindings, parseFindings } from '../../scripts/electronegativity';
import { REPO_ROOT } from '../helpers/paths';

// The parser of Electronegativity's CSV and the doc's table of explained findings: a finding
// missing from the table is what makes `npm run lint:electron` fail.

const CSV = `issue, severity, confidence, filename, location, sample, description, url
CSP_GLOBAL_CHECK,"MEDIUM","CERTAIN","N/A","0:0",N/A,"No CSP has been detected",https://x
OPEN_EXTERNAL_JS_CHECK,"MEDIUM","TENTATIVE","/tmp/in/index.ts","84:50","if (a, b) void shell.openExternal(""u"");","Review",https://x
NODE_INTEGRATION_JS_CHECK,"HIGH","FIRM","/tmp/in/index.ts","9:1","nodeIntegration: true","Disable",https://x
AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK,"INFORMATIONAL","CERTAIN","N/A","0:0",N/A,"fixes",https://x`;

describe('electronegativity report', () => {
  it('reads the CSV, quoted commas and doubled quotes included', () => {
    const findings = parseFindings(CSV, '/tmp/in');
    expect(findings.map((f) => [f.check, f.severity, f.file])).toEqual([
      ['CSP_GLOBAL_CHECK', 'MEDIUM', 'N/A'],
      ['OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'src/main/index.ts'],
      ['NODE_INTEGRATION_JS_CHECK', 'HIGH', 'src/main/index.ts'],
      ['AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK', 'INFORMATIONAL', 'N/A'],
    ]);
    expect(findings[1]?.sample).toBe('if (a, b) void shell.openExternal("u");');
  });

  it('explains what docs/security.md lists and nothing else', () => {
    const explained = explainedFindings(fs.readFileSync(path.join(REPO_ROOT, 'docs/security.md'), 'utf8'));
    expect(explained.has('CSP_GLOBAL_CHECK N/A')).toBe(true);
    expect(explained.has('OPEN_EXTERNAL_JS_CHECK src/main/index.ts')).toBe(true);
    const open = parseFindings(CSV, '/tmp/in').filter((f) => f.severity !== 'INFORMATIONAL' && !explained.has(`${f.check} ${f.file}`));
    expect(open.map((f) => f.check)).toEqual(['NODE_INTEGRATION_JS_CHECK']);
  });
});
