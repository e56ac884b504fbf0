import { z } from 'zod';

/**
 * What the caller wants (诉求类型). The type decides the path: a consultation is usually answered
 * at intake, praise goes to the unit and needs no callback, a report may be confidential; the
 * policy for each type is reference data (`resources/reference/sla.json`, `contactTypes`).
 */
export const ContactType = z.enum(['complaint', 'help', 'consultation', 'suggestion', 'praise', 'report']);
export type ContactType = z.infer<typeof ContactType>;

/** How soon it must be handled: emergency means life, safety or property at risk now. */
export const Urgency = z.enum(['normal', 'urgent', 'emergency']);
export type Urgency = z.infer<typeof Urgency>;

/** Urgencies from least to most pressing (escalation only ever moves up this list). */
export const URGENCY_ORDER: readonly Urgency[] = Urgency.options;

export function moreUrgent(a: Urgency, b: Urgency): Urgency {
  return URGENCY_ORDER.indexOf(a) >= URGENCY_ORDER.indexOf(b) ? a : b;
}

/**
 * The caller's language (ISO 639-1): Chinese by default; English and the languages the hotline
 * serves through interpreters. The callback is made in it.
 */
export const CallerLanguage = z.enum(['zh', 'en', 'ja', 'ko', 'ru', 'fr', 'de', 'es', 'ar', 'pt', 'it', 'other']);
export type CallerLanguage = z.infer<typeof CallerLanguage>;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time_format');

/** A time of day window (local time) in which the citizen wants to be called back; may wrap midnight. */
export const TimeWindow = z.object({ from: HHMM, to: HHMM }).refine((w) => w.from !== w.to, { error: 'empty_window', path: ['to'] });
export type TimeWindow = z.infer<typeof TimeWindow>;

const FULL_WIDTH: Record<string, string> = { '＋': '+', '－': '-', '—': '-', '–': '-', '‐': '-', '\u3000': ' ', '（': ' ', '）': ' ', '(': ' ', ')': ' ', '.': ' ', '．': ' ' };

/**
 * A phone number as typed in any input mode: full-width digits (what a Chinese IME in
 * full-width mode gives), full-width plus and dashes, dots and brackets become plain digits,
 * `+`, `-` and spaces.
 */
export function normalizePhone(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code >= 0xff10 && code <= 0xff19) out += String.fromCharCode(code - 0xff10 + 0x30);
    else out += FULL_WIDTH[ch] ?? ch;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** Minutes since midnight of an `HH:MM`. */
function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Whether a local time of day (minutes since midnight) falls in the window (which may wrap midnight). */
export function inWindow(window: TimeWindow, minuteOfDay: number): boolean {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  return from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
}

/** The hotline's local time: Beijing, UTC+8 all year. Callback windows are times of day there. */
export const HOTLINE_UTC_OFFSET_MINUTES = 8 * 60;
const DAY_MINUTES = 24 * 60;

/** Minutes since local midnight of an instant. */
export function localMinuteOfDay(at: number): number {
  const minutes = Math.floor(at / 60_000) + HOTLINE_UTC_OFFSET_MINUTES;
  return ((minutes % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
}

/** The first instant at or after `at` inside the window (local time of day). */
export function nextInWindow(window: TimeWindow, at: number): number {
  const minute = localMinuteOfDay(at);
  if (inWindow(window, minute)) return at;
  const wait = (minutesOf(window.from) - minute + DAY_MINUTES) % DAY_MINUTES;
  // From the start of this minute, to the window's first minute.
  return at - (at % 60_000) + wait * 60_000;
}

/**
 * When the citizen of a replied case is due to be called back: after the reply, or at the retry
 * the last attempt set, and inside the window they asked for.
 */
export function callbackDueAt(c: { repliedAt: number | null; nextCallbackAt: number | null; callbackWindow: TimeWindow | null; updatedAt: number }): number {
  const base = c.nextCallbackAt ?? c.repliedAt ?? c.updatedAt;
  return c.callbackWindow ? nextInWindow(c.callbackWindow, base) : base;
}
