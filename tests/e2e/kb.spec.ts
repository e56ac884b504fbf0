import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { start, type ServerProcess } from '../helpers/server-process';
import { startWorkstation, type WorkstationProcess } from '../helpers/workstation-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { TELEPHONY_FILE, TelephonyFile } from '../../src/main/core/host/telephony';

// The knowledge base in the workstation, keyboard only, in both languages: a real server process,
// three real workstation cores in browser mode (an operator's, the knowledge editor's, the
// admin's), real Chromium. Screenshots at 1366×768 go to test-results/.

let server: ServerProcess;
let serverData: string;
let opWs: WorkstationProcess;
let editorWs: WorkstationProcess;
let adminWs: WorkstationProcess;

test.beforeAll(async () => {
  serverData = makeTempDir('hotline-e2e-kb-');
  server = await start(0, serverData);
  opWs = await startWorkstation(server.url);
  editorWs = await startWorkstation(server.url);
  adminWs = await startWorkstation(server.url);
});

test.afterAll(async () => {
  for (const ws of [opWs, editorWs, adminWs]) {
    await ws.stop();
    removeDir(ws.dataDir);
  }
  await server.stop();
  removeDir(serverData);
});

const SHOTS = path.resolve('test-results');
const shot = async (page: Page, name: string) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `kb-${name}.png`) });
};

async function ring(ws: WorkstationProcess, from: string): Promise<void> {
  const hook = TelephonyFile.parse(JSON.parse(fs.readFileSync(path.join(ws.dataDir, TELEPHONY_FILE), 'utf8')));
  const res = await fetch(`${hook.url}/v1/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hook.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from, line: '12345-1' }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** A page of `ws` in `lang`, logged in as `username` with the keyboard (or still logged in from before). */
async function open(browser: Browser, ws: WorkstationProcess, lang: string, username: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.addInitScript({ content: `localStorage.setItem('hotline.language', ${JSON.stringify(lang)});` });
  await page.goto(ws.url);
  await expect(page.getByTestId('login-username').or(page.getByTestId('sync-online'))).toBeVisible();
  if (await page.getByTestId('login-username').isVisible()) {
    await expect(page.getByTestId('login-username')).toBeFocused();
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type('hotline123');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true', { timeout: 20_000 });
  return page;
}

const LANGS = [
  {
    lang: 'zh-CN',
    caller: '13800138111',
    name: '周女士',
    description: '想问一下暖气费在哪交，能不能网上交',
    query: '暖气费在哪交',
    article: 'heating-fee-payment:zh',
    edited: 'water-outage:zh',
    marker: '停水须知二〇二六',
    conflict: 'power-outage:zh',
  },
  {
    lang: 'en',
    caller: '13800138112',
    name: 'Ms Zhou',
    description: 'How can I pay the heating bill, can I pay online',
    query: 'pay heating bill',
    article: 'heating-fee-payment:en',
    edited: 'water-outage:en',
    marker: 'Waterbulletin2026',
    conflict: 'power-outage:en',
  },
] as const;

for (const L of LANGS) {
  test(`[${L.lang}] an operator finds an article by the caller's words in the KB panel and answers the consultation with it; the case shows the article`, async ({ browser }) => {
    const page = await open(browser, opWs, L.lang, 'op1');
    await expect(page.getByTestId('intake-category')).not.toHaveAttribute('data-categories', '0');
    await ring(opWs, L.caller);
    await expect(page.getByTestId('intake-name')).toBeFocused();
    await page.keyboard.type(L.name);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('intake-category')).toBeFocused();
    await page.keyboard.type('gnjfzx'); // 供暖缴费咨询
    await expect(page.locator('[data-testid="category-option"]').first()).toHaveAttribute('data-code', 'utility.heating_fee_query');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('intake-type-consultation')).toHaveAttribute('aria-checked', 'true');
    await page.keyboard.type('朝阳');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('intake-description')).toBeFocused();
    await page.keyboard.type(L.description);
    await page.keyboard.press('Tab');
    await page.keyboard.type(L.query); // the category's question
    // As the description is typed, the knowledge base suggests articles beside intake, without taking focus.
    await expect(page.getByTestId('kb-suggestions')).toBeVisible();
    await expect(page.locator('[data-testid="kb-suggestion"]').first()).toHaveAttribute('data-article-id', /^heating-/);
    await expect(page.locator('[data-testid^="intake-q-"]').first()).toBeFocused();
    await shot(page, `${L.lang}-intake-suggestions`);

    // F2: the KB panel, free search by what the caller said.
    await page.keyboard.press('F2');
    await expect(page.getByTestId('kb-search')).toBeFocused();
    await page.keyboard.type(L.query);
    await expect(page.locator('[data-testid="kb-hit"]').first()).toHaveAttribute('data-article-id', L.article);
    await shot(page, `${L.lang}-panel-results`);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('kb-article')).toBeFocused();
    await expect(page.getByTestId('kb-answer-script')).toBeVisible();
    await expect(page.getByTestId('kb-validity')).toHaveAttribute('data-validity', 'valid');
    const title = (await page.locator('.kb-article__title').textContent()) ?? '';
    expect(title.length).toBeGreaterThan(2);
    await shot(page, `${L.lang}-panel-article`);

    // Alt+A: the call is registered answered with the article's script, the article linked.
    await page.keyboard.press('Alt+A');
    await expect(page.getByTestId('kb-panel')).toHaveCount(0);
    const finish = page.getByTestId('intake-finish');
    await expect(finish).toHaveAttribute('data-kind', 'answered');
    await expect(finish).toHaveAttribute('data-state', 'confirmed', { timeout: 15_000 });
    await expect(page.getByTestId('intake-phone')).toBeFocused();
    await page.keyboard.press('Alt+O');
    await expect(page.getByTestId('case-detail')).toHaveAttribute('data-status', 'answered');
    const answered = page.locator('[data-testid="timeline-item"][data-kind="answer"]');
    await expect(answered).toContainText(title);
    await shot(page, `${L.lang}-case-with-article`);
    await page.keyboard.press('Escape');

    // The article is now among this operator's recent ones.
    await page.keyboard.press('Alt+K');
    await expect(page.getByTestId('kb-search')).toBeFocused();
    await expect(page.locator('[data-testid="kb-hit"]').first()).toHaveAttribute('data-article-id', L.article);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('kb-panel')).toHaveCount(0);
    await page.close();
  });

  test(`[${L.lang}] the knowledge editor edits and publishes an article and the operator's workstation receives it`, async ({ browser }) => {
    const editor = await open(browser, editorWs, L.lang, 'editor1');
    await expect(editor.getByTestId('kb-editor')).toBeVisible();
    await expect(editor.getByTestId('kb-editor-filter')).toBeFocused();
    await expect(editor.locator('[data-testid="kb-editor-row"]').first()).toBeVisible({ timeout: 20_000 });
    await editor.keyboard.type(L.edited);
    await expect(editor.locator('[data-testid="kb-editor-row"]')).toHaveCount(1);
    await editor.keyboard.press('Enter');
    await expect(editor.getByTestId('kb-field-title')).toBeFocused();
    await expect(editor.getByTestId('kb-editor-status')).toHaveAttribute('data-status', 'published');
    await editor.keyboard.press('End');
    await editor.keyboard.type(` ${L.marker}`);
    await editor.keyboard.press('Tab');
    await expect(editor.getByTestId('kb-field-answerScript')).toBeFocused();
    await editor.keyboard.press('Control+End');
    await editor.keyboard.type(L.lang === 'en' ? ' Updated for 2026.' : '（2026年更新）');
    // The preview follows the form.
    await expect(editor.getByTestId('kb-editor-preview')).toContainText(L.marker);
    await shot(editor, `${L.lang}-editor-editing`);
    await editor.keyboard.press('Alt+P');
    await expect(editor.getByTestId('kb-editor-status')).toHaveAttribute('data-status', 'published', { timeout: 15_000 });
    await expect(editor.getByTestId('kb-editor-notice')).toBeVisible();
    // The history has the new version with its diff.
    await editor.keyboard.press('Alt+H');
    await expect(editor.getByTestId('kb-history-list')).toBeFocused();
    await expect(editor.getByTestId('kb-history-diff')).toContainText(L.marker, { timeout: 15_000 });
    await expect(editor.locator('[data-testid="kb-history-diff"] ins').first()).toBeVisible();
    await shot(editor, `${L.lang}-editor-history`);
    await editor.keyboard.press('Escape');
    await expect(editor.getByTestId('kb-history')).toHaveCount(0);

    // The operator's workstation has it by sync: found by the new word in its title.
    const op = await open(browser, opWs, L.lang, 'op1');
    await op.keyboard.press('F2');
    await expect(op.getByTestId('kb-search')).toBeFocused();
    await op.keyboard.type(L.marker);
    await expect(op.locator('[data-testid="kb-hit"]').first()).toHaveAttribute('data-article-id', L.edited, { timeout: 20_000 });
    await op.keyboard.press('Enter');
    await expect(op.getByTestId('kb-article')).toContainText(L.marker);
    await shot(op, `${L.lang}-operator-receives`);
    await op.close();
    await editor.close();
  });

  test(`[${L.lang}] two editors on one article: the second is shown both versions and chooses; nothing is overwritten`, async ({ browser }) => {
    const first = await open(browser, editorWs, L.lang, 'editor1');
    // The admin opens the knowledge editor from their screen (the admin console's slot).
    const second = await open(browser, adminWs, L.lang, 'admin');
    await expect(second.getByTestId('admin-screen')).toBeVisible();
    await expect(second.getByTestId('admin-open-workspace')).toBeFocused();
    await second.keyboard.press('Tab');
    await second.keyboard.press('Enter');
    await expect(second.getByTestId('kb-editor')).toBeVisible();

    for (const page of [first, second]) {
      await page.keyboard.press('F6');
      await expect(page.getByTestId('kb-editor-filter')).toBeFocused();
      await expect(page.locator('[data-testid="kb-editor-row"]').first()).toBeVisible({ timeout: 20_000 });
      await page.keyboard.type(L.conflict);
      await expect(page.locator('[data-testid="kb-editor-row"]')).toHaveCount(1);
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('kb-field-title')).toBeFocused();
    }
    const original = await first.getByTestId('kb-field-title').inputValue();
    // The second editor starts changing the title; the first saves theirs meanwhile.
    await second.keyboard.press('End');
    await second.keyboard.type(L.lang === 'en' ? ' (second editor)' : '（第二位编辑）');
    await first.keyboard.press('End');
    await first.keyboard.type(L.lang === 'en' ? ' (first editor)' : '（第一位编辑）');
    await first.keyboard.press('Control+S');
    await expect(first.getByTestId('kb-editor-notice')).toHaveAttribute('role', 'status');
    await expect(first.getByTestId('kb-editor-status')).toContainText('v2');
    // The second workstation receives version 2; its editor's text stays as typed.
    await expect(second.locator(`[data-testid="kb-editor-row"][data-article-id="${L.conflict}"]`)).toContainText('v2', { timeout: 20_000 });
    await expect(second.getByTestId('kb-field-title')).toHaveValue(new RegExp(L.lang === 'en' ? 'second editor' : '第二位编辑'));
    await second.keyboard.press('Control+S');
    const conflict = second.getByTestId('kb-conflict');
    await expect(conflict).toBeVisible();
    await expect(second.getByTestId('kb-conflict-theirs')).toContainText(L.lang === 'en' ? 'first editor' : '第一位编辑');
    await expect(second.getByTestId('kb-conflict-mine')).toContainText(L.lang === 'en' ? 'second editor' : '第二位编辑');
    await expect(second.locator('[data-testid="kb-conflict-diff"] del').first()).toBeVisible();
    await expect(second.getByTestId('kb-conflict-merge')).toBeFocused();
    await shot(second, `${L.lang}-conflict`);
    // Ctrl+S again does not save over theirs while the conflict is open.
    await second.keyboard.press('Control+S');
    await expect(second.getByTestId('kb-editor-notice')).toHaveAttribute('role', 'alert');
    await expect(second.getByTestId('kb-editor-status')).toContainText('v2');

    // Merge by hand: the second editor's text in the form, theirs in view; the merged title saved as version 3.
    await second.getByTestId('kb-conflict-merge').focus();
    await second.keyboard.press('Enter');
    await expect(second.getByTestId('kb-field-title')).toBeFocused();
    await second.keyboard.press('Control+A');
    await second.keyboard.type(`${original} ${L.lang === 'en' ? '(both editors)' : '（两位编辑合并）'}`);
    await second.keyboard.press('Control+S');
    await expect(conflict).toHaveCount(0);
    await expect(second.getByTestId('kb-editor-status')).toContainText('v3');
    // Both earlier versions are kept: the first editor's v2 is in the history under v3.
    await second.keyboard.press('Alt+H');
    await expect(second.locator('[data-testid="kb-history-item"]')).toHaveCount(3, { timeout: 15_000 });
    await expect(second.getByTestId('kb-history-diff')).toContainText(L.lang === 'en' ? 'both editors' : '两位编辑合并');
    await second.keyboard.press('Escape');
    // And the first editor's workstation follows to version 3.
    await expect(first.getByTestId('kb-field-title')).toHaveValue(new RegExp(L.lang === 'en' ? 'both editors' : '两位编辑合并'), { timeout: 20_000 });
    await first.close();
    await second.close();
  });
}
