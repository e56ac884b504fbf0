// GeoReport dates: the W3C profile of ISO 8601 with a time zone, which the spec requires.

const W3C_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of a W3C date-time with a time zone (`2010-01-01T00:00:00Z`, `…+08:00`), or null. */
export function parseW3c(text: string): number | null {
  const m = W3C_DATETIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || (Number.isFinite(s) && s > 59)) return null;
  const ms = Date.parse(text.trim());
  if (!Number.isFinite(ms)) return null;
  // Date.parse rolls 2023-02-30 over to March; a real date reads back with the same day.
  const zone = m[8] ?? 'Z';
  const offsetMin = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const local = new Date(ms + offsetMin * 60_000);
  if (local.getUTCFullYear() !== y || local.getUTCMonth() + 1 !== mo || local.getUTCDate() !== d) return null;
  return ms;
}

/** Beijing time (UTC+08:00, no daylight saving), to the second: `2024-05-01T08:30:00+08:00`. */
export function formatW3c(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
