import fs from 'node:fs';
import path from 'node:path';
import { Geography } from '../src/shared/reference/geography';
import type { Street } from '../src/shared/reference/geography';
import { UnitsFile } from '../src/shared/reference/units';
import type { DistrictDepartment, Unit } from '../src/shared/reference/units';

// Writes resources/reference/units.json: one government and its departments (DISTRICT_DEPARTMENTS)
// per district and one office per street/township (from resources/geography/beijing.json), plus the municipal bureaus and
// public-service companies the hotline dispatches to (the table below — edit it here, not in the
// JSON). Run after gen-geography: npx tsx scripts/gen-units.ts

const ROOT = path.resolve(__dirname, '..');
const GEOGRAPHY = path.join(ROOT, 'resources/geography/beijing.json');
const OUT = path.join(ROOT, 'resources/reference/units.json');

interface CityUnit {
  id: string;
  kind: 'bureau' | 'company';
  nameZh: string;
  nameEn: string;
  /** Category or parent codes in resources/seed/categories.json; [] = any. */
  categories: string[];
}

const CITY_UNITS: CityUnit[] = [
  // The fallback of resources/reference/routing.json: a dispatcher routes the case by hand.
  { id: 'bureau.hotline_centre', kind: 'bureau', nameZh: '北京市12345市民服务热线（人工派单）', nameEn: 'Beijing 12345 Hotline Centre (manual dispatch)', categories: [] },
  { id: 'bureau.service_admin', kind: 'bureau', nameZh: '北京市政务服务和数据管理局', nameEn: 'Beijing Municipal Government Service and Data Administration', categories: ['gov.service_query', 'gov.suggestion'] },
  { id: 'bureau.housing', kind: 'bureau', nameZh: '北京市住房和城乡建设委员会', nameEn: 'Beijing Municipal Commission of Housing and Urban-Rural Development', categories: ['housing.rental_dispute', 'housing.public_rental', 'housing.purchase_policy', 'construction.site_safety'] },
  { id: 'bureau.transport', kind: 'bureau', nameZh: '北京市交通委员会', nameEn: 'Beijing Municipal Commission of Transport', categories: ['transport.road_damage', 'transport.taxi', 'transport.ride_hailing', 'transport.shared_bikes', 'transport.car_quota_query'] },
  { id: 'bureau.urban_mgmt', kind: 'bureau', nameZh: '北京市城市管理委员会', nameEn: 'Beijing Municipal Commission of Urban Management', categories: ['urban.street_lights', 'urban.manhole'] },
  { id: 'bureau.urban_enforcement', kind: 'bureau', nameZh: '北京市城市管理综合行政执法局', nameEn: 'Beijing Municipal Urban Management Law Enforcement Bureau', categories: ['noise.construction', 'environment.dust'] },
  { id: 'bureau.water', kind: 'bureau', nameZh: '北京市水务局', nameEn: 'Beijing Water Authority', categories: ['environment.river'] },
  { id: 'bureau.ecology', kind: 'bureau', nameZh: '北京市生态环境局', nameEn: 'Beijing Municipal Ecology and Environment Bureau', categories: ['environment.air_pollution', 'environment.water_pollution', 'noise.traffic'] },
  { id: 'bureau.market', kind: 'bureau', nameZh: '北京市市场监督管理局', nameEn: 'Beijing Municipal Administration for Market Regulation', categories: ['market', 'housing.elevator_fault'] },
  { id: 'bureau.drug', kind: 'bureau', nameZh: '北京市药品监督管理局', nameEn: 'Beijing Medical Products Administration', categories: ['market.pharmaceutical'] },
  { id: 'bureau.hrss', kind: 'bureau', nameZh: '北京市人力资源和社会保障局', nameEn: 'Beijing Municipal Human Resources and Social Security Bureau', categories: ['labor'] },
  { id: 'bureau.health', kind: 'bureau', nameZh: '北京市卫生健康委员会', nameEn: 'Beijing Municipal Health Commission', categories: ['health.medical_service', 'health.epidemic_prevention', 'health.vaccination_query'] },
  { id: 'bureau.medical_security', kind: 'bureau', nameZh: '北京市医疗保障局', nameEn: 'Beijing Municipal Healthcare Security Administration', categories: ['health.medical_insurance'] },
  { id: 'bureau.education', kind: 'bureau', nameZh: '北京市教育委员会', nameEn: 'Beijing Municipal Education Commission', categories: ['education'] },
  { id: 'bureau.traffic_police', kind: 'bureau', nameZh: '北京市公安局公安交通管理局', nameEn: 'Beijing Traffic Management Bureau (traffic police)', categories: ['transport.traffic_violation', 'transport.traffic_signals', 'transport.traffic_fine_query'] },
  { id: 'bureau.public_security', kind: 'bureau', nameZh: '北京市公安局（非紧急警务）', nameEn: 'Beijing Municipal Public Security Bureau (non-emergency)', categories: ['public_security'] },
  { id: 'bureau.civil_affairs', kind: 'bureau', nameZh: '北京市民政局', nameEn: 'Beijing Municipal Civil Affairs Bureau', categories: ['civil.elderly_care', 'civil.subsistence_allowance', 'civil.funeral', 'civil.marriage_registration_query'] },
  { id: 'bureau.disabled_persons', kind: 'bureau', nameZh: '北京市残疾人联合会', nameEn: "Beijing Disabled Persons' Federation", categories: ['civil.disability'] },
  { id: 'bureau.culture_tourism', kind: 'bureau', nameZh: '北京市文化和旅游局', nameEn: 'Beijing Municipal Bureau of Culture and Tourism', categories: ['culture'] },
  { id: 'bureau.planning', kind: 'bureau', nameZh: '北京市规划和自然资源委员会', nameEn: 'Beijing Municipal Commission of Planning and Natural Resources', categories: ['construction.planning_query'] },
  { id: 'bureau.landscaping', kind: 'bureau', nameZh: '北京市园林绿化局', nameEn: 'Beijing Municipal Forestry and Parks Bureau', categories: ['urban.trees'] },
  { id: 'bureau.emergency_mgmt', kind: 'bureau', nameZh: '北京市应急管理局', nameEn: 'Beijing Municipal Emergency Management Bureau', categories: ['safety.workplace'] },
  { id: 'bureau.fire_rescue', kind: 'bureau', nameZh: '北京市消防救援总队', nameEn: 'Beijing Fire and Rescue Corps', categories: ['safety.fire_hazard'] },
  { id: 'company.waterworks', kind: 'company', nameZh: '北京市自来水集团有限责任公司', nameEn: 'Beijing Waterworks Group', categories: ['utility.water_outage', 'utility.water_quality', 'utility.water_pipe_burst'] },
  { id: 'company.drainage', kind: 'company', nameZh: '北京城市排水集团有限责任公司', nameEn: 'Beijing Drainage Group', categories: ['utility.sewer'] },
  { id: 'company.power', kind: 'company', nameZh: '国网北京市电力公司', nameEn: 'State Grid Beijing Electric Power Company', categories: ['utility.power_outage', 'utility.power_bill_query'] },
  { id: 'company.gas', kind: 'company', nameZh: '北京市燃气集团有限责任公司', nameEn: 'Beijing Gas Group', categories: ['utility.gas_leak', 'utility.gas_supply'] },
  { id: 'company.heating', kind: 'company', nameZh: '北京市热力集团有限责任公司', nameEn: 'Beijing District Heating Group', categories: ['utility.heating', 'utility.heating_fee_query'] },
  { id: 'company.bus', kind: 'company', nameZh: '北京公共交通控股（集团）有限公司', nameEn: 'Beijing Public Transport Corporation', categories: ['transport.bus_service', 'transport.bus_route_query'] },
  { id: 'company.subway', kind: 'company', nameZh: '北京市地铁运营有限公司', nameEn: 'Beijing Subway Operation Company', categories: ['transport.subway_service'] },
];

interface DepartmentSpec {
  department: DistrictDepartment;
  /** The unit's names from the district's (朝阳区, Chaoyang District) and its short name (朝阳, Chaoyang). */
  nameZh: (district: string, short: string) => string;
  nameEn: (district: string, short: string) => string;
  /** Category or parent codes it handles for its district. */
  categories: string[];
}

// Each district's departments that non-territorial cases go to (routing's {districtDepartment}).
// Names follow the districts' standard institutional names (区城市管理综合行政执法局 …); the traffic
// police of a district is a detachment of the city's Traffic Management Bureau (朝阳交通支队).
const DISTRICT_DEPARTMENTS: DepartmentSpec[] = [
  { department: 'urban_enforcement', nameZh: (d) => `${d}城市管理综合行政执法局`, nameEn: (d) => `${d} Urban Management Law Enforcement Bureau`, categories: ['noise.construction', 'environment.dust'] },
  {
    department: 'housing',
    nameZh: (d) => `${d}住房和城乡建设委员会`,
    nameEn: (d) => `${d} Commission of Housing and Urban-Rural Development`,
    categories: ['construction.site_safety', 'housing.rental_dispute', 'housing.public_rental', 'housing.old_community_renovation'],
  },
  { department: 'market', nameZh: (d) => `${d}市场监督管理局`, nameEn: (d) => `${d} Administration for Market Regulation`, categories: ['market', 'housing.elevator_fault'] },
  { department: 'ecology', nameZh: (d) => `${d}生态环境局`, nameEn: (d) => `${d} Ecology and Environment Bureau`, categories: ['environment.air_pollution', 'environment.water_pollution', 'noise.traffic'] },
  { department: 'hrss', nameZh: (d) => `${d}人力资源和社会保障局`, nameEn: (d) => `${d} Human Resources and Social Security Bureau`, categories: ['labor'] },
  {
    department: 'traffic_police',
    nameZh: (_d, short) => `北京市公安局公安交通管理局${short}交通支队`,
    nameEn: (_d, short) => `${short} Traffic Police Detachment, Beijing Traffic Management Bureau`,
    categories: ['transport.traffic_violation', 'transport.traffic_signals'],
  },
  { department: 'education', nameZh: (d) => `${d}教育委员会`, nameEn: (d) => `${d} Education Commission`, categories: ['education'] },
  { department: 'health', nameZh: (d) => `${d}卫生健康委员会`, nameEn: (d) => `${d} Health Commission`, categories: ['health.medical_service', 'health.epidemic_prevention', 'health.vaccination_query'] },
  { department: 'civil_affairs', nameZh: (d) => `${d}民政局`, nameEn: (d) => `${d} Civil Affairs Bureau`, categories: ['civil.elderly_care', 'civil.funeral', 'civil.marriage_registration_query'] },
];

const apiKeyId = (id: string): string => `uk_${id.replace(/\./g, '_')}`;

function officeNames(s: Street): { nameZh: string; nameEn: string } {
  if (s.nameEn === null) throw new Error(`street ${s.code} ${s.nameZh} has no English name`);
  switch (s.kind) {
    case 'subdistrict':
    case 'area':
      return { nameZh: `${s.nameZh}办事处`, nameEn: `${s.nameEn} Office` };
    case 'town':
    case 'township':
      return { nameZh: `${s.nameZh}人民政府`, nameEn: `${s.nameEn} Government` };
    case 'zone':
      return { nameZh: `${s.nameZh}管理委员会`, nameEn: `${s.nameEn} Administrative Committee` };
  }
}

const geo = Geography.parse(JSON.parse(fs.readFileSync(GEOGRAPHY, 'utf8')));
const units: Unit[] = [];
for (const d of geo.districts) {
  const id = `district.${d.code}`;
  units.push({
    id,
    kind: 'district_gov',
    nameZh: `${d.nameZh}人民政府`,
    nameEn: `${d.nameEn} Government`,
    districtCode: d.code,
    streetCode: null,
    covers: { districts: [d.code], streets: [], categories: [] },
    apiKeyId: apiKeyId(id),
  });
}
for (const d of geo.districts) {
  const shortZh = d.nameZh.replace(/区$/, '');
  const shortEn = d.nameEn.replace(/ District$/, '');
  for (const spec of DISTRICT_DEPARTMENTS) {
    const id = `dept.${d.code}.${spec.department}`;
    units.push({
      id,
      kind: 'district_dept',
      nameZh: spec.nameZh(d.nameZh, shortZh),
      nameEn: spec.nameEn(d.nameEn, shortEn),
      districtCode: d.code,
      streetCode: null,
      department: spec.department,
      covers: { districts: [d.code], streets: [], categories: spec.categories },
      apiKeyId: apiKeyId(id),
    });
  }
}
for (const d of geo.districts) {
  for (const s of d.streets) {
    const id = `street.${s.code}`;
    units.push({
      id,
      kind: 'street_office',
      ...officeNames(s),
      districtCode: d.code,
      streetCode: s.code,
      covers: { districts: [], streets: [s.code], categories: [] },
      apiKeyId: apiKeyId(id),
    });
  }
}
for (const u of CITY_UNITS) {
  units.push({ id: u.id, kind: u.kind, nameZh: u.nameZh, nameEn: u.nameEn, districtCode: null, streetCode: null, covers: { districts: [], streets: [], categories: u.categories }, apiKeyId: apiKeyId(u.id) });
}

const file = UnitsFile.parse({
  $comment:
    'Generated by scripts/gen-units.ts (district governments, district departments and street offices from resources/geography/beijing.json; bureaus and companies from the table in the script). apiKeyId names a key; the server generates the secret at seeding — no secrets here. covers: empty districts+streets = whole city, empty categories = any. Schema: src/shared/reference/units.ts.',
  units,
});
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, `{\n  "$comment": ${JSON.stringify(file.$comment)},\n  "units": [\n${file.units.map((u) => `    ${JSON.stringify(u)}`).join(',\n')}\n  ]\n}\n`);
const byKind: Record<string, number> = {};
for (const u of file.units) byKind[u.kind] = (byKind[u.kind] ?? 0) + 1;
console.log(JSON.stringify({ file: path.relative(ROOT, OUT), bytes: fs.statSync(OUT).size, units: file.units.length, ...byKind }));
