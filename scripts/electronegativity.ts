import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Electronegativity (@doyensec/electronegativity) over the Electron code: the shell and the preload.
// It exits 0 whatever it finds, so its CSV is read here: every finding above INFORMATIONAL must be
// explained in docs/security.md (the table under "Electronegativity findings": check id and file),
// else this fails. `npm run lint` runs it; offline it takes about 15 s.

const ROOT = path.resolve(__dirname, '..');
const FILES = ['src/main/index.ts', 'src/preload/index.ts'];
const DOC = path.join(ROOT, 'docs/security.md');

interface Finding {
  check: string;
  severity: string;
  file: string;
  location: string;
  sample: string;
}

/** One CSV line into fields (quoted fields may hold commas and doubled quotes). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

export function parseFindings(csv: string, inputDir: string): Finding[] {
  const [, ...lines] = csv.split('\n').filter((l) => l.trim() !== '');
  return lines.map((line) => {
    const [check = '', severity = '', , file = '', location = '', sample = ''] = csvFields(line);
    const rel = file === 'N/A' ? 'N/A' : (FILES.find((f) => path.basename(f) === path.basename(file).replace(/^preload-/, '')) ?? path.relative(inputDir, file));
    return { check, severity: severity.toUpperCase(), file: rel, location, sample };
  });
}

/** `| CHECK_ID | file | why |` rows of the doc's findings table. */
export function explainedFindings(doc: string): Set<string> {
  const start = doc.indexOf('### Electronegativity findings');
  if (start < 0) return new Set();
  const section = doc.slice(start).split('\n## ')[0] ?? '';
  const explained = new Set<string>();
  for (const m of section.matchAll(/^\|\s*`?([A-Z_]+)`?\s*\|\s*`?([^|`]+?)`?\s*\|/gm)) explained.add(`${m[1] ?? ''} ${m[2] ?? ''}`);
  return explained;
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eneg-'));
  try {
    const input = path.join(dir, 'in');
    fs.mkdirSync(input);
    for (const f of FILES) fs.copyFileSync(path.join(ROOT, f), path.join(input, f.startsWith('src/preload') ? `preload-${path.basename(f)}` : path.basename(f)));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(input, 'package.json'));
    const out = path.join(dir, 'out.csv');
    const bin = path.join(ROOT, 'node_modules/.bin/electronegativity');
    execFileSync(bin, ['-i', input, '-o', out, '-v', 'false'], { stdio: 'pipe', timeout: 120_000 });
    const findings = parseFindings(fs.readFileSync(out, 'utf8'), input).filter((f) => f.severity !== 'INFORMATIONAL');
    const explained = explainedFindings(fs.readFileSync(DOC, 'utf8'));
    const open = findings.filter((f) => !explained.has(`${f.check} ${f.file}`));
    for (const f of findings) console.log(`${open.includes(f) ? 'UNEXPLAINED' : 'explained  '} ${f.severity.padEnd(6)} ${f.check} ${f.file}:${f.location} ${f.sample.slice(0, 80)}`);
    if (open.length > 0) {
      console.error(`electronegativity: ${open.length} finding(s) above informational not explained in docs/security.md (Electronegativity findings)`);
      process.exit(1);
    }
    console.log(`electronegativity: ${findings.length} finding(s) above informational, all explained`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();
