/**
 * Redaction of personal data in text that leaves the hotline for the public (Open311 and any other
 * public output): phone numbers, ID-card numbers, other long digit runs (bank cards, QQ numbers)
 * and e-mail addresses, however they are disguised — full-width characters, separators between
 * the digits (spaces, dots, dashes, brackets, slashes), digits spelled in Chinese numerals
 * (一三八…, 幺, 〇/零) or mixed, an ID number's final X, `(at)`/`[dot]` spellings of an e-mail.
 *
 * What survives: dates (2024-05-01, 2024.5.1, 2024/05/01 — a date that is part of a longer run
 * of digits does not), case numbers (S0001-000042), house numbers (3号楼2单元501), prices with
 * thousands separators (1,280,000元) and any number of fewer than 7 digits.
 */

/** A number in text with this many digits or more is treated as personal (a phone is 7+, an ID 15/18). */
export const MIN_PERSONAL_DIGITS = 7;

export const NUMBER_MASK = '****';
export const EMAIL_MASK = '***@***';

const CHINESE_DIGITS: Record<string, string> = {
  〇: '0', 零: '0', '○': '0', 一: '1', 幺: '1', 壹: '1', 二: '2', 贰: '2', 两: '2', 三: '3', 叁: '3',
  四: '4', 肆: '4', 五: '5', 伍: '5', 六: '6', 陆: '6', 七: '7', 柒: '7', 八: '8', 捌: '8', 九: '9', 玖: '9',
};

const isNumeral = (c: string | undefined): boolean => c !== undefined && CHINESE_DIGITS[c] !== undefined;

/** A Chinese numeral reads as a digit only beside another one (一三八…), not alone (一直, 一楼). */
function inNumeralRun(text: string, i: number): boolean {
  return isNumeral(text[i - 1]) || isNumeral(text[i + 1]);
}

/**
 * One character per character of the input (so indexes match): full-width ASCII folded to ASCII,
 * Chinese numerals to digits, ideographic space and the other separators callers type to a space
 * or a dash. Only used to find what to mask; the output keeps the original text elsewhere.
 */
function fold(text: string): string[] {
  const out: string[] = [];
  let index = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    let f = ch;
    if (code >= 0xff01 && code <= 0xff5e) f = String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000 || code === 0x00a0) f = ' ';
    else if (CHINESE_DIGITS[ch] !== undefined && inNumeralRun(text, index)) f = CHINESE_DIGITS[ch];
    else if ('—–‒―−‐‑ー'.includes(ch)) f = '-';
    else if ('・·。．'.includes(ch)) f = '.';
    else if ('【〔［'.includes(ch)) f = '[';
    else if ('】〕］'.includes(ch)) f = ']';
    // A character outside the BMP is two UTF-16 units: two placeholders keep indexes aligned.
    if (ch.length === 2) out.push('\ufffd', '\ufffd');
    else out.push(f);
    index += ch.length;
  }
  return out;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
/** Characters that may stand between the digits of one number. */
const SEPARATORS = new Set([' ', '\t', '-', '.', '(', ')', '[', ']', '/', '_', '+', '*', '#', '\\', '|', ',', '，', '、']);
const MAX_GAP = 3;

// A date on its own (not glued to more digits): protected before numbers are looked for.
const DATE = /(?<![\d\-./])(?:19|20)\d\d([-./年])(?:0?[1-9]|1[0-2])(?:\1|月)(?:0?[1-9]|[12]\d|3[01])日?(?![\d]|[-./]\d)/g;
// A case number of this hotline or another: S/T + 4 digits + dash + 6–9 digits.
const CASE_NUMBER = /(?<![A-Za-z\d])[ST]\d{4}-\d{6,9}(?!\d)/g;
// A thousands-separated amount: commas in groups of three, maybe decimals.
const AMOUNT = /(?<![\d,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])/g;

/** Spans [start, end) of the folded text that hold something innocent a number scan must not join. */
function protectedSpans(folded: string): boolean[] {
  const keep = new Array<boolean>(folded.length).fill(false);
  for (const re of [DATE, CASE_NUMBER, AMOUNT]) {
    re.lastIndex = 0;
    for (let m = re.exec(folded); m !== null; m = re.exec(folded)) for (let i = m.index; i < m.index + m[0].length; i++) keep[i] = true;
  }
  return keep;
}

/** Spans of digit runs (digits joined by short runs of separators) with 7+ digits, an ID's X included. */
function numberSpans(chars: readonly string[], keep: readonly boolean[]): [number, number][] {
  const spans: [number, number][] = [];
  let i = 0;
  while (i < chars.length) {
    if (!isDigit(chars[i]) || keep[i]) {
      i++;
      continue;
    }
    const start = i;
    let end = i;
    let digits = 0;
    let j = i;
    for (;;) {
      if (isDigit(chars[j]) && !keep[j]) {
        digits++;
        end = ++j;
        continue;
      }
      // Separators between two digits join them; a longer gap or anything else ends the number.
      let k = j;
      while (k < chars.length && k - j < MAX_GAP && SEPARATORS.has(chars[k] ?? '') && !keep[k]) k++;
      if (k > j && isDigit(chars[k]) && !keep[k]) {
        j = k;
        continue;
      }
      break;
    }
    if (digits >= MIN_PERSONAL_DIGITS) {
      // An 18-character ID number ends in X (a checksum of 10).
      if (digits === 17 && (chars[end] === 'X' || chars[end] === 'x')) end++;
      // A leading + (international prefix) or an opening bracket goes with the number.
      let s = start;
      const inside = chars.slice(start, end);
      const opens = (c: string | undefined) => c === '+' || (c === '(' && inside.includes(')')) || (c === '[' && inside.includes(']'));
      while (s > 0 && opens(chars[s - 1]) && !keep[s - 1]) s--;
      spans.push([s, end]);
    }
    i = end;
  }
  return spans;
}

// E-mail addresses, on the folded text: local@domain.tld, with (at)/[at]/{at}/ at /艾特 and
// (dot)/[dot]/ dot /点 spellings and spaces around the separators.
const AT = String.raw`\s*(?:@|[([{<]\s*at\s*[)\]}>]|\s+at\s+|艾特|圈a)\s*`;
const DOT = String.raw`\s*(?:\.|[([{<]\s*dot\s*[)\]}>]|\s+dot\s+|点)\s*`;
// The lookbehind starts a match only where a local part can begin (linear, not quadratic, on long runs).
const EMAIL = new RegExp(String.raw`(?<![A-Za-z0-9_%+\-.])[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*${AT}[A-Za-z0-9\-]+(?:${DOT}[A-Za-z0-9\-]+)*${DOT}[A-Za-z]{2,}`, 'gi');

function emailSpans(folded: string): [number, number][] {
  const spans: [number, number][] = [];
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(folded); m !== null; m = EMAIL.exec(folded)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

/**
 * The text with every phone number, ID number, long digit run and e-mail address replaced by
 * `****` / `***@***`. Idempotent: redacting twice changes nothing more.
 */
export function redactPersonalData(text: string): string {
  if (text === '') return text;
  const chars = fold(text);
  const folded = chars.join('');
  const emails = emailSpans(folded);
  const inEmail = new Array<boolean>(chars.length).fill(false);
  for (const [s, e] of emails) for (let i = s; i < e; i++) inEmail[i] = true;
  const keep = protectedSpans(folded).map((k, i) => k || (inEmail[i] ?? false));
  const spans = [...emails.map(([s, e]) => ({ s, e, mask: EMAIL_MASK })), ...numberSpans(chars, keep).map(([s, e]) => ({ s, e, mask: NUMBER_MASK }))];
  spans.sort((a, b) => a.s - b.s);
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.s < at) continue;
    out += text.slice(at, span.s) + span.mask;
    at = span.e;
  }
  return out + text.slice(at);
}
