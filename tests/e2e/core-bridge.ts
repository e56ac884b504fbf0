import { expect, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { z } from 'zod';
import { BRIDGE_PATH } from '../../src/shared/contract/bridge';
import type { MethodInput, MethodOutput } from '../../src/shared/contract/contract';
import type { MethodName } from '../../src/shared/contract/names';
import { ResultSchema } from '../../src/shared/result';
import { call } from '../helpers/core';

/**
 * Calls a browser-mode workstation core from the test over a bridge of its own, as a page of the
 * workstation would (its origin, the launch token from the URL it printed), so the test asks the
 * very core the page shows. Answers are parsed with the contract.
 */
export function coreAt(workstationUrl: string): <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<MethodOutput<M>> {
  const url = new URL(workstationUrl);
  const token = /token=([A-Za-z0-9_-]+)/.exec(url.hash)?.[1] ?? '';
  let nextId = 1;
  const invoker = {
    async invoke(method: string, input: unknown) {
      const socket = new WebSocket(`ws://${url.host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`, { origin: url.origin });
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const id = nextId++;
      const raw = await new Promise<unknown>((resolve) => {
        socket.on('message', (data: Buffer) => {
          const msg = z.object({ type: z.literal('result'), id: z.number(), result: z.unknown() }).safeParse(JSON.parse(data.toString('utf8')));
          if (msg.success && msg.data.id === id) resolve(msg.data.result);
        });
        socket.send(JSON.stringify({ type: 'invoke', id, method, input }));
      });
      socket.close();
      return ResultSchema(z.unknown()).parse(raw);
    },
  };
  return (method, input) => call(invoker, method, input);
}

/** An attribute of every case row on screen, top to bottom. */
export async function rowAttribute(page: Page, name: string): Promise<string[]> {
  const rows = await page.locator('[data-testid="case-row"]').all();
  return Promise.all(rows.map(async (r) => (await r.getAttribute(name)) ?? ''));
}

/** The case numbers of the list on screen, top to bottom. */
export function shownNumbers(page: Page): Promise<string[]> {
  return rowAttribute(page, 'data-case-number');
}

/** Switches the list with its shortcut and waits for it to be the one shown. */
export async function showList(page: Page, scope: string, keys: string): Promise<void> {
  await page.keyboard.press(keys);
  await expect(page.getByTestId('case-list')).toHaveAttribute('data-scope', scope);
}
