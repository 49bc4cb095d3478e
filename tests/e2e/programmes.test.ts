import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster } from '../../electron/core/students/roster';
import { uploadFile } from '../../electron/core/uploads';
import type { WebHost } from '../../electron/host/web';
import { openApp, previewToPdf, toastOn, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { fixture, testCore, type TestCore } from '../helpers/core';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;
let className: string;
let classSize: number;

beforeAll(async () => {
  core = await testCore();
  await core.client.invoke('school.setup', {
    name: '青山县第一中学',
    county: '青山县',
    township: '',
    stages: ['senior'],
    schoolYear: '2026-2027',
    term: '2026-autumn',
  });
  const name = 'roster-qingshan-no1-high-school.xlsx';
  await importRoster(core.ctx, await uploadFile(core.ctx, name, readFileSync(fixture(name))), {});
  const first = core.ctx.store.sqlite.prepare(`SELECT id, name FROM school_class ORDER BY grade_order, number LIMIT 1`).get() as {
    id: number;
    name: string;
  };
  className = first.name;
  const ids = core.ctx.store.sqlite.prepare(`SELECT id FROM student WHERE class_id = ? ORDER BY id`).pluck().all(first.id) as number[];
  classSize = ids.length;
  // The class's families identified earlier in the year (the identification flow has its own end-to-end test).
  for (const [i, id] of ids.entries()) {
    await core.client.invoke('surveys.save', {
      studentId: id,
      status: 'draft',
      fields: {
        householdSize: 4,
        hukou: 'rural',
        members: [
          {
            name: '父',
            age: 45,
            relation: '父亲',
            workplace: '',
            occupation: '务农',
            annualIncome: 100_000 + i * 20_000,
            health: i % 4 === 0 ? 'serious' : 'healthy',
          },
        ],
        factors: ['debt'],
        otherHardship: '',
        incomeSource: 'farming',
        childrenInSchool: 2,
        commitmentSigned: true,
        commitmentDate: '2026-09-05',
        enteredBy: '',
        note: '',
      },
      flags: i < 2 ? [{ group: 'dibao', source: 'selfDeclared', sourceDate: '2026-09-05' }] : [],
    });
  }
  await core.client.invoke('identification.score', {});
  const open = (await core.client.invoke('surveys.cases', {})).filter((c) => c.identification === 'open');
  await core.client.invoke('identification.decide', {
    decisions: open.map((c) => ({
      identificationId: c.identificationId!,
      level: c.suggestedLevel === 'none' ? 'general' : c.suggestedLevel!,
      reason: '认定工作组意见',
    })),
    decidedOn: '2026-09-20',
  });
  app = await openApp(core);
  ({ host, page, errors } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const toast = (text: string | RegExp) => toastOn(page)(text);
async function bulk(action: string) {
  await page.locator('.applications-table thead input[type=checkbox]').check();
  await page.getByRole('button', { name: /^选中的 \d+ 份…$/ }).click();
  await page.locator('.ant-dropdown:visible').getByText(action, { exact: true }).click();
}

describe('a programme term, end to end in Chromium', () => {
  it('sets the quota and creates applications for a class', async () => {
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '资助项目' }).click();
    await expect.poll(() => page.getByLabel('资助项目').locator('..').textContent()).toContain('普通高中国家助学金');
    await page.getByRole('tab', { name: '名额' }).click();
    await page.getByLabel('名额人数').fill('20');
    await page.getByRole('button', { name: '保存名额' }).click();
    await toast('名额已保存');
    await page.getByRole('tab', { name: '申请与审核' }).click();
    await page.getByLabel('申请班级').click();
    await page.locator('.ant-select-dropdown:visible').getByText(className, { exact: true }).click();
    await page.getByRole('button', { name: '建立申请' }).hover();
    await page.getByText('为本班已认定的学生建立申请').click();
    await toast(`已建立 ${classSize} 份申请草稿`);
  });

  it('moves them through review, allocates the quota and shows who is unfunded', async () => {
    for (const [action, done] of [
      ['提交申请', '已提交申请'],
      ['交班级评议', '已交班级评议'],
      ['交学校审核', '已交学校审核'],
    ]) {
      await bulk(action!);
      await toast(`${done} ${classSize} 份`);
    }
    await page.getByRole('button', { name: '分配名额' }).click();
    await expect.poll(() => page.getByText('名额 20，本次获资助 20 人').isVisible()).toBe(true);
    expect(await page.getByText(`符合条件但名额不足、未获资助 ${classSize - 20} 人`).isVisible()).toBe(true);
    await shot('21-allocation');
    await page.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await expect.poll(() => page.locator('.applications-table').getByText('一档').count()).toBe(5);
    await shot('22-applications');
    await page.getByRole('tab', { name: '检查' }).click();
    await expect.poll(() => page.getByText(/必须处理 \d+ 条/).isVisible()).toBe(true);
    expect(await page.getByText('必须处理 0 条').isVisible()).toBe(true);
    await shot('23-checks');
  });

  it('publicises the recipients, resolves an objection with a new tier, closes and approves', async () => {
    await page.getByRole('tab', { name: '申请与审核' }).click();
    await page.getByRole('button', { name: '公示受助名单' }).click();
    // Allocated today: the list goes up today (the core's today; the dialog starts from it).
    await expect.poll(() => page.getByText('公示至 2026-11-27').isVisible()).toBe(true);
    await page.getByLabel('受助公示监督电话').fill('0745-7654321');
    await page.getByRole('button', { name: '生成公示' }).click();
    await toast('已生成受助名单公示（20 人）');

    await page.getByRole('menuitem', { name: '公示' }).click();
    await expect.poll(() => page.getByText('普通高中国家助学金受助学生名单公示').first().isVisible()).toBe(true);
    const firstTier1 = page.locator('.publicity-layout tr', { hasText: '一档' }).first();
    const name = (await firstTier1.locator('td').nth(1).textContent())!;
    await page.getByRole('button', { name: '登记异议' }).click();
    await page.getByLabel('涉及学生').click();
    await page.getByLabel('涉及学生').fill(name);
    await page.keyboard.press('Enter');
    await page.getByLabel('异议人').fill('学生家长');
    await page.getByLabel('异议内容').fill('档次偏高');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await toast('已登记异议');
    await page.getByRole('button', { name: '处理', exact: true }).click();
    await page.getByText('复核后更改档次').click();
    await page.getByLabel('新的档次').click();
    await page.locator('.ant-select-dropdown:visible').getByText('改为二档', { exact: true }).click();
    await page.getByLabel('复核情况').fill('复核家庭收入后调整');
    await page.getByLabel('答复内容').fill('已调整为二档');
    await page.getByRole('button', { name: '保存处理结果' }).click();
    await toast('已处理并答复');
    await expect.poll(() => page.locator('.publicity-layout tr', { hasText: name }).last().textContent()).toContain('二档 ¥1,150.00');
    await shot('24-recipient-publicity');
    core.setToday('2026-11-27');
    await page.getByRole('button', { name: '结束公示' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '结束公示' }).click();
    await toast('公示已结束');

    await page.getByRole('menuitem', { name: '资助项目' }).click();
    await page.getByLabel('申请状态').click();
    await page.locator('.ant-select-dropdown:visible').getByText('公示中', { exact: true }).click();
    await bulk('审核通过');
    await toast('已审核通过 20 份');
    await page.getByLabel('申请状态').click();
    await page.locator('.ant-select-dropdown:visible').getByText('已通过', { exact: true }).click();
    await expect.poll(() => page.locator('.applications-table tbody tr.ant-table-row').count()).toBe(20);
    await shot('25-approved');
  });

  it('prints the signature roster: a header on every page, each page subtotal right, the total in capitals', async () => {
    await page.getByRole('button', { name: '打印签领表' }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '打印签领表' });
    await dialog.getByText('A4 横向').click();
    await shot('25b-roster-options');
    await dialog.getByRole('button', { name: '预览并打印' }).click();
    const pdf = join(SCREENSHOTS, 'signature-roster.pdf');
    await previewToPdf(app, pdf, '领取人签字');
    await page.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();

    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBe(2); // 20 recipients of one class, 11 signing rows a landscape page
    expect(info).toMatch(/Page size:\s+841\.\d+ x 59[45]\.\d+ pts \(A4\)/); // A4 landscape
    const money = (text: string) =>
      [...text.matchAll(/(\d{1,3}(?:,\d{3})*\.\d{2})/g)].map((m) => Math.round(Number(m[1]!.replace(/,/g, '')) * 100));
    let sum = 0;
    for (let n = 1; n <= pages; n++) {
      const text = execFileSync('pdftotext', ['-layout', '-f', String(n), '-l', String(n), pdf, '-'], { encoding: 'utf8' });
      expect(text).toContain('普通高中国家助学金发放签领表');
      expect(text).toContain('领取人签字');
      expect(text.replace(/\s+/g, '')).toContain(`第${n}页共${pages}页`);
      const lines = text.split('\n');
      const rows = lines.filter((l) => !/本页小计|合计|标准/.test(l)).flatMap(money);
      const subtotal = money(lines.find((l) => l.includes('本页小计'))!)[0]!;
      expect(subtotal).toBe(rows.reduce((a, b) => a + b, 0));
      sum += subtotal;
      expect(text).not.toMatch(/\d{17}[\dX]/);
    }
    const approved = core.ctx.store.sqlite
      .prepare(`SELECT sum(amount_fen) FROM application WHERE status = 'approved'`)
      .pluck()
      .get() as number;
    expect(sum).toBe(approved);
    const { toCapitalAmount } = await import('../../shared/rules/capital-amount');
    const last = execFileSync('pdftotext', ['-f', String(pages), '-l', String(pages), pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(last).toContain(toCapitalAmount(approved));
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(SCREENSHOTS, 'signature-roster')]);
    expect(errors).toEqual([]);
  });

  it('shows the term on the board, and its next step opens the county export on this programme', async () => {
    await page.getByRole('menuitem', { name: '本学期工作台' }).click();
    const card = page.getByTestId('board-programme-senior-grant');
    await expect.poll(() => card.getByRole('button', { name: /审核通过：已通过 20\// }).isVisible()).toBe(true);
    await expect.poll(() => card.getByRole('button', { name: '上报：已上报 0/20' }).isVisible()).toBe(true);
    await shot('20-board');
    await card.getByRole('button', { name: /下一步：填写县里的模板并上报/ }).click();
    await expect.poll(() => page.getByRole('heading', { name: '导出与打印' }).isVisible()).toBe(true);
    await shot('20b-board-export');
    await expect.poll(() => page.getByTestId('export-for').textContent()).toContain('上报“普通高中国家助学金”2026年秋季学期');
    expect(errors).toEqual([]);
  });
});
