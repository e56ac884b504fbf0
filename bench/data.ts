/**
 * Deterministic, realistic hotline cases for the sync benchmark (`npm run bench:sync`).
 *
 * `makeCases(n, seed)` returns the same n cases for the same (n, seed) on every machine and in
 * every process, so "ours" and the PouchDB peer replicate byte-identical payloads. Each case is
 * a CaseDraft (what the operator types at intake) plus the id, number and creation time the
 * workstation assigns; serialised as JSON one case is ~1 KB (the description alone is 600–800
 * bytes of UTF-8 Chinese text).
 *
 * No Math.random: a small seeded PRNG (sfc32 seeded through splitmix32) drives everything.
 * Prefixes of the output are stable: makeCases(100, s) equals makeCases(1000, s).slice(0, 100).
 *
 * Self-check: `npx tsx bench/data.ts [--n 10000] [--seed 1]` prints sizes, validation and a digest.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CaseDraft, CaseNumber, formatCaseNumber } from '../src/shared/domain/case';

/**
 * One benchmark case: the intake draft plus what the workstation assigns when it creates it.
 * A type alias (not an interface) so it is assignable to Record<string, unknown>.
 */
export type BenchCase = {
  id: string;
  number: string;
  callerPhone: string;
  callerName: string;
  categoryCode: string;
  address: string;
  description: string;
  createdAt: number;
};

export const DESCRIPTION_MIN_BYTES = 600;
export const DESCRIPTION_MAX_BYTES = 800;
/** Station that creates every benchmark case (workstation A). */
export const BENCH_STATION = 'S0001';
/** 2025-03-03 08:00:00 +08:00, the first case's creation time; later ones follow at 5–90 s. */
const START_MS = Date.UTC(2025, 2, 3, 0, 0, 0);

// ---------------------------------------------------------------------------------------------
// PRNG

/** A seeded PRNG: sfc32 (passes PractRand to 2^47) with its state expanded by splitmix32. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix32 = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Rng.pick on an empty list');
    return item;
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }

  /** RFC 4122 version-4 UUID built from this generator's bytes. */
  uuid(): string {
    const bytes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const w = this.nextU32();
      bytes.push(w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff);
    }
    const at = (i: number): number => bytes[i] ?? 0;
    bytes[6] = (at(6) & 0x0f) | 0x40;
    bytes[8] = (at(8) & 0x3f) | 0x80;
    const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Reference data from the project's own resources

const ROOT = path.resolve(__dirname, '..');

const CategoriesFile = z.object({
  categories: z.array(z.object({ code: z.string(), parent: z.string().nullable(), nameZh: z.string() })),
});
const GeographyFile = z.object({
  districts: z.array(
    z.object({
      nameZh: z.string(),
      streets: z.array(
        z.object({ nameZh: z.string(), kind: z.string(), communities: z.array(z.tuple([z.string(), z.string()])) }),
      ),
    }),
  ),
});

interface Leaf {
  code: string;
  nameZh: string;
}
interface Place {
  district: string;
  street: string;
  community: string;
  /** Subdistricts and areas are urban (numbered roads and buildings); towns and townships are not. */
  urban: boolean;
}

let reference: { leaves: Leaf[]; places: Place[] } | undefined;

function loadReference(): { leaves: Leaf[]; places: Place[] } {
  if (reference) return reference;
  const categories = CategoriesFile.parse(JSON.parse(readFileSync(path.join(ROOT, 'resources/seed/categories.json'), 'utf8')));
  const leaves = categories.categories.filter((c) => c.parent !== null).map((c) => ({ code: c.code, nameZh: c.nameZh }));
  const geography = GeographyFile.parse(JSON.parse(readFileSync(path.join(ROOT, 'resources/geography/beijing.json'), 'utf8')));
  // One entry per community, so denser districts get proportionally more calls.
  const places: Place[] = [];
  for (const district of geography.districts) {
    for (const street of district.streets) {
      const urban = street.kind === 'subdistrict' || street.kind === 'area';
      for (const [, community] of street.communities) {
        places.push({ district: district.nameZh, street: street.nameZh, community, urban });
      }
    }
  }
  if (leaves.length === 0 || places.length === 0) throw new Error('bench/data: empty categories or geography');
  reference = { leaves, places };
  return reference;
}

// ---------------------------------------------------------------------------------------------
// Phrase lists

const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗',
  '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧', '程', '曹', '袁', '邓', '许', '傅', '沈', '曾', '彭', '吕',
  '苏', '卢', '蒋', '蔡', '贾', '丁', '魏', '薛', '叶', '阎', '余', '潘', '杜', '戴', '夏', '钟', '汪', '田', '任', '姜',
  '范', '方', '石', '姚', '谭', '廖', '邹', '熊', '金', '陆', '郝', '孔', '白', '崔', '康', '毛', '邱', '秦', '江', '史',
  '顾', '侯', '邵', '孟', '龙', '万', '段', '雷', '钱', '汤', '尹', '常', '武', '乔', '贺', '赖', '龚', '文', '欧阳', '司马',
] as const;
const GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚',
  '华', '国', '志', '淑', '玉', '海', '燕', '红', '梅', '文', '建', '俊', '浩', '宇', '欣', '怡', '子', '涵', '梓', '轩',
  '雨', '晨', '佳', '琪', '思', '博', '凯', '鹏', '飞', '婷', '雪', '慧', '颖', '桂', '兰', '凤', '英', '秀', '珍', '德',
  '福', '春', '秋', '波', '辉', '鑫', '帅', '永', '立', '宏', '振', '晓', '丹', '萍', '亮', '斌', '荣', '新', '云', '林',
] as const;
const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157',
  '158', '159', '166', '173', '175', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189',
  '191', '198', '199',
] as const;
const ROADS = [
  '建国路', '朝阳路', '长安街', '西直门外大街', '学院路', '中关村大街', '知春路', '北三环东路', '东三环中路', '南三环西路',
  '西四环北路', '阜成路', '复兴路', '广安门外大街', '白石桥路', '安立路', '北苑路', '望京街', '酒仙桥路', '东直门外大街',
  '朝阳门北大街', '工体北路', '三里屯路', '东四环南路', '广渠路', '劲松路', '南磨房路', '双井街', '左安路', '马家堡东路',
  '丰台北路', '科学城路', '鲁谷路', '石景山路', '永定路', '万寿路', '海淀大街', '苏州街', '上地信息路', '清河中街',
  '回龙观西大街', '天通苑北路', '黄平路', '新华大街', '玉带河东街', '九棵树东路', '兴华大街', '黄村西大街', '良乡大街', '新城南街',
  '府前街', '鼓楼东大街', '交道口南大街', '地安门外大街', '平安大街', '德胜门外大街', '新街口外大街', '西单北大街', '菜市口大街', '前门大街',
] as const;
const HUTONGS = ['南锣鼓巷', '东四十条', '史家胡同', '烟袋斜街', '砖塔胡同', '帽儿胡同', '西四北头条', '大栅栏西街', '杨梅竹斜街', '菊儿胡同'] as const;
const VILLAGE_SPOTS = ['村委会东侧', '村口小广场附近', '村北路口', '村南侧农田旁', '村内主街', '镇政府西侧路段'] as const;

const OPENINGS = [
  '市民来电反映，',
  '来电人反映：',
  '来电人称，',
  '来电人自述为附近居民，反映',
  '市民来电表示，',
  '来电人代表所在楼门的多户居民反映，',
  '来电人为附近商户经营者，反映',
  '来电人称其家中老人行动不便，代为反映',
] as const;
const PROBLEM_FORMS = [
  '存在{cat}问题，',
  '出现{cat}的情况，',
  '长期存在{cat}现象，',
  '近期反复出现{cat}问题，',
  '发生{cat}相关情况，',
] as const;
const DETAILS = [
  '该情况自{m}月{d}日起出现，至今已持续约{k}天。',
  '近{k}周以来几乎每天都会发生，尤其是晚上{h}点以后更为明显。',
  '今天上午{h}点左右来电人发现该问题，随后拨打热线反映。',
  '现场情况较为严重，来电人已拍照留存，可以配合提供照片。',
  '周边有老人和孩子经常经过，存在一定的安全隐患。',
  '附近居民对此意见较大，多次在业主群里讨论，但一直没有结果。',
  '来电人表示该问题在雨天或大风天气时更加突出。',
  '据来电人描述，影响范围约有{k}十米，涉及周边{k}栋楼的住户。',
  '来电人称此前已向物业公司反映过{k}次，物业表示不归其管理。',
  '来电人曾于上个月拨打过热线，当时有工作人员到场查看，但问题未彻底解决，近期又出现反复。',
  '来电人已向所在社区居委会反映，社区答复需要上级部门协调处理。',
  '来电人表示家中有刚出生的婴儿，夜间休息受到很大影响。',
  '该位置靠近小学和幼儿园，上下学时段人流密集。',
  '来电人称问题发生时已经报过警，民警到场后建议向相关职能部门反映。',
  '据来电人了解，楼内其他住户也有同样的诉求。',
  '来电人补充说明，该情况在周末和节假日期间尤为严重。',
  '来电人表示自己年纪较大，不方便到现场指认，可由家属配合。',
  '现场附近没有设置任何提示标志，夜间照明条件也比较差。',
  '来电人称曾在网上留言反映，但未收到任何回复。',
  '来电人情绪比较激动，表示如果再得不到解决将向上级部门反映。',
  '来电人认为相关单位存在推诿现象，希望明确责任主体。',
  '据来电人描述，问题最早出现在去年冬天，今年开春后明显加重。',
  '来电人表示已经自行联系过施工方和管理方，对方均未给出明确答复。',
  '来电人称附近还有多处类似情况，希望一并排查。',
  '来电人反映的位置在小区{k}号门东侧约五十米处，比较容易找到。',
  '来电人担心如果不及时处理，可能引发更严重的后果。',
  '来电人称该问题已经影响到正常上下班出行，每天需要绕行。',
  '来电人表示家中老人患有心脏病，对此非常担心。',
  '据了解，该区域正在进行老旧小区综合整治，来电人不清楚是否与此有关。',
  '来电人说明自己是租户，房东目前在外地，无法出面协调。',
  '来电人称问题集中出现在早上{h}点至{h2}点之间。',
  '来电人此前已与涉事方当面沟通过，对方态度较差，拒绝整改。',
] as const;
const DEMANDS = [
  '来电人希望相关部门尽快到现场核实处理，并将处理结果及时反馈。',
  '诉求：请求职能部门依法查处，彻底解决该问题。',
  '来电人要求工作人员处理前先电话联系，工作日白天方便接听。',
  '来电人希望有关部门加强日常巡查，防止问题再次出现。',
  '来电人请求尽快安排人员维修，恢复正常使用。',
  '来电人希望明确答复该问题由哪个部门负责以及处理时限。',
] as const;
const CLOSINGS = [
  '请相关部门核实处理。',
  '来电人不同意公开个人信息，请注意保密。',
  '来电人希望回访，请联系来电号码。',
  '以上情况请尽快处置并回复来电人。',
  '来电人同意公开诉求内容。',
] as const;

// ---------------------------------------------------------------------------------------------
// Field generators

function callerPhone(rng: Rng): string {
  if (rng.chance(0.78)) return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
  // Beijing landlines: 010- followed by 8 digits, which never start with 0 or 1.
  return `010-${rng.pick(['5', '6', '8'])}${rng.digits(7)}`;
}

function callerName(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.08) return ''; // anonymous caller
  const surname = rng.pick(SURNAMES);
  if (roll < 0.38) return surname + rng.pick(['先生', '女士']);
  return surname + rng.pick(GIVEN) + (rng.chance(0.65) ? rng.pick(GIVEN) : '');
}

function address(rng: Rng, place: Place): string {
  const head = `北京市${place.district}${place.street}`;
  if (!place.urban) {
    return rng.chance(0.5) ? `${head}${place.community}${rng.pick(VILLAGE_SPOTS)}` : `${head}${place.community}${rng.int(1, 260)}号`;
  }
  if (rng.chance(0.12)) return `${head}${rng.pick(HUTONGS)}${rng.int(1, 120)}号院`;
  const road = `${head}${rng.pick(ROADS)}${rng.int(1, 300)}号`;
  if (rng.chance(0.3)) return road;
  return `${road}${place.community}${rng.int(1, 40)}号楼${rng.int(1, 6)}单元${rng.int(1, 28)}${String(rng.int(1, 6)).padStart(2, '0')}`;
}

function fill(rng: Rng, template: string): string {
  const h = rng.int(6, 21);
  return template
    .replaceAll('{m}', String(rng.int(1, 12)))
    .replaceAll('{d}', String(rng.int(1, 28)))
    .replaceAll('{k}', String(rng.int(2, 9)))
    .replaceAll('{h2}', String(h + rng.int(1, 2)))
    .replaceAll('{h}', String(h));
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function description(rng: Rng, leaf: Leaf, place: Place): string {
  const where = place.urban ? `${place.street}${place.community}${rng.int(1, 40)}号楼附近` : `${place.street}${place.community}`;
  const head = `${rng.pick(OPENINGS)}${where}${fill(rng, rng.pick(PROBLEM_FORMS)).replace('{cat}', leaf.nameZh)}`;
  const demand = rng.pick(DEMANDS);
  const closing = rng.chance(0.6) ? rng.pick(CLOSINGS) : '';
  const target = rng.int(DESCRIPTION_MIN_BYTES + 20, DESCRIPTION_MAX_BYTES - 20);
  let budget = target - bytes(head) - bytes(demand) - bytes(closing);
  const maxBudget = DESCRIPTION_MAX_BYTES - bytes(head) - bytes(demand) - bytes(closing);
  // Draw details without replacement until the target is reached; skip one that would overflow.
  const pool: string[] = [...DETAILS];
  const middle: string[] = [];
  let used = 0;
  while (budget > 0 && pool.length > 0) {
    const index = rng.int(0, pool.length - 1);
    const [template] = pool.splice(index, 1);
    if (template === undefined) break;
    const sentence = fill(rng, template);
    if (used + bytes(sentence) > maxBudget) continue;
    middle.push(sentence);
    used += bytes(sentence);
    budget -= bytes(sentence);
  }
  return head + middle.join('') + demand + closing;
}

/** The i-th case of a stream; exposed so a generator can stream 100,000 cases without holding them. */
export function* generateCases(n: number, seed: number): Generator<BenchCase> {
  const { leaves, places } = loadReference();
  const rng = new Rng(seed);
  let createdAt = START_MS;
  for (let i = 0; i < n; i++) {
    createdAt += rng.int(5_000, 90_000);
    const id = rng.uuid();
    const leaf = rng.pick(leaves);
    const place = rng.pick(places);
    yield {
      id,
      number: formatCaseNumber(BENCH_STATION, i + 1),
      callerPhone: callerPhone(rng),
      callerName: callerName(rng),
      categoryCode: leaf.code,
      address: address(rng, place),
      description: description(rng, leaf, place),
      createdAt,
    };
  }
}

/** n deterministic, realistic cases (~1 KB of JSON each) for the given seed. */
export function makeCases(n: number, seed = 1): BenchCase[] {
  return Array.from(generateCases(n, seed));
}

/** Order-independent SHA-256 over the cases' canonical JSON (keys sorted), to prove two stores hold the same data. */
export function digestCases(cases: Iterable<Readonly<Record<string, unknown>>>, idKey = 'id'): string {
  const lines: string[] = [];
  for (const c of cases) {
    const id = c[idKey];
    if (typeof id !== 'string') throw new Error(`digestCases: case without string ${idKey}`);
    const fields = Object.keys(c)
      .filter((k) => k !== idKey && !k.startsWith('_'))
      .sort()
      .map((k) => [k, c[k]]);
    lines.push(`${id}\t${JSON.stringify(fields)}`);
  }
  lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Self-check

function argValue(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} needs a positive integer`);
  return value;
}

function selfCheck(args: readonly string[]): void {
  const n = argValue(args, '--n', 10_000);
  const seed = argValue(args, '--seed', 1);
  const started = performance.now();
  const cases = makeCases(n, seed);
  const genMs = performance.now() - started;
  const sizes = cases.map((c) => bytes(JSON.stringify(c)));
  const descSizes = cases.map((c) => bytes(c.description));
  const invalid = cases.filter((c) => !CaseDraft.safeParse(c).success || !CaseNumber.safeParse(c.number).success || !z.uuid().safeParse(c.id).success);
  const again = makeCases(Math.min(n, 500), seed);
  const stablePrefix = digestCases(again) === digestCases(cases.slice(0, again.length));
  const sum = sizes.reduce((a, b) => a + b, 0);
  const report = {
    n,
    seed,
    generate_ms: Math.round(genMs),
    avg_json_bytes: Math.round(sum / n),
    min_json_bytes: Math.min(...sizes),
    max_json_bytes: Math.max(...sizes),
    total_json_mb: +(sum / 1024 / 1024).toFixed(2),
    description_bytes: { min: Math.min(...descSizes), max: Math.max(...descSizes) },
    distinct_ids: new Set(cases.map((c) => c.id)).size,
    distinct_descriptions: new Set(cases.map((c) => c.description)).size,
    distinct_categories: new Set(cases.map((c) => c.categoryCode)).size,
    landline_share: +(cases.filter((c) => c.callerPhone.startsWith('010-')).length / n).toFixed(3),
    invalid_drafts: invalid.length,
    deterministic_prefix: stablePrefix,
    digest: digestCases(cases),
  };
  console.log(JSON.stringify(report));
  if (args.includes('--sample')) console.log(JSON.stringify(cases.slice(0, 3), null, 2));
  const ok =
    invalid.length === 0 &&
    stablePrefix &&
    report.distinct_ids === n &&
    report.description_bytes.min >= DESCRIPTION_MIN_BYTES &&
    report.description_bytes.max <= DESCRIPTION_MAX_BYTES;
  if (!ok) {
    console.error('bench/data self-check FAILED');
    process.exitCode = 1;
  }
}

if (require.main === module) selfCheck(process.argv.slice(2));
