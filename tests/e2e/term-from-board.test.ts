/**
 * A new programme's whole term on the demo school, driven from the term board in Chromium: each step opened
 * from the board, done on its page, and the board's figure for it checked after. The core's clock moves
 * (never the client's dates) for the publicity period.
 */
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
const CODE = 'day-subsidy';
const NAME = '义务教育非寄宿生生活补助';

beforeAll(async () => {
  core = await testCore({ school: false });
  // The first-run page's 生成演示数据 is tested in demo.test.ts; here the demo is made through the contract.
  await core.client.invoke('school.createDemo', { students: 300 });
  app = await openApp(core);
  ({ host, page, errors } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const toast = (text: string | RegExp) => toastOn(page)(text);
const card = () => page.getByTestId(`board-programme-${CODE}`);
const figure = (label: string) =>
  card()
    .getByRole('button', { name: new RegExp(`^${label}：`) })
    .getAttribute('aria-label');
async function board() {
  await page.getByRole('menuitem', { name: '本学期工作台' }).click();
  await page.getByRole('heading', { name: '本学期工作台' }).waitFor();
}
async function bulk(action: string) {
  await page.locator('.applications-table thead input[type=checkbox]').check();
  await page.getByRole('button', { name: /^选中的 \d+ 份…$/ }).click();
  await page.locator('.ant-dropdown:visible').getByText(action, { exact: true }).click();
}
/** Shows only the applications in this status. */
async function inStatus(text: string) {
  await page.getByLabel('申请状态').click();
  await page.locator('.ant-select-dropdown:visible').getByText(text, { exact: true }).click();
}
const count = (sql: string) => core.ctx.store.sqlite.prepare(sql).pluck().get() as number;

describe('a programme’s term on the demo school, driven from the term board', () => {
  let n = 0;

  it('keeps the roster and the year’s surveys, the board counting each', async () => {
    await page.goto(host.url);
    await page.getByRole('heading', { name: '本学期工作台' }).waitFor();
    const ident = page.getByTestId('board-identification');
    await expect.poll(() => page.getByText(/在校 300 人/).isVisible()).toBe(true);

    // The roster: a student who moved away is marked 转出 (kept, not deleted); the board counts one fewer.
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await page.getByRole('row').nth(1).click();
    await page.locator('.ant-drawer').getByRole('button', { name: '标记离校' }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await expect
      .poll(() =>
        page
          .locator('.ant-drawer')
          .getByText(/已离校/)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await page.keyboard.press('Escape');
    await board();
    await expect.poll(() => page.getByText(/在校 299 人/).isVisible()).toBe(true);

    // A survey from the board's step: typed, saved as a draft, counted as not yet complete.
    await ident.getByRole('button', { name: /^申请与调查：还没有调查表/ }).click();
    await page.locator('.cases-table').getByRole('row').nth(1).click();
    await page.getByLabel('家庭人口数').fill('4');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await toast(/已保存（草稿）/);
    await page.keyboard.press('Escape');
    await board();
    await expect
      .poll(() => ident.getByRole('button', { name: /^申请与调查：/ }).getAttribute('aria-label'))
      .toBe('申请与调查：已交调查表 0 份，未填完 1 份');
  });

  it('starts the programme from the board: applications for the identified students, then the quota', async () => {
    await page.locator('.board-not-started').getByRole('button', { name: NAME }).click();
    await expect.poll(() => page.getByLabel('资助项目').locator('..').textContent()).toContain(NAME);
    await page.getByRole('button', { name: '建立申请' }).hover();
    await page.getByText('为已认定的学生建立申请').click();
    await toast(/已建立 \d+ 份申请草稿/);
    n = count(`SELECT count(*) FROM application a JOIN programme p ON p.id = a.programme_id WHERE p.code = '${CODE}'`);
    expect(n).toBeGreaterThan(3);
    await board();
    await expect.poll(() => figure('申请')).toBe(`申请：申请 0 份，草稿或退回 ${n} 份`);

    await card()
      .getByRole('button', { name: /^名额：/ })
      .click();
    await page.getByRole('tab', { name: '名额' }).click();
    await page.getByLabel('名额人数').fill(String(n));
    await page.getByRole('button', { name: '保存名额' }).click();
    await toast('名额已保存');
    await board();
    await expect.poll(() => figure('名额')).toBe('名额：已填名额，尚未分配');
  });

  it('reviews and allocates, publicises, and after the period approves: the board follows each step', async () => {
    await card()
      .getByRole('button', { name: /^申请：/ })
      .click();
    await page.getByRole('tab', { name: '申请与审核' }).click();
    // Submission checks each application: one the rules refuse (say a 低保 family whose list does not say
    // 农村) stays a draft with its reason; the rest go on.
    await bulk('提交申请');
    await toast(/已提交申请 \d+ 份/);
    n = count(
      `SELECT count(*) FROM application a JOIN programme p ON p.id = a.programme_id WHERE p.code = '${CODE}' AND a.status = 'applied'`,
    );
    expect(n).toBeGreaterThan(3);
    for (const [status, action, done] of [
      ['已申请', '交班级评议', '已交班级评议'],
      ['班级评议', '交学校审核', '已交学校审核'],
    ]) {
      await inStatus(status!);
      await bulk(action!);
      await toast(`${done} ${n} 份`);
    }
    await page.getByRole('button', { name: '分配名额' }).click();
    await expect.poll(() => page.getByText(`名额 ${n}，本次获资助 ${n} 人`).isVisible()).toBe(true);
    await page.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await board();
    await expect.poll(() => figure('名额')).toBe(`名额：已分配 ${n} 份`);

    // Publicity from the board's step: today is the core's (Sunday 22 November), five working days.
    await card()
      .getByRole('button', { name: /^受助名单公示：/ })
      .click();
    await page.getByRole('button', { name: '公示受助名单' }).click();
    await expect.poll(() => page.getByText('公示至 2026-11-27').isVisible()).toBe(true);
    await page.getByLabel('受助公示监督电话').fill('0745-7654321');
    await page.getByRole('button', { name: '生成公示' }).click();
    await toast(`已生成受助名单公示（${n} 人）`);
    await board();
    await expect.poll(() => figure('受助名单公示')).toMatch(/公示中，还有 \d+ 个工作日/);
    await shot('70-term-board-publicity');

    // A week later by the core's clock: the list is taken down, then approved.
    core.setToday('2026-11-30');
    await page.reload();
    await card()
      .getByRole('button', { name: /^受助名单公示：/ })
      .click();
    await page.getByRole('button', { name: '结束公示' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '结束公示' }).click();
    await toast('公示已结束');
    await board();
    await expect.poll(() => figure('受助名单公示')).toMatch(/已结束/);
    await card()
      .getByRole('button', { name: /^审核通过：/ })
      .click();
    await inStatus('公示中');
    await bulk('审核通过');
    await toast(`已审核通过 ${n} 份`);
    await board();
    await expect.poll(() => figure('审核通过')).toBe(`审核通过：已通过 ${n}/${n}`);
  });

  it('reports through the county export, pays from the bank file, prints the signature roster and opens the archive', async () => {
    await card()
      .getByRole('button', { name: /下一步：填写县里的模板并上报/ })
      .click();
    await expect.poll(() => page.getByTestId('export-for').textContent()).toContain(`上报“${NAME}”2026年秋季学期`);
    await page.getByText('受助学生名单（通用）').click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '填写并导出' }).click();
    await (await download).saveAs(join(SCREENSHOTS, 'term-report.xlsx'));
    await toast(`已导出 ${n} 名学生`);
    await board();
    await card()
      .getByRole('button', { name: /^审核通过：/ })
      .click();
    await inStatus('已通过');
    await bulk('上报');
    await toast(`已上报 ${n} 份`);
    await board();
    await expect.poll(() => figure('上报')).toBe(`上报：已上报 ${n}/${n}`);

    const programmeId = (await core.client.invoke('board.term', {})).programmes.find((p) => p.code === CODE)!.programmeId;
    const { lines } = await core.client.invoke('payments.list', { programmeId, term: '2026-autumn', reveal: true });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('代发结果');
    ws.addRow(['青山县农村商业银行代发工资/补贴结果明细']);
    ws.addRow(['序号', '账号', '户名', '金额', '处理结果', '失败原因']);
    lines.forEach((l, i) => ws.addRow([i + 1, l.card, l.name, l.amount / 100, '成功', '']));
    const file = join(SCREENSHOTS, 'term-bank-return.xlsx');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    await card()
      .getByRole('button', { name: /^发放：/ })
      .click();
    await page.getByRole('button', { name: '导入银行回单' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: '确认登记' }).click();
    await toast(`已登记：发放成功 ${n} 人，失败 0 人`);
    await board();
    await expect.poll(() => figure('发放')).toBe(`发放：已发放 ${n}/${n}`);

    await card()
      .getByRole('button', { name: /^签领表：/ })
      .click();
    await page.getByRole('button', { name: '打印签领表' }).click();
    await page.getByRole('button', { name: '预览并打印' }).click();
    const pdf = join(SCREENSHOTS, 'term-signature-roster.pdf');
    await previewToPdf(app, pdf, '合计');
    expect(execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })).toContain(NAME);
    await page.keyboard.press('Escape');

    await board();
    await card()
      .getByRole('button', { name: /^归档：/ })
      .click();
    await expect.poll(() => page.getByRole('tab', { name: '项目档案', selected: true }).isVisible()).toBe(true);
    await board();
    await shot('71-term-board-done');
    expect(count(`SELECT count(*) FROM payment WHERE outcome = 'paid'`)).toBeGreaterThanOrEqual(n);
    expect(errors).toEqual([]);
  });
});
