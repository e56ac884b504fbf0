import type http from 'node:http';

/** GeoReport texts are Chinese unless the client asks for English (`locale=en` or Accept-Language). */
export type Locale = 'zh' | 'en';

export function pickLocale(url: URL, req: http.IncomingMessage): Locale {
  const asked = url.searchParams.get('locale') ?? req.headers['accept-language']?.split(',')[0] ?? '';
  return asked.trim().toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export function bi(locale: Locale, zh: string, en: string): string {
  return locale === 'en' ? en : zh;
}
