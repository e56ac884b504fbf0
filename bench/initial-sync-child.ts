import { WorkstationCore } from '../src/main/core/core';
import { benchStoreKey } from './store-key';

// A fresh workstation in its own process: log in, pull everything, report time and peak RSS.
async function main(): Promise<void> {
  const [serverUrl, dataDir, expectedRaw] = process.argv.slice(2);
  if (!serverUrl || !dataDir || !expectedRaw) throw new Error('usage: initial-sync-child <server> <dataDir> <expected>');
  const expected = Number(expectedRaw);
  const core = new WorkstationCore({ dataDir, serverUrl, mode: 'browser', version: 'bench', storeKey: benchStoreKey(dataDir) });
  let progressEvents = 0;
  core.events.on('sync.progress', () => (progressEvents += 1));
  const t0 = performance.now();
  const res = await core.invoke('session.login', { username: 'op2', password: 'hotline123' });
  if (!res.ok) throw new Error(res.error.message);
  const done = new Promise<void>((resolve) => {
    const off = core.events.on('sync.progress', (p) => {
      if (p.done && p.received >= expected) {
        off();
        resolve();
      }
    });
  });
  await done;
  const seconds = (performance.now() - t0) / 1000;
  const list = await core.invoke('cases.list', { scope: 'team', limit: 1 });
  if (!list.ok) throw new Error('list failed');
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  await core.close();
  console.log(JSON.stringify({ initial_sync_s: seconds, initial_sync_peak_rss_mb: peakRssMb, progress_events: progressEvents }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
