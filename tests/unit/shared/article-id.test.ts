import { describe, expect, it } from 'vitest';
import { articleId } from '../../../src/shared/domain/article';

describe('articleId', () => {
  it('names one language version of an article: <key>:<language>', () => {
    expect(articleId('heating-temperature', 'en')).toBe('heating-temperature:en');
    expect(articleId('heating-temperature', 'zh')).toBe('heating-temperature:zh');
  });
});
