import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { start, type ServerProcess } from '../helpers/server-process';
import { startWorkstation, type WorkstationProcess } from '../helpers/workstation-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { TELEPHONY_FILE, TelephonyFile } from '../../src/main/core/host/telephony';

// Intake for a shift, keyboard only, in both languages: a real server process, a real workstation
// core in browser mode, real Chromium; calls ring through the workstation's softphone hook.

let server: ServerProcess;
let serverData: string;
let ws: WorkstationProcess;

test.beforeAll(async () => {
  serverData = makeTempDir('hotline-e2e-intake-');
  server = await start(0, serverData);
  ws = await startWorkstation(server.url);
});

test.afterAll(async () => {
  await ws.stop();
  await server.stop();
  removeDir(serverData);
  removeDir(ws.dataDir);
});

/** What a softphone does when a line rings: POST the calling number to the loopback hook. */
async function ring(from: string): Promise<void> {
  const hook = TelephonyFile.parse(JSON.parse(fs.readFileSync(path.join(ws.dataDir, TELEPHONY_FILE), 'utf8')));
  const res = await fetch(`${hook.url}/v1/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hook.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from, line: '12345-1' }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/**
 * The keyboard with a count of the keys that are not typed content: Enter, Tab, arrows, F-keys and
 * chords are counted; `type` (what the caller said) is not.
 */
class Keys {
  count = 0;
  readonly log: string[] = [];
  constructor(private readonly page: Page) {}
  async press(key: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      this.count += 1;
      this.log.push(key);
      await this.page.keyboard.press(key);
    }
  }
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }
}

const LANGS = [
  { lang: 'zh-CN', callerA: '13800138001', callerB: '13900139001', callerC: '13600136001', name: '周女士' },
  { lang: 'en', callerA: '13800138002', callerB: '13900139002', callerC: '13600136002', name: 'Ms Zhou' },
] as const;

async function open(page: Page, lang: string): Promise<void> {
  await page.addInitScript({ content: `localStorage.setItem('hotline.language', ${JSON.stringify(lang)});` });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(ws.url);
  await expect(page.getByTestId('login-username').or(page.getByTestId('intake-phone'))).toBeVisible();
  if (await page.getByTestId('login-username').isVisible()) {
    await page.keyboard.type('op1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('hotline123');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('intake-phone')).toBeVisible();
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
  await expect(page.getByTestId('intake-category')).not.toHaveAttribute('data-categories', '0');
}

/** Waits for the finished call to be confirmed by the server; it never looks refused on the way. */
async function confirmed(page: Page): Promise<string> {
  const finish = page.getByTestId('intake-finish');
  await expect(finish).toHaveAttribute('data-state', /local|confirmed/);
  await expect(finish).toHaveAttribute('data-state', 'confirmed', { timeout: 15_000 });
  return (await page.getByTestId('intake-number').textContent()) ?? '';
}

for (const L of LANGS) {
  test(`[${L.lang}] a call pops intake, a complaint goes out with one key, a repeat call is linked, a second site's complaint is dispatched`, async ({ page }, testInfo) => {
    await open(page, L.lang);
    const keys = new Keys(page);

    // 1. The line rings: intake has the number, focus is on the name, the caller has no history yet.
    await ring(L.callerA);
    await expect(page.getByTestId('intake-phone')).toHaveValue(L.callerA);
    await expect(page.getByTestId('intake-name')).toBeFocused();
    await expect(page.getByTestId('intake-history-empty')).toBeVisible();

    // The standard complaint: night-time construction noise in Wangjing, Chaoyang, with its questions.
    await keys.type(L.name);
    await keys.press('Enter');
    await expect(page.getByTestId('intake-category')).toBeFocused();
    await keys.type('sgzs');
    await expect(page.locator('[data-testid="category-option"]').first()).toHaveAttribute('data-code', 'noise.construction');
    await keys.press('Enter');
    await expect(page.getByTestId('intake-category')).toHaveAttribute('data-value', 'noise.construction');
    await expect(page.getByTestId('intake-address')).toBeFocused();
    await keys.type('望京');
    await expect(page.locator('[data-testid="place-option"]').first()).toHaveAttribute('data-code', '110105026');
    await keys.press('Enter');
    await expect(page.getByTestId('intake-address')).toHaveValue('朝阳区望京街道');
    await keys.type('阜通东大街6号工地');
    // While typing: where it is, who it would go to, why, and by when.
    await expect(page.getByTestId('intake-place')).toContainText('朝阳区 › 望京街道');
    await expect(page.getByTestId('intake-suggestion')).toBeVisible();
    await expect(page.getByTestId('intake-deadlines')).toBeVisible();
    const unitId = (await page.getByTestId('intake-suggestion').getAttribute('data-unit-id')) ?? '';
    expect(unitId).not.toBe('');
    await keys.press('Enter');
    await expect(page.getByTestId('intake-description')).toBeFocused();
    await keys.type('工地每天夜里施工到凌晨两点，打桩声音很大，无法入睡');
    await keys.press('Tab');
    await keys.type('阜通东大街6号');
    await keys.press('Enter'); // to the optional project name, left empty
    await keys.press('Enter'); // to the time of day
    await keys.press('ArrowDown', 2); // night
    await keys.press('Enter'); // to "still going on"
    await keys.press('ArrowDown'); // yes
    await page.screenshot({ path: testInfo.outputPath(`intake-${L.lang}-typed.png`) });
    await keys.press('F9');
    const first = await confirmed(page);
    expect(first).toMatch(/^S\d{4}-\d{6}$/);
    await expect(page.getByTestId('intake-finish')).toHaveAttribute('data-kind', 'dispatched');
    await expect(page.getByTestId('intake-phone')).toBeFocused();
    await expect(page.getByTestId('intake-phone')).toHaveValue('');
    console.log(`[${L.lang}] standard complaint: ${keys.count} keys that are not typed content (${keys.log.join(' ')}); case ${first} to ${unitId}`);
    expect(keys.count).toBeLessThanOrEqual(12);

    // 2. The same caller again: history shows the case, it is offered as a duplicate, Alt+L links the call to it.
    await ring(L.callerA);
    await expect(page.getByTestId('intake-name')).toBeFocused();
    await expect(page.locator(`[data-testid="history-case"][data-number="${first}"]`)).toBeVisible();
    await page.keyboard.press('Enter');
    await page.keyboard.type('sgzs');
    await page.keyboard.press('Enter');
    await page.keyboard.type('望京');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('昨晚又施工到两点');
    await expect(page.locator(`[data-testid="similar-case"][data-number="${first}"]`)).toBeVisible();
    await page.keyboard.press('Alt+L');
    await expect(page.getByTestId('intake-finish')).toHaveAttribute('data-kind', 'linked');
    expect(await confirmed(page)).toBe(first);
    await expect(page.getByTestId('intake-phone')).toBeFocused();
    // The linked call is on that case's timeline; no second case.
    await page.keyboard.press('Alt+O');
    await expect(page.getByTestId('case-detail')).toBeVisible();
    await expect(page.locator('[data-testid="timeline-item"][data-kind="repeat_call"]')).toHaveCount(1);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('case-detail')).toHaveCount(0);

    // 3. Another caller, another site in Wangjing: the first case is offered (same category here), but this one is new: F9.
    await ring(L.callerB);
    await expect(page.getByTestId('intake-name')).toBeFocused();
    await page.keyboard.press('Enter');
    await page.keyboard.type('shigong');
    await page.keyboard.press('Enter');
    await page.keyboard.type('望京');
    await page.keyboard.press('Enter');
    await page.keyboard.type('广顺北大街工地');
    await page.keyboard.press('Enter');
    await page.keyboard.type('夜间施工噪声扰民');
    await expect(page.locator(`[data-testid="similar-case"][data-number="${first}"]`)).toBeVisible();
    await expect(page.getByTestId('intake-suggestion')).toBeVisible();
    await page.screenshot({ path: path.join('test-results', `intake-pane-${L.lang}.png`) });
    await page.keyboard.press('Tab');
    await page.keyboard.type('广顺北大街');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('F9');
    const second = await confirmed(page);
    expect(second).not.toBe(first);
    await expect(page.getByTestId('intake-finish')).toHaveAttribute('data-kind', 'dispatched');
    // The number is read from the screen (and copied with Alt+C).
    await expect(page.getByTestId('intake-number')).toHaveText(second);
    await page.screenshot({ path: testInfo.outputPath(`intake-${L.lang}-dispatched.png`) });
    await page.keyboard.press('Alt+O');
    await expect(page.getByTestId('case-detail')).toHaveAttribute('data-status', 'dispatched');
    await page.keyboard.press('Escape');
  });

  test(`[${L.lang}] a consultation is answered on the call with F7`, async ({ page }) => {
    await open(page, L.lang);
    await ring(L.callerC);
    await expect(page.getByTestId('intake-name')).toBeFocused();
    await page.keyboard.press('Enter');
    await page.keyboard.type('sbzc'); // 社保政策咨询
    await expect(page.locator('[data-testid="category-option"]').first()).toHaveAttribute('data-code', 'labor.social_insurance_query');
    await page.keyboard.press('Enter');
    // A question answered on the call: the type follows the category.
    await expect(page.getByTestId('intake-type-consultation')).toHaveAttribute('aria-checked', 'true');
    await page.keyboard.type('海淀');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('社保卡丢了怎么补办');
    await page.keyboard.press('Tab');
    await page.keyboard.type('社保卡补办'); // the category's question
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // residence: optional
    await expect(page.getByTestId('intake-answer')).toBeFocused();
    await page.keyboard.type('携带身份证到就近社保经办网点补办，也可在线上办理');
    await page.keyboard.press('F7');
    const number = await confirmed(page);
    await expect(page.getByTestId('intake-finish')).toHaveAttribute('data-kind', 'answered');
    await page.keyboard.press('Alt+O');
    await expect(page.getByTestId('case-detail')).toHaveAttribute('data-status', 'answered');
    await expect(page.getByTestId('case-detail')).toContainText(number);
    await page.keyboard.press('Escape');
  });
}

test('a draft survives a reload; Esc asks, Esc again discards, Alt+Z brings the call back; Enter never submits', async ({ page }) => {
  await open(page, 'zh-CN');
  await page.keyboard.press('Alt+N');
  // Full-width digits from an IME become plain ones.
  await page.keyboard.type('１３７００１３７００９');
  await expect(page.getByTestId('intake-phone')).toHaveValue('13700137009');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('intake-name')).toBeFocused();
  await expect(page.getByTestId('intake-error')).toHaveCount(0);
  await page.keyboard.type('李先生');
  await page.keyboard.press('Enter');
  await page.keyboard.type('ldbl');
  await page.keyboard.press('Escape'); // closes the list only
  await expect(page.getByTestId('intake-confirm-discard')).toHaveCount(0);
  await expect(page.getByTestId('intake-draft-state')).toHaveAttribute('data-state', 'saved');
  await page.reload();
  await expect(page.getByTestId('intake-phone')).toHaveValue('13700137009');
  await expect(page.getByTestId('intake-name')).toHaveValue('李先生');

  await page.getByTestId('intake-name').focus();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('intake-confirm-discard')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('intake-phone')).toHaveValue('');
  await expect(page.getByTestId('intake-note')).toHaveAttribute('data-kind', 'discarded');
  await page.keyboard.press('Alt+Z');
  await expect(page.getByTestId('intake-phone')).toHaveValue('13700137009');
  await expect(page.getByTestId('intake-name')).toHaveValue('李先生');

  // A 10,000-character paste is cut to what a case keeps, and the form says so.
  await page.getByTestId('intake-description').focus();
  await page.keyboard.insertText('噪'.repeat(10_000));
  await expect(page.getByTestId('intake-cut')).toBeVisible();
  await expect(page.getByTestId('intake-description')).toHaveValue('噪'.repeat(4000));

  // Emergency: one chord, and the form looks it.
  await page.keyboard.press('Alt+E');
  await expect(page.getByTestId('intake')).toHaveAttribute('data-urgency', 'emergency');
  await page.keyboard.press('Alt+E');
  await expect(page.getByTestId('intake')).toHaveAttribute('data-urgency', 'normal');
});

test('a role that may not register cases gets no intake form (a trainer on the live line)', async ({ page }) => {
  await page.goto(ws.url);
  await expect(page.getByTestId('login-username').or(page.getByTestId('logout'))).toBeVisible();
  if (await page.getByTestId('logout').isVisible()) {
    await page.getByTestId('logout').focus();
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('login-username')).toBeFocused();
  await page.keyboard.type('trainer1');
  await page.keyboard.press('Tab');
  await page.keyboard.type('hotline123');
  await page.keyboard.press('Enter');
  // The workspace shows no intake for the role (and the intake pane would refuse too).
  await expect(page.getByTestId('no-intake').or(page.getByTestId('intake-refused'))).toBeVisible();
  await expect(page.getByTestId('intake-phone')).toHaveCount(0);
  // F9 does nothing without the form.
  await page.keyboard.press('F9');
  await expect(page.getByTestId('intake-finish')).toHaveCount(0);
  await page.getByTestId('logout').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('login-username')).toBeVisible();
});
