import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell } from '../../electron/core/import/read-table';
import { demoRoster } from '../../electron/core/school/demo';
import { importRoster } from '../../electron/core/students/roster';
import { uploadFile } from '../../electron/core/uploads';
import type { WebHost } from '../../electron/host/web';
import { openApp, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { testCore, type TestCore } from '../helpers/core';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;
const out = mkdtempSync(join(tmpdir(), 'aid-desk-schools-'));
const csv = (rows: Cell[][]) => Buffer.from(rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join(',')).join('\n') + '\n');
const central = demoRoster(120, 2026, 31);
const centralIds = new Set(central.slice(1).map((r) => r[5]));
const own = demoRoster(40, 2026, 32).filter((r, i) => i === 0 || !centralIds.has(r[5]));
const shared = central.slice(1, 4);

beforeAll(async () => {
  core = await testCore();
  await importRoster(core.ctx, await uploadFile(core.ctx, 'central.csv', csv(central)), {});
  app = await openApp(core);
  ({ host, page, errors } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const shot = async (name: string) => {
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
};
const count = () => page.getByTestId('student-count').textContent();

describe('a central school with a member school, end to end in Chromium', () => {
  it('shows no school picker while the desk has one school', async () => {
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await expect.poll(count).toBe('共 120 人');
    expect(await page.getByTestId('school-picker').count()).toBe(0);
    expect(await page.getByTestId('dual-button').count()).toBe(0);
  });

  it('adds a member school in the settings; the picker appears', async () => {
    await page.getByRole('menuitem', { name: '设置' }).click();
    const card = page.getByTestId('member-schools');
    await card.getByLabel('新校点名称').fill('岭下村小学');
    await card.getByRole('button', { name: '添加校点' }).click();
    await expect.poll(() => card.getByText('岭下村小学').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('school-picker').isVisible()).toBe(true);
    await shot('80-member-schools-settings');
  });

  it("imports the village's roster into the village, listing the three the central school has", async () => {
    const file = join(out, '岭下村小学名册.csv');
    writeFileSync(file, csv([...own, ...shared]));
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await page.getByRole('button', { name: '导入名册' }).click();
    await page.getByTestId('import-school').click();
    await page.locator('.ant-select-dropdown').getByText('岭下村小学', { exact: true }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    await expect.poll(() => page.getByTestId('other-school-count').textContent()).toContain('3');
    await expect.poll(() => page.getByTestId('import-counts').textContent()).toContain(`新增${own.length - 1}`);
    await shot('81-member-roster-preview');
    await page.getByRole('button', { name: new RegExp(`导入（新增 ${own.length - 1} 人`) }).click();
    await expect.poll(() => page.getByText('3 名学生已在其他学校在册').isVisible()).toBe(true);
    await page.getByRole('button', { name: '完成' }).click();
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student WHERE school_id = 2`).pluck().get()).toBe(own.length - 1);
  });

  it('shows one school or all of them, classes named with their school when together', async () => {
    await expect.poll(count).toBe(`共 ${120 + own.length - 1} 人`);
    await expect.poll(() => page.getByRole('row').nth(1).textContent()).toContain('青山县青山镇中心学校');
    expect(await page.getByRole('row').first().textContent()).toContain('学校');
    await page.getByTestId('school-picker').click();
    await page.locator('.ant-select-dropdown').getByText('岭下村小学', { exact: true }).click();
    await expect.poll(count).toBe(`共 ${own.length - 1} 人`);
    await expect.poll(() => page.getByRole('row').nth(1).textContent()).not.toContain('青山县青山镇中心学校');
    expect(await page.getByRole('row').first().textContent()).not.toContain('学校');
    await shot('82-roster-one-member-school');
    await page.getByTestId('school-picker').click();
    await page
      .locator('.ant-select-dropdown')
      .getByText(/全部学校/)
      .click();
    await expect.poll(count).toBe(`共 ${120 + own.length - 1} 人`);
  });

  it('decides a 双学籍 case with what was checked; the board counts the rest', async () => {
    await page.getByTestId('dual-button').click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '双学籍核对' });
    await expect.poll(() => dialog.getByText('待核对（3）').isVisible()).toBe(true);
    const name = String(shared[0]![1]);
    await shot('83-dual-enrolment');
    await dialog.getByRole('button', { name: '转入岭下村小学' }).first().click();
    await expect.poll(() => dialog.getByText('请写明核实情况').isVisible()).toBe(true);
    await dialog.getByLabel(`${name}的核实情况`).fill('学籍系统在岭下村小学，11月20日与村小核实');
    await dialog.getByRole('button', { name: '转入岭下村小学' }).first().click();
    await expect.poll(() => dialog.getByText('待核对（2）').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    const moved = core.ctx.store.sqlite
      .prepare(`SELECT school_id FROM student WHERE name = ? AND id_number = ?`)
      .pluck()
      .get(name, shared[0]![5]);
    expect(moved).toBe(2);
    await page.getByRole('menuitem', { name: '本学期工作台' }).click();
    await expect.poll(() => page.getByTestId('board-dual').textContent()).toContain('2 名学生');
    await shot('84-board-dual');
  });

  it("keeps each school's term documents apart in the archive", async () => {
    await page.getByRole('menuitem', { name: '档案' }).click();
    await page.getByRole('tab', { name: '学期综合档案' }).click();
    const rows = page.locator('.ant-table-row');
    const ofSchool = (name: string) => rows.filter({ hasText: name }).count();
    await expect.poll(() => ofSchool('岭下村小学')).toBeGreaterThan(3);
    const both = await rows.count();
    expect(await ofSchool('青山县青山镇中心学校')).toBe(both - (await ofSchool('岭下村小学')));
    await shot('86-archive-all-schools');
    await page.getByTestId('school-picker').click();
    await page.locator('.ant-select-dropdown').getByText('岭下村小学', { exact: true }).click();
    // One school alone: only its items, without a 学校 column.
    await expect.poll(() => rows.count()).toBe(both / 2);
    expect(await page.locator('.ant-table-thead').first().textContent()).not.toContain('学校');
    await page.getByTestId('school-picker').click();
    await page
      .locator('.ant-select-dropdown')
      .getByText(/全部学校/)
      .click();
  });

  it('counts by school in the statistics', async () => {
    await page.getByRole('menuitem', { name: '统计' }).click();
    const table = page.getByTestId('stats-by-school');
    await expect.poll(() => table.getByText('岭下村小学').isVisible()).toBe(true);
    await expect.poll(() => table.textContent()).toContain(String(own.length)); // the village's own + the one moved in
    await shot('85-stats-by-school');
    expect(errors).toEqual([]);
  });
});
