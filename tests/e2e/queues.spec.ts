import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { start, type ServerProcess } from '../helpers/server-process';
import { startWorkstation, type WorkstationProcess } from '../helpers/workstation-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { readApiKeys, unitKey } from '../helpers/api-keys';
import { UNIT_API_BASE } from '../../src/shared/units/api';
import { coreAt } from './core-bridge';

// The queues pane, the open case, the callback flow and search, on the keyboard alone, in both
// UI languages: a real server process, a real workstation core in browser mode, real Chromium;
// the responding units act through the unit HTTP API. Screens at 1366×768 go to test-results/.

const SCREENS = path.resolve(__dirname, '../../test-results/workspace-screens');
const VIEWPORT = { width: 1366, height: 768 };
const LANGUAGES = ['zh-CN', 'en'] as const;
type Language = (typeof LANGUAGES)[number];

let server: ServerProcess;
let serverData: string;
let ws: WorkstationProcess;
let keys: Record<string, string>;
let core: ReturnType<typeof coreAt>;
let seq = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  fs.mkdirSync(SCREENS, { recursive: true });
  serverData = makeTempDir('hotline-e2e-queues-');
  server = await start(0, serverData);
  keys = readApiKeys(serverData);
  ws = await startWorkstation(server.url);
  core = coreAt(ws.url);
});

test.afterAll(async () => {
  await ws.stop();
  await server.stop();
  removeDir(serverData);
  removeDir(ws.dataDir);
});

async function unitCall(unitId: string, number: string, step: 'accept' | 'reply', body: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(`${server.url}${UNIT_API_BASE}/cases/${number}/${step}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${unitKey(keys, unitId)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** The UI language chosen on the login screen (setup), then op1 signs in with the keyboard, unless still signed in. */
async function open(page: Page, language: Language): Promise<void> {
  await page.setViewportSize(VIEWPORT);
  await page.goto(ws.url);
  await expect(page.getByTestId('login-username').or(page.getByTestId('queues'))).toBeVisible();
  if (await page.getByTestId('login-username').isVisible()) {
    await page.getByTestId('lang-switch').selectOption(language);
    await page.getByTestId('login-username').focus();
    await page.keyboard.type('op1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('hotline123');
    await page.keyboard.press('Enter');
  } else {
    await page.getByTestId('lang-switch').selectOption(language);
  }
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true', { timeout: 15_000 });
}

interface Made {
  id: string;
  number: string;
  unitId: string;
}

/** A case registered and dispatched through the core, signed for and replied to by its unit: it waits for the callback. */
async function repliedCase(opts: { phone?: string; address?: string; urgency?: 'normal' | 'urgent' | 'emergency' } = {}): Promise<Made> {
  seq += 1;
  const c = await core('cases.create', {
    callerPhone: opts.phone ?? `1390000${String(1000 + seq)}`,
    callerName: '',
    categoryCode: 'urban.street_lights',
    address: opts.address ?? `朝阳区建外街道建国路 ${100 + seq} 号`,
    description: `路灯不亮 #${seq}`,
    urgency: opts.urgency ?? 'normal',
  });
  const [suggestion] = await core('dispatch.suggest', { caseId: c.id });
  if (!suggestion) throw new Error('no unit suggested');
  await core('cases.step', { caseId: c.id, step: { action: 'dispatch', unitId: suggestion.unitId, note: '' } });
  await expect.poll(async () => (await core('sync.status', {})).pending, { timeout: 15_000 }).toBe(0);
  await unitCall(suggestion.unitId, c.number, 'accept');
  await unitCall(suggestion.unitId, c.number, 'reply', { outcome: 'resolved', text: `已修复路灯 #${seq}`, contactedAt: Date.now() });
  await expect.poll(async () => (await core('cases.get', { caseId: c.id })).status, { timeout: 15_000 }).toBe('replied');
  return { id: c.id, number: c.number, unitId: suggestion.unitId };
}

/** Alt+3 (callbacks), Alt+Q into the rows, arrows down to the case, Enter opens it. */
async function openFromCallbacks(page: Page, number: string): Promise<void> {
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('case-list')).toHaveAttribute('data-scope', 'callback');
  await expect(page.locator(`[data-testid="case-row"][data-case-number="${number}"]`)).toBeVisible({ timeout: 15_000 });
  await page.keyboard.press('Alt+Q');
  for (let i = 0; i < 60; i += 1) {
    if ((await focusedNumber(page)) === number) break;
    await page.keyboard.press('ArrowDown');
  }
  await expect(page.locator(`[data-testid="case-row"][data-case-number="${number}"]`)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('case-detail')).toBeVisible();
}

const detail = (page: Page) => page.getByTestId('case-detail');

async function confirmedStatus(page: Page, status: string): Promise<void> {
  await expect(detail(page)).toHaveAttribute('data-status', status, { timeout: 15_000 });
  await expect(detail(page)).toHaveAttribute('data-pending', 'false', { timeout: 15_000 });
}

async function timelineKinds(page: Page): Promise<(string | null)[]> {
  const items = await page.locator('[data-testid="timeline-item"]').all();
  return Promise.all(items.map((i) => i.getAttribute('data-kind')));
}

/** Focus is on a control of the page, never dropped to the body. */
async function focusHeld(page: Page): Promise<void> {
  await expect(page.locator('body')).not.toBeFocused();
  await expect(page.locator(':focus')).toHaveCount(1);
}

/** The case number of the focused row, if a row has focus. */
function focusedNumber(page: Page): Promise<string | null> {
  return page.locator(':focus').getAttribute('data-case-number', { timeout: 2000 }).catch(() => null);
}

/** axe-core over the page as it is: no serious or critical violation. */
async function accessible(page: Page, what: string): Promise<void> {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays as it is.
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate<{ id: string; impact: string | null; nodes: string[] }[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) })))`,
  );
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${what}: ${JSON.stringify(serious, null, 1)}`).toEqual([]);
}

for (const language of LANGUAGES) {
  test.describe(`in ${language}`, () => {
    test(`a callback worked to closed, after an attempt that reached nobody (${language})`, async ({ page }) => {
      await open(page, language);
      const c = await repliedCase({ urgency: 'urgent' });
      await openFromCallbacks(page, c.number);
      // The callback form has focus. First the citizen does not answer: the attempt is recorded and rescheduled.
      await expect(page.getByTestId('callback-resolved-yes')).toBeFocused();
      await page.getByTestId('callback-unreachable').focus();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('attempt-outcome')).toBeFocused();
      await page.keyboard.press('Control+Enter');
      await expect.poll(async () => (await core('cases.get', { caseId: c.id })).callbackAttempts).toBe(1);
      const after = await core('cases.get', { caseId: c.id });
      expect(after.nextCallbackAt).toBeGreaterThan(Date.now());
      await expect(detail(page).getByTestId('deadline')).toHaveAttribute('data-state', 'waiting');
      await focusHeld(page);
      // The citizen is reached: resolved, satisfied, in their words; Ctrl+Enter saves from the text area.
      await page.getByTestId('callback-resolved-yes').focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await expect(page.getByTestId('callback-satisfied')).toBeChecked();
      await page.keyboard.press('Tab');
      await page.keyboard.type(language === 'en' ? 'The light works again' : '路灯已经亮了，很满意');
      await page.keyboard.press('Control+Enter');
      await confirmedStatus(page, 'evaluated');
      // Resolved and satisfied: closing is the suggested step.
      await expect(page.getByTestId('close-submit')).toBeFocused();
      await page.keyboard.press('Enter');
      await confirmedStatus(page, 'closed');
      await focusHeld(page);
      expect(await timelineKinds(page)).toEqual(['registered', 'dispatch', 'accept', 'reply', 'callback_attempt', 'evaluate', 'close']);
      // The timeline names the operator, not the station code.
      const who = await page.locator('[data-testid="timeline-item"][data-kind="registered"] [data-testid="timeline-who"]').textContent();
      expect(who).not.toMatch(/^S\d{4}/);
      expect(who).toContain((await page.locator('.statusbar__user strong').textContent()) ?? '?');
      await page.screenshot({ path: path.join(SCREENS, `case-closed-${language}.png`) });
    });

    test(`an unresolved callback goes back to the unit, closing is deliberate (${language})`, async ({ page }) => {
      await open(page, language);
      const c = await repliedCase();
      await openFromCallbacks(page, c.number);
      await expect(page.getByTestId('callback-resolved-yes')).toBeFocused();
      // Arrows pick within a radio group: "not resolved", then "unsatisfied".
      await page.keyboard.press('ArrowDown');
      await expect(page.getByTestId('callback-resolved-no')).toBeChecked();
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect(page.getByTestId('callback-unsatisfied')).toBeChecked();
      await page.keyboard.press('Tab');
      await page.keyboard.type(language === 'en' ? 'Still dark at night' : '晚上还是不亮');
      await page.keyboard.press('Control+Enter');
      await confirmedStatus(page, 'evaluated');
      // Back to the unit is the default; Close is there but not focused.
      await expect(page.getByTestId('return-submit')).toBeFocused();
      await expect(page.getByTestId('close-submit')).not.toBeFocused();
      await page.screenshot({ path: path.join(SCREENS, `case-unresolved-${language}.png`) });
      await accessible(page, `case view after an unresolved callback (${language})`);
      await page.keyboard.press('Enter');
      await confirmedStatus(page, 'dispatched');
      await expect(page.getByTestId('detail-unit')).toHaveAttribute('data-unit-id', c.unitId);
      await focusHeld(page);
      expect(await timelineKinds(page)).toEqual(['registered', 'dispatch', 'accept', 'reply', 'evaluate', 'reopen', 'dispatch']);
      const server = await core('cases.get', { caseId: c.id });
      expect(server.unitId).toBe(c.unitId);
      expect(server.dispatchCount).toBe(2);
    });

    test(`search finds a case by a 2-character Chinese query and by the phone's last digits (${language})`, async ({ page }) => {
      await open(page, language);
      const phone = `1368877${String(4000 + seq)}`;
      const made = await core('cases.create', { callerPhone: phone, callerName: '', categoryCode: 'urban.street_lights', address: '朝阳区望京街道阜通东大街 6 号', description: '小区门口路灯坏了' });
      await page.keyboard.press('Control+F');
      await expect(page.getByTestId('search-input')).toBeFocused();
      await page.keyboard.type('望京');
      await expect(page.locator(`[data-testid="search-row"][data-case-number="${made.number}"]`)).toBeVisible();
      await page.keyboard.press('Control+A');
      await page.keyboard.type(phone.slice(-4));
      await expect(page.locator(`[data-testid="search-row"][data-case-number="${made.number}"]`)).toBeVisible();
      // The server was asked too (online): its heading says how many older cases it found.
      await expect(page.getByTestId('search-server-head')).not.toHaveText(/…$/, { timeout: 10_000 });
      // Down to the results, Enter opens the case.
      await page.keyboard.press('ArrowDown');
      await expect(page.locator('[data-testid="search-row"]').first()).toBeFocused();
      for (let i = 0; i < 20; i += 1) {
        if ((await focusedNumber(page)) === made.number) break;
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await expect(detail(page)).toBeVisible();
      await expect(page.locator('[data-testid="case-detail"] h2')).toHaveText(made.number);
      await page.screenshot({ path: path.join(SCREENS, `case-view-${language}.png`) });
      await accessible(page, `case view (${language})`);
      // F3 back in the search box; Esc ends the search and returns focus.
      await page.keyboard.press('F3');
      await expect(page.getByTestId('search-input')).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('search-input')).toHaveValue('');
      await focusHeld(page);
    });

    test(`the replies tab counts a new reply, with a notice (${language})`, async ({ page }) => {
      await open(page, language);
      // Everything replied so far has been seen.
      await page.keyboard.press('Alt+6');
      await expect(page.getByTestId('case-list')).toHaveAttribute('data-scope', 'replies');
      await page.keyboard.press('Alt+1');
      await expect(page.getByTestId('tab-count-replies')).toHaveCount(0);
      const c = await repliedCase({ urgency: 'emergency' });
      await expect(page.getByTestId('tab-count-replies')).toHaveText(/^\D*1\D*$/, { timeout: 15_000 });
      await expect(page.getByTestId('reply-notice')).toContainText(c.number);
      // The queues at a glance: the emergency first, its deadline counting down.
      await page.keyboard.press('Alt+3');
      await expect(page.locator('[data-testid="case-row"]').first()).toHaveAttribute('data-urgency', 'emergency');
      await page.screenshot({ path: path.join(SCREENS, `queues-${language}.png`) });
      await accessible(page, `queues (${language})`);
      await page.keyboard.press('Alt+6');
      await expect(page.locator(`[data-testid="case-row"][data-case-number="${c.number}"]`)).toBeVisible();
      await expect(page.getByTestId('tab-count-replies')).toHaveCount(0);
      // Seen is remembered: a reload does not count it again.
      await page.reload();
      await expect(page.getByTestId('queues')).toBeVisible();
      await page.keyboard.press('Alt+1');
      await expect(page.getByTestId('case-list')).toHaveAttribute('data-scope', 'mine');
      await expect(page.getByTestId('tab-count-replies')).toHaveCount(0);
      await expect(page.locator('html')).toHaveAttribute('lang', language);
    });
  });
}
