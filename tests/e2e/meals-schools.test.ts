/**
 * Meals at a central school and its teaching point, through the UI: together the days add up and are not
 * edited; with the teaching point picked, its own day is closed, and the desk's view names the school.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, toastOn, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { testCore, type TestCore } from '../helpers/core';
import { smallSchool } from '../helpers/scenario';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;
let point = 0;

beforeAll(async () => {
  core = await testCore({ school: false });
  await smallSchool(core, [
    { name: '张一', grade: '三年级' },
    { name: '张二', grade: '五年级' },
    { name: '张三', grade: '八年级' },
    { name: '张四', grade: '九年级' },
    { name: '石一', grade: '一年级', school: '石门教学点' },
    { name: '石二', grade: '二年级', school: '石门教学点' },
  ]);
  point = (await core.client.invoke('schools.list', {})).find((x) => x.name === '石门教学点')!.id;
  core.setToday('2026-11-05');
  app = await openApp(core);
  ({ host, page, errors } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const modal = () => page.locator('.ant-modal:visible');
const row = (date: string) => page.locator('.ant-table-row', { hasText: date });
async function pickSchool(name: string) {
  await page.getByTestId('school-picker').click();
  await page.locator('.ant-select-dropdown:visible').getByText(name, { exact: true }).click();
}

describe('meals per school, end to end in Chromium', () => {
  it('shows the schools together, added up, with a line per school and nothing to edit', async () => {
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '营养餐' }).click();
    await page.getByLabel('月份').click();
    await page.locator('.ant-select-dropdown:visible').getByText('2026年10月', { exact: true }).click();
    await expect.poll(() => row('2026-10-21').locator('td').nth(2).innerText()).toBe('6');
    const schools = page.getByTestId('meal-schools');
    await expect.poll(() => schools.locator('.ant-table-row').count()).toBe(2);
    expect(await schools.locator('.ant-table-row', { hasText: '石门教学点' }).locator('td').nth(3).innerText()).toBe('36');
    expect(await row('2026-10-21').getByRole('button', { name: '登记' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '登记停餐或加餐日' }).isDisabled()).toBe(true);
  });

  it('closes a day at the teaching point only', async () => {
    await pickSchool('石门教学点');
    await expect.poll(() => row('2026-10-21').locator('td').nth(2).innerText()).toBe('2');
    expect(await page.getByTestId('meal-schools').count()).toBe(0);
    await row('2026-10-23').getByRole('button', { name: '登记' }).click();
    expect(await modal().locator('.ant-modal-title').innerText()).toBe('石门教学点供餐登记：2026-10-23');
    await modal().getByText('停餐', { exact: true }).click();
    await modal().getByLabel('备注').fill('教学点停电');
    await modal()
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await toastOn(page)('2026-10-23 已保存');
    await expect.poll(() => row('2026-10-23').count()).toBe(0);
    expect(core.ctx.store.sqlite.prepare(`SELECT school_id, date, closed FROM meal_day`).all()).toEqual([
      { school_id: point, date: '2026-10-23', closed: 1 },
    ]);

    await pickSchool('全部学校（2 所）');
    await expect.poll(() => page.getByTestId('closed-days').innerText()).toContain('2026-10-23 石门教学点：教学点停电');
    // The central school still served that day: 4 covered.
    expect(await row('2026-10-23').locator('td').nth(2).innerText()).toBe('4');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, '86-meals-schools.png') });
    expect(errors).toEqual([]);
  });
});
