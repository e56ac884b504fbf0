/**
 * `npm run call -- --from <number> [--line <line>] [--data ./data/workstation]`
 *
 * Rings the workstation as a softphone would: reads the hook's URL and token from
 * `<data>/telephony.json` and posts the call; intake opens with the number and the caller's
 * earlier cases. A softphone that can run a command on an incoming call runs exactly this.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TELEPHONY_FILE, TelephonyFile } from '../src/main/core/host/telephony';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      line: { type: 'string' },
      data: { type: 'string', default: './data/workstation' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || values.from === undefined) {
    console.log('usage: npm run call -- --from <number> [--line <line>] [--data ./data/workstation]');
    process.exit(values.help ? 0 : 2);
  }
  const file = path.resolve(values.data, TELEPHONY_FILE);
  let hook: TelephonyFile;
  try {
    hook = TelephonyFile.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    throw new Error(`no workstation hook at ${file}: is the workstation running with --data ${values.data}?`);
  }
  const res = await fetch(`${hook.url}/v1/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hook.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from: values.from, ...(values.line ? { line: values.line } : {}) }),
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`the workstation answered ${res.status}: ${body}`);
  console.log(`ringing: ${body}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
