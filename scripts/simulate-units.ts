import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UnitsFile } from '../src/shared/reference/units';
import { DEFAULT_RESOURCES_DIR } from '../src/server/reference/reference-set';
import { DEMO_PROFILE, UnitSimulator, type SimulatorProfile } from '../src/tools/unit-simulator';
import { seededRandom } from '../src/shared/random';

const HELP = `usage: npm run simulate:units -- --server <url> [--keys <api-keys.json>] [--units <id,id,…>]
       [--pace demo|fast] [--seed <n>] [--exit-after <seconds>]
  Signs for and replies to the cases dispatched to the units whose keys are in the keys file
  (written by the server at first start: <server data dir>/api-keys.json). Prints one JSON line per action.`;

const FAST: SimulatorProfile = { ...DEMO_PROFILE, signDelayMs: [100, 400], replyDelayMs: [200, 800] };

function main(): void {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      keys: { type: 'string', default: path.resolve('data/server/api-keys.json') },
      units: { type: 'string' },
      pace: { type: 'string', default: 'demo' },
      seed: { type: 'string', default: String(Date.now() % 1_000_000) },
      'exit-after': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.server) {
    console.log(HELP);
    process.exit(values.help ? 0 : 2);
  }
  if (!fs.existsSync(values.keys)) {
    console.error(`no keys file at ${values.keys}: start the server once (it writes api-keys.json in its data directory) or pass --keys`);
    process.exit(2);
  }
  const all = JSON.parse(fs.readFileSync(values.keys, 'utf8')) as Record<string, string>;
  // Which unit each key id belongs to, from the reference data the server loads.
  const units = UnitsFile.parse(JSON.parse(fs.readFileSync(path.join(DEFAULT_RESOURCES_DIR, 'reference/units.json'), 'utf8'))).units;
  const keys = new Map<string, string>();
  for (const u of units) {
    const secret = all[u.apiKeyId];
    if (secret) keys.set(u.id, secret);
  }
  const wanted = values.units?.split(',').map((u) => u.trim()).filter(Boolean);
  if (wanted) {
    for (const id of [...keys.keys()]) if (!wanted.includes(id)) keys.delete(id);
    const missing = wanted.filter((u) => !keys.has(u));
    if (missing.length) {
      console.error(`no key for: ${missing.join(', ')}`);
      process.exit(2);
    }
  }
  const profile = values.pace === 'fast' ? FAST : values.pace === 'demo' ? DEMO_PROFILE : undefined;
  if (!profile) {
    console.error(`unknown --pace ${values.pace}\n${HELP}`);
    process.exit(2);
  }
  const sim = new UnitSimulator(values.server.replace(/\/+$/, ''), keys, profile, seededRandom(Number(values.seed)), (e) => console.log(JSON.stringify(e)));
  console.error(`simulating ${keys.size} units against ${values.server} (pace ${values.pace}, seed ${values.seed})`);
  sim.start(values.pace === 'fast' ? 500 : 2_000);
  const stop = () => {
    sim.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (values['exit-after']) setTimeout(stop, Number(values['exit-after']) * 1000);
}

main();
