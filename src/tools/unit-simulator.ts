import { UNIT_API_BASE, UnitCaseList, UnitStepResponse, type UnitCase } from '../shared/units/api';

/** Delays in ms (min, max) drawn uniformly; outcome shares sum to at most 1 (the rest: resolved). */
export interface SimulatorProfile {
  signDelayMs: readonly [number, number];
  replyDelayMs: readonly [number, number];
  /** Share of cases a unit hands back ("not ours") instead of signing for them. */
  returnShare: number;
  explainedShare: number;
  unresolvableShare: number;
}

/** Demo pace: things happen within seconds. Realistic pace would be minutes to days. */
export const DEMO_PROFILE: SimulatorProfile = {
  signDelayMs: [2_000, 10_000],
  replyDelayMs: [5_000, 30_000],
  returnShare: 0.08,
  explainedShare: 0.2,
  unresolvableShare: 0.05,
};

export interface SimulatorEvent {
  at: number;
  unitId: string;
  number: string;
  action: 'accept' | 'return' | 'reply' | 'error';
  detail: string;
}

const RETURN_REASONS = ['该地址不在本单位辖区', '该事项不属于本单位职责', '工单信息不全，无法核实位置'];
const REPLIES = {
  resolved: ['已到现场核实并处理完毕，已电话告知市民', '已协调相关方整改，问题已解决', '已安排维修人员上门，故障已排除'],
  explained: ['已向市民解释相关政策，诉求暂不具备办理条件', '经核实属正常作业，已向市民说明情况'],
  unresolvable: ['涉及历史遗留问题，需多部门协调，已向市民说明'],
} as const;

/**
 * Plays the responding units against a server's unit API: every dispatched case is signed for
 * (or, sometimes, returned) after a delay, then replied to with an outcome. Only the keys given are
 * used, so a simulator sees exactly what those units would.
 */
export class UnitSimulator {
  private readonly scheduled = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private polling: NodeJS.Timeout | undefined;
  private stopped = false;
  readonly events: SimulatorEvent[] = [];

  constructor(
    private readonly serverUrl: string,
    /** unitId → API key secret. */
    private readonly keys: ReadonlyMap<string, string>,
    private readonly profile: SimulatorProfile,
    private readonly random: () => number,
    private readonly onEvent: (e: SimulatorEvent) => void = () => undefined,
  ) {}

  start(pollMs = 2_000): void {
    const tick = () => {
      if (this.stopped) return;
      void this.pollAll().finally(() => {
        if (!this.stopped) this.polling = setTimeout(tick, pollMs);
      });
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.polling);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** One pass over every unit's open cases (a few at a time). */
  async pollAll(concurrency = 8): Promise<void> {
    const units = [...this.keys.keys()];
    let next = 0;
    const worker = async () => {
      while (!this.stopped && next < units.length) {
        const unitId = units[next++];
        if (unitId !== undefined) await this.pollUnit(unitId);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  private async request(unitId: string, method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.serverUrl}${UNIT_API_BASE}${route}`, {
      method,
      headers: { authorization: `Bearer ${this.keys.get(unitId) ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  private record(e: Omit<SimulatorEvent, 'at'>): void {
    const event = { at: Date.now(), ...e };
    this.events.push(event);
    this.onEvent(event);
  }

  private async pollUnit(unitId: string): Promise<void> {
    let list: UnitCaseList;
    try {
      list = UnitCaseList.parse(await this.request(unitId, 'GET', '/cases'));
    } catch (error) {
      this.record({ unitId, number: '-', action: 'error', detail: error instanceof Error ? error.message : String(error) });
      return;
    }
    for (const c of list.cases) {
      const key = `${c.id}:${c.rev}`;
      if (this.scheduled.has(key)) continue;
      this.scheduled.add(key);
      if (c.status === 'dispatched') this.later(this.profile.signDelayMs, () => this.signOrReturn(unitId, c));
      else if (c.status === 'accepted') this.later(this.profile.replyDelayMs, () => this.reply(unitId, c));
    }
  }

  private later(range: readonly [number, number], run: () => Promise<void>): void {
    const delay = range[0] + this.random() * (range[1] - range[0]);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) void run();
    }, delay);
    this.timers.add(timer);
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('empty choice');
    return item;
  }

  private async step(unitId: string, c: UnitCase, action: 'accept' | 'return' | 'reply', body: Record<string, unknown>): Promise<UnitCase | null> {
    try {
      const res = UnitStepResponse.parse(await this.request(unitId, 'POST', `/cases/${c.number}/${action}`, { ...body, expectedRev: c.rev }));
      this.record({ unitId, number: c.number, action, detail: typeof body.outcome === 'string' ? body.outcome : typeof body.reason === 'string' ? body.reason : '' });
      return res.case;
    } catch (error) {
      // The case moved on meanwhile (re-dispatched, merged): the next poll sees it as it is.
      this.record({ unitId, number: c.number, action: 'error', detail: error instanceof Error ? error.message : String(error) });
      return null;
    }
  }

  private async signOrReturn(unitId: string, c: UnitCase): Promise<void> {
    if (this.random() < this.profile.returnShare) {
      await this.step(unitId, c, 'return', { reason: this.pick(RETURN_REASONS) });
      return;
    }
    const accepted = await this.step(unitId, c, 'accept', {});
    if (accepted) {
      this.scheduled.add(`${accepted.id}:${accepted.rev}`);
      this.later(this.profile.replyDelayMs, () => this.reply(unitId, accepted));
    }
  }

  private async reply(unitId: string, c: UnitCase): Promise<void> {
    const r = this.random();
    const outcome = r < this.profile.unresolvableShare ? 'unresolvable' : r < this.profile.unresolvableShare + this.profile.explainedShare ? 'explained' : 'resolved';
    // The unit calls the citizen as it replies; whether that was in time is the server's to judge.
    await this.step(unitId, c, 'reply', { outcome, text: this.pick(REPLIES[outcome]), contactedAt: Date.now() });
  }
}
