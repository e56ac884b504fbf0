import { test, expect, type Page } from '@playwright/test';
import { start, type ServerProcess } from '../helpers/server-process';
import { startWorkstation, type WorkstationProcess } from '../helpers/workstation-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { UNIT_API_BASE } from '../../src/shared/units/api';
import { answerQuestions } from './intake-keys';
import { readApiKeys, unitKey } from '../helpers/api-keys';

// The life of a case on screen: a real server process, a real workstation core in browser mode,
// real Chromium, the operator on the keyboard, and the responding unit on the unit HTTP API.

let server: ServerProcess;
let serverData: string;
let ws: WorkstationProcess;
let keys: Record<string, string>;

test.beforeAll(async () => {
  serverData = makeTempDir('hotline-e2e-lifecycle-');
  server = await start(0, serverData);
  keys = readApiKeys(serverData);
  ws = await startWorkstation(server.url);
});

test.afterAll(async () => {
  await ws.stop();
  await server.stop();
  removeDir(serverData);
  removeDir(ws.dataDir);
});

/** The unit's side, as its own system would call the unit API. */
async function unitCall(unitId: string, number: string, step: 'accept' | 'return' | 'reply', body: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(`${server.url}${UNIT_API_BASE}/cases/${number}/${step}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${unitKey(keys, unitId)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** Logs op1 in, unless the workstation core still holds op1's session from the previous test. */
async function login(page: Page): Promise<void> {
  await expect(page.getByTestId('login-username').or(page.getByTestId('intake-phone'))).toBeVisible();
  if (await page.getByTestId('login-username').isVisible()) {
    await expect(page.getByTestId('login-username')).toBeFocused();
    await page.keyboard.type('op1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('hotline123');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('intake-phone')).toBeVisible();
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
  await expect(page.getByTestId('intake-category')).not.toHaveAttribute('data-categories', '0');
}

/** Registers a case (keyboard, the category found by its code in the combobox) and opens it with Alt+O. */
async function registerAndOpen(page: Page, c: { category: string; address: string; description: string }): Promise<string> {
  await page.keyboard.press('Alt+N');
  await expect(page.getByTestId('intake-phone')).toBeFocused();
  await page.keyboard.type('13912345678');
  await page.keyboard.press('Tab');
  await page.keyboard.type('周女士');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('intake-category')).toBeFocused();
  // The combobox finds a category by its code too; Enter takes it and moves on to the address.
  await page.keyboard.type(c.category);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('intake-category')).toHaveAttribute('data-value', c.category);
  await page.keyboard.type(c.address);
  await page.keyboard.press('Tab');
  await page.keyboard.type(c.description);
  expect(await answerQuestions(page)).toBeGreaterThan(0);
  await page.keyboard.press('Shift+Tab');
  const before = (await page.getByTestId('intake-result').textContent()) ?? '';
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('intake-result')).not.toHaveText(before);
  const number = /S\d{4}-\d{6}/.exec((await page.getByTestId('intake-result').textContent()) ?? '')?.[0] ?? '';
  expect(number).not.toBe('');
  await page.keyboard.press('Alt+O');
  await expect(page.getByTestId('case-detail')).toBeVisible();
  return number;
}

const detail = (page: Page) => page.getByTestId('case-detail');

async function timelineKinds(page: Page): Promise<(string | null)[]> {
  const items = await page.locator('[data-testid="timeline-item"]').all();
  return Promise.all(items.map((i) => i.getAttribute('data-kind')));
}

/** Waits until the open case shows `status`, confirmed by the server (not pending). */
async function confirmedStatus(page: Page, status: string): Promise<void> {
  await expect(detail(page)).toHaveAttribute('data-status', status, { timeout: 15_000 });
  await expect(detail(page)).toHaveAttribute('data-pending', 'false', { timeout: 15_000 });
}

/** Dispatches with the keyboard: the suggestion list has focus; arrows pick, Enter sends. */
async function dispatchWithKeyboard(page: Page, downs = 0): Promise<string> {
  const list = page.getByTestId('dispatch-suggestions');
  await expect(list).toBeFocused();
  for (let i = 0; i < downs; i += 1) await page.keyboard.press('ArrowDown');
  const unitId = (await page.locator('[data-testid="dispatch-option"][aria-selected="true"]').getAttribute('data-unit-id')) ?? '';
  await page.keyboard.press('Enter');
  await confirmedStatus(page, 'dispatched');
  await expect(page.getByTestId('detail-unit')).toHaveAttribute('data-unit-id', unitId);
  await expect(detail(page).getByTestId('deadline')).toHaveAttribute('data-state', 'on_time');
  return unitId;
}

test('intake → dispatch → unit signs for and replies → callback → closed', async ({ page }, testInfo) => {
  await page.goto(ws.url);
  await login(page);
  const number = await registerAndOpen(page, { category: 'noise.residential', address: '朝阳区建外街道建国路 88 号', description: '楼下工地夜间施工，噪音扰民' });
  // Neighbourhood noise goes to the street office by territory: first suggestion.
  await expect(page.locator('[data-testid="dispatch-option"]').first()).toHaveAttribute('data-unit-id', 'street.110105001');
  const unitId = await dispatchWithKeyboard(page);
  await page.screenshot({ path: testInfo.outputPath('dispatched.png') });

  await unitCall(unitId, number, 'accept');
  await confirmedStatus(page, 'accepted');
  await unitCall(unitId, number, 'reply', { outcome: 'resolved', text: '已责令施工单位夜间停工，并电话告知市民', contactedAt: Date.now() });
  await confirmedStatus(page, 'replied');
  await expect(page.getByTestId('detail-reply')).toContainText('夜间停工');

  // The callback queue (Alt+3) lists it; the callback form has focus.
  await page.keyboard.press('Alt+3');
  await expect(page.locator(`[data-testid="case-row"][data-case-number="${number}"]`)).toBeVisible();
  await expect(page.getByTestId('callback-resolved-yes')).toBeFocused();
  await page.keyboard.press('Space');
  await page.getByTestId('callback-satisfied').focus();
  await page.keyboard.press('Space');
  await page.getByTestId('callback-words').focus();
  await page.keyboard.type('处理及时，很满意');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await confirmedStatus(page, 'evaluated');
  await expect(page.getByTestId('close-submit')).toBeFocused();
  await page.keyboard.press('Enter');
  await confirmedStatus(page, 'closed');
  expect(await timelineKinds(page)).toEqual(['registered', 'dispatch', 'accept', 'reply', 'evaluate', 'close']);
  await page.screenshot({ path: testInfo.outputPath('closed.png') });
});

test('dispatched → returned by the unit → re-dispatched to another unit', async ({ page }) => {
  await page.goto(ws.url);
  await login(page);
  const number = await registerAndOpen(page, { category: 'noise.residential', address: '朝阳区建外街道光华路 1 号', description: '广场舞音响声音过大，影响休息' });
  const first = await dispatchWithKeyboard(page);
  await unitCall(first, number, 'return', { reason: '该广场不在本街道辖区' });
  await confirmedStatus(page, 'returned');
  await expect(detail(page)).toContainText('该广场不在本街道辖区');
  // The unit that returned it is no longer suggested.
  await expect(page.locator('[data-testid="dispatch-option"]').first()).toBeVisible();
  await expect(page.locator(`[data-testid="dispatch-option"][data-unit-id="${first}"]`)).toHaveCount(0);
  const second = await dispatchWithKeyboard(page);
  expect(second).not.toBe(first);
  expect(await timelineKinds(page)).toEqual(['registered', 'dispatch', 'return', 'dispatch']);
});

test('answered at intake and closed → reopened → dispatched', async ({ page }, testInfo) => {
  await page.goto(ws.url);
  await login(page);
  // Unanswered required questions stop the first Ctrl+Enter and take the operator to the first one.
  await page.keyboard.press('Alt+N');
  await page.keyboard.type('13900001111');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('labor.social_insurance_query');
  await page.keyboard.press('Enter');
  await page.keyboard.type('海淀区');
  await page.keyboard.press('Tab');
  await page.keyboard.type('咨询社保转移手续');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('intake-confirm-missing')).toBeVisible();
  await expect(page.locator('[data-testid^="intake-q-"]').first()).toBeFocused();
  // Esc asks first; Esc again throws the call away.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('intake-confirm-discard')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('intake-confirm-missing')).toHaveCount(0);
  await expect(page.getByTestId('intake-phone')).toHaveValue('');

  await registerAndOpen(page, { category: 'labor.social_insurance_query', address: '海淀区中关村街道', description: '咨询社保卡丢失后如何补办' });
  await expect(page.getByTestId('answer-text')).toBeFocused();
  await page.keyboard.type('携带身份证到就近社保经办网点补办，也可在线上办理');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await confirmedStatus(page, 'closed');
  await expect(page.getByTestId('reopen-reason')).toBeFocused();
  await page.keyboard.type('市民再次来电：网点称需先挂失');
  await page.keyboard.press('Enter');
  await confirmedStatus(page, 'reopened');
  await dispatchWithKeyboard(page);
  expect(await timelineKinds(page)).toEqual(['registered', 'answer', 'close', 'reopen', 'dispatch']);
  await page.screenshot({ path: testInfo.outputPath('reopened.png') });
});
