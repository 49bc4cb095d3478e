import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { testCore, type TestCore } from '../helpers/core';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;

beforeAll(async () => {
  core = await testCore({ school: false });
  app = await openApp(core);
  ({ host, page, errors } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

describe('the demo school, in Chromium from an empty data folder', () => {
  it('is made from the first-run page and opens on the term board, where last term is done and this one waits for 上报', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: '生成演示数据' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '本学期工作台' }).isVisible(), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('demo-tag').isVisible()).toBe(true);
    const card = page.getByTestId('board-programme-boarder-subsidy');
    await expect.poll(() => card.getByRole('button', { name: /下一步：.*上报/ }).isVisible()).toBe(true);
    await expect.poll(() => card.getByRole('button', { name: /审核通过：已通过 (\d+)\/\1/ }).isVisible()).toBe(true);
    await page.waitForTimeout(300); // fonts and layout settle, for the screenshot only
    await shot('60-demo-board');

    // Last term, on the same board: paid and archived.
    await page.getByLabel('学期').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').getByText('2026年春季学期').click();
    await expect.poll(() => card.getByRole('button', { name: /发放：已发放 (\d+)\/\1/ }).isVisible()).toBe(true);
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    await expect.poll(() => card.getByRole('button', { name: /^归档：/ }).getAttribute('aria-label')).not.toContain('缺');
    await shot('61-demo-last-term');
  });

  it('is wiped in one step from the settings, back to the first-run page', async () => {
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByRole('button', { name: '清除演示数据，开始正式使用' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '清除演示数据' }).click();
    await expect.poll(() => page.getByText('欢迎使用 AidDesk 资助工作台').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(0);
    expect(errors).toEqual([]);
  });
});
