import { expect, type Page } from '@playwright/test';

/**
 * Answers the category's intake questions with the keyboard: from the description, Tab into each
 * question in turn; a choice or yes/no takes the first answer (ArrowDown), a text or number is typed,
 * a date-time is left (none of the categories the tests use requires one). Returns how many it
 * answered; leaves focus after the questions.
 */
export async function answerQuestions(page: Page): Promise<number> {
  let answered = 0;
  await page.keyboard.press('Tab');
  for (;;) {
    const focused = page.locator(':focus');
    const testId = (await focused.getAttribute('data-testid')) ?? '';
    if (!testId.startsWith('intake-q-')) return answered;
    const type = await focused.getAttribute('data-question-type');
    if (type === 'choice' || type === 'boolean') await page.keyboard.press('ArrowDown');
    else if (type === 'number') await page.keyboard.type('2');
    else if (type === 'text') await page.keyboard.type('见诉求内容');
    if (type !== 'datetime') {
      await expect(focused).not.toHaveValue('');
      answered += 1;
    }
    await page.keyboard.press('Tab');
  }
}
