import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, previewToPdf, toastOn, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { testCore, type TestCore } from '../helpers/core';
import { codedRoster, toXls } from '../helpers/coded-roster';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;
const out = mkdtempSync(join(tmpdir(), 'aid-desk-county-'));

beforeAll(async () => {
  core = await testCore();
  core.setToday('2026-11-25');
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

describe('what arrives from the 学籍 system and the county, end to end in Chromium', () => {
  it('imports the 学籍 system export as .xls in codes, saying which columns were codes', async () => {
    const file = join(out, '学籍系统导出.xls');
    writeFileSync(file, toXls(await codedRoster()));
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await page.getByRole('button', { name: '导入名册' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    await expect.poll(() => page.getByTestId('import-counts').textContent()).toContain('新增684');
    await expect.poll(() => page.getByTestId('coded-columns').textContent()).toContain('就读方式（1 走读、2 住校）');
    await shot('70-coded-xls-preview');
    await page.getByRole('button', { name: /导入（新增 684 人/ }).click();
    await expect.poll(() => page.getByText('已新增 684 人，更新 0 人').isVisible()).toBe(true);
    await page.getByRole('button', { name: '完成' }).click();
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student WHERE boarding = 1`).pluck().get()).toBeGreaterThan(50);
  });

  it('imports the county findings, opens the cases and closes one with what was done', async () => {
    const students = core.ctx.store.sqlite
      .prepare(`SELECT name, id_number FROM student WHERE id_number IS NOT NULL ORDER BY id LIMIT 2`)
      .all() as { name: string; id_number: string }[];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('问题线索');
    ws.addRow(['学生资助数据核查问题线索']);
    ws.addRow(['序号', '学生姓名', '证件号码', '问题描述']);
    ws.addRow([1, students[0]!.name, students[0]!.id_number, '学籍状态为转出，仍在资助名单中']);
    ws.addRow([2, students[1]!.name, students[1]!.id_number, '与外县重复享受生活补助']);
    const file = join(out, '核查问题线索.xlsx');
    await wb.xlsx.writeFile(file);
    await page.getByRole('menuitem', { name: '家庭调查与认定' }).click();
    await page.getByRole('tab', { name: '县级核查整改' }).click();
    await page.getByRole('button', { name: '导入核查问题清单' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    await expect.poll(() => page.getByTestId('findings-preview').textContent()).toContain('对应到本校学生 2 条（新的 2 条）');
    await shot('71-findings-preview');
    await page.getByRole('button', { name: '建立整改（2 条）' }).click();
    await toast('已建立整改 2 条');
    const row = page.locator('.ant-table-row', { hasText: students[0]!.name });
    await row.getByRole('button', { name: '处理' }).click();
    const dialog = page.locator('.ant-modal:visible');
    await dialog.getByLabel('核查结果').fill('经核实该生 10 月已转出');
    await dialog.getByLabel('整改措施').fill('撤销本学期申请，移出资助名单');
    // The core's today (25 November), typed: the picker's own 今天 is the browser's day.
    await dialog.getByLabel('整改日期').fill('2026-11-24');
    await dialog.getByLabel('整改日期').press('Enter');
    await shot('72-finding-case');
    await dialog.getByRole('button', { name: '整改完成' }).click();
    await toast('已整改完成');
    await expect.poll(() => page.locator('.ant-table-row', { hasText: students[0]!.name }).count()).toBe(0);
    await page.getByText('已整改', { exact: true }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '经核实该生 10 月已转出' }).isVisible()).toBe(true);
    await shot('73-findings-closed');
    expect(errors).toEqual([]);
  });

  it('prints the letter to families and the documents list of every class, as many pages as the preview says', async () => {
    await page.getByRole('menuitem', { name: '导出与打印' }).click();
    const notices = page.getByTestId('notices');
    await notices.getByRole('button', { name: '致家长的一封信' }).click();
    const title = page.locator('.ant-modal-title').getByText(/打印预览：2026年秋季学期学生资助政策致家长的一封信（共 \d+ 页）/);
    await expect.poll(() => title.isVisible()).toBe(true);
    const pdf = join(out, 'letter.pdf');
    await previewToPdf(app, pdf, '学生资助不收取任何费用');
    const pages = Number(/共 (\d+) 页/.exec(await title.innerText())![1]);
    expect(execFileSync('pdfinfo', [pdf]).toString()).toMatch(new RegExp(`Pages:\\s+${pages}\\n`));
    expect(execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, '')).toContain('义务教育寄宿生生活补助');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(SCREENSHOTS, '74-letter')]);
    await page
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /关\s*闭/ })
      .click();

    await notices.getByRole('button', { name: '证明材料清单（每班一页）' }).click();
    const classes = core.ctx.store.sqlite
      .prepare(`SELECT count(DISTINCT class_id) FROM student WHERE status = 'enrolled'`)
      .pluck()
      .get() as number;
    await expect
      .poll(() => page.locator('.ant-modal-title').getByText(`认定证明材料清单（共 ${classes} 页）`, { exact: false }).isVisible())
      .toBe(true);
    const list = join(out, 'checklist.pdf');
    await previewToPdf(app, list, '家庭经济困难学生认定需提供的材料');
    expect(execFileSync('pdfinfo', [list]).toString()).toMatch(new RegExp(`Pages:\\s+${classes}\\n`));
    await page
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /关\s*闭/ })
      .click();
    // One class's 明白卡: a page per pupil of that class.
    const cls = core.ctx.store.sqlite
      .prepare(
        `SELECT c.name, count(*) AS n FROM student s JOIN school_class c ON c.id = s.class_id WHERE s.status = 'enrolled' GROUP BY c.id ORDER BY c.id LIMIT 1`,
      )
      .get() as { name: string; n: number };
    await notices.getByLabel('告知班级').click();
    await page.locator('.ant-select-dropdown:visible').getByText(cls.name, { exact: true }).click();
    await notices.getByRole('button', { name: '资助政策明白卡（每生一页）' }).click();
    await expect.poll(() => page.locator('.ant-modal-title').getByText(`（共 ${cls.n} 页）`, { exact: false }).isVisible()).toBe(true);
    await page
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /关\s*闭/ })
      .click();
    expect(errors).toEqual([]);
  });

  it('records a 资助育人 activity with a photo and sees the 两节课 of the classes', async () => {
    await page.getByRole('menuitem', { name: '资助育人与投诉' }).click();
    await page.getByRole('button', { name: '登记活动' }).click();
    const dialog = page.locator('.ant-modal:visible');
    await dialog.getByLabel('活动名称').fill('开学第一课：学生资助政策宣传');
    await dialog.getByLabel('参加人数').fill('684');
    const photo = join(out, '宣传课.png');
    writeFileSync(photo, await page.screenshot({ clip: { x: 0, y: 0, width: 300, height: 200 } }));
    await dialog.locator('input[type=file]').setInputFiles(photo);
    await shot('75-activity');
    await dialog.getByRole('button', { name: /登\s*记/ }).click();
    await toast('活动已登记');
    await expect
      .poll(() => page.locator('.ant-table-row', { hasText: '开学第一课：学生资助政策宣传' }).getByText('1 张').isVisible())
      .toBe(true);
    // A whole-school policy lesson: every class has its 政策宣传课, none yet its 诚信/感恩/自强 lesson.
    const classes = core.ctx.store.sqlite
      .prepare(`SELECT count(DISTINCT class_id) FROM student WHERE status = 'enrolled'`)
      .pluck()
      .get() as number;
    await expect.poll(() => page.getByText(`两节课（资助政策宣传课 + 诚信/感恩/自强教育）：已上 0/${classes} 个班`).isVisible()).toBe(true);
    await shot('76-two-lessons');
    expect(errors).toEqual([]);
  });
});
