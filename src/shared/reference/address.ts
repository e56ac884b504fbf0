import { z } from 'zod';
import { CommunityCode, DistrictCode, StreetCode } from './common';
import type { Geography, StreetKind } from './geography';

// Free-text address → district / street / community. The index maps every name a caller may use
// (official name, name without its suffix, a few historical or colloquial variants) to places,
// finds all of them in the text, and keeps the most consistent combination: a district named in the
// text decides between same-named streets, and a street or district must back a bare community name.

export const PlaceLevel = z.enum(['district', 'street', 'community']);
export type PlaceLevel = z.infer<typeof PlaceLevel>;

export const AddressResolution = z.object({
  district: z.object({ code: DistrictCode, nameZh: z.string(), nameEn: z.string() }).optional(),
  street: z.object({ code: StreetCode, nameZh: z.string(), nameEn: z.string().nullable(), districtCode: DistrictCode }).optional(),
  community: z.object({ code: CommunityCode, nameZh: z.string(), streetCode: StreetCode }).optional(),
  /**
   * How firmly the text places the address, 0..1: 1 when district and street are both named in
   * full, about 0.5 for a district alone, lower for bare names (建外 rather than 建外街道) or names
   * followed by a road word (中关村大街); halved when a tie had to be dropped; 0 when nothing matched.
   */
  confidence: z.number().min(0).max(1),
  /** The names found in the text that support the result, for highlighting (`index` into the text as given). */
  matched: z.array(z.object({ level: PlaceLevel, code: z.string(), text: z.string(), index: z.number().int() })),
  /** Equally good readings when the text is ambiguous (e.g. 八里庄街道 with no district), best first. */
  alternatives: z.array(z.object({ districtCode: DistrictCode, streetCode: StreetCode.optional(), communityCode: CommunityCode.optional() })).optional(),
});
export type AddressResolution = z.infer<typeof AddressResolution>;

/**
 * Below this confidence the text named a place only loosely (a bare two-character name such as 新华
 * or 光明, alone): show the resolution to the operator to confirm rather than dispatching on it.
 */
export const ADDRESS_CONFIRM_BELOW = 0.5;

type Strength = 'full' | 'bare';

interface Place {
  readonly level: PlaceLevel;
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string | null;
  readonly districtCode: string;
  readonly streetCode: string | null;
}

/** While the index is built: the aliases by name, and a trie of them by UTF-16 code unit. */
interface TrieBuild {
  byName: Map<string, Alias[]>;
  root: TrieNode;
}

interface TrieNode {
  next: Map<number, TrieNode>;
  /** The aliases spelled by the path to this node, if any. */
  aliases: Alias[] | null;
}

/**
 * The same trie, frozen into typed arrays for the scan: a table from a first code unit to its
 * node, then each node's children as a sibling chain. A scan touches a few small arrays instead
 * of a Map per node (about 3× faster on a busy server's heap).
 */
interface FrozenTrie {
  /** First code unit → node, −1 when no alias starts with it. */
  root: Int32Array;
  firstChild: Int32Array;
  sibling: Int32Array;
  unit: Uint16Array;
  /** Node → index in `lists`, −1 when no alias ends there. */
  slot: Int32Array;
  lists: Alias[][];
}

/** Longer than any place name; a scan stops there. */
const MAX_ALIAS_LENGTH = 64;

interface Alias {
  readonly place: Place;
  readonly strength: Strength;
}

interface Match {
  readonly place: Place;
  readonly strength: Strength;
  readonly index: number;
  readonly end: number;
  readonly roadLike: boolean;
  readonly weight: number;
}

/** Names of the two districts merged in 2010 still appear in callers' addresses. */
const HISTORIC_DISTRICTS: Readonly<Record<string, string>> = { 崇文区: '110101', 宣武区: '110102' };

/** Alternative suffixes by township kind: 地区 offices double as 乡 governments, etc. */
const STREET_SUFFIXES: Readonly<Record<StreetKind, readonly string[]>> = {
  subdistrict: ['街道'],
  area: ['地区', '乡', '镇', '街道'],
  town: ['镇', '地区'],
  township: ['乡'],
  zone: [],
};

/** A bare name followed by one of these is more likely a road or landmark named after the place. */
const ROAD_WORDS = '大街|大道|路|街|道|桥|胡同|巷|条|外|内|东|西|南|北|口|站|小区|公园|医院|地铁|环';
/** Sticky: tested at `lastIndex`, where a name ends, without slicing the text. */
const ROAD_WORD_AT = new RegExp(`(?:${ROAD_WORDS})`, 'y');

const WEIGHTS: Readonly<Record<PlaceLevel, Readonly<Record<Strength, number>>>> = {
  district: { full: 3, bare: 2 },
  street: { full: 3, bare: 1.5 },
  community: { full: 2, bare: 1 },
};
const ROAD_FACTOR = 0.6;
const FULL_SCORE = 6;
const MIN_BARE_LENGTH = 2;
const MAX_ALTERNATIVES = 5;

function stripSuffix(name: string, suffixes: readonly string[]): string | null {
  for (const s of suffixes) if (name.length > s.length && name.endsWith(s)) return name.slice(0, -s.length);
  return null;
}

interface Hypothesis {
  readonly district: Place;
  readonly street: Place | null;
  readonly community: Place | null;
  readonly score: number;
  readonly evidence: readonly Match[];
}

/** Built once per geography; `resolve` then costs a few microseconds per address. */
export class GeographyIndex {
  /** Every alias by its characters, so a scan walks the text once per start without slicing it. */
  private readonly frozen: FrozenTrie;
  /** Scratch for findAll: where the aliases found at one start end, and their lists. */
  private readonly endsAt = new Int32Array(MAX_ALIAS_LENGTH);
  private readonly endsSlot = new Int32Array(MAX_ALIAS_LENGTH);
  private readonly places = new Map<string, Place>();

  constructor(readonly geography: Geography) {
    const build: TrieBuild = { byName: new Map(), root: { next: new Map(), aliases: null } };
    const alias = (name: string, place: Place, strength: Strength) => addAlias(build, name, place, strength);
    for (const d of geography.districts) {
      const district = this.addPlace({ level: 'district', code: d.code, nameZh: d.nameZh, nameEn: d.nameEn, districtCode: d.code, streetCode: null });
      alias(d.nameZh, district, 'full');
      const bare = stripSuffix(d.nameZh, ['区', '县']);
      if (bare !== null && bare.length >= MIN_BARE_LENGTH) alias(bare, district, 'bare');
      for (const s of d.streets) {
        const street = this.addPlace({ level: 'street', code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, districtCode: d.code, streetCode: s.code });
        alias(s.nameZh, street, 'full');
        const base = stripSuffix(s.nameZh, ['街道', '地区', '回族乡', '满族乡', '乡', '镇']);
        if (base !== null) {
          for (const suffix of STREET_SUFFIXES[s.kind]) alias(base + suffix, street, 'full');
          if (base.length >= MIN_BARE_LENGTH) alias(base, street, 'bare');
        }
        for (const [code, nameZh] of s.communities) {
          const community = this.addPlace({ level: 'community', code, nameZh, nameEn: null, districtCode: d.code, streetCode: s.code });
          alias(nameZh, community, 'full');
          const cBase = stripSuffix(nameZh, ['社区', '村']);
          if (cBase !== null && cBase.length >= MIN_BARE_LENGTH) alias(cBase, community, 'bare');
        }
      }
    }
    // A landmark names its street outright; a road less firmly (it may run on into the next street).
    for (const l of geography.landmarks) {
      const street = this.places.get(l.streetCode);
      if (street?.level !== 'street') continue;
      for (const name of [l.nameZh, ...l.aliases]) alias(name, street, l.kind === 'landmark' ? 'full' : 'bare');
    }
    for (const [name, code] of Object.entries(HISTORIC_DISTRICTS)) {
      const district = this.places.get(code);
      if (district) alias(name, district, 'full');
    }
    this.frozen = freeze(build.root);
  }

  district(code: string): Place | undefined {
    const p = this.places.get(code);
    return p?.level === 'district' ? p : undefined;
  }

  street(code: string): Place | undefined {
    const p = this.places.get(code);
    return p?.level === 'street' ? p : undefined;
  }

  community(code: string): Place | undefined {
    const p = this.places.get(code);
    return p?.level === 'community' ? p : undefined;
  }

  resolve(text: string): AddressResolution {
    // Callers type spaces anywhere (丰台区 马家堡 东路); match without them, report original offsets.
    const { clean, offsets } = withoutSpaces(text);
    const reading = this.read(clean);
    if (!reading) return { confidence: 0, matched: [] };
    const { best, tied } = reading;
    if (tied.length === 0) return withOffsets(this.describe(clean, best, best.district, best.street, best.community, 1), offsets);

    // Keep what all equally good readings agree on.
    const all = [best, ...tied];
    const { district, street } = agreed(all);
    const result = this.describe(clean, best, district, street, null, 0.5);
    result.alternatives = all.slice(0, MAX_ALTERNATIVES).map((h) => ({
      districtCode: h.district.code,
      ...(h.street ? { streetCode: h.street.code } : {}),
      ...(h.community ? { communityCode: h.community.code } : {}),
    }));
    return withOffsets(result, offsets);
  }

  /**
   * The district and street `resolve` finds, without building the evidence, confidence and
   * alternatives: what the server stores with every case it registers (a push brings thousands).
   */
  locate(text: string): { districtCode: string | null; streetCode: string | null } {
    const reading = this.read(withoutSpaces(text).clean);
    if (!reading) return { districtCode: null, streetCode: null };
    const { best, tied } = reading;
    if (tied.length === 0) return { districtCode: best.district.code, streetCode: best.street?.code ?? null };
    const { district, street } = agreed([best, ...tied]);
    return { districtCode: district?.code ?? null, streetCode: street?.code ?? null };
  }

  /** The best reading of a text without spaces, and the other readings as good as it; null when no place is named. */
  private read(clean: string): { best: Hypothesis; tied: Hypothesis[] } | null {
    const hypotheses = this.hypotheses(dropContained(this.findAll(clean)));
    hypotheses.sort((a, b) => b.score - a.score);
    const best = hypotheses[0];
    if (!best) return null;
    return { best, tied: hypotheses.filter((h) => best.score - h.score < 1e-9 && !sameReading(h, best)) };
  }

  private describe(
    clean: string,
    h: Hypothesis,
    district: Place | null,
    street: Place | null,
    community: Place | null,
    factor: number,
  ): AddressResolution {
    const kept = new Set([district, street, community].filter((p) => p !== null));
    const evidence = h.evidence.filter((m) => kept.has(m.place));
    const score = evidence.reduce((sum, m) => sum + m.weight, 0);
    const result: AddressResolution = {
      confidence: Math.round(Math.min(1, (score / FULL_SCORE) * factor) * 1000) / 1000,
      matched: evidence
        .map((m) => ({ level: m.place.level, code: m.place.code, text: clean.slice(m.index, m.end), index: m.index }))
        .sort((a, b) => a.index - b.index),
    };
    if (district) result.district = { code: district.code, nameZh: district.nameZh, nameEn: district.nameEn ?? district.nameZh };
    if (street) result.street = { code: street.code, nameZh: street.nameZh, nameEn: street.nameEn, districtCode: street.districtCode };
    if (community && community.streetCode !== null) result.community = { code: community.code, nameZh: community.nameZh, streetCode: community.streetCode };
    return result;
  }

  private addPlace(p: Place): Place {
    this.places.set(p.code, p);
    return p;
  }

  /** Every alias occurrence in `text`; at each start, longer names first. */
  private findAll(text: string): Match[] {
    const found: Match[] = [];
    const { root, firstChild, sibling, unit, slot, lists } = this.frozen;
    const { endsAt, endsSlot } = this;
    for (let i = 0; i < text.length; i++) {
      let node = root[text.charCodeAt(i)] ?? -1;
      let count = 0;
      for (let j = i + 1; node >= 0; j++) {
        const s = slot[node] ?? -1;
        if (s >= 0) {
          endsAt[count] = j;
          endsSlot[count] = s;
          count += 1;
        }
        if (j >= text.length) break;
        const c = text.charCodeAt(j);
        let child = firstChild[node] ?? -1;
        while (child >= 0 && unit[child] !== c) child = sibling[child] ?? -1;
        node = child;
      }
      for (let k = count - 1; k >= 0; k--) {
        const end = endsAt[k] ?? i;
        const aliases = lists[endsSlot[k] ?? -1];
        if (!aliases) continue;
        ROAD_WORD_AT.lastIndex = end;
        const roadLike = ROAD_WORD_AT.test(text);
        for (const a of aliases) {
          const base = WEIGHTS[a.place.level][a.strength];
          const weight = a.strength === 'bare' && roadLike ? base * ROAD_FACTOR : base;
          found.push({ place: a.place, strength: a.strength, index: i, end, roadLike, weight });
        }
      }
    }
    return found;
  }

  private hypotheses(matches: readonly Match[]): Hypothesis[] {
    // The best match of each place, by level, in the order the places were first found (the order
    // decides between equal scores). Plain arrays and no closures: an address has a handful of
    // matches, and this runs for every case a workstation pushes.
    const districts: Match[] = [];
    const streets: Match[] = [];
    const communities: Match[] = [];
    for (const m of matches) keepBest(m.place.level === 'district' ? districts : m.place.level === 'street' ? streets : communities, m);

    const out: Hypothesis[] = [];
    for (const m of districts) out.push({ district: m.place, street: null, community: null, score: m.weight, evidence: [m] });

    for (const sm of streets) {
      const street = sm.place;
      const district = this.district(street.districtCode);
      if (!district) continue;
      const dm = matchOf(districts, district);
      // One piece of text is evidence for one place: 南口镇 is the town, not also the village 南口镇村.
      const taken = dm ? [dm, sm] : [sm];
      let cm: Match | undefined;
      for (const m of communities) {
        if (m.place.streetCode !== street.code || taken.some((t) => overlaps(t, m))) continue;
        if (!cm || m.weight > cm.weight) cm = m;
      }
      const evidence = cm ? [...taken, cm] : taken;
      out.push({ district, street, community: cm?.place ?? null, score: sum(evidence), evidence });
    }

    for (const cm of communities) {
      const community = cm.place;
      if (community.streetCode === null) continue;
      const street = this.street(community.streetCode);
      const district = this.district(community.districtCode);
      if (!street || !district || matchOf(streets, street)) continue;
      const named = matchOf(districts, district);
      const dm = named && !overlaps(named, cm) ? named : undefined;
      // A bare community name (东里, 新村) is too common to place an address on its own.
      if (cm.strength === 'bare' && !dm) continue;
      const evidence = dm ? [dm, cm] : [cm];
      out.push({ district, street, community, score: sum(evidence), evidence });
    }
    return out;
  }
}

/** Keeps in `list` the heaviest match of each place (the first found among equals), in first-found order. */
function keepBest(list: Match[], m: Match): void {
  for (let i = 0; i < list.length; i++) {
    const prev = list[i];
    if (prev?.place !== m.place) continue;
    if (m.weight > prev.weight) list[i] = m;
    return;
  }
  list.push(m);
}

function matchOf(list: readonly Match[], place: Place): Match | undefined {
  for (const m of list) if (m.place === place) return m;
  return undefined;
}

/** The text without its spaces, and the original offset of each character kept (null when it had none). */
function withoutSpaces(text: string): { clean: string; offsets: number[] | null } {
  if (!/\s/.test(text)) return { clean: text, offsets: null };
  let clean = '';
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) continue;
    clean += ch;
    offsets.push(i);
  }
  return { clean, offsets };
}

/** What all equally good readings agree on: their district, and their street if they agree on the district too. */
function agreed(all: readonly Hypothesis[]): { district: Place | null; street: Place | null } {
  const first = all[0];
  if (!first) return { district: null, street: null };
  const district = all.every((h) => h.district === first.district) ? first.district : null;
  const street = district && all.every((h) => h.street === first.street) ? first.street : null;
  return { district, street };
}

/** The result with each match's index moved back to the text as given (`offsets` null: no spaces were removed). */
function withOffsets(r: AddressResolution, offsets: readonly number[] | null): AddressResolution {
  if (offsets) for (const m of r.matched) m.index = offsets[m.index] ?? m.index;
  return r;
}

function sum(ms: readonly Match[]): number {
  return ms.reduce((s, m) => s + m.weight, 0);
}

function overlaps(a: Match, b: Match): boolean {
  return a.index < b.end && b.index < a.end;
}

function sameReading(a: Hypothesis, b: Hypothesis): boolean {
  return a.district === b.district && a.street === b.street && a.community === b.community;
}

/** 朝阳 inside 朝阳门街道, 大兴 inside 大兴庄镇: a name inside a longer found name is not a mention. */
function dropContained(matches: Match[]): Match[] {
  return matches.filter((m) => !matches.some((n) => n.end - n.index > m.end - m.index && n.index <= m.index && n.end >= m.end));
}

const indexCache = new WeakMap<Geography, GeographyIndex>();

/** Resolves with an index cached per geography object (build the index yourself to control its lifetime). */
export function resolveAddress(text: string, geography: Geography | GeographyIndex): AddressResolution {
  if (geography instanceof GeographyIndex) return geography.resolve(text);
  let index = indexCache.get(geography);
  if (!index) {
    index = new GeographyIndex(geography);
    indexCache.set(geography, index);
  }
  return index.resolve(text);
}

/** Adds an alias to the build-time trie (a name already there gains the place, once). */
function addAlias(build: TrieBuild, name: string, place: Place, strength: Strength): void {
  const list = build.byName.get(name);
  if (list) {
    if (list.some((a) => a.place === place)) return;
    list.push({ place, strength });
    return;
  }
  if (name.length > MAX_ALIAS_LENGTH) return;
  const aliases = [{ place, strength }];
  build.byName.set(name, aliases);
  let node = build.root;
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    let next = node.next.get(ch);
    if (!next) {
      next = { next: new Map(), aliases: null };
      node.next.set(ch, next);
    }
    node = next;
  }
  node.aliases = aliases;
}

/** Freezes the build-time trie into typed arrays (see FrozenTrie). */
function freeze(trie: TrieNode): FrozenTrie {
  const nodes: TrieNode[] = [];
  const units: number[] = [];
  const queue: [TrieNode, number][] = [...trie.next].map(([u, n]) => [n, u]);
  const indexOf = new Map<TrieNode, number>();
  for (let head = 0; head < queue.length; head++) {
    const item = queue[head];
    if (!item) break;
    const [node, u] = item;
    indexOf.set(node, nodes.length);
    nodes.push(node);
    units.push(u);
    for (const [cu, child] of node.next) queue.push([child, cu]);
  }
  const n = nodes.length;
  const frozen: FrozenTrie = {
    root: new Int32Array(65536).fill(-1),
    firstChild: new Int32Array(n).fill(-1),
    sibling: new Int32Array(n).fill(-1),
    unit: new Uint16Array(units),
    slot: new Int32Array(n).fill(-1),
    lists: [],
  };
  for (const [u, node] of trie.next) frozen.root[u] = indexOf.get(node) ?? -1;
  nodes.forEach((node, i) => {
    if (node.aliases) {
      frozen.slot[i] = frozen.lists.length;
      frozen.lists.push(node.aliases);
    }
    let prev = -1;
    for (const child of node.next.values()) {
      const c = indexOf.get(child) ?? -1;
      if (prev < 0) frozen.firstChild[i] = c;
      else frozen.sibling[prev] = c;
      prev = c;
    }
  });
  return frozen;
}
