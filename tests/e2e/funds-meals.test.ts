import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, previewToPdf, toastOn, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { testCore, type TestCore } from '../helpers/core';
import { reportedDaySubsidyTerm } from '../helpers/terms';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;
let students: Map<string, number>;
const out = mkdtempSync(join(tmpdir(), 'aid-desk-funds-'));

beforeAll(async () => {
  core = await testCore();
  ({ students } = await reportedDaySubsidyTerm(core));
  core.setToday('2026-11-16');
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
const toast = (text: string | RegExp) => toastOn(page)(text);
const modal = () => page.locator('.ant-modal:visible');
async function pick(label: string, option: string) {
  await modal().getByLabel(label).click();
  await page.locator('.ant-select-dropdown:visible').getByText(option, { exact: true }).click();
}

describe('the funds ledger and the meal ledger, end to end in Chromium', () => {
  it('records a document and the money received, shows what is short, and prints the fund-use notice', async () => {
    const due = students.size * 312.5;
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '资金台账' }).click();
    await page.getByRole('button', { name: '登记资金文件' }).first().click();
    await pick('资助项目', '义务教育非寄宿生生活补助');
    await modal().getByLabel('文号').fill('湘财教〔2026〕88号');
    await modal().getByLabel('下达金额').fill(String(due));
    await shot('60-funds-allocation');
    await modal()
      .getByRole('button', { name: /登\s*记/ })
      .click();
    await toast('登记资金文件已登记');
    const row = page.locator('.ant-table-row', { hasText: '义务教育非寄宿生生活补助' });
    await expect.poll(() => row.getByText('中央').isVisible()).toBe(true);

    // The money arrives in part: the drawer's 登记到账 on the document.
    await row.getByText('义务教育非寄宿生生活补助').click();
    const drawer = page.locator('.ant-drawer:visible');
    await drawer.getByRole('button', { name: '登记到账' }).click();
    await modal().getByLabel('到账金额').fill('1000');
    await modal().getByLabel('到账账户').fill('43050162880000001234');
    await modal()
      .getByRole('button', { name: /登\s*记/ })
      .click();
    await toast('登记到账已登记');
    await expect.poll(() => drawer.getByText('…1234').isVisible()).toBe(true);
    await expect.poll(() => drawer.getByText(/结余不足以发放已审核通过的学生，差 ¥/).isVisible()).toBe(true);
    await shot('61-funds-programme');
    await page.locator('.ant-drawer-close').click();
    await expect.poll(() => row.getByText(/差 ¥/).isVisible()).toBe(true);
    await shot('62-funds-ledger');

    // The 代发 file still goes (the setting warns), with the shortfall said.
    await page.getByRole('menuitem', { name: '发放' }).click();
    await page.getByLabel('资助项目').click();
    await page.locator('.ant-select-dropdown:visible').getByText('义务教育非寄宿生生活补助', { exact: true }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出待发放代发文件' }).click();
    await download;
    await toast(/资金提醒：代发文件金额 .* 超过“义务教育非寄宿生生活补助”本学期到账资金的结余 ¥1,000.00/);

    // The notice for the publicity board: totals, no names; the preview counts the printed pages.
    await page.getByRole('menuitem', { name: '资金台账' }).click();
    await page.getByRole('button', { name: '资金使用情况通报' }).click();
    await expect
      .poll(() =>
        page
          .locator('.ant-modal-title')
          .getByText(/打印预览：.*资金使用情况通报（共 1 页）/)
          .isVisible(),
      )
      .toBe(true);
    const pdf = join(out, 'notice.pdf');
    await previewToPdf(app, pdf, '学生资助不收取任何费用');
    expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(/Pages:\s+1\n/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    expect(text).toContain('学生资助资金使用情况通报');
    expect(text).toContain('义务教育非寄宿生生活补助');
    for (const name of students.keys()) expect(text).not.toContain(name);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(SCREENSHOTS, '63-funds-notice')]);
    await page
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /关\s*闭/ })
      .click();
  });

  it('keeps a month of meals: serving days from the calendar, a day corrected, a pupil who goes home for lunch', async () => {
    await page.getByRole('menuitem', { name: '营养餐' }).click();
    await page.getByLabel('月份').click();
    await page.locator('.ant-select-dropdown:visible').getByText('2026年10月', { exact: true }).click();
    const month = page.getByTestId('meal-month');
    await expect.poll(() => month.getByText('2026年10月供餐天数').isVisible()).toBe(true);
    // October 2026: 18 school days (国庆 1–7 off, Saturday the 10th worked).
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(18);
    const covered = Number(await page.locator('.ant-table-row', { hasText: '2026-10-21' }).locator('td').nth(2).innerText());
    expect(covered).toBeGreaterThan(500);
    const before = (await core.client.invoke('meals.month', { month: '2026-10' })).personDays;
    expect(before).toBe(18 * covered);

    await page.locator('.ant-table-row', { hasText: '2026-10-21' }).getByRole('button', { name: '登记' }).click();
    await modal()
      .getByLabel('就餐人数')
      .fill(String(covered - 3));
    await modal().getByLabel('陪餐教师人数').fill('2');
    await modal().getByLabel('陪餐教师', { exact: true }).fill('王老师、李老师');
    await modal().getByLabel('备注').fill('3 人病假');
    await modal()
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await toast('2026-10-21 已保存');
    await expect.poll(() => month.getByText((before - 3).toLocaleString('en-US'), { exact: true }).isVisible()).toBe(true);

    // A pupil goes home for lunch: excluded for the year with the reason, one fewer covered every day.
    const name = [...students.keys()][0]!;
    await page.getByLabel('选择学生').click();
    await page.getByLabel('选择学生').fill(name);
    await page
      .locator('.ant-select-dropdown:visible')
      .getByText(new RegExp(`^${name}（`))
      .first()
      .click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '设为不就餐' }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '走读，中午回家就餐' }).isVisible()).toBe(true);
    const after = await core.client.invoke('meals.month', { month: '2026-10' });
    expect(after.personDays).toBe(before - 3 - 17);
    await expect.poll(() => month.getByText(after.personDays.toLocaleString('en-US'), { exact: true }).isVisible()).toBe(true);
    await shot('64-meals-month');

    // The supplier's delivery slip, kept with the term's archive (营养餐供货与验收单据).
    await page.getByRole('button', { name: /供货与验收单据（0 份）/ }).click();
    const slip = join(out, '10月配送验收单.png');
    writeFileSync(slip, await page.screenshot({ clip: { x: 0, y: 0, width: 400, height: 300 } }));
    await page.locator('.ant-modal input[type=file]').setInputFiles(slip);
    await toast('已添加“10月配送验收单.png”');
    await page
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /取\s*消|关\s*闭/ })
      .first()
      .click();
    await expect.poll(() => page.getByRole('button', { name: /供货与验收单据（1 份）/ }).isVisible()).toBe(true);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出月台账' }).click();
    const file = join(out, 'meals.xlsx');
    await (await download).saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const cells = new Map<string, unknown>();
    wb.worksheets[0]!.eachRow((r) => cells.set(String(r.getCell(1).value), r.getCell(4).value));
    expect(cells.get('就餐人天数')).toBe(after.personDays);
    expect(cells.get('供餐天数')).toBe(18);
    expect(errors).toEqual([]);
  });

  it('gives free textbooks to every 小学 pupil and prints the class rosters to sign, as many pages as the preview says', async () => {
    await page.getByRole('menuitem', { name: '发放' }).click();
    await page.getByLabel('资助项目').click();
    await page.locator('.ant-select-dropdown:visible').getByText('免费教科书', { exact: true }).click();
    const give = page.getByTestId('in-kind-give');
    await give.getByLabel('每生价值').fill('90');
    await give.getByLabel('发放物品').fill('2026年秋季小学国家课程教科书');
    await give.getByRole('button', { name: '小学全部学生登记发放' }).click();
    const primary = core.ctx.store.sqlite
      .prepare(
        `SELECT count(*) FROM student s JOIN school_class c ON c.id = s.class_id WHERE s.status = 'enrolled' AND c.stage = 'primary'`,
      )
      .pluck()
      .get() as number;
    await toast(`已登记发放 ${primary} 人`);
    await expect
      .poll(() =>
        page
          .getByTestId('in-kind-figures')
          .getByText(`¥${(primary * 90).toLocaleString('en-US')}.00`)
          .isVisible(),
      )
      .toBe(true);
    await shot('65-in-kind');
    await page.getByRole('button', { name: '打印签领表（按班）' }).click();
    const title = page.locator('.ant-modal-title').getByText(/打印预览：2026年秋季学期免费教科书发放签领表（共 \d+ 页）/);
    await expect.poll(() => title.isVisible()).toBe(true);
    const pages = Number(/共 (\d+) 页/.exec(await title.innerText())![1]);
    const pdf = join(out, 'books.pdf');
    await previewToPdf(app, pdf, '领取人签字');
    expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(new RegExp(`Pages:\\s+${pages}\\n`));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    expect(text).toContain('价值（元）');
    expect(text).not.toContain('银行卡号');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(SCREENSHOTS, '66-in-kind-roster')]);
    await page
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /关\s*闭/ })
      .click();
    expect(errors).toEqual([]);
  });

  it('confirms siblings the roster suggests as one household', async () => {
    // Two pupils whose records the clerk corrected to the same guardian and address (the fixture has no such pair).
    const pair = core.ctx.store.sqlite
      .prepare(`SELECT id FROM student WHERE status = 'enrolled' ORDER BY id LIMIT 2`)
      .pluck()
      .all() as number[];
    for (const id of pair)
      await core.client.invoke('students.update', { id, fields: { guardianName: '王大山', address: '青山镇石桥村3组' } });
    const suggested = await core.client.invoke('households.suggest', {});
    expect(suggested.length).toBeGreaterThan(0);
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await page.getByRole('button', { name: '同户家庭' }).click();
    const list = page.getByTestId('household-suggestions');
    await expect.poll(() => list.getByRole('button', { name: '确认为同一户' }).count()).toBe(suggested.length);
    await shot('67-household-suggestions');
    await list.getByRole('button', { name: '确认为同一户' }).first().click();
    const first = suggested[0]!.students.map((s) => s.name);
    await toast(`已确认 ${first.join('、')} 为同一户`);
    await modal()
      .getByRole('tab', { name: /已确认/ })
      .click();
    for (const name of first)
      await expect
        .poll(() =>
          page
            .getByTestId('households')
            .getByText(new RegExp(`^${name}（`))
            .isVisible(),
        )
        .toBe(true);
    expect((await core.client.invoke('households.list', {})).length).toBe(1);
    await page
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /关\s*闭/ })
      .click();
    expect(errors).toEqual([]);
  });
});
