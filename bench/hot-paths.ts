import { freshLifecycle, INTAKE_DEFAULTS, registeredCase, type CaseRecord, type Registration } from '../src/shared/domain/case';
import { timeOrderedUuid } from '../src/shared/ids';
import { shippedReferenceSet } from '../src/server/reference/reference-set';
import { makeCases } from './data';
import { round } from './lib';

/**
 * Per-call cost of the server's hot paths in a push of new cases, side by side with the way they
 * were written before where that way is still expressible: `npx tsx bench/hot-paths.ts` prints
 * one JSON line of microseconds per call (the best of 5 rounds over 10,000 bench cases, so the
 * JIT is warm; a fresh server pays more for its first batches).
 */
function main(): void {
  const cases = makeCases(10_000, 3);
  const ref = shippedReferenceSet();
  const reg: Registration = {
    channel: 'phone',
    createdBy: 'u1',
    team: 'team-a',
    station: 'S0001',
    createdAt: 1,
    at: 2,
    assignee: 'u1',
    slaClass: null,
    districtCode: null,
    streetCode: null,
    dispatchBy: null,
    actor: { kind: 'staff', id: 'u1', station: 'S0001' },
  };
  // How registeredCase built the record before: the defaults spread into a literal, then the draft.
  const spreadOverDefaults = (c: (typeof cases)[number]): CaseRecord => ({
    ...freshLifecycle(),
    ...c,
    answers: {},
    status: 'registered',
    channel: reg.channel,
    createdBy: reg.createdBy,
    team: reg.team,
    station: reg.station,
    updatedAt: reg.at,
    assignee: reg.assignee,
    rev: 1,
    timeline: [],
  });
  const bytes = new Uint8Array(10);
  const perCall = (fn: (c: (typeof cases)[number]) => unknown): number => {
    let best = Infinity;
    for (let round = 0; round < 5; round += 1) {
      const t0 = performance.now();
      for (const c of cases) fn(c);
      best = Math.min(best, performance.now() - t0);
    }
    return round((best * 1000) / cases.length, 2);
  };
  console.log(
    JSON.stringify({
      n: cases.length,
      registered_case_us: perCall((c) => registeredCase({ ...c, ...INTAKE_DEFAULTS, answers: {} }, reg)),
      spread_over_defaults_us: perCall(spreadOverDefaults),
      address_resolve_us: perCall((c) => ref.locate(c.address)),
      time_ordered_uuid_us: perCall(() => timeOrderedUuid()),
      get_random_values_10_bytes_us: perCall(() => globalThis.crypto.getRandomValues(bytes)),
    }),
  );
}

main();
