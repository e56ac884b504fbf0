import { useMemo } from 'react';
import type { TFunction } from 'i18next';
import type { AppError } from '../../shared/result';
import type { Category } from '../../shared/domain/reference';
import i18n from './i18n';

/** Intl formatters for the current UI language, rebuilt only when it changes. */
export function useFormatters(language: string) {
  return useMemo(
    () => ({
      listTime: new Intl.DateTimeFormat(language, {
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
      fullTime: new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'medium', hourCycle: 'h23' }),
      clock: new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
      integer: new Intl.NumberFormat(language, { maximumFractionDigits: 0 }),
      offsetSeconds: new Intl.NumberFormat(language, {
        style: 'unit',
        unit: 'second',
        unitDisplay: 'short',
        maximumFractionDigits: 1,
        signDisplay: 'always',
      }),
    }),
    [language],
  );
}

const SAFE_KEY_PART = /^[a-z][a-z0-9_]*$/i;

/** errors.<code>, or a generic text that still shows the unknown code. */
export function errorText(t: TFunction, error: Pick<AppError, 'code'>): string {
  const key = `errors.${error.code}`;
  return SAFE_KEY_PART.test(error.code) && i18n.exists(key) ? t(key) : t('errors.unknown', { code: error.code });
}

/** fields.<message> for our own message codes; zod's free-text defaults get a generic text. */
export function fieldText(t: TFunction, message: string): string {
  const key = `fields.${message}`;
  return SAFE_KEY_PART.test(message) && i18n.exists(key) ? t(key) : t('fields.invalid');
}

/** rejectionReasons.<code> from the server's mutation rejections. */
export function rejectionReasonText(t: TFunction, code: string): string {
  const key = `rejectionReasons.${code}`;
  return SAFE_KEY_PART.test(code) && i18n.exists(key) ? t(key) : t('rejectionReasons.unknown', { code });
}

export function categoryName(category: Category, language: string): string {
  return language.startsWith('zh') ? category.nameZh : category.nameEn;
}
