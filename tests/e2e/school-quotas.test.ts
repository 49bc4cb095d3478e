/**
 * 名额分到校 through the UI: a central school with a village school divides the county's quota on the 名额 tab
 * (a first split by enrolment, edited, refused while it does not add up) and allocates; each school's places go
 * to its own applicants.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, toastOn, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { testCore, type TestCore } from '../helpers/core';
import { applyAndReview, identify, programme, smallSchool, type Kid } from '../helpers/scenario';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;
let village = 0;

beforeAll(async () => {
  core = await testCore({ school: false });
  core.setToday('2026-11-02');
  // Six 特别困难 students in the central school, four 困难 in the village school: together, the central school would take every place.
  const kids: Kid[] = [
    ...Array.from({ length: 6 }, (_, i) => ({ name: `中心${i + 1}`, grade: '高一' })),
    ...Array.from({ length: 4 }, (_, i) => ({ name: `村小${i + 1}`, grade: '高一', school: '岭下村小学' })),
  ];
  const ids = await smallSchool(core, kids, ['senior']);
  await identify(
    core,
    kids.slice(0, 6).map((k) => ids.get(k.name)!),
    'especially',
  );
  await identify(
    core,
    kids.slice(6).map((k) => ids.get(k.name)!),
    'difficult',
  );
  const p = await programme(core, 'senior-grant');
  await applyAndReview(core, p.id, '2026-autumn', [...ids.values()]);
  village = (await core.client.invoke('schools.list', {})).find((s) => s.name === '岭下村小学')!.id;
  app = await openApp(core);
  ({ host, page, errors } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const funded = () =>
  core.ctx.store.sqlite
    .prepare(
      `SELECT s.school_id, count(*) AS n FROM application a JOIN student s ON s.id = a.student_id WHERE a.funded = 1 GROUP BY s.school_id`,
    )
    .all();

describe('the quota divided among the schools, end to end in Chromium', () => {
  it('divides the quota on the 名额 tab, refusing a division that does not add up', async () => {
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '资助项目' }).click();
    await expect.poll(() => page.getByLabel('资助项目').locator('..').textContent()).toContain('普通高中国家助学金');
    await page.getByRole('tab', { name: '名额' }).click();
    await page.getByLabel('名额人数').fill('5');
    const box = page.getByTestId('school-quotas');
    await box.getByText('名额分到各校').click();
    await box.getByRole('button', { name: '按各校在校人数比例填入' }).click();
    // 6 and 4 students: 3 and 2 places.
    await expect.poll(() => box.getByLabel('测试学校名额').inputValue()).toBe('3');
    expect(await box.getByLabel('岭下村小学名额').inputValue()).toBe('2');
    await box.getByLabel('岭下村小学名额').fill('3');
    await expect.poll(() => box.getByText('分到各校的名额合计 6 人，与县里下达的名额 5 人不一致').isVisible()).toBe(true);
    await page.getByRole('button', { name: '保存名额' }).click();
    await toastOn(page)('分到各校的名额合计 6 人');
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM school_quota`).pluck().get()).toBe(0);
    await box.getByLabel('测试学校名额').fill('2');
    await expect.poll(() => box.getByText('已分 5 人，名额 5 人').isVisible()).toBe(true);
    expect(await box.locator('.ant-alert').count()).toBe(0);
    await shot('84-school-quotas');
    await page.getByRole('button', { name: '保存名额' }).click();
    await toastOn(page)('名额已保存');
    expect(core.ctx.store.sqlite.prepare(`SELECT school_id, count FROM school_quota ORDER BY school_id`).all()).toEqual([
      { school_id: 1, count: 2 },
      { school_id: village, count: 3 },
    ]);
  });

  it('allocates each school its own places', async () => {
    await page.getByRole('tab', { name: '申请与审核' }).click();
    await page.getByRole('button', { name: '分配名额' }).click();
    await expect
      .poll(() => page.getByTestId('allocation-by-school').textContent())
      .toBe('名额分到各校，各校分别排序：测试学校 名额 2、本次获资助 2 人；岭下村小学 名额 3、本次获资助 3 人');
    expect(funded()).toEqual([
      { school_id: 1, n: 2 },
      { school_id: village, n: 3 },
    ]);
    await shot('85-school-quotas-allocated');
  });

  it('shows each school’s part of the spending under the desk’s ledger', async () => {
    const c = core.client;
    const p = await programme(core, 'senior-grant');
    const term = '2026-autumn';
    const pub = await c.invoke('publicity.createProgramme', { programmeId: p.id, term, complaintPhone: '0745-1234567' });
    core.setToday('2026-11-09');
    await c.invoke('publicity.close', { id: pub.id });
    const rows = core.ctx.store.sqlite
      .prepare(`SELECT a.id, s.school_id FROM application a JOIN student s ON s.id = a.student_id WHERE a.funded = 1`)
      .all() as { id: number; school_id: number }[];
    await c.invoke('applications.transition', { ids: rows.map((x) => x.id), action: 'approve' });
    await c.invoke('applications.transition', { ids: rows.map((x) => x.id), action: 'report' });
    const central = rows.filter((x) => x.school_id === 1).map((x) => x.id);
    await c.invoke('payments.record', { applicationIds: central, paidOn: '2026-11-09', channel: 'bankCard' });
    await page.locator('.ant-modal:visible .ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    // One school picked: its part of the quota beside the desk's.
    await page.getByTestId('school-picker').click();
    await page.locator('.ant-select-dropdown:visible').getByText('岭下村小学', { exact: true }).click();
    await expect.poll(() => page.getByTestId('school-quota').textContent()).toBe('（分到本校 3）');
    await page.getByRole('menuitem', { name: '资金台账' }).click();
    const table = page.getByTestId('funds-schools');
    await expect.poll(() => table.locator('.ant-table-row').count()).toBe(2);
    const ledger = await c.invoke('funds.ledger', { term });
    const village = ledger.bySchool!.find((x) => x.name === '岭下村小学')!;
    expect(village.committedCount).toBe(3);
    expect(await table.locator('.ant-table-row', { hasText: '岭下村小学' }).innerText()).toContain('（3 人）');
    expect(await table.locator('.ant-table-row', { hasText: '测试学校' }).locator('td').nth(1).innerText()).toContain(
      (ledger.bySchool![0]!.paid / 100).toLocaleString('en-US', { minimumFractionDigits: 2 }),
    );
    await page.waitForTimeout(300);
    await shot('87-funds-schools');
  });

  it("fills the county's summary with a row per school", async () => {
    await page.getByTestId('school-picker').click();
    await page.locator('.ant-select-dropdown:visible').getByText('全部学校（2 所）', { exact: true }).click();
    await page.getByRole('menuitem', { name: '导出与打印' }).click();
    const file = join(mkdtempSync(join(tmpdir(), 'aid-desk-summary-')), '助学金汇总表.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('汇总表');
    ws.getCell('A1').value = '2026年秋季学期普通高中国家助学金发放汇总表';
    ws.getRow(2).values = ['序号', '学校名称', '在校学生数', '受助人数', '资助金额（元）', '资助面'];
    ws.getCell('A4').value = '合计';
    for (const col of ['C', 'D', 'E']) ws.getCell(`${col}4`).value = { formula: `SUM(${col}3:${col}3)`, result: 0 };
    await wb.xlsx.writeFile(file);
    await page.locator('input[type=file]').setInputFiles(file);
    await toastOn(page)(/已保存模板/);
    await expect.poll(() => page.getByText('每校一行的汇总表（填各校人数、金额）').isVisible()).toBe(true);
    expect(await page.getByTestId('export-sheets').count()).toBe(0);
    await page.waitForTimeout(300);
    await shot('88-school-summary-template');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '填写并导出' }).click();
    const out = join(dirname(file), 'filled.xlsx');
    await (await download).saveAs(out);
    await toastOn(page)('已导出 2 所学校的汇总');
    const filled = new ExcelJS.Workbook();
    await filled.xlsx.readFile(out);
    const sheet = filled.worksheets[0]!;
    expect([sheet.getCell('B3').value, sheet.getCell('D3').value]).toEqual(['测试学校', 2]);
    expect([sheet.getCell('B4').value, sheet.getCell('D4').value]).toEqual(['岭下村小学', 3]);
    expect(sheet.getCell('D5').value).toMatchObject({ formula: 'SUM(D3:D4)', result: 5 });
    expect(errors).toEqual([]);
  });
});
