import { describe, expect, it } from 'vitest';
import { formatW3c, parseW3c } from '../../../src/server/open311/datetime';
import { escapeXml, toXml } from '../../../src/server/open311/xml';
import { open311Status } from '../../../src/server/open311/present';
import { readAttributes } from '../../../src/server/open311/attributes';
import { shippedReferenceSet } from '../../../src/server/reference/reference-set';
import { parseXml } from '../../helpers/xml';

describe('GeoReport dates', () => {
  it('reads W3C date-times with a zone and refuses the rest', () => {
    expect(parseW3c('2010-01-01T00:00:00Z')).toBe(Date.UTC(2010, 0, 1));
    expect(parseW3c('2010-01-01T08:00:00+08:00')).toBe(Date.UTC(2010, 0, 1));
    expect(parseW3c('2010-01-01T08:00+08:00')).toBe(Date.UTC(2010, 0, 1));
    for (const bad of ['2010-01-01', '2010-01-01T00:00:00', '2023-02-30T00:00:00Z', '2010-13-01T00:00:00Z', 'yesterday', '2010-01-01T24:00:00Z']) {
      expect(parseW3c(bad), bad).toBeNull();
    }
  });

  it('writes Beijing time to the second', () => {
    expect(formatW3c(Date.UTC(2024, 4, 1, 0, 30, 0, 999))).toBe('2024-05-01T08:30:00+08:00');
    expect(parseW3c(formatW3c(1_700_000_000_000))).toBe(1_700_000_000_000);
  });
});

describe('GeoReport XML', () => {
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">&'</a>\u0000\u001f\ud800ok`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;ok');
  });

  it('writes arrays as repeated item elements and null as an empty element', () => {
    const doc = toXml('services', [{ service_code: 'a&b', metadata: true, group: null }], { services: 'service' });
    const root = parseXml(doc);
    expect(root.name).toBe('services');
    expect(root.children[0]?.children.map((c) => [c.name, c.text])).toEqual([
      ['service_code', 'a&b'],
      ['metadata', 'true'],
      ['group', ''],
    ]);
  });
});

describe('GeoReport publishing', () => {
  it('maps statuses onto open and closed', () => {
    expect(open311Status('merged')).toBe('closed');
    expect(open311Status('closed')).toBe('closed');
    expect(open311Status('replied')).toBe('open');
  });

  it('checks attribute answers against the intake questions', () => {
    const category = shippedReferenceSet().category('noise.residential');
    if (!category) throw new Error('noise.residential missing');
    const ok = readAttributes(category, new Map([['locationDetail', ['3号楼']], ['noiseSource', ['工地']], ['timeOfDay', ['day']], ['ongoing', ['false']]]));
    expect(ok).toEqual({ answers: { locationDetail: '3号楼', noiseSource: '工地', timeOfDay: 'day', ongoing: false }, errors: [] });
    const twice = readAttributes(category, new Map([['locationDetail', ['a', 'b']], ['noiseSource', ['  ']], ['timeOfDay', ['day']], ['ongoing', ['yes']]]));
    expect(twice.errors).toEqual(['attribute[locationDetail]: takes one value, got 2', 'attribute[noiseSource]: required (Source of the noise)', 'attribute[ongoing]: must be one of: true, false']);
  });
});
