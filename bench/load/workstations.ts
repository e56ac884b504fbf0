import crypto from 'node:crypto';
import readline from 'node:readline';
import { io, type Socket } from 'socket.io-client';
import { LoginResponse } from '../../src/shared/sync/auth';
import { PROTOCOL_VERSION, Poke, PullResponse, PushResponse, decodeFrame, type Change, type Cursors, type Mutation } from '../../src/shared/sync/protocol';
import type { MutationName } from '../../src/shared/sync/mutations';
import { formatCaseNumber } from '../../src/shared/domain/case';
import { Command, SimConfig, viewDigest, type Report } from './messages';

/**
 * Simulated workstations for the load test, many per process. Each is a real sync client of the
 * real protocol over its own socket.io connection: it logs in over HTTP, pulls its scopes to the
 * end, keeps the cases it receives (id → rev, team, status) the way the workstation's cache does,
 * applies inline pokes in order and pulls when one does not follow its cursor, and pushes from an
 * outbox that keeps every mutation until the server acknowledged its seq (resent after a
 * reconnect; the server's per-client seq makes a resend a no-op). When its node goes away it
 * fails over to the next node by itself, with jitter so a thousand clients do not arrive at once.
 */

const cfg = SimConfig.parse(JSON.parse(process.env.LOAD_SIM_CONFIG ?? '{}'));
const now = (): number => performance.timeOrigin + performance.now();
const say = (r: Report): void => void process.stdout.write(`${JSON.stringify(r)}\n`);

interface CaseView {
  rev: number;
  team: string;
  status: string;
}
interface Pending {
  m: Mutation;
  kind: 'create' | 'dispatch' | 'evaluate' | 'close' | 'reassign';
  caseId: string;
  number?: string;
  sentAt: number;
}

// Cases seen for the first time by a workstation of this process, flushed twice a second.
const seenBatch = new Map<string, [number, number]>();
function noteSeen(caseId: string, at: number): void {
  const s = seenBatch.get(caseId);
  if (s) {
    s[0] = Math.max(s[0], at);
    s[1] += 1;
  } else seenBatch.set(caseId, [at, 1]);
}
setInterval(() => {
  if (seenBatch.size === 0) return;
  say({ t: 'seen', items: Array.from(seenBatch, ([id, [at, n]]) => [id, at, n] as [string, number, number]) });
  seenBatch.clear();
}, 500).unref();

class Workstation {
  readonly clientId = crypto.randomUUID();
  login!: LoginResponse;
  node: number;
  socket: Socket | undefined;
  cursors: Cursors = {};
  readonly cases = new Map<string, CaseView>();
  readonly outbox: Pending[] = [];
  private seq = 0;
  private caseSeq = 0;
  private pushing = false;
  private pulling: Promise<void> | undefined;
  private pullAgain = false;
  private downAt: number | undefined;
  private closed = false;

  constructor(
    readonly op: number,
    readonly username: string,
  ) {
    this.node = (cfg.offset + op) % cfg.nodes.length;
  }

  get url(): string {
    return cfg.nodes[this.node] ?? '';
  }

  async logIn(): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const res = await fetch(`${this.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: this.username, password: cfg.password, stationKey: this.clientId }),
        });
        if (!res.ok) throw new Error(`login ${this.username}: ${res.status} ${await res.text()}`);
        this.login = LoginResponse.parse(await res.json());
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await sleep(250 + Math.random() * 500);
      }
    }
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = io(this.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: 5000,
        auth: { token: this.login.accessToken, clientId: this.clientId, protocolVersion: PROTOCOL_VERSION },
      });
      this.socket = socket;
      socket.on('poke', (raw: unknown) => this.onPoke(raw));
      socket.once('connect', () => resolve());
      socket.once('connect_error', (e) => {
        socket.close();
        reject(e);
      });
      socket.on('disconnect', () => {
        if (this.closed || this.socket !== socket) return;
        this.downAt ??= now();
        this.socket = undefined;
        void this.failOver();
      });
    });
  }

  /** The node went away: try the next one (and the next), jittered, until one answers. */
  private async failOver(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt += 1) {
      await sleep(Math.min(4000, 300 * 2 ** Math.min(attempt, 3)) * Math.random() + 100);
      this.node = (this.node + 1) % cfg.nodes.length;
      try {
        await this.connect();
        await this.pull();
        await this.flush();
        if (this.downAt !== undefined) say({ t: 'reconnected', op: this.op, downAt: this.downAt, upAt: now(), node: this.node });
        this.downAt = undefined;
        return;
      } catch {
        // That node is not there either: next one.
      }
    }
  }

  private onPoke(raw: unknown): void {
    let poke: Poke;
    try {
      poke = Poke.parse(decodeFrame(raw));
    } catch {
      return;
    }
    const at = this.cursors[poke.scope];
    if (at === undefined || poke.version <= at) return;
    if (poke.changes && poke.prev === at && !this.pulling) {
      this.apply(poke.changes, now());
      this.cursors[poke.scope] = poke.version;
    } else this.pull().catch(() => undefined); // offline: the failover pulls again
  }

  private apply(changes: readonly Change[], at: number): void {
    for (const c of changes) {
      if (c.entity !== 'case') continue;
      if (c.data === null) {
        this.cases.delete(c.id);
        continue;
      }
      const d = c.data as { rev: number; team: string; status: string };
      const had = this.cases.get(c.id);
      if (!had) noteSeen(c.id, at);
      if (!had || had.rev <= d.rev) this.cases.set(c.id, { rev: d.rev, team: d.team, status: d.status });
    }
  }

  /** Pulls every page; a pull asked for while one runs runs once more after it. */
  pull(): Promise<void> {
    if (this.pulling) {
      this.pullAgain = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      try {
        do {
          this.pullAgain = false;
          for (;;) {
            const socket = this.socket;
            if (!socket) throw new Error('offline');
            const res = PullResponse.parse(await socket.timeout(30_000).emitWithAck('pull', { cursors: this.cursors }));
            if (!res.ok) throw new Error(`pull: ${res.error.code}`);
            if (res.reset) this.cases.clear();
            this.apply(res.changes, now());
            this.cursors = res.cursors;
            if (!res.more) break;
          }
        } while (this.askedAgain());
      } finally {
        this.pulling = undefined;
      }
    })();
    return this.pulling;
  }

  /** A pull was asked for while this one ran (set by another callback meanwhile). */
  private askedAgain(): boolean {
    return this.pullAgain;
  }

  enqueue(kind: Pending['kind'], name: MutationName, args: unknown, caseId: string, number?: string): void {
    this.seq += 1;
    const m: Mutation = { clientId: this.clientId, seq: this.seq, id: crypto.randomUUID(), name, args, at: Date.now() };
    this.outbox.push({ m, kind, caseId, ...(number ? { number } : {}), sentAt: now() });
    void this.flush();
  }

  nextNumber(): string {
    this.caseSeq += 1;
    return formatCaseNumber(this.login.station, this.caseSeq);
  }

  /** Pushes the outbox, oldest first, until it is empty or the socket is gone. */
  async flush(): Promise<void> {
    if (this.pushing) return;
    this.pushing = true;
    try {
      while (this.outbox.length > 0 && this.socket) {
        const batch = this.outbox.slice(0, 50);
        const res = PushResponse.parse(await this.socket.timeout(30_000).emitWithAck('push', { clientId: this.clientId, mutations: batch.map((p) => p.m) }));
        if (!res.ok) throw new Error(`push: ${res.error.code} ${res.error.message}`);
        const at = now();
        const outcomes = new Map(res.outcomes.map((o) => [o.seq, o]));
        while (this.outbox.length > 0 && (this.outbox[0]?.m.seq ?? Infinity) <= res.lastSeq) {
          const p = this.outbox.shift() as Pending;
          const o = outcomes.get(p.m.seq);
          // Processed by an earlier push whose answer was lost with the node: it counts as applied there.
          const status = o?.status ?? 'duplicate';
          say({ t: 'ack', kind: p.kind, caseId: p.caseId, ...(p.number ? { number: p.number } : {}), sentAt: p.sentAt, ackAt: at, status, ...(o?.reason ? { reason: o.reason.code } : {}) });
        }
      }
    } catch {
      // The socket went away mid-push: the outbox is kept and resent after failover.
    } finally {
      this.pushing = false;
    }
  }

  close(): void {
    this.closed = true;
    this.socket?.disconnect();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        await fn(item);
      }
    }),
  );
}

const stations = cfg.operators.map((o, i) => new Workstation(i, o.username));

function handle(cmd: Command): void {
  if (cmd.t === 'create') {
    const ws = stations[cmd.op];
    if (!ws) return;
    const number = ws.nextNumber();
    const args = {
      id: cmd.caseId,
      number,
      createdAt: Date.now(),
      callerPhone: `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      callerName: '',
      categoryCode: cmd.categoryCode,
      address: cmd.address,
      description: cmd.description,
    };
    ws.enqueue('create', 'createCase', args, cmd.caseId, number);
    if (cmd.unitId) ws.enqueue('dispatch', 'dispatchCase', { caseId: cmd.caseId, expectedRev: 1, unitId: cmd.unitId, note: '' }, cmd.caseId);
  } else if (cmd.t === 'close') {
    callBack(cmd.op, cmd.caseId, 0);
  } else if (cmd.t === 'reassign') {
    const ws = stations[cmd.op];
    const c = ws?.cases.get(cmd.caseId);
    if (!ws || !c) return;
    ws.enqueue('reassign', 'reassignCase', { caseId: cmd.caseId, toUserId: cmd.toUserId, expectedRev: c.rev }, cmd.caseId);
  } else if (cmd.t === 'drain') {
    void drain();
  } else if (cmd.t === 'finish') {
    void finish();
  } else {
    for (const ws of stations) ws.close();
    setTimeout(() => process.exit(0), 100);
  }
}

/** The callback once this workstation holds the unit's reply (it may still be on its way). */
let waitingCallbacks = 0;
function callBack(op: number, caseId: string, tries: number): void {
  const ws = stations[op];
  const c = ws?.cases.get(caseId);
  if (!ws) return;
  if (!c || c.status !== 'replied') {
    if (tries < 30) {
      waitingCallbacks += 1;
      setTimeout(() => {
        waitingCallbacks -= 1;
        callBack(op, caseId, tries + 1);
      }, 1000);
    }
    return;
  }
  ws.enqueue('evaluate', 'evaluateCase', { caseId, expectedRev: c.rev, resolved: true, satisfaction: 'satisfied', words: '' }, caseId);
  ws.enqueue('close', 'closeCase', { caseId, expectedRev: c.rev + 1 }, caseId);
}

async function drain(): Promise<void> {
  const until = Date.now() + 240_000;
  while (Date.now() < until && (waitingCallbacks > 0 || stations.some((ws) => ws.outbox.length > 0 || !ws.socket))) {
    await Promise.all(stations.map((ws) => ws.flush()));
    await sleep(250);
  }
  say({ t: 'drained', outbox: stations.reduce((s, ws) => s + ws.outbox.length, 0), offline: stations.filter((ws) => !ws.socket).length });
}

async function finish(): Promise<void> {
  await pool(stations, 16, async (ws) => {
    await ws.pull().catch(() => undefined);
  });
  const hash = (s: string) => crypto.createHash('sha1').update(s).digest('hex');
  say({
    t: 'views',
    views: stations.map((ws) => {
      const team = Array.from(ws.cases).filter(([, c]) => c.team === ws.login.user.team);
      return {
        userId: ws.login.user.id,
        team: ws.login.user.team,
        teamDigest: viewDigest(team.map(([id, c]) => [id, c.rev]), hash),
        teamCount: team.length,
        outbox: ws.outbox.length,
      };
    }),
  });
}

async function main(): Promise<void> {
  const t0 = now();
  await pool(stations, 8, async (ws) => {
    await ws.logIn();
    await ws.connect();
    await ws.pull();
  });
  say({
    t: 'ready',
    initialSyncMs: now() - t0,
    operators: stations.map((ws) => ({ op: ws.op, userId: ws.login.user.id, team: ws.login.user.team, station: ws.login.station, node: ws.node })),
  });
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const cmd = Command.safeParse(JSON.parse(line));
    if (cmd.success) handle(cmd.data);
    else say({ t: 'error', message: `bad command: ${line.slice(0, 200)}` });
  });
}

// A socket call cut off by a dying node must never take the whole floor of this process down.
process.on('unhandledRejection', (error) => say({ t: 'error', message: `unhandled: ${error instanceof Error ? error.message : String(error)}` }));

main().catch((error: unknown) => {
  say({ t: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
