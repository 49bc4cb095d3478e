import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, previewToPdf, toastOn, type AppSession } from '../helpers/app';
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
const toast = (text: string | RegExp) => toastOn(page)(text);
const board = () => page.getByTestId('board-programme-boarder-subsidy');
/** A step of the programme's row on the board, by its figure ("上报：已上报 0/42"). */
const step = (label: string) => board().getByRole('button', { name: new RegExp(`^${label}：`) });
async function toBoard() {
  await page.getByRole('menuitem', { name: '本学期工作台' }).click();
  await board().waitFor();
}

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

  it('carries this term on from the board: 上报 via the county export, the bank file, the signature roster, the archive', async () => {
    await page.getByRole('combobox', { name: '学期' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').getByText('2026年秋季学期').click();
    const approved = core.ctx.store.sqlite
      .prepare(`SELECT count(*) FROM application WHERE term = '2026-autumn' AND status = 'approved'`)
      .pluck()
      .get() as number;
    await expect.poll(() => step('上报').getAttribute('aria-label')).toBe(`上报：已上报 0/${approved}`);

    // 上报: the board's next step opens the export on this programme and term; the built-in list is filled.
    await board()
      .getByRole('button', { name: /下一步：填写县里的模板并上报/ })
      .click();
    await expect.poll(() => page.getByTestId('export-for').textContent()).toContain('上报“义务教育寄宿生生活补助”2026年秋季学期');
    await page.getByText('受助学生名单（通用）').click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '填写并导出' }).click();
    await (await download).saveAs(join(SCREENSHOTS, 'demo-report.xlsx'));
    await toast(`已导出 ${approved} 名学生`);
    // Sent: the applications are marked 上报 in their list (the 审核通过 step opens it on this programme).
    await toBoard();
    await step('审核通过').click();
    await page.locator('.applications-table thead input[type=checkbox]').check();
    await page.getByRole('button', { name: /^选中的 \d+ 份…$/ }).click();
    await page.locator('.ant-dropdown:visible').getByText('上报', { exact: true }).click();
    await toast(`已上报 ${approved} 份`);
    await toBoard();
    await expect.poll(() => step('上报').getAttribute('aria-label')).toBe(`上报：已上报 ${approved}/${approved}`);
    await expect.poll(() => step('发放').getAttribute('aria-label')).toBe(`发放：已发放 0/${approved}`);

    // The bank pays all but one: the board counts the failure and its next step is to deal with it.
    const { lines } = await core.client.invoke('payments.list', {
      programmeId: (await core.client.invoke('board.term', {})).programmes.find((p) => p.code === 'boarder-subsidy')!.programmeId,
      term: '2026-autumn',
      reveal: true,
    });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('代发结果');
    ws.addRow(['青山县农村商业银行代发工资/补贴结果明细']);
    ws.addRow(['序号', '账号', '户名', '金额', '处理结果', '失败原因']);
    lines.forEach((l, i) => ws.addRow([i + 1, l.card, l.name, l.amount / 100, i === 0 ? '失败' : '成功', i === 0 ? '账户已冻结' : '']));
    const bankFile = join(SCREENSHOTS, 'demo-bank-return.xlsx');
    writeFileSync(bankFile, Buffer.from(await wb.xlsx.writeBuffer()));
    await step('发放').click();
    await page.getByRole('button', { name: '导入银行回单' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(bankFile);
    await page.getByRole('button', { name: '确认登记' }).click();
    await toast(`已登记：发放成功 ${approved - 1} 人，失败 1 人`);
    await toBoard();
    await expect.poll(() => step('发放').getAttribute('aria-label')).toBe(`发放：已发放 ${approved - 1}/${approved}，1 笔发放失败待处理`);
    await expect.poll(() => board().getByRole('button', { name: '下一步：处理发放失败' }).isVisible()).toBe(true);
    await shot('62-demo-board-paid');

    // 签领表 from its step: printed to PDF as the preview shows it.
    await step('签领表').click();
    await page.getByRole('button', { name: '打印签领表' }).click();
    await page.getByRole('button', { name: '预览并打印' }).click();
    const pdf = join(SCREENSHOTS, 'demo-signature-roster.pdf');
    await previewToPdf(app, pdf, '合计');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('义务教育寄宿生生活补助');
    expect(text).not.toMatch(/\d{17}[\dX]/); // ID numbers and cards masked by default
    await page.keyboard.press('Escape');

    // 归档 from its step: the archive opens on this programme's items.
    await toBoard();
    const missing = await step('归档').getAttribute('aria-label');
    expect(missing).toMatch(/档案缺 \d+ 项必备材料/);
    await step('归档').click();
    await expect.poll(() => page.getByRole('heading', { name: '档案' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('tab', { name: '项目档案', selected: true }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('签领表').first().isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('is wiped in one step from the settings, back to the first-run page', async () => {
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByRole('button', { name: '清除演示数据，开始正式使用' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '清除演示数据' }).click();
    // The wipe closes the desk, removes its files, opens a fresh one (every migration) and reloads the page: on a loaded
    // CI machine running the unit project beside it this took over 15 s once.
    await expect.poll(() => page.getByText('欢迎使用 AidDesk 资助工作台').isVisible(), { timeout: 45_000 }).toBe(true);
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(0);
    expect(errors).toEqual([]);
  });
});
