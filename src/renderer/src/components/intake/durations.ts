import type { TFunction } from 'i18next';

/** A deadline span as the operator reads it: minutes under two hours, hours under two days, else days. */
export function spanText(t: TFunction, minutes: number): string {
  if (minutes < 120) return t('intakePane.span.minutes', { count: minutes });
  if (minutes < 48 * 60) return t('intakePane.span.hours', { count: Math.round(minutes / 60) });
  return t('intakePane.span.days', { count: Math.round(minutes / 1440) });
}
