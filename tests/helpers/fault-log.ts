import { onTestFailed, onTestFinished } from 'vitest';

/**
 * A test's story so far (seed, ports, dirs, what happened when), printed with the tails of the
 * given process outputs if the test fails. Call `track()` inside the test.
 */
export class FaultLog {
  private readonly t0 = Date.now();
  private readonly lines: string[] = [];
  private readonly outputs: { name: string; read: () => string }[] = [];

  note(line: string): void {
    this.lines.push(`+${String(Date.now() - this.t0).padStart(6)} ms  ${line}`);
  }

  output(name: string, read: () => string): void {
    this.outputs.push({ name, read });
  }

  text(): string {
    const tails = this.outputs.map(({ name, read }) => `--- ${name} (last 3000 chars) ---\n${read().slice(-3000)}`);
    return [...this.lines, ...tails].join('\n');
  }

  /** Prints the story if the test fails (always with FAULT_VERBOSE=1). */
  track(title: string): void {
    const print = () => console.error(`\n=== fault context: ${title} ===\n${this.text()}\n=== end of fault context ===`);
    onTestFailed(print);
    if (process.env.FAULT_VERBOSE === '1') {
      onTestFinished(({ task }) => {
        if (task.result?.state !== 'fail') console.error(`\n=== ${title} ===\n${this.lines.join('\n')}`);
      });
    }
  }
}
