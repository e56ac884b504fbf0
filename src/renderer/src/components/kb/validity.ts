/** Today in Beijing as YYYY-MM-DD: articles' validity dates are Beijing dates. */
export function beijingToday(now: number = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export type Validity = 'valid' | 'expired' | 'notYet';

/** Whether an article applies today: before validFrom it is not yet, after validTo it is expired. */
export function validityOf(a: { validFrom: string | null; validTo: string | null }, today: string = beijingToday()): Validity {
  if (a.validTo !== null && a.validTo < today) return 'expired';
  if (a.validFrom !== null && a.validFrom > today) return 'notYet';
  return 'valid';
}
