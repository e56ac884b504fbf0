import { describe, expect, it } from 'vitest';
import { canIntake, screenFor } from '../../../src/renderer/src/screens/roleScreen';
import { contentOf, formOf, sameContent, splitList, statusOf } from '../../../src/renderer/src/components/kb/editor/form';
import { beijingToday, validityOf } from '../../../src/renderer/src/components/kb/validity';
import type { ArticleContent, ArticleDraftRecord } from '../../../src/shared/domain/article';

const content: ArticleContent = {
  key: 'heating-fee-payment',
  language: 'zh',
  title: '采暖费的缴纳时间与缴费渠道',
  body: '采暖费一般在采暖季开始前缴纳。',
  answerScript: '您好，暖气费一般在供暖开始前交。',
  categories: ['utility.heating_fee_query'],
  tags: ['暖气费', '交暖气费'],
  units: [],
  validFrom: null,
  validTo: '2027-03-15',
  sources: [{ title: '北京市供热采暖管理办法' }],
};

describe('screens by role', () => {
  it('sends the knowledge editor to the editor, the admin to the admin slot, everyone else to the workspace', () => {
    expect(screenFor('editor')).toBe('kbEditor');
    expect(screenFor('admin')).toBe('admin');
    expect(['operator', 'lead', 'trainer'].map((r) => screenFor(r as 'operator'))).toEqual(['workspace', 'workspace', 'workspace']);
  });

  it('shows intake only to roles that register cases in the space', () => {
    const actor = (role: 'operator' | 'trainer' | 'editor' | 'lead', space: 'live' | 'training' = 'live') => ({ id: 'u', role, team: 't', space });
    expect(canIntake(actor('operator'))).toBe(true);
    expect(canIntake(actor('lead'))).toBe(true);
    expect(canIntake(actor('trainer'))).toBe(false);
    expect(canIntake(actor('trainer', 'training'))).toBe(true);
    expect(canIntake(actor('editor'))).toBe(false);
  });
});

describe('the editor form', () => {
  it('round-trips an article through the form, lists typed with any separator', () => {
    const values = formOf(content);
    expect(contentOf(values, content)).toEqual(content);
    expect(splitList('暖气费，交暖气费、 暖气费;供暖\n')).toEqual(['暖气费', '交暖气费', '供暖']);
  });

  it('compares contents whatever the order of their fields, and sees a real change', () => {
    const reordered = Object.fromEntries(Object.entries(content).reverse()) as ArticleContent;
    expect(sameContent(reordered, content)).toBe(true);
    expect(sameContent({ ...content, title: '采暖费缴纳' }, content)).toBe(false);
    expect(sameContent({ ...content, tags: ['暖气费'] }, content)).toBe(false);
  });

  it('names a published article with a newer draft as changed', () => {
    const d = (status: ArticleDraftRecord['status'], publishedVersion: number | null): ArticleDraftRecord => ({
      id: 'heating-fee-payment:zh',
      key: 'heating-fee-payment',
      language: 'zh',
      status,
      version: 2,
      publishedVersion,
      content,
      updatedBy: 'u',
      updatedAt: 0,
    });
    expect(statusOf(d('draft', 1))).toBe('changed');
    expect(statusOf(d('draft', null))).toBe('draft');
    expect(statusOf(d('published', 2))).toBe('published');
    expect(statusOf(d('retired', null))).toBe('retired');
  });
});

describe('validity', () => {
  it('judges by the Beijing date', () => {
    // 2026-12-31 20:00 UTC is already 2027-01-01 in Beijing.
    expect(beijingToday(Date.UTC(2026, 11, 31, 20))).toBe('2027-01-01');
    expect(validityOf({ validFrom: null, validTo: '2026-12-31' }, '2027-01-01')).toBe('expired');
    expect(validityOf({ validFrom: '2027-01-02', validTo: null }, '2027-01-01')).toBe('notYet');
    expect(validityOf({ validFrom: '2027-01-01', validTo: '2027-01-01' }, '2027-01-01')).toBe('valid');
  });
});
