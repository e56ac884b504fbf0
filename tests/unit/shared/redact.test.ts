import { describe, expect, it } from 'vitest';
import { EMAIL_MASK, NUMBER_MASK, redactPersonalData } from '../../../src/shared/privacy/redact';

// Each row: a disguise seen (or easily typed) in a description, and the secret it hides. The
// redacted text must not contain the secret's digits in any form, and must hold the mask.
const PHONES: [string, string][] = [
  ['请回电 13812345678', '13812345678'],
  ['请回电 138 1234 5678', '13812345678'],
  ['请回电 138-1234-5678', '13812345678'],
  ['请回电 138.1234.5678', '13812345678'],
  ['请回电 (138)1234-5678', '13812345678'],
  ['请回电 【138】【1234】【5678】', '13812345678'],
  ['请回电 １３８１２３４５６７８', '13812345678'],
  ['请回电 １３８－１２３４－５６７８', '13812345678'],
  ['请回电 １３８　１２３４　５６７８', '13812345678'],
  ['请回电 1 3 8 1 2 3 4 5 6 7 8', '13812345678'],
  ['请回电 1-3-8-1-2-3-4-5-6-7-8', '13812345678'],
  ['请回电 1.3.8.1.2.3.4.5.6.7.8', '13812345678'],
  ['请回电 一三八一二三四五六七八', '13812345678'],
  ['请回电 幺三八幺二三四五六七八', '13812345678'],
  ['请回电 一三八 一二三四 五六七八', '13812345678'],
  ['请回电 138一二三四5678', '13812345678'],
  ['请回电 壹叁捌壹贰叁肆伍陆柒捌', '13812345678'],
  ['请回电 +86 138 1234 5678', '13812345678'],
  ['请回电 +86-13812345678', '13812345678'],
  ['请回电 0086 138 1234 5678', '13812345678'],
  ['请回电 (010) 6512-3456', '65123456'],
  ['请回电 010-65123456', '65123456'],
  ['请回电 010 6512 3456 转 801', '65123456'],
  ['座机 6512 3456', '65123456'],
  ['座机 六五一二三四五六', '65123456'],
  ['座机 陆伍壹贰叁肆伍陆', '65123456'],
  ['手机号138 - 1234 - 5678晚上打', '13812345678'],
  ['手机：1３8ー1２34ー5６78', '13812345678'],
  ['手机：138/1234/5678', '13812345678'],
  ['手机：138_1234_5678', '13812345678'],
  ['手机：138·1234·5678', '13812345678'],
  ['手机：138。1234。5678', '13812345678'],
  ['手机：[138] 1234 5678', '13812345678'],
  ['QQ 987654321 加我', '987654321'],
  ['手机：138,1234,5678', '13812345678'],
  ['手机：138，1234，5678', '13812345678'],
  ['手机：138、1234、5678', '13812345678'],
  ['银行卡 6222 0212 3456 7890 123', '62220212345678901'],
];

const IDS: [string, string][] = [
  ['身份证号 11010519491231002X', '11010519491231002'],
  ['身份证号 11010519491231002x', '11010519491231002'],
  ['身份证号 110105 19491231 002X', '11010519491231002'],
  ['身份证号 110105-1949-12-31-002X', '11010519491231002'],
  ['身份证号 １１０１０５１９４９１２３１００２Ｘ', '11010519491231002'],
  ['身份证号 一一〇一〇五一九四九一二三一〇〇二X', '11010519491231002'],
  ['身份证号 110105194912310021', '110105194912310021'],
  ['老身份证 110105491231002', '110105491231002'],
];

const EMAILS: [string, string][] = [
  ['邮箱 li.lei@example.org', 'example'],
  ['邮箱 li.lei＠example.org', 'example'],
  ['邮箱 ｌｉ．ｌｅｉ＠ｅｘａｍｐｌｅ．ｏｒｇ', 'ｅｘａｍｐｌｅ'],
  ['邮箱 li.lei (at) example (dot) org', 'example'],
  ['邮箱 li.lei[at]example[dot]org', 'example'],
  ['邮箱 li.lei AT example DOT org', 'example'],
  ['邮箱 li.lei @ example . org', 'example'],
  ['邮箱 lilei艾特163点com', '163'],
  ['邮箱 12345678@qq.com', '12345678'],
  ['邮箱 wang_fang+hotline@mail.example.com.cn', 'wang_fang'],
];

// Text that must come out unchanged.
const INNOCENT: string[] = [
  '2024-05-01 晚上十点以后施工',
  '从2024.05.01到2024.06.30一直施工',
  '2024/5/1 08:30-17:30 停水',
  '二〇二四年五月一日起',
  '建国路88号院3号楼2单元501室',
  '朝阳区建国路甲10号 1201',
  '小区2号楼1单元 1703',
  '房租3500元/月，押金1,280,000元？',
  '价格 399.00 元，优惠后 1,234.50 元',
  '重复反映，见工单 S0001-000042',
  '噪音从22:00持续到06:00',
  '约120米长的路段，共35盏路灯',
  '三三两两的人在广场上跳舞',
  '京A12345 的车每天停在消防通道',
  '一楼到六楼都漏水',
  '3、5、7号楼都停电，共1,200户',
  '',
];

const digitsOf = (s: string): string => s.replace(/\D/g, '');

describe('redactPersonalData', () => {
  it('has a table of at least 40 disguised phone numbers, ID numbers and e-mail addresses', () => {
    expect(PHONES.length + IDS.length + EMAILS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(PHONES)('masks the phone number in %s', (text, secret) => {
    const out = redactPersonalData(text);
    expect(out).toContain(NUMBER_MASK);
    expect(digitsOf(out)).not.toContain(secret.slice(-4));
    expect(out.startsWith(text.slice(0, 3))).toBe(true);
    for (const ch of '０１２３４５６７８９一二三四五六七八九幺壹贰叁肆伍陆柒捌') {
      // No digit of the disguise is left behind after the label.
      expect(out.slice(4).includes(ch) && !text.slice(0, 4).includes(ch), `${ch} left in ${out}`).toBe(false);
    }
  });

  it.each(IDS)('masks the ID number in %s', (text, secret) => {
    const out = redactPersonalData(text);
    expect(out).toBe(`${text.slice(0, text.indexOf(' ') + 1)}${NUMBER_MASK}`);
    expect(digitsOf(out)).not.toContain(secret.slice(0, 6));
  });

  it.each(EMAILS)('masks the e-mail address in %s', (text, secret) => {
    const out = redactPersonalData(text);
    expect(out).toBe(`${text.slice(0, text.indexOf(' ') + 1)}${EMAIL_MASK}`);
    expect(out).not.toContain(secret);
  });

  it.each(INNOCENT)('leaves %j alone', (text) => {
    expect(redactPersonalData(text)).toBe(text);
  });

  it('masks every number in a longer text and keeps the words between them', () => {
    const text = '李先生（13812345678，备用 010-6512 3456）反映：2024-05-01起楼下餐馆油烟，邮箱 li@example.org，身份证 11010519491231002X。';
    expect(redactPersonalData(text)).toBe('李先生（****，备用 ****）反映：2024-05-01起楼下餐馆油烟，邮箱 ***@***，身份证 ****。');
  });

  it('is idempotent and keeps characters outside the BMP in place', () => {
    const text = '𠮷野家 13812345678 门口 😀 li@example.org';
    const once = redactPersonalData(text);
    expect(once).toBe('𠮷野家 **** 门口 😀 ***@***');
    expect(redactPersonalData(once)).toBe(once);
  });

  it('answers a 4,000-character adversarial text quickly', () => {
    const inputs = ['a a '.repeat(1000), '1 '.repeat(2000), 'a.'.repeat(2000) + '@', 'a@b'.repeat(1300), '一'.repeat(4000), '1,'.repeat(2000), 'a'.repeat(4000), `a@${'b.'.repeat(2000)}`];
    const started = performance.now();
    for (const text of inputs) redactPersonalData(text);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
