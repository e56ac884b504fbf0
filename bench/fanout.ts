import crypto from 'node:crypto';
import path from 'node:path';
import { formatCaseNumber } from '../src/shared/domain/case';
import { makeTempDir, removeDir } from '../tests/helpers/tmp';
import { ProtocolClient } from '../tests/helpers/protocol-client';
import { makeCases } from './data';
import { percentile, spawnTsx, startServerProcess, type Child } from './lib';

const now = () => performance.timeOrigin + performance.now();

async function clients(url: string, mode: 'ours' | 'raw', total: number, token = ''): Promise<Child[]> {
  // Two client processes: the clients must not starve on one core while the server uses the other.
  const halves = [Math.ceil(total / 2), Math.floor(total / 2)];
  const children = halves.map((n) => spawnTsx('bench/fanout-clients.ts', [url, mode, String(n), token]));
  await Promise.all(children.map((c) => c.waitFor(/^ready$/, 180_000)));
  return children;
}

async function arrivals(children: Child[]): Promise<number[]> {
  const all: number[] = [];
  for (const c of children) {
    const m = await c.waitFor(/^\{"arrivals".*\}$/, 60_000);
    const r = JSON.parse(m[0]) as { arrivals: number[]; count: number };
    if (r.arrivals.length !== r.count) throw new Error(`only ${r.arrivals.length} of ${r.count} clients received the change`);
    all.push(...r.arrivals);
  }
  return all;
}

function stats(t0: number, at: number[]): { p50: number; p99: number; max: number } {
  const lat = at.map((a) => a - t0).sort((x, y) => x - y);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat[lat.length - 1] ?? NaN };
}

/** One case change reaching `n` workstations in one scope, beside a bare socket.io broadcast. */
export async function runFanout(n: number): Promise<{ fanout_p50_ms: number; fanout_p99_ms: number; fanout_max_ms: number; raw_broadcast_p50_ms: number; raw_broadcast_p99_ms: number }> {
  const dir = makeTempDir('hotline-bench-fanout-');
  const server = await startServerProcess(path.join(dir, 'server'));
  const all: Child[] = [];
  try {
    const watcher = await ProtocolClient.connect(server.url, 'op2');
    watcher.close();
    const writer = await ProtocolClient.connect(server.url, 'op1');
    const ours = await clients(server.url, 'ours', n, watcher.login.accessToken);
    all.push(...ours);
    const c = makeCases(1, 11)[0];
    if (!c) throw new Error('no case');
    const t0 = now();
    const res = await writer.push([
      writer.mutation('createCase', { ...c, id: crypto.randomUUID(), number: formatCaseNumber(writer.login.station, 1) }),
    ]);
    if (!res.ok || res.outcomes[0]?.status !== 'applied') throw new Error('bench case not applied');
    const o = stats(t0, await arrivals(ours));
    writer.close();

    const raw = spawnTsx('bench/raw-broadcast-server.ts', []);
    all.push(raw);
    const port = (await raw.waitFor(/^listening (\d+)$/))[1] ?? '';
    const rawClients = await clients(`http://127.0.0.1:${port}`, 'raw', n);
    all.push(...rawClients);
    const payload = { scope: 'team:team-a', prev: 1, version: 2, changes: [{ version: 2, scope: 'team:team-a', entity: 'case', id: crypto.randomUUID(), data: c }] };
    const r0 = now();
    raw.proc.stdin?.write(`go ${JSON.stringify(payload)}\n`);
    const r = stats(r0, await arrivals(rawClients));
    return { fanout_p50_ms: o.p50, fanout_p99_ms: o.p99, fanout_max_ms: o.max, raw_broadcast_p50_ms: r.p50, raw_broadcast_p99_ms: r.p99 };
  } finally {
    for (const c of all) await c.stop();
    await server.child.stop();
    removeDir(dir);
  }
}
