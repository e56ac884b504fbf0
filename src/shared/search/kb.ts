import { queryParts } from './tokens';

/**
 * Terms of the knowledge base's index and of an operator's query, built for how operators search
 * during a call: colloquial Chinese of any length, English, mixed, pinyin initials (the initials
 * themselves come from the core, which holds the pinyin table).
 *
 * - Text is folded first: NFKC (full-width → half-width), lower case, common traditional
 *   characters → simplified.
 * - Every run of Chinese characters gives its overlapping character pairs ("供暖温度" → 供暖 暖温
 *   温度); a run of one character is that character. Single characters of longer runs are terms
 *   only in titles and tags (for 1-character queries: "水", "狗"), never in bodies, where they
 *   would match nearly everything and cost the most.
 * - Latin words lower-cased, with a light English stemmer (plural, -ing, -ed) and stop words out.
 * - A caller-phrase thesaurus (SYNONYMS) maps what callers say to what articles say: the gap
 *   between "暖气不热" and "供暖温度不达标" is vocabulary, not characters.
 */

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const WORD = /[\p{L}\p{N}]/u;

/** Traditional → simplified for characters common in what callers' matters are written with (pairs). */
const TRADITIONAL_PAIRS =
  '氣气熱热電电話话無无證证號号車车費费門门開开關关學学習习醫医險险養养問问題题協协議议書书記记報报區区縣县處处樓楼壞坏聲声亂乱條条機机構构銀银錢钱賬账戶户補补貼贴貸贷購购買买賣卖廳厅權权辦办衛卫護护產产資资員员們们這这樣样個个為为與与說说時时會会來来對对從从發发動动後后過过還还點点應应該该進进麼么東东長长規规劃划鄰邻溫温達达標标離离結结業业狀状態态滿满舊旧裝装燈灯鐵铁計计價价錄录單单罰罚駕驾駛驶遊游療疗藥药廠厂兒儿園园幫帮帶带換换領领歲岁級级線线網网壓压樂乐憑凭簽签執执雜杂鬧闹嗎吗臺台場场災灾損损漲涨虧亏騙骗詐诈偽伪驗验執执紙纸頭头臉脸腦脑險险勞劳歡欢邊边運运華华齡龄殘残喪丧墳坟';
const SIMPLIFIED = new Map<string, string>();
for (let i = 0; i + 1 < TRADITIONAL_PAIRS.length; i += 2) SIMPLIFIED.set(TRADITIONAL_PAIRS[i] ?? '', TRADITIONAL_PAIRS[i + 1] ?? '');

/** NFKC, lower case, traditional characters folded to simplified. */
export function foldText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKC').toLowerCase()) out += SIMPLIFIED.get(ch) ?? ch;
  return out;
}

/** English words that say nothing about the matter ("there is no heating"). */
const STOP_WORDS = new Set(
  'a an the to of in on at for from by is are was were be been my i me we our you your it its and or not how what when where who which why do does did can could should would will there this that these those with get got have has had about after before into out up down if so as but all any some just please want need help'.split(
    ' ',
  ),
);

/** A light English stemmer: plural, -ing and -ed endings ("neighbours" → "neighbour", "heating" → "heat"). */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && /(ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** A text's runs of Chinese characters and its Latin words (folded), in order. */
function pieces(text: string): { han: boolean; text: string }[] {
  const out: { han: boolean; text: string }[] = [];
  let run = '';
  let word = '';
  const flush = () => {
    if (run) out.push({ han: true, text: run });
    if (word) out.push({ han: false, text: word });
    run = '';
    word = '';
  };
  for (const ch of foldText(text)) {
    if (HAN.test(ch)) {
      if (word) flush();
      run += ch;
    } else if (WORD.test(ch)) {
      if (run) flush();
      word += ch;
    } else flush();
  }
  flush();
  return out;
}

/**
 * The index terms of one field's text, with repeats (term frequency): character pairs of every
 * Chinese run, single characters too when `singles` (titles and tags), stemmed Latin words.
 */
export function fieldTerms(text: string, singles: boolean): string[] {
  const out: string[] = [];
  for (const p of pieces(text)) {
    if (!p.han) {
      if (!STOP_WORDS.has(p.text)) out.push(stem(p.text));
      continue;
    }
    const chars = Array.from(p.text);
    if (singles || chars.length === 1) out.push(...chars);
    for (let i = 0; i + 1 < chars.length; i += 1) out.push(`${chars[i] ?? ''}${chars[i + 1] ?? ''}`);
  }
  return out;
}

/**
 * What callers say → what the knowledge base says. Each group is one meaning; a query holding one
 * of its phrases also searches the others (at a lower weight than its own words). Built from the
 * phrasings operators hear, not from any one query: see docs/knowledge-base.md.
 */
export const SYNONYMS: readonly (readonly string[])[] = [
  // utilities
  ['暖气', '供暖', '供热', '采暖', '取暖', 'heating'],
  ['不热', '不暖和', '温吞', '冷', '温度不达标', '室温低', '不达标', 'cold'],
  ['暖气片', '散热器', 'radiator'],
  ['停暖', '停止供暖', '报停', '不用暖气'],
  ['停水', '没水', '断水', '不出水', '不来水', '供水中断'],
  ['水压', '水小', '水流小', '水压低', '二次供水'],
  ['停电', '没电', '断电', '跳闸', '供电中断', 'power cut', 'blackout'],
  ['停气', '没气', '打不着火', '点不着', '燃气中断'],
  ['煤气', '燃气', '天然气', 'gas'],
  ['漏水', '渗水', '滴水', '跑水', 'leak'],
  ['下水道', '返水', '污水', '堵塞', 'sewer'],
  ['水费', '水价', 'water bill'],
  ['电费', '电价', '一度电', 'electricity price'],
  ['取暖费', '供暖费', '采暖费', '暖气费', '热费'],
  // housing
  ['物业', '物业公司', '物业服务', 'property management'],
  ['电梯', 'lift', 'elevator'],
  ['装电梯', '加电梯', '加装电梯', '加梯'],
  ['被困', '困人', '困在', 'stuck', 'trapped'],
  ['维修基金', '维修资金', '专项维修资金'],
  ['业委会', '业主委员会', '业主大会'],
  ['装修', '砸墙', '拆墙', '承重墙'],
  ['房东', '出租人', 'landlord'],
  ['押金', 'deposit'],
  ['中介', '经纪机构', '租赁企业', 'agent'],
  ['租房', '房屋租赁', '租赁', 'rent'],
  ['公积金', '住房公积金', 'provident fund', 'housing fund'],
  ['买房', '购房', '购房资格'],
  // labour, social security
  ['不给工资', '拖欠工资', '欠薪', '讨薪', '工资拖欠', '不发工资', '工钱', 'unpaid', 'wage'],
  ['辞退', '开除', '解除劳动合同', '裁员', 'fired', 'dismissed', 'dismissal'],
  ['赔偿', '补偿', '经济补偿', 'compensation', 'severance'],
  ['合同', '劳动合同', 'contract'],
  ['失业', '失业保险金', '失业金', 'unemployment'],
  ['培训', '职业培训', '技能培训', 'training'],
  ['社保', '社会保险', 'social insurance', 'shebao'],
  ['医保', '医疗保险', 'medical insurance', 'health insurance'],
  ['报销', '报多少', '能报', '支付', 'reimbursement', 'reimburse'],
  ['养老金', '退休金', '养老保险', 'pension'],
  ['退休', '退休年龄', 'retire', 'retirement'],
  ['认证', '资格认证', '刷脸'],
  ['涨', '上涨', '调整'],
  // health
  ['医生', '大夫', '医院', '医疗服务', 'doctor', 'hospital'],
  ['挂号', '专家号', '预约挂号', 'appointment'],
  ['打疫苗', '打针', '接种', '疫苗', 'vaccine', 'vaccination'],
  ['拉肚子', '发烧', '腹泻', '呕吐', '吐', '传染病'],
  ['狗咬', '咬了', '咬伤', '狂犬', 'bite', 'bit'],
  ['生孩子', '生育', '产检', 'maternity'],
  // public security
  ['户口', '户籍', 'hukou'],
  ['落户', '积分落户', '进京户口'],
  ['居住证', '暂住证', 'residence permit', 'juzhuzheng'],
  ['身份证', '居民身份证', 'id card'],
  ['丢了', '丢失', '遗失', '找不到', '被偷', '偷了', 'lost'],
  ['到期', '过期', '期满', '换领', 'expire', 'expired'],
  ['外国人', '境外人员', 'foreigner', 'foreign'],
  ['签证', '居留', 'visa'],
  ['登记', 'registration', 'register'],
  ['狗', '犬', '养犬', 'dog'],
  ['狗叫', '犬吠', '狗乱叫', 'barking'],
  ['野猫', '野狗', '流浪猫', '流浪狗', '流浪动物', 'stray'],
  // education
  ['上学', '入学', '就读', '上小学', 'school'],
  ['孩子', '儿童', '子女', '适龄儿童', 'child', 'kid'],
  ['幼儿园', '入园', '托幼', 'kindergarten', 'preschool'],
  ['外地户口', '外地', '非京籍', '随迁子女', '来京务工'],
  ['教辅', '乱收费', '收钱', '收费'],
  ['培训班', '补课班', '培训机构', '课外班', 'tutoring'],
  ['打了', '欺负', '欺凌', '霸凌', 'bullying', 'bully'],
  // transport
  ['摇号', '小客车指标', '车牌指标', '购车指标', 'car lottery', 'car quota'],
  ['电车', '新能源', '电动汽车'],
  ['罚单', '罚款', '交通违法', '违章', '被拍', 'fine', 'ticket', 'speeding'],
  ['驾照', '驾驶证', 'driving licence', "driver's license"],
  ['限行', '尾号限行', '限号', 'restriction'],
  ['出租车', '的哥', '出租汽车', 'taxi', 'cab'],
  ['滴滴', '网约车', '打车软件', 'ride hailing'],
  ['公交', '公交车', '公共汽车', 'bus'],
  ['地铁', '轨道交通', 'subway', 'metro'],
  ['落下', '丢东西', '遗失物品', '失物招领', 'left', 'lost property'],
  ['坑', '坑洼', '破损', '塌陷', 'pothole'],
  ['红绿灯', '信号灯', 'traffic light'],
  // urban management
  ['停车', '车位', '停放', '违停', 'parking', 'parked'],
  ['堵门', '堵着', '挡道', 'block', 'blocked', 'blocking'],
  ['垃圾', '垃圾分类', 'rubbish', 'garbage', 'trash', 'waste'],
  ['扔', '投放', '处理'],
  ['沙发', '家具', '大件垃圾', '床垫'],
  ['路灯', 'street light'],
  ['摆摊', '摊贩', '占道经营', 'vendor'],
  ['油烟', '排烟', 'fumes'],
  ['老鼠', '鼠患', '灭鼠', 'rat', 'mice'],
  ['厕所', '公厕', '公共厕所', 'toilet'],
  // noise and environment
  ['噪音', '噪声', '吵', '扰民', 'noise', 'noisy', 'loud'],
  ['跺脚', '蹦迪', '楼上吵'],
  ['夜里', '半夜', '夜间', '晚上', 'night'],
  ['打桩', '施工', '工地', 'construction'],
  ['广场舞', '大喇叭', '音响'],
  ['冒烟', '黑烟', '废气', '排烟', '大气污染'],
  ['烧垃圾', '焚烧', '露天焚烧', '烧树叶'],
  ['违建', '违法建设', '私搭乱建', '盖房'],
  ['挡光', '采光', '规划'],
  // market
  ['退钱', '退款', '退费', '退不了', '不给退', 'refund'],
  ['预付卡', '储值卡', '会员卡', '充值卡', '健身卡', '办的卡', 'membership', 'prepaid', 'gym'],
  ['跑路', '关门', '倒闭', '停业', 'closed'],
  ['商家', '商店', '店铺', '卖家', 'shop', 'seller'],
  ['网购', '网上买', '七天无理由', 'online'],
  ['坏了', '质量问题', '三包', '保修', 'faulty', 'broken'],
  ['吃出', '异物', '头发', '虫子', '食品安全', '变质', 'food'],
  ['食物中毒', 'food poisoning'],
  ['假货', '假的', '假冒', '山寨', 'fake', 'counterfeit'],
  ['标价', '明码标价', '价格', 'price'],
  ['执照', '营业执照', 'business licence', 'business license'],
  ['保健品', '会销', '虚假宣传'],
  // civil affairs
  ['结婚', '婚姻登记', '领证', 'marriage', 'married', 'marry'],
  ['离婚', '协议离婚', 'divorce'],
  ['老人', '老年人', 'elderly'],
  ['养老院', '养老机构', '敬老院', '养老驿站', '没人照顾', '没人管'],
  ['补贴', '津贴', '补助', 'allowance', 'subsidy'],
  ['低保', '最低生活保障'],
  ['困难', '救助', '临时救助'],
  ['去世', '死亡', '过世', '后事', '丧事'],
  ['墓地', '公墓', '安葬', 'cemetery'],
  ['闹矛盾', '纠纷', '吵架', '调解'],
  ['残疾', '残疾人', 'disability', 'disabled'],
];

/** A term an operator's query searches for; an expansion (from the thesaurus) weighs less than the query's own. */
export interface KbQueryTerm {
  text: string;
  weight: number;
  /** Latin: also every indexed word it starts (the operator may still be typing it). */
  prefix: boolean;
}

export interface KbQueryTerms {
  terms: KbQueryTerm[];
  /** Every piece of the query (2–10 characters, no spaces) that could be a whole tag, with its length. */
  wholes: { text: string; length: number }[];
  /** Latin letters only (2–6): also tried as the pinyin initials of title and tag words ("jzz" → 居住证). */
  initials: string | null;
}

/** How much a thesaurus expansion counts beside the query's own terms. */
export const SYNONYM_WEIGHT = 0.35;
/** Prefix on index terms that are pinyin initials (kept apart from English words). */
export const INITIALS_PREFIX = '#';
/** Prefix on index terms that are a whole tag. */
export const WHOLE_PREFIX = '=';
/** The longest piece of a query looked up as a whole tag (characters). */
const WHOLE_MAX = 10;

function latinPhrase(phrase: string): boolean {
  return !HAN.test(phrase);
}

/** Whether the (folded) query holds a thesaurus phrase: Chinese anywhere, Latin as whole words. */
function holds(query: string, queryWords: readonly string[], phrase: string): boolean {
  if (!latinPhrase(phrase)) return query.includes(phrase);
  const words = phrase.split(/\s+/).map(stem);
  for (let i = 0; i + words.length <= queryWords.length; i += 1) if (words.every((w, j) => queryWords[i + j] === w)) return true;
  return false;
}

export function kbQueryTerms(query: string): KbQueryTerms {
  const q = foldText(query).trim();
  const own = fieldTerms(q, false);
  const words = pieces(q)
    .filter((p) => !p.han)
    .map((p) => stem(p.text));
  const terms = new Map<string, KbQueryTerm>();
  const lastLatin = /[\p{L}\p{N}]$/u.test(q) && !HAN.test(q.slice(-1)) ? stem(words[words.length - 1] ?? '') : null;
  for (const t of own) {
    const latin = !HAN.test(t);
    terms.set(t, { text: t, weight: 1, prefix: latin && t === lastLatin && t.length >= 3 });
  }
  for (const group of SYNONYMS) {
    if (!group.some((phrase) => holds(q, words, phrase))) continue;
    for (const phrase of group) for (const t of fieldTerms(phrase, false)) if (!terms.has(t)) terms.set(t, { text: t, weight: SYNONYM_WEIGHT, prefix: false });
  }
  // Pieces that could be a whole tag: every span of 2 to 10 characters of a Chinese run (one
  // character when it is the whole query: "水", the article tagged 水), and runs of 1 to 3 words.
  const wholes: { text: string; length: number }[] = [];
  const ps = pieces(q);
  const shortest = ps.length === 1 && ps[0]?.han && Array.from(ps[0].text).length === 1 ? 1 : 2;
  for (const p of ps.filter((x) => x.han)) {
    const chars = Array.from(p.text);
    for (let from = 0; from < chars.length; from += 1) {
      for (let len = shortest; len <= WHOLE_MAX && from + len <= chars.length; len += 1) wholes.push({ text: WHOLE_PREFIX + chars.slice(from, from + len).join(''), length: len });
    }
  }
  const latin = ps.filter((x) => !x.han).map((x) => x.text);
  for (let from = 0; from < latin.length; from += 1) {
    for (let len = 1; len <= 3 && from + len <= latin.length; len += 1) {
      const text = latin.slice(from, from + len).join('');
      wholes.push({ text: WHOLE_PREFIX + text, length: Math.min(WHOLE_MAX, text.length) });
    }
  }
  const compact = q.replace(/[^\p{L}\p{N}]+/gu, '');
  return { terms: [...terms.values()], wholes, initials: /^[a-z]{2,6}$/.test(compact) ? compact : null };
}

/** The runs and words of a query to mark in a snippet (each Chinese run whole, each Latin word). */
export function highlightTerms(query: string): string[] {
  return queryParts(foldText(query))
    .map((p) => (p.kind === 'phrase' ? p.tokens.join('') : (p.tokens[0] ?? '')))
    .filter((t) => t.length > 0);
}
