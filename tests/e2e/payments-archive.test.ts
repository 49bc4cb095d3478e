import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, previewToPdf, toastOn, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { fixture, testCore, type TestCore } from '../helpers/core';
import { reportedDaySubsidyTerm, type BankRow } from '../helpers/terms';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;
let students: Map<string, number>;
let bank: BankRow[];

beforeAll(async () => {
  core = await testCore();
  ({ students, bank } = await reportedDaySubsidyTerm(core));
  app = await openApp(core);
  ({ host, page, errors } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

/** A screenshot once antd's opening animations have settled. */
const shot = async (name: string) => {
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
};
const toast = (text: string | RegExp) => toastOn(page)(text);
const ours = () => bank.filter((b) => students.has(b.name));
const CORRECTED = '6217000011112222333';

async function chooseProgramme(name: string) {
  await page.getByLabel('资助项目').click();
  await page.locator('.ant-select-dropdown:visible').getByText(name, { exact: true }).click();
}

describe('payments, archive and statistics, end to end in Chromium', () => {
  it('imports the bank file: successes paid, failures listed with the bank reason', async () => {
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '发放' }).click();
    await chooseProgramme('义务教育非寄宿生生活补助');
    await expect.poll(() => page.getByText(`全部 ${students.size}`).isVisible()).toBe(true);
    await page.getByRole('button', { name: '导入银行回单' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(fixture('bank-return-2026-autumn.xlsx'));
    const ok = ours().filter((b) => b.ok).length;
    const failed = ours().filter((b) => !b.ok);
    await expect
      .poll(() => page.locator('.ant-modal').getByText(`共 60 行：成功 ${ok} 人，失败 ${failed.length} 人`, { exact: false }).isVisible())
      .toBe(true);
    await expect.poll(() => page.locator('.ant-modal').getByText('账号不存在').first().isVisible()).toBe(true);
    await shot('40-bank-preview');
    await page.getByRole('button', { name: '确认登记' }).click();
    await toast(`已登记：发放成功 ${ok} 人，失败 ${failed.length} 人`);
    await page.getByText(`发放失败 ${failed.length}`).click();
    for (const f of failed)
      await expect.poll(() => page.locator('.ant-table-row', { hasText: f.name }).getByText(f.reason).isVisible()).toBe(true);
    await shot('41-payments-failed');
    // A failed student can also be recorded by hand (paid in cash at the bank counter is not allowed: bank card, 一卡通 or meal card).
    await page.locator('.ant-table-row', { hasText: '钟英怡' }).locator('input[type=checkbox]').check();
    await page.getByRole('button', { name: '登记发放（1）' }).click();
    await page.getByText('监护人账户').click();
    await shot('41b-record-payment');
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /取\s*消/ })
      .click();
  });

  it('corrects a failed card, and the next bank file pays it', async () => {
    const row = page.locator('.ant-table-row', { hasText: '夏小文' });
    await row.getByRole('button', { name: '更正卡号' }).click();
    await page.getByLabel('新的银行卡号').fill('6217');
    await expect.poll(() => page.getByText('银行卡号/社会保障卡号应为16到19位数字').isVisible()).toBe(true);
    await page.getByLabel('新的银行卡号').fill(CORRECTED);
    await shot('42-correct-card');
    await page.getByRole('button', { name: '保存新卡号' }).click();
    await toast('已更正夏小文的卡号（修改记录已保存），请重新发放');
    await expect.poll(() => row.getByText('已更正卡号，待重发').isVisible()).toBe(true);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('代发结果');
    ws.addRow(['账号', '户名', '金额', '处理结果', '失败原因']);
    ws.addRow([CORRECTED, '夏小文', 312.5, '成功', '']);
    const file = join(SCREENSHOTS, 'bank-return-repay.xlsx');
    await wb.xlsx.writeFile(file);
    await page.getByRole('button', { name: '导入银行回单' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    await expect.poll(() => page.locator('.ant-modal').getByText('共 1 行：成功 1 人，失败 0 人', { exact: false }).isVisible()).toBe(true);
    await page.getByRole('button', { name: '确认登记' }).click();
    await toast('已登记：发放成功 1 人，失败 0 人');
    await page.getByText(/^已发放 \d+$/).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '夏小文' }).getByText('已发放').isVisible()).toBe(true);
    await shot('43-payments-repaid');

    // The student's page shows both attempts.
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await page.getByPlaceholder(/搜索/).fill('夏小文');
    await page.locator('.roster-row', { hasText: '夏小文' }).first().click();
    const record = page.getByLabel('发放记录');
    await expect.poll(() => record.getByText('已发放 1 次，共 ¥312.50').isVisible()).toBe(true);
    await expect.poll(() => record.getByText('失败：账号不存在').isVisible()).toBe(true);
    await expect.poll(() => record.getByText('***************2333').isVisible()).toBe(true);
    await record.scrollIntoViewIfNeeded();
    await shot('44-student-payments');
    await page.keyboard.press('Escape');
  });

  it('attaches a photo to an archive item, sees completeness change and prints the archive catalogue', async () => {
    await page.getByRole('menuitem', { name: '档案' }).click();
    const termCard = page.getByRole('group', { name: /完整度 2026年秋季学期综合档案/ });
    // The bank's file is kept with 银行回单, but a file the app filed is not evidence: nothing is complete yet.
    await expect.poll(() => termCard.textContent()).toContain('齐全 0 · 部分 0 · 缺 10');
    await page
      .getByRole('row', { name: /会议记录/ })
      .getByRole('button', { name: '登记/附件' })
      .click();
    const photo = join(SCREENSHOTS, 'meeting-photo.png');
    writeFileSync(photo, await page.screenshot({ clip: { x: 0, y: 0, width: 480, height: 320 } }));
    await page.locator('.ant-modal input[type=file]').setInputFiles(photo);
    await toast('已添加“meeting-photo.png”');
    await expect.poll(() => page.locator('.ant-modal .attachment-thumb img').isVisible()).toBe(true);
    await page.locator('.ant-modal').getByText('齐全', { exact: true }).click();
    await page.getByLabel('备注').fill('2026年9月5日资助工作领导小组会议');
    await shot('45-archive-item');
    await page.getByRole('button', { name: '保存' }).click();
    await toast('“会议记录”：齐全');
    await expect.poll(() => termCard.textContent()).toContain('齐全 1 · 部分 0 · 缺 9');
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /会议记录/ })
          .locator('.attachment-thumb img')
          .isVisible(),
      )
      .toBe(true);

    // A class's application forms collected together: one click for the column.
    await page.getByRole('tab', { name: '项目档案' }).click();
    // The bank file is filed with 发放凭证 as the app's copy; the item stays 缺 until the stamped paper is scanned or ticked.
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /发放凭证/ })
          .getByText('有程序留底')
          .isVisible(),
      )
      .toBe(true);
    await shot('45b-archive-programme');
    await page.getByRole('button', { name: '目录设置' }).click();
    await expect.poll(() => page.getByLabel('签领表必备').isChecked()).toBe(true);
    await shot('45c-archive-catalogue-settings');
    await page.locator('.ant-drawer-close').click();
    await page.getByRole('tab', { name: '学生个人档案' }).click();
    const students = page.getByRole('group', { name: /完整度 学生个人档案/ });
    const before = await students.textContent();
    await page.getByRole('button', { name: '全齐' }).first().click();
    await expect.poll(() => students.textContent()).not.toBe(before);
    await shot('46-archive-students');

    await page.getByRole('button', { name: '打印档案目录' }).click();
    const pdf = join(SCREENSHOTS, 'archive-catalogue.pdf');
    await previewToPdf(app, pdf, '学生资助档案目录');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('青山县青山镇中心学校2026年秋季学期学生资助档案目录');
    expect(text).toMatch(/会议记录\s+全校\s+齐全\s+1/);
    expect(text).toMatch(/银行回单\s+全校\s+缺\s+2/);
    expect(text).not.toMatch(/\d{17}[\dX]|6217\d{12,15}/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(SCREENSHOTS, 'archive-catalogue')]);
    await page
      .getByRole('button', { name: /关\s*闭|Close/ })
      .first()
      .click();
  });

  it('shows the term statistics and the summary paragraph', async () => {
    await page.getByRole('menuitem', { name: '统计' }).click();
    const paid = ours().filter((b) => b.ok).length + 1;
    await expect
      .poll(() => page.getByLabel('工作总结数据').textContent())
      .toContain(`2026年秋季学期，青山县青山镇中心学校共资助家庭经济困难学生${paid}人、${paid}人次`);
    await expect.poll(() => page.locator('.ant-table-summary').textContent()).toContain(`合计${paid}${paid}`);
    await shot('47-stats');
  });

  it('backs up and restores from the settings page, and the archive photo is still there', async () => {
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByRole('button', { name: '立即备份' }).click();
    await toast(/已备份：附件 3 个/);
    // A second copy on a "USB stick": a folder the clerk names, checked before anything is written.
    const usb = mkdtempSync(join(tmpdir(), 'aid-usb-'));
    await page.getByRole('radio', { name: '其他文件夹（U 盘、移动硬盘）' }).check();
    await page.getByLabel('备份文件夹').fill(join(usb, '没有插好'));
    await page.getByRole('button', { name: '使用这个文件夹' }).click();
    await expect.poll(() => page.getByTestId('backup-error').textContent()).toContain('U 盘是否已插好');
    await page.getByLabel('备份文件夹').fill(usb);
    await page.getByRole('button', { name: '使用这个文件夹' }).click();
    await expect.poll(() => page.getByTestId('backup-folder').textContent()).toBe(`备份保存在：${usb}`);
    await page.getByRole('button', { name: '立即备份' }).click();
    await toast(/已备份：附件 3 个/);
    const onStick = readdirSync(usb);
    expect(onStick).toHaveLength(1);
    // One file to carry, encrypted and sealed.
    expect(onStick[0]).toMatch(/^aid-desk-\d{8}-\d{6}\.aidbackup$/);
    await shot('48-backup');
    // After the backup the photo is removed from its item; the restore brings it back.
    await page.getByRole('menuitem', { name: '档案' }).click();
    // The page opens on the tab last used (the student archive): back to the term's items.
    await page.getByRole('tab', { name: '学期综合档案' }).click();
    await page
      .getByRole('row', { name: /会议记录/ })
      .getByRole('button', { name: '登记/附件' })
      .click();
    await page.getByRole('button', { name: '移除meeting-photo.png' }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await expect.poll(() => page.locator('.ant-modal').getByText('还没有附件').isVisible()).toBe(true);
    await page.getByRole('button', { name: '保存' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /会议记录/ })
          .locator('.attachment-thumb')
          .count(),
      )
      .toBe(0);
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByRole('button', { name: '恢复' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '恢复' }).click();
    // Restored from the stick (the folder is remembered); the page comes back saying what was restored.
    await expect
      .poll(() => page.getByTestId('restored-note').textContent(), { timeout: 15_000 })
      .toMatch(/已从 .* 的备份恢复：学生 \d+ 人/);
    await shot('49-restored');
    await page.getByRole('menuitem', { name: '档案' }).click();
    await page.getByRole('tab', { name: '学期综合档案' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /会议记录/ })
          .locator('.attachment-thumb img')
          .isVisible(),
      )
      .toBe(true);
    expect(errors).toEqual([]);
  });
});
