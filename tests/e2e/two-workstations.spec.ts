import { test, expect, type Page } from '@playwright/test';
import { start, type ServerProcess } from '../helpers/server-process';
import { startWorkstation, type WorkstationProcess } from '../helpers/workstation-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { answerQuestions } from './intake-keys';

// Real server process + two real workstation cores in browser mode + real Chromium, keyboard only.

async function login(page: Page, username: string): Promise<void> {
  await expect(page.getByTestId('login-username')).toBeFocused();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('hotline123');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('intake-phone')).toBeVisible();
}

/** Types a whole case with the keyboard alone and returns the case number the workstation announced. */
async function typeCase(page: Page, c: { phone: string; name: string; categoryDown: number; address: string; description: string }): Promise<string> {
  const before = (await page.getByTestId('intake-result').textContent()) ?? '';
  await expect(page.getByTestId('intake-phone')).toBeFocused();
  await page.keyboard.type(c.phone);
  await page.keyboard.press('Tab');
  await page.keyboard.type(c.name);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('intake-category')).toBeFocused();
  // Arrow keys on the focused category combobox (the first opens the list), Enter takes the highlighted one and moves on.
  for (let i = 0; i < c.categoryDown; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('intake-category')).not.toHaveValue('');
  await expect(page.getByTestId('intake-address')).toBeFocused();
  await page.keyboard.type(c.address);
  await page.keyboard.press('Tab');
  await page.keyboard.type(c.description);
  // The category's questions follow the description; Ctrl+Enter saves from the last of them.
  expect(await answerQuestions(page)).toBeGreaterThan(0);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('intake-result')).not.toHaveText(before);
  const text = (await page.getByTestId('intake-result').textContent()) ?? '';
  const number = /S\d{4}-\d{6}/.exec(text)?.[0];
  expect(number, `case number in "${text}"`).toBeTruthy();
  return number ?? '';
}

test.describe('a case typed at one workstation reaches the server and a second workstation', () => {
  let server: ServerProcess;
  let serverData: string;
  let wsA: WorkstationProcess;
  let wsB: WorkstationProcess;

  test.beforeAll(async () => {
    serverData = makeTempDir('hotline-e2e-server-');
    server = await start(0, serverData);
    wsA = await startWorkstation(server.url);
    wsB = await startWorkstation(server.url);
  });

  test.afterAll(async () => {
    await wsA.stop();
    await wsB.stop();
    await server.stop();
    removeDir(serverData);
    removeDir(wsA.dataDir);
    removeDir(wsB.dataDir);
  });

  test('online, then offline with the server stopped, then caught up after restart', async ({ browser }, testInfo) => {
    const pageA = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const pageB = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await pageA.goto(wsA.url);
    await pageB.goto(wsB.url);
    await login(pageA, 'op1');
    await login(pageB, 'op2');
    await expect(pageA.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
    await expect(pageB.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
    // B watches the team's cases.
    await pageB.getByTestId('case-tab-team').focus();
    await pageB.keyboard.press('Enter');

    // Reference data must have arrived before the operator can pick a category.
    await expect(pageA.getByTestId('intake-category')).not.toHaveAttribute('data-categories', '0');
    const first = await typeCase(pageA, {
      phone: '13800138000',
      name: '张先生',
      categoryDown: 1,
      address: '北京市东城区东华门街道南池子大街12号',
      description: '小区门口长期有车辆违章停车，堵塞消防通道',
    });
    const startedAt = Date.now();
    await expect(pageB.locator(`[data-testid="case-row"][data-case-number="${first}"]`)).toBeVisible({ timeout: 2000 });
    testInfo.annotations.push({ type: 'propagation_ms', description: String(Date.now() - startedAt) });
    await expect(pageA.getByTestId('sync-pending')).toHaveAttribute('data-pending', '0');

    await server.stop();
    await expect(pageA.getByTestId('sync-online')).toHaveAttribute('data-online', 'false');
    const second = await typeCase(pageA, {
      phone: '010-65123456',
      name: 'Ms. Li',
      categoryDown: 3,
      address: '北京市朝阳区建外街道建国门外大街1号',
      description: '整栋楼从早上开始停水，没有提前通知',
    });
    await expect(pageA.getByTestId('sync-pending')).toHaveAttribute('data-pending', '1');
    await expect(pageA.locator(`[data-testid="case-row"][data-case-number="${second}"]`)).toBeVisible();
    await expect(pageB.locator(`[data-testid="case-row"][data-case-number="${second}"]`)).toHaveCount(0);
    await pageA.screenshot({ path: testInfo.outputPath('workstation-a-offline.png') });

    server = await start(server.port, serverData);
    await expect(pageB.locator(`[data-testid="case-row"][data-case-number="${second}"]`)).toBeVisible({ timeout: 15_000 });
    await expect(pageA.getByTestId('sync-pending')).toHaveAttribute('data-pending', '0', { timeout: 15_000 });
    await expect(pageA.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');

    await pageA.screenshot({ path: testInfo.outputPath('workstation-a.png') });
    await pageB.screenshot({ path: testInfo.outputPath('workstation-b.png') });
    await testInfo.attach('workstation-a', { path: testInfo.outputPath('workstation-a.png'), contentType: 'image/png' });
    await testInfo.attach('workstation-b', { path: testInfo.outputPath('workstation-b.png'), contentType: 'image/png' });
  });
});
