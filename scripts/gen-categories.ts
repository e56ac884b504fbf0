import fs from 'node:fs';
import path from 'node:path';
import { CategoriesFile } from '../src/shared/reference/categories';
import type { ExtendedCategory, IntakeQuestion, RetiredCategory } from '../src/shared/reference/categories';
import type { SlaClass } from '../src/shared/domain/reference';

// Writes resources/seed/categories.json: the hotline's two-level taxonomy with the questions each
// leaf needs at intake. Authored here rather than in the JSON so that shared questions are written
// once. Run: npx tsx scripts/gen-categories.ts
// Codes of the foundation's starter file (urban.parking, utility.water_outage, …) must stay, but
// for the overlaps merged away (RETIRED below; see docs/reference-data.md).

const OUT = path.resolve(__dirname, '../resources/seed/categories.json');

type Q = IntakeQuestion;
const q = (key: string, labelZh: string, labelEn: string, type: Q['type'], required: boolean): Q => ({ key, labelZh, labelEn, type, required });
const choice = (key: string, labelZh: string, labelEn: string, required: boolean, choices: [string, string, string][]): Q => ({
  key,
  labelZh,
  labelEn,
  type: 'choice',
  required,
  choices: choices.map(([value, zh, en]) => ({ value, labelZh: zh, labelEn: en })),
});

// Questions many categories share.
const location = q('locationDetail', '具体位置（楼号、单元、门牌或路口）', 'Exact location (building, entrance, house number or crossing)', 'text', true);
const since = q('since', '问题开始时间', 'When did it start', 'datetime', false);
const ongoing = q('ongoing', '目前是否仍在持续', 'Is it still going on', 'boolean', true);
const households = q('affectedHouseholds', '影响户数（估计）', 'Households affected (estimate)', 'number', false);
const company = q('companyName', '涉事单位或商户名称', 'Name of the company, shop or organisation', 'text', true);
const companyOpt = { ...company, required: false };
const amount = q('amountYuan', '涉及金额（元）', 'Amount involved (yuan)', 'number', false);
const question = q('question', '咨询的具体问题', 'The question asked', 'text', true);
const residence = choice('residence', '来电人户籍/居住情况', "Caller's residence status", false, [
  ['beijing_hukou', '京籍', 'Beijing hukou'],
  ['residence_permit', '持北京居住证', 'Beijing residence permit'],
  ['other', '其他', 'Other'],
]);
const plate = q('plateNumber', '车牌号', 'Licence plate', 'text', false);
const nightTime = choice('timeOfDay', '主要发生时段', 'When does it mainly happen', true, [
  ['day', '白天（6时至22时）', 'Daytime (06:00–22:00)'],
  ['night', '夜间（22时至次日6时）', 'Night (22:00–06:00)'],
  ['both', '昼夜都有', 'Day and night'],
]);
const hazard = q('immediateDanger', '是否有人员受伤或紧迫危险', 'Anyone hurt or in immediate danger', 'boolean', true);
const reported = q('reportedBefore', '此前是否已向物业、社区或有关单位反映', 'Already reported to the property manager, community or unit', 'boolean', false);
const contract = q('hasContract', '是否签订书面合同', 'Is there a written contract', 'boolean', false);
const date = (key: string, zh: string, en: string, required = false): Q => q(key, zh, en, 'datetime', required);

interface Leaf {
  code: string;
  nameZh: string;
  nameEn: string;
  slaClass: SlaClass;
  directAnswer?: boolean;
  questions: Q[];
}

interface Group {
  code: string;
  nameZh: string;
  nameEn: string;
  slaClass: SlaClass;
  leaves: Leaf[];
}

const consult = (code: string, nameZh: string, nameEn: string, extra: Q[] = []): Leaf => ({
  code,
  nameZh,
  nameEn,
  slaClass: 'general',
  directAnswer: true,
  questions: [question, ...extra],
});

const TAXONOMY: Group[] = [
  {
    code: 'urban',
    nameZh: '城市管理',
    nameEn: 'Urban management',
    slaClass: 'general',
    leaves: [
      { code: 'urban.parking', nameZh: '违章停车', nameEn: 'Illegal parking', slaClass: 'general', questions: [location, plate, choice('blocking', '是否堵塞通道', 'Does it block a passage', true, [['fire_lane', '堵塞消防通道', 'Blocks a fire lane'], ['entrance', '堵塞出入口', 'Blocks an entrance'], ['none', '未堵塞', 'Not blocking']]), since] },
      { code: 'urban.sanitation', nameZh: '环境卫生', nameEn: 'Sanitation and litter', slaClass: 'general', questions: [location, q('description', '垃圾或卫生问题的情况', 'What the litter or sanitation problem is', 'text', true), since] },
      { code: 'urban.garbage_sorting', nameZh: '垃圾分类', nameEn: 'Garbage sorting', slaClass: 'general', questions: [location, choice('issue', '问题类型', 'Kind of problem', true, [['mixed_collection', '混装混运', 'Sorted waste collected mixed'], ['no_bins', '缺少分类桶站', 'No sorting bins'], ['overflow', '垃圾满溢未清运', 'Overflowing, not collected'], ['policy', '分类规则咨询', 'Sorting rules question']])] },
      { code: 'urban.street_lights', nameZh: '路灯故障', nameEn: 'Street lights out', slaClass: 'general', questions: [location, q('lampCount', '不亮路灯数量', 'Number of lamps out', 'number', false), since] },
      { code: 'urban.manhole', nameZh: '井盖缺失破损', nameEn: 'Missing or broken manhole cover', slaClass: 'emergency', questions: [location, choice('state', '井盖状况', 'State of the cover', true, [['missing', '缺失', 'Missing'], ['broken', '破损', 'Broken'], ['sunken', '下沉/异响', 'Sunken or rattling']]), hazard] },
      { code: 'urban.street_vendors', nameZh: '占道经营', nameEn: 'Street vending and stalls on the road', slaClass: 'general', questions: [location, nightTime, since] },
      { code: 'urban.illegal_ads', nameZh: '非法小广告', nameEn: 'Illegal flyers and posters', slaClass: 'general', questions: [location, q('phoneOnAd', '小广告上的联系电话', 'Phone number on the flyer', 'text', false)] },
      { code: 'urban.restaurant_fumes', nameZh: '餐饮油烟', nameEn: 'Restaurant cooking fumes', slaClass: 'general', questions: [location, company, nightTime] },
      { code: 'urban.trees', nameZh: '树木绿化', nameEn: 'Trees and greening', slaClass: 'general', questions: [location, choice('issue', '问题类型', 'Kind of problem', true, [['pruning', '树木遮挡需修剪', 'Needs pruning'], ['fallen', '树木倒伏', 'Fallen tree'], ['pests', '病虫害', 'Tree pests'], ['green_damage', '绿地被毁占', 'Green space damaged or occupied']]), hazard] },
      { code: 'urban.public_toilets', nameZh: '公共厕所', nameEn: 'Public toilets', slaClass: 'general', questions: [location, choice('issue', '问题类型', 'Kind of problem', true, [['dirty', '卫生差', 'Dirty'], ['closed', '未开放', 'Closed'], ['broken', '设施损坏', 'Facilities broken']])] },
      { code: 'urban.pests', nameZh: '病媒生物', nameEn: 'Pests (rats, cockroaches, mosquitoes)', slaClass: 'general', questions: [location, choice('pest', '种类', 'Kind of pest', true, [['rats', '鼠', 'Rats'], ['cockroaches', '蟑螂', 'Cockroaches'], ['mosquitoes', '蚊蝇', 'Mosquitoes and flies'], ['other', '其他', 'Other']]), since] },
    ],
  },
  {
    code: 'utility',
    nameZh: '公共服务',
    nameEn: 'Public utilities',
    slaClass: 'utility',
    leaves: [
      { code: 'utility.water_outage', nameZh: '停水', nameEn: 'Water outage', slaClass: 'utility', questions: [location, since, households, q('noticeSeen', '是否看到停水通知', 'Was an outage notice posted', 'boolean', false)] },
      { code: 'utility.water_quality', nameZh: '自来水水质', nameEn: 'Tap water quality', slaClass: 'utility', questions: [location, choice('symptom', '水质现象', 'What is wrong with the water', true, [['colour', '发黄/浑浊', 'Yellow or cloudy'], ['smell', '有异味', 'Smells'], ['particles', '有杂质', 'Particles']]), households] },
      { code: 'utility.water_pipe_burst', nameZh: '供水管线爆裂', nameEn: 'Burst water main', slaClass: 'emergency', questions: [location, hazard, q('flooding', '是否有积水漫溢', 'Is water flooding the area', 'boolean', true)] },
      { code: 'utility.power_outage', nameZh: '停电', nameEn: 'Power outage', slaClass: 'utility', questions: [location, since, households, q('wholeBuilding', '是否整栋楼停电', 'Is the whole building out', 'boolean', true)] },
      { code: 'utility.heating', nameZh: '供暖不热', nameEn: 'Insufficient heating', slaClass: 'utility', questions: [location, q('indoorTemp', '室内温度（℃）', 'Indoor temperature (°C)', 'number', false), q('heatingProvider', '供热单位（如知道）', 'Heating provider (if known)', 'text', false), q('feePaid', '本季供暖费是否已缴纳', "This season's heating fee paid", 'boolean', false)] },
      { code: 'utility.heating_fee_query', nameZh: '供暖缴费咨询', nameEn: 'Heating fee question', slaClass: 'general', directAnswer: true, questions: [question] },
      { code: 'utility.gas_leak', nameZh: '燃气泄漏', nameEn: 'Gas leak', slaClass: 'emergency', questions: [location, hazard, q('valveClosed', '是否已关闭燃气阀门并开窗通风', 'Gas valve closed and windows opened', 'boolean', true)] },
      { code: 'utility.gas_supply', nameZh: '燃气停气', nameEn: 'Gas supply interruption', slaClass: 'utility', questions: [location, since, households] },
      { code: 'utility.sewer', nameZh: '排水管道堵塞', nameEn: 'Blocked sewer or drain', slaClass: 'utility', questions: [location, q('overflowing', '是否污水外溢', 'Is sewage overflowing', 'boolean', true), since] },
      { code: 'utility.power_bill_query', nameZh: '电费电价咨询', nameEn: 'Electricity bill or tariff question', slaClass: 'general', directAnswer: true, questions: [question] },
    ],
  },
  {
    code: 'housing',
    nameZh: '住房与物业',
    nameEn: 'Housing and property',
    slaClass: 'general',
    leaves: [
      { code: 'housing.property_mgmt', nameZh: '物业管理', nameEn: 'Property management', slaClass: 'general', questions: [location, q('propertyCompany', '物业公司名称', 'Property management company', 'text', false), q('issue', '反映的物业问题', 'The property-management problem', 'text', true), reported] },
      { code: 'housing.elevator_install', nameZh: '老楼加装电梯', nameEn: 'Elevator installation in old buildings', slaClass: 'complex', questions: [location, q('floors', '楼层数', 'Number of floors', 'number', false), choice('stage', '目前进展', 'Current stage', true, [['want_to_apply', '希望申请', 'Wish to apply'], ['consent_dispute', '居民意见不一', 'Residents disagree'], ['construction', '施工中', 'Under construction'], ['after_install', '已安装后问题', 'Problem after installation']])] },
      { code: 'housing.elevator_fault', nameZh: '电梯故障困人', nameEn: 'Elevator breakdown or entrapment', slaClass: 'emergency', questions: [location, q('peopleTrapped', '是否有人被困', 'Is anyone trapped', 'boolean', true), q('propertyCompany', '物业公司名称', 'Property management company', 'text', false)] },
      { code: 'housing.rental_dispute', nameZh: '房屋租赁纠纷', nameEn: 'Housing rental dispute', slaClass: 'general', questions: [location, q('agency', '中介或租赁企业名称', 'Agency or rental company', 'text', false), contract, amount, choice('issue', '纠纷类型', 'Kind of dispute', true, [['deposit', '押金不退', 'Deposit not returned'], ['eviction', '强制清退', 'Forced eviction'], ['repairs', '维修责任', 'Repairs'], ['rent_increase', '涨租', 'Rent increase']])] },
      { code: 'housing.demolition', nameZh: '拆迁腾退', nameEn: 'Demolition and relocation', slaClass: 'complex', questions: [location, q('project', '项目名称', 'Project name', 'text', false), choice('issue', '问题类型', 'Kind of problem', true, [['compensation', '补偿安置', 'Compensation and resettlement'], ['forced', '强拆', 'Forced demolition'], ['progress', '进度咨询', 'Progress']])] },
      { code: 'housing.leaks', nameZh: '房屋漏水', nameEn: 'Leaking roof or pipes', slaClass: 'general', questions: [location, choice('source', '漏水来源', 'Where the leak comes from', true, [['roof', '屋面', 'Roof'], ['upstairs', '楼上住户', 'Flat above'], ['shared_pipes', '公共管道', 'Shared pipes'], ['unknown', '不清楚', 'Unknown']]), reported] },
      { code: 'housing.public_rental', nameZh: '保障性住房', nameEn: 'Public and affordable housing', slaClass: 'general', questions: [q('applicationNo', '申请编号（如有）', 'Application number (if any)', 'text', false), q('issue', '反映的问题', 'The problem', 'text', true), residence] },
      { code: 'housing.old_community_renovation', nameZh: '老旧小区改造', nameEn: 'Renovation of old residential compounds', slaClass: 'complex', questions: [location, q('issue', '反映的问题', 'The problem', 'text', true)] },
      consult('housing.purchase_policy', '购房政策咨询', 'Home purchase policy question', [residence]),
    ],
  },
  {
    code: 'construction',
    nameZh: '规划建设',
    nameEn: 'Planning and construction',
    slaClass: 'general',
    leaves: [
      { code: 'construction.illegal_building', nameZh: '违法建设', nameEn: 'Illegal construction', slaClass: 'complex', questions: [location, choice('kind', '违建类型', 'Kind of illegal construction', true, [['rooftop', '楼顶加盖', 'Rooftop extension'], ['yard', '私搭乱建', 'Structure in a yard or green space'], ['basement', '私挖地下室', 'Dug-out basement'], ['other', '其他', 'Other']]), q('underConstruction', '是否正在施工', 'Is it being built now', 'boolean', true)] },
      { code: 'construction.site_safety', nameZh: '施工安全', nameEn: 'Construction site safety', slaClass: 'general', questions: [location, q('project', '工地或项目名称', 'Site or project name', 'text', false), hazard] },
      consult('construction.planning_query', '规划许可咨询', 'Planning permission question'),
    ],
  },
  {
    code: 'noise',
    nameZh: '噪声污染',
    nameEn: 'Noise pollution',
    slaClass: 'general',
    leaves: [
      { code: 'noise.construction', nameZh: '施工噪声', nameEn: 'Construction noise', slaClass: 'general', questions: [location, q('project', '工地或项目名称', 'Site or project name', 'text', false), nightTime, ongoing] },
      { code: 'noise.commercial', nameZh: '商业经营噪声', nameEn: 'Noise from shops and entertainment', slaClass: 'general', questions: [location, companyOpt, nightTime, ongoing] },
      // Took in 城市管理›噪音扰民 (urban.noise, retired below): same questions, same routing.
      { code: 'noise.residential', nameZh: '社会生活噪声（噪音扰民）', nameEn: 'Noise from neighbours and residents', slaClass: 'general', questions: [location, q('noiseSource', '噪音来源', 'Source of the noise', 'text', true), nightTime, ongoing] },
      { code: 'noise.traffic', nameZh: '交通噪声', nameEn: 'Traffic noise', slaClass: 'general', questions: [location, q('road', '道路或线路名称', 'Road or line', 'text', true), nightTime] },
    ],
  },
  {
    code: 'environment',
    nameZh: '生态环境',
    nameEn: 'Ecology and environment',
    slaClass: 'general',
    leaves: [
      { code: 'environment.air_pollution', nameZh: '大气污染', nameEn: 'Air pollution', slaClass: 'general', questions: [location, companyOpt, q('smokeOrSmell', '污染表现（烟尘、气味等）', 'What is seen or smelt', 'text', true), ongoing] },
      { code: 'environment.water_pollution', nameZh: '水污染', nameEn: 'Water pollution', slaClass: 'general', questions: [location, q('waterBody', '河湖或水体名称', 'River, lake or water body', 'text', false), companyOpt, ongoing] },
      { code: 'environment.dust', nameZh: '扬尘污染', nameEn: 'Dust from sites and roads', slaClass: 'general', questions: [location, q('project', '工地或项目名称', 'Site or project name', 'text', false), ongoing] },
      { code: 'environment.open_burning', nameZh: '露天焚烧', nameEn: 'Open burning', slaClass: 'general', questions: [location, ongoing, hazard] },
      { code: 'environment.river', nameZh: '河道管理', nameEn: 'Rivers and waterways', slaClass: 'general', questions: [location, q('waterBody', '河湖或水体名称', 'River, lake or water body', 'text', true), choice('issue', '问题类型', 'Kind of problem', true, [['litter', '水面垃圾', 'Floating litter'], ['blocked', '河道淤堵', 'Silted or blocked'], ['bank', '堤岸损坏', 'Damaged banks'], ['fishing_swimming', '违规垂钓游泳', 'Illegal fishing or swimming']])] },
    ],
  },
  {
    code: 'market',
    nameZh: '市场监管',
    nameEn: 'Market regulation and consumer rights',
    slaClass: 'general',
    leaves: [
      { code: 'market.food_safety', nameZh: '食品安全', nameEn: 'Food safety', slaClass: 'general', questions: [company, location, q('purchasedAt', '购买或就餐时间', 'When bought or eaten', 'datetime', false), q('illness', '是否有人身体不适', 'Did anyone fall ill', 'boolean', true), q('receipt', '是否有票据', 'Is there a receipt', 'boolean', false)] },
      { code: 'market.consumer_dispute', nameZh: '消费纠纷', nameEn: 'Consumer dispute and refund', slaClass: 'general', questions: [company, amount, q('purchaseDate', '消费日期', 'Date of purchase', 'datetime', false), q('demand', '诉求（退款、换货、赔偿）', 'What the caller wants (refund, exchange, compensation)', 'text', true)] },
      { code: 'market.prepaid_card', nameZh: '预付卡退费', nameEn: 'Prepaid card refund (gyms, salons, training)', slaClass: 'complex', questions: [company, amount, q('businessClosed', '商家是否已停业', 'Has the business closed', 'boolean', true), contract] },
      { code: 'market.pricing', nameZh: '价格违法', nameEn: 'Pricing violation', slaClass: 'general', questions: [company, q('item', '商品或服务', 'Goods or service', 'text', true), amount] },
      { code: 'market.counterfeit', nameZh: '假冒伪劣', nameEn: 'Counterfeit or substandard goods', slaClass: 'general', questions: [company, q('item', '商品名称', 'Product', 'text', true), amount] },
      { code: 'market.unlicensed_business', nameZh: '无照经营', nameEn: 'Unlicensed business', slaClass: 'general', questions: [location, companyOpt] },
      { code: 'market.pharmaceutical', nameZh: '药品安全', nameEn: 'Pharmaceutical safety', slaClass: 'general', questions: [company, q('drug', '药品或器械名称', 'Medicine or device', 'text', true), q('adverseReaction', '是否出现不良反应', 'Any adverse reaction', 'boolean', true)] },
      consult('market.business_license_query', '营业执照办理咨询', 'Business licence question'),
    ],
  },
  {
    code: 'health',
    nameZh: '医疗卫生',
    nameEn: 'Health and medical services',
    slaClass: 'general',
    leaves: [
      { code: 'health.medical_service', nameZh: '医疗服务', nameEn: 'Medical service complaint', slaClass: 'general', questions: [q('hospital', '医疗机构名称', 'Hospital or clinic', 'text', true), q('department', '科室', 'Department', 'text', false), date('visitDate', '就诊时间', 'Date of visit'), q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'health.medical_insurance', nameZh: '医保报销', nameEn: 'Medical insurance reimbursement', slaClass: 'general', questions: [q('insuranceType', '参保类型', 'Type of insurance', 'text', false), amount, q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'health.epidemic_prevention', nameZh: '传染病防控', nameEn: 'Infectious disease prevention', slaClass: 'general', questions: [location, q('issue', '反映的问题', 'The problem', 'text', true)] },
      consult('health.vaccination_query', '疫苗接种咨询', 'Vaccination question'),
    ],
  },
  {
    code: 'education',
    nameZh: '教育',
    nameEn: 'Education',
    slaClass: 'general',
    leaves: [
      { code: 'education.school_enrolment', nameZh: '义务教育入学', nameEn: 'School enrolment', slaClass: 'general', questions: [q('school', '学校名称', 'School', 'text', false), choice('grade', '入学阶段', 'Stage', true, [['primary', '小学', 'Primary school'], ['junior', '初中', 'Junior secondary']]), residence, q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'education.kindergarten', nameZh: '幼儿园入园', nameEn: 'Kindergarten places', slaClass: 'general', questions: [q('kindergarten', '幼儿园名称', 'Kindergarten', 'text', false), residence, q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'education.school_fees', nameZh: '学校乱收费', nameEn: 'Improper school fees', slaClass: 'general', questions: [q('school', '学校名称', 'School', 'text', true), amount] },
      { code: 'education.tutoring', nameZh: '校外培训', nameEn: 'Off-campus tutoring', slaClass: 'general', questions: [company, amount, q('issue', '反映的问题', 'The problem', 'text', true)] },
      consult('education.enrolment_policy_query', '入学政策咨询', 'Enrolment policy question', [residence]),
    ],
  },
  {
    code: 'labor',
    nameZh: '劳动与社保',
    nameEn: 'Labour and social security',
    slaClass: 'general',
    leaves: [
      { code: 'labor.wage_arrears', nameZh: '拖欠工资', nameEn: 'Wage arrears', slaClass: 'general', questions: [company, q('workersAffected', '涉及人数', 'Workers affected', 'number', true), amount, date('owedSince', '欠薪起始时间', 'Wages owed since'), contract, q('constructionProject', '是否为建设工程项目', 'Is it a construction project', 'boolean', true)] },
      consult('labor.social_insurance_query', '社保政策咨询', 'Social insurance policy question', [residence]),
      { code: 'labor.social_insurance', nameZh: '社保缴纳', nameEn: 'Social insurance contributions', slaClass: 'general', questions: [company, q('monthsMissing', '未缴月数', 'Months not paid', 'number', false)] },
      { code: 'labor.pension', nameZh: '养老金', nameEn: 'Pension', slaClass: 'general', questions: [q('issue', '反映的问题', 'The problem', 'text', true), q('retired', '是否已退休', 'Already retired', 'boolean', true)] },
      { code: 'labor.contract_dispute', nameZh: '劳动合同纠纷', nameEn: 'Employment contract dispute', slaClass: 'general', questions: [company, contract, q('issue', '反映的问题', 'The problem', 'text', true)] },
      consult('labor.employment_query', '就业创业政策咨询', 'Employment and start-up policy question'),
    ],
  },
  {
    code: 'transport',
    nameZh: '交通出行',
    nameEn: 'Transport',
    slaClass: 'general',
    leaves: [
      consult('transport.bus_route_query', '公交线路咨询', 'Bus route question'),
      { code: 'transport.road_damage', nameZh: '道路破损', nameEn: 'Road damage', slaClass: 'general', questions: [location, choice('severity', '破损程度', 'How bad', true, [['pothole', '坑槽', 'Pothole'], ['collapse', '塌陷', 'Subsidence'], ['cracks', '裂缝', 'Cracks']]), hazard] },
      { code: 'transport.bus_service', nameZh: '公交服务', nameEn: 'Bus service complaint', slaClass: 'general', questions: [q('line', '线路', 'Line', 'text', true), q('vehicleNo', '车号', 'Vehicle number', 'text', false), date('when', '乘车时间', 'When')] },
      { code: 'transport.subway_service', nameZh: '地铁服务', nameEn: 'Subway service complaint', slaClass: 'general', questions: [q('line', '线路', 'Line', 'text', true), q('station', '车站', 'Station', 'text', false), date('when', '乘车时间', 'When')] },
      { code: 'transport.taxi', nameZh: '出租车投诉', nameEn: 'Taxi complaint', slaClass: 'general', questions: [plate, date('when', '乘车时间', 'When', true), q('issue', '反映的问题（拒载、绕路、议价等）', 'The problem (refusal, detour, haggling…)', 'text', true), q('receipt', '是否有票据', 'Is there a receipt', 'boolean', false)] },
      { code: 'transport.ride_hailing', nameZh: '网约车投诉', nameEn: 'Ride-hailing complaint', slaClass: 'general', questions: [q('platform', '平台名称', 'Platform', 'text', true), plate, date('when', '乘车时间', 'When', true), q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'transport.shared_bikes', nameZh: '共享单车', nameEn: 'Shared bikes', slaClass: 'general', questions: [location, q('operator', '运营企业', 'Operator', 'text', false), choice('issue', '问题类型', 'Kind of problem', true, [['parking', '乱停乱放', 'Badly parked'], ['deposit', '押金退费', 'Deposit refund'], ['billing', '计费问题', 'Billing']])] },
      { code: 'transport.traffic_violation', nameZh: '交通违法举报', nameEn: 'Traffic violation report', slaClass: 'general', questions: [location, plate, date('when', '发生时间', 'When')] },
      { code: 'transport.traffic_signals', nameZh: '信号灯故障', nameEn: 'Traffic signal fault', slaClass: 'utility', questions: [location, q('allDark', '是否全部熄灭', 'Are all lights dark', 'boolean', true)] },
      consult('transport.traffic_fine_query', '交通违法处理咨询', 'Traffic fine question', [plate]),
      consult('transport.car_quota_query', '小客车指标咨询', 'Car licence quota question'),
    ],
  },
  {
    code: 'public_security',
    nameZh: '公安与户籍',
    nameEn: 'Public security and household registration',
    slaClass: 'general',
    leaves: [
      consult('public_security.hukou_policy', '户籍政策咨询', 'Household registration (hukou) policy question', [residence]),
      consult('public_security.residence_permit', '居住证办理', 'Residence permit question', [residence]),
      consult('public_security.id_card', '身份证办理', 'Identity card question'),
      { code: 'public_security.dogs', nameZh: '不文明养犬', nameEn: 'Dogs and dog keeping', slaClass: 'general', questions: [location, choice('issue', '问题类型', 'Kind of problem', true, [['unleashed', '遛狗不拴绳', 'Off the leash'], ['barking', '犬吠扰民', 'Barking'], ['banned_breed', '禁养犬', 'Banned breed'], ['bite', '犬只伤人', 'Dog bite']]), hazard] },
      { code: 'public_security.public_order', nameZh: '治安问题（非紧急）', nameEn: 'Public order (non-emergency)', slaClass: 'general', questions: [location, q('issue', '反映的问题', 'The problem', 'text', true), ongoing] },
    ],
  },
  {
    code: 'civil',
    nameZh: '民政与社会服务',
    nameEn: 'Civil affairs and social services',
    slaClass: 'general',
    leaves: [
      { code: 'civil.elderly_care', nameZh: '养老服务', nameEn: 'Elderly care', slaClass: 'general', questions: [q('institution', '养老机构或驿站名称', 'Care home or service station', 'text', false), q('age', '老人年龄', "Elder's age", 'number', false), q('livesAlone', '是否独居', 'Lives alone', 'boolean', false), q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'civil.disability', nameZh: '残疾人服务', nameEn: 'Disability services', slaClass: 'general', questions: [q('hasCertificate', '是否持有残疾人证', 'Holds a disability certificate', 'boolean', false), q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'civil.subsistence_allowance', nameZh: '低保救助', nameEn: 'Minimum living allowance', slaClass: 'general', questions: [location, q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'civil.funeral', nameZh: '殡葬服务', nameEn: 'Funeral services', slaClass: 'general', questions: [companyOpt, q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'civil.neighbour_dispute', nameZh: '邻里纠纷', nameEn: 'Neighbour dispute', slaClass: 'general', questions: [location, q('issue', '纠纷情况', 'What the dispute is about', 'text', true), reported] },
      consult('civil.marriage_registration_query', '婚姻登记咨询', 'Marriage registration question'),
    ],
  },
  {
    code: 'culture',
    nameZh: '文化旅游',
    nameEn: 'Culture and tourism',
    slaClass: 'general',
    leaves: [
      { code: 'culture.tourism_complaint', nameZh: '旅游投诉', nameEn: 'Tourism complaint', slaClass: 'general', questions: [q('agencyOrSite', '旅行社或景区名称', 'Travel agency or scenic site', 'text', true), date('travelDate', '出游时间', 'Date of travel'), amount, q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'culture.entertainment_venues', nameZh: '文化娱乐场所', nameEn: 'Entertainment venues (KTV, internet cafés)', slaClass: 'general', questions: [company, location, q('minorsAdmitted', '是否接纳未成年人', 'Admits minors', 'boolean', false)] },
      consult('culture.scenic_area_query', '景区开放咨询', 'Scenic area opening question'),
    ],
  },
  {
    code: 'safety',
    nameZh: '安全隐患',
    nameEn: 'Safety hazards',
    slaClass: 'emergency',
    leaves: [
      { code: 'safety.fire_hazard', nameZh: '消防安全隐患', nameEn: 'Fire hazard', slaClass: 'emergency', questions: [location, choice('kind', '隐患类型', 'Kind of hazard', true, [['blocked_exit', '堵塞安全出口', 'Blocked fire exit'], ['ebike_charging', '电动车违规充电', 'E-bike charging indoors'], ['equipment', '消防设施损坏', 'Broken fire equipment'], ['other', '其他', 'Other']]), hazard] },
      { code: 'safety.building_risk', nameZh: '房屋及设施安全隐患', nameEn: 'Dangerous building or falling objects', slaClass: 'emergency', questions: [location, q('whatMayFall', '隐患情况（裂缝、外墙脱落、悬挂物等）', 'The danger (cracks, falling render, hanging objects…)', 'text', true), hazard] },
      { code: 'safety.workplace', nameZh: '安全生产', nameEn: 'Workplace safety', slaClass: 'emergency', questions: [company, location, hazard] },
    ],
  },
  {
    code: 'gov',
    nameZh: '政务服务',
    nameEn: 'Government services',
    slaClass: 'general',
    leaves: [
      { code: 'gov.staff_conduct', nameZh: '工作人员作风', nameEn: 'Conduct of public servants', slaClass: 'complex', questions: [q('office', '涉及部门或窗口', 'Office or service window', 'text', true), date('when', '发生时间', 'When'), q('issue', '反映的问题', 'The problem', 'text', true)] },
      { code: 'gov.suggestion', nameZh: '意见建议', nameEn: 'Suggestion', slaClass: 'general', questions: [q('suggestion', '建议内容', 'The suggestion', 'text', true)] },
      consult('gov.service_query', '办事指南咨询', 'How-to question about a public service'),
      { code: 'gov.other', nameZh: '其他诉求', nameEn: 'Other request', slaClass: 'general', questions: [q('issue', '反映的问题', 'The problem', 'text', true)] },
    ],
  },
];

/**
 * Codes no longer offered and the leaf each moved into. Append only: the server and workstation
 * migrations that moved the cases name these, and old workstations may still send them.
 */
const RETIRED: RetiredCategory[] = [
  // One noise branch: 城市管理›噪音扰民 overlapped 噪声污染›社会生活噪声 (same questions, same street-office routing).
  { code: 'urban.noise', into: 'noise.residential', nameZh: '噪音扰民', nameEn: 'Noise nuisance', since: '2026-12-03' },
];

function build(): ExtendedCategory[] {
  const out: ExtendedCategory[] = [];
  for (const g of TAXONOMY) {
    out.push({ code: g.code, parent: null, nameZh: g.nameZh, nameEn: g.nameEn, slaClass: g.slaClass, directAnswer: false, intakeQuestions: [] });
    for (const l of g.leaves) {
      if (!l.code.startsWith(`${g.code}.`)) throw new Error(`${l.code} is not under ${g.code}`);
      out.push({ code: l.code, parent: g.code, nameZh: l.nameZh, nameEn: l.nameEn, slaClass: l.slaClass, directAnswer: l.directAnswer ?? false, intakeQuestions: l.questions });
    }
  }
  return out;
}

const file = CategoriesFile.parse({
  $comment:
    'Two-level taxonomy (parent → leaf), generated by scripts/gen-categories.ts. slaClass names a class of resources/reference/sla.json; directAnswer: operators may answer at intake; intakeQuestions: what the operator must ask (published as Open311 attributes). retired: codes no longer offered and the leaf their cases moved into.',
  categories: build(),
  retired: RETIRED,
});
// One category per line keeps diffs readable without pretty-printing every question.
const body = file.categories.map((c) => `    ${JSON.stringify(c)}`).join(',\n');
const retired = file.retired.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
fs.writeFileSync(OUT, `{\n  "$comment": ${JSON.stringify(file.$comment)},\n  "categories": [\n${body}\n  ],\n  "retired": [\n${retired}\n  ]\n}\n`);
const leaves = file.categories.filter((c) => c.parent !== null).length;
console.log(JSON.stringify({ file: path.relative(process.cwd(), OUT), bytes: fs.statSync(OUT).size, parents: file.categories.length - leaves, leaves }));
