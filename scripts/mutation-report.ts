// `npm run test:mutation [-- --json] [-- --static] [-- --report-only]`: runs StrykerJS
// (stryker.config.mjs) and summarises its JSON report, reports/mutation/mutation.json.
//
//   --json         print exactly one JSON line on stdout (Stryker's own output goes to stderr):
//                  {"mutation_score", "killed", "survived", "timeout", "no_coverage", "ignored",
//                   "errors", "seconds", "survivors": [{"file", "line", "mutator", "replacement"}]}
//   --static       also run the static mutants (module-level code such as zod schemas); every one of
//                  them needs the whole test set reloaded, so this takes the better part of an hour
//   --report-only  do not run Stryker; summarise the report already on disk
//
// The exit code is Stryker's (non-zero when the score is below thresholds.break), else 0.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const REPORT = path.join(ROOT, 'reports/mutation/mutation.json');

/** The part of mutation-testing-report-schema we read. */
interface Report {
  files: Record<string, { mutants: Mutant[] }>;
}
interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';
  location: { start: { line: number; column: number } };
}

export interface Survivor {
  file: string;
  line: number;
  mutator: string;
  replacement: string;
}

export interface MutationSummary {
  mutation_score: number;
  killed: number;
  survived: number;
  timeout: number;
  no_coverage: number;
  ignored: number;
  errors: number;
  seconds: number | null;
  survivors: Survivor[];
}

/** Stryker's mutation score: detected (killed + timeout) over valid mutants (detected + survived + no coverage), in percent. */
export function summarise(report: Report, seconds: number | null): MutationSummary {
  const count = { Killed: 0, Survived: 0, NoCoverage: 0, Timeout: 0, CompileError: 0, RuntimeError: 0, Ignored: 0, Pending: 0 };
  const survivors: Survivor[] = [];
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    for (const m of mutants) {
      count[m.status] += 1;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        survivors.push({ file, line: m.location.start.line, mutator: m.status === 'NoCoverage' ? `${m.mutatorName} (no coverage)` : m.mutatorName, replacement: m.replacement ?? '' });
      }
    }
  }
  survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const detected = count.Killed + count.Timeout;
  const valid = detected + count.Survived + count.NoCoverage;
  return {
    mutation_score: valid === 0 ? 0 : Math.round((detected / valid) * 10_000) / 100,
    killed: count.Killed,
    survived: count.Survived,
    timeout: count.Timeout,
    no_coverage: count.NoCoverage,
    ignored: count.Ignored,
    errors: count.CompileError + count.RuntimeError,
    seconds,
    survivors,
  };
}

function runStryker(toStderr: boolean, withStatic: boolean): Promise<number> {
  const bin = path.join(ROOT, 'node_modules/.bin/stryker');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['run'], {
      cwd: ROOT,
      stdio: ['ignore', toStderr ? process.stderr : 'inherit', 'inherit'],
      env: { ...process.env, MUTATION_STATIC: withStatic ? '1' : '0' },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const json = args.has('--json');
  let exitCode = 0;
  let seconds: number | null = null;
  if (!args.has('--report-only')) {
    fs.rmSync(REPORT, { force: true });
    const started = Date.now();
    exitCode = await runStryker(json, args.has('--static'));
    seconds = Math.round((Date.now() - started) / 1000);
  }
  if (!fs.existsSync(REPORT)) {
    process.stderr.write(`no report at ${path.relative(ROOT, REPORT)} (stryker exited with ${exitCode})\n`);
    process.exit(exitCode || 1);
  }
  const summary = summarise(JSON.parse(fs.readFileSync(REPORT, 'utf8')) as Report, seconds);
  if (json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const { survivors, ...figures } = summary;
    process.stdout.write(`\n${JSON.stringify(figures)}\n`);
    for (const s of survivors) process.stdout.write(`  ${s.file}:${s.line} ${s.mutator}: ${s.replacement.split('\n')[0] ?? ''}\n`);
  }
  process.exit(exitCode);
}

void main();
