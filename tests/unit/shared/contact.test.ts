import { describe, expect, it } from 'vitest';
import { inWindow, moreUrgent, nextInWindow, normalizePhone, type Urgency } from '../../../src/shared/domain/contact';

describe('moreUrgent', () => {
  it('picks the more pressing of two urgencies, in either order', () => {
    const pairs: [Urgency, Urgency, Urgency][] = [
      ['normal', 'normal', 'normal'],
      ['normal', 'urgent', 'urgent'],
      ['urgent', 'normal', 'urgent'],
      ['urgent', 'emergency', 'emergency'],
      ['emergency', 'urgent', 'emergency'],
      ['normal', 'emergency', 'emergency'],
      ['emergency', 'normal', 'emergency'],
      ['emergency', 'emergency', 'emergency'],
    ];
    for (const [a, b, more] of pairs) expect(moreUrgent(a, b), `${a} vs ${b}`).toBe(more);
  });
});

describe('normalizePhone', () => {
  it('turns exactly the full-width digits ０…９ into digits', () => {
    expect(normalizePhone('０１２３４５６７８９')).toBe('0123456789');
    // Neighbours of the full-width digits are not digits: ／ (U+FF0F), ： (U+FF1A), ｘ (U+FF58).
    expect(normalizePhone('１／２')).toBe('1／2');
    expect(normalizePhone('１：２')).toBe('1：2');
    expect(normalizePhone('８００ｘ１２')).toBe('800ｘ12');
  });

  it('collapses runs of spaces and trims', () => {
    expect(normalizePhone(' 010  (6512)  3456 ')).toBe('010 6512 3456');
  });
});

describe('inWindow', () => {
  // Minutes since midnight.
  const at = (h: number, m: number): number => h * 60 + m;

  it('a window within a day includes its first minute and excludes its last', () => {
    const w = { from: '18:30', to: '21:15' };
    expect(inWindow(w, at(18, 29))).toBe(false);
    expect(inWindow(w, at(18, 30))).toBe(true);
    expect(inWindow(w, at(21, 14))).toBe(true);
    expect(inWindow(w, at(21, 15))).toBe(false);
  });

  it('a window across midnight, the same way', () => {
    const w = { from: '22:30', to: '06:45' };
    expect(inWindow(w, at(22, 29))).toBe(false);
    expect(inWindow(w, at(22, 30))).toBe(true);
    expect(inWindow(w, at(0, 0))).toBe(true);
    expect(inWindow(w, at(6, 44))).toBe(true);
    expect(inWindow(w, at(6, 45))).toBe(false);
    expect(inWindow(w, at(12, 0))).toBe(false);
  });

  it('nextInWindow waits to the window’s first minute, from the start of the current minute', () => {
    // 2025-06-15 10:00:30 in Beijing.
    const t = Date.UTC(2025, 5, 15, 2, 0, 30);
    expect(nextInWindow({ from: '10:45', to: '11:00' }, t)).toBe(Date.UTC(2025, 5, 15, 2, 45, 0));
  });
});
