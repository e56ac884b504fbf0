/**
 * Bookkeeping for child processes started in their own process group (detached), so that a kill
 * also reaches the node process tsx spawns, and nothing outlives the test run.
 */
const live = new Set<number>();

process.once('exit', () => {
  // A test that failed before stopping its child must not leave it running.
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export function trackGroup(pid: number): void {
  live.add(pid);
}

export function untrackGroup(pid: number): void {
  live.delete(pid);
}

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
