import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, previewToPdf, toastOn, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { testCore, type TestCore } from '../helpers/core';
import { importCentralRoster, upload } from '../helpers/fixtures';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;
let student: { id: number; name: string; id_number: string; guardian_phone: string };
const CLASS = '三年级（1）班';

beforeAll(async () => {
  core = await testCore();
  await importCentralRoster(core);
  const preview = await core.client.invoke('lists.preview', { upload: upload('county-list-dibao-tekun.xlsx'), kind: 'dibao' });
  await core.client.invoke('lists.import', { uploadId: preview.uploadId, kind: 'dibao', layout: preview.layout, listDate: '2026-09-01' });
  student = core.ctx.store.sqlite
    .prepare(
      `SELECT s.id, s.name, s.id_number, s.guardian_phone FROM student s JOIN school_class c ON c.id = s.class_id
              WHERE c.name = ? AND s.id NOT IN (SELECT student_id FROM priority_flag) ORDER BY s.id LIMIT 1`,
    )
    .get(CLASS) as typeof student;
  app = await openApp(core);
  ({ host, page, errors } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const toast = (text: string | RegExp) => toastOn(page)(text);
async function pickDate(label: string, date: string) {
  const input = page.getByLabel(label);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}
async function choose(label: string, option: string) {
  await page.getByLabel(label).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').getByText(option, { exact: true }).click();
}

describe('identification and publicity, end to end in Chromium', () => {
  it('flags listed students from the county list in one step', async () => {
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '家庭调查与认定' }).click();
    await page.getByRole('tab', { name: '名单比对' }).click();
    await expect.poll(() => page.getByText('名单上有、学生未标记').isVisible()).toBe(true);
    await shot('11-crosscheck');
    await page.getByRole('button', { name: /按名单标记所选（\d+）/ }).click();
    await toast(/已按名单标记 \d+ 项/);
    await expect.poll(() => page.getByRole('button', { name: '按名单标记所选（0）' }).isVisible()).toBe(true);
  });

  it('imports a list naming most of the school only after the clerk ticks that it is right', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('2027年名单');
    ws.addRow(['序号', '姓名', '身份证号', '类别']);
    const ids = core.ctx.store.sqlite
      .prepare(`SELECT id_number FROM student WHERE status = 'enrolled' AND id_number IS NOT NULL`)
      .pluck()
      .all() as string[];
    ids.slice(0, Math.ceil(ids.length * 0.6)).forEach((id, i) => ws.addRow([i + 1, `学生${i}`, id, '脱贫户']));
    const file = join(core.dir, '名单.xlsx');
    await wb.xlsx.writeFile(file);
    await page.getByRole('button', { name: '导入县级名单' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    const warning = page.getByTestId('list-many');
    await expect.poll(() => warning.textContent()).toContain(`本校在校学生 ${ids.length} 人中的`);
    const ok = page.locator('.ant-modal').getByRole('button', { name: '导入名单' });
    expect(await ok.isDisabled()).toBe(true);
    await page.waitForTimeout(300); // the dialog settles, for the screenshot only
    await shot('12-list-most-of-school');
    await warning.getByText('我已核对，这确实是县里发来的名单').click();
    await ok.click();
    await toast(/已导入脱贫人口（含监测对象）名单（\d+ 条）/);
  });

  it('enters a survey with three household members', async () => {
    await page.getByRole('tab', { name: '学生认定' }).click();
    await page.getByLabel('班级').click();
    await page.getByLabel('班级').fill(CLASS);
    await page.keyboard.press('Enter');
    await page.locator('.cases-table').getByText(student.name, { exact: true }).click();
    await expect.poll(() => page.getByText(`${student.name}：家庭调查与认定`).isVisible()).toBe(true);
    await choose('户口性质', '农村');
    await page.getByLabel('家庭人口数').fill('4');
    await page.getByLabel('在读子女数').fill('2');
    await choose('主要收入来源', '务农');
    const members = [
      ['王大山', '41', '父亲', '务工', '8000', '大病或重残'],
      ['李秀英', '38', '母亲', '务农', '4000', '健康'],
      ['王小妹', '6', '妹妹', '学生', '0', '健康'],
    ];
    for (const [i, [name, age, relation, occupation, income, health]] of members.entries()) {
      await page.getByRole('button', { name: '添加家庭成员' }).click();
      await page.getByLabel(`成员${i + 1}姓名`).fill(name!);
      await page.getByLabel(`成员${i + 1}年龄`).fill(age!);
      await page.getByLabel(`成员${i + 1}关系`).fill(relation!);
      await page.getByLabel(`成员${i + 1}职业`).fill(occupation!);
      await page.getByLabel(`成员${i + 1}年收入`).fill(income!);
      await choose(`成员${i + 1}健康`, health!);
    }
    await expect.poll(() => page.getByText('家庭人均年收入：¥3,000.00').isVisible()).toBe(true);
    await page.getByRole('checkbox', { name: '家庭成员患重大疾病' }).check();
    await page.getByRole('checkbox', { name: '家长已手写承诺并签字' }).check();
    await pickDate('签字日期', '2026-09-10');
    await page.getByLabel('填表人').fill('王老师');
    await shot('12-survey-form');
    await page.getByRole('button', { name: '保存（已填齐）' }).click();
    await toast(/已保存（已填齐）/);
    const saved = await core.client.invoke('surveys.get', { studentId: student.id, reveal: true });
    expect(saved.survey!.members.map((m) => m.name)).toEqual(['王大山', '李秀英', '王小妹']);
    expect(saved.survey!.perCapitaIncome).toBe(300_000);
    await page.locator('.ant-drawer-close').click();
  });

  it('scores the case, records the panel vote and decides with a reason', async () => {
    await page.getByRole('button', { name: '量化评分' }).click();
    await toast('已评分 1 人');
    const row = page.locator('.cases-table tr', { hasText: student.name });
    await expect.poll(() => row.textContent()).toContain('68');
    await page.getByRole('button', { name: '班级评议' }).click();
    const members = page.getByLabel('评议小组成员');
    for (const m of ['班主任王老师', '家长代表刘某', '学生代表张某']) {
      await members.fill(m);
      await members.press('Enter');
    }
    await page.getByLabel(`${student.name}同意票`).fill('3');
    await choose(`${student.name}评议意见`, '特别困难');
    await shot('13-panel-review');
    await page.getByRole('button', { name: '保存评议结果' }).click();
    await toast(`已记录${CLASS}的民主评议`);

    await page.getByRole('button', { name: '学校认定' }).click();
    await page.getByRole('button', { name: '确认认定' }).click();
    await toast('与评分建议“困难”不同，请写明理由');
    await page.getByLabel(`${student.name}认定理由`).fill('母亲长期透析，医疗负担重');
    await page.getByRole('button', { name: '确认认定' }).click();
    await toast('已认定 1 人');
    await expect.poll(() => row.textContent()).toContain('特别困难');
    await shot('14-decided');
  });

  it('publicises, logs and resolves an objection, and only then closes', async () => {
    await page.getByRole('menuitem', { name: '公示' }).click();
    await page.getByRole('button', { name: '新建认定结果公示' }).click();
    // A start before today asks why; and no start may come before the decisions it publishes (made today here).
    await pickDate('公示开始日期', '2026-11-16');
    await page.getByLabel('补登原因').fill('名单已于当天张贴，今天补录');
    await page.getByLabel('监督电话').fill('0745-1234567');
    await shot('15a-publicity-backdated');
    await page.getByRole('button', { name: '生成公示' }).click();
    await toast(/早于所公示的决定/);
    await pickDate('公示开始日期', '2026-11-22');
    await expect.poll(() => page.getByLabel('补登原因').count()).toBe(0);
    await expect.poll(() => page.getByText('公示至 2026-11-27').isVisible()).toBe(true);
    await page.getByRole('button', { name: '生成公示' }).click();
    await toast(/已生成公示名单（\d+ 人）/);
    await expect.poll(() => page.locator('.publicity-layout').getByText(student.name).first().isVisible()).toBe(true);

    await page.getByRole('button', { name: '登记异议' }).click();
    await page.getByLabel('涉及学生').click();
    await page.getByLabel('涉及学生').fill(student.name);
    await page.keyboard.press('Enter');
    await page.getByLabel('异议人').fill('匿名电话');
    await page.getByLabel('异议内容').fill('该生家庭去年新建了房屋');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await toast('已登记异议');

    await page.getByRole('button', { name: '结束公示' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '结束公示' }).click();
    await toast('还有 1 条异议未处理');
    await expect.poll(() => page.locator('.ant-modal-confirm').count()).toBe(0);

    await page.getByRole('button', { name: '处理', exact: true }).click();
    await page.getByLabel('复核情况').fill('班主任家访核实：房屋为危房改造，家庭仍困难');
    await page.getByLabel('答复内容').fill('经复核，维持原认定');
    await page.getByRole('button', { name: '保存处理结果' }).click();
    await toast('已处理并答复');
    await expect.poll(() => page.getByText('复核后维持：经复核，维持原认定').isVisible()).toBe(true);
    await shot('15-publicity');

    // The period runs to Friday 27 November: not before (the core's today decides, not the browser's).
    await page.getByRole('button', { name: '结束公示' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '结束公示' }).click();
    await toast(/到 2026-11-27 才满 5 个工作日/);
    await expect.poll(() => page.locator('.ant-modal-confirm').count()).toBe(0);
    core.setToday('2026-11-27');
    await page.getByRole('button', { name: '结束公示' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '结束公示' }).click();
    await toast('公示已结束');
  });

  it('prints the notice to PDF without any ID number or phone', async () => {
    await page.getByRole('button', { name: '打印公示' }).click();
    const pdf = join(SCREENSHOTS, 'identification-notice.pdf');
    await previewToPdf(app, pdf, '认定等级');
    await shot('16-print-preview');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain(student.name);
    expect(text).toContain('特别困难');
    expect(text).toContain('0745-1234567');
    const ids = core.ctx.store.sqlite.prepare(`SELECT id_number, guardian_phone FROM student WHERE id_number IS NOT NULL`).all() as {
      id_number: string;
      guardian_phone: string;
    }[];
    const compact = text.replace(/\s+/g, '');
    for (const s of ids) {
      expect(compact).not.toContain(s.id_number);
      if (s.guardian_phone) expect(compact).not.toContain(s.guardian_phone);
    }
    expect(compact).not.toMatch(/\d{17}[\dX]/);
    expect(compact).not.toMatch(/1[3-9]\d{9}/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(SCREENSHOTS, 'identification-notice')]);
    await page.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
  });

  it('prints the class its prefilled survey forms, one A4 page each, ID numbers masked', async () => {
    await page.getByRole('menuitem', { name: '家庭调查与认定' }).click();
    await page.getByLabel('班级').click();
    await page.getByLabel('班级').fill(CLASS);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: '打印申请表' }).click();
    const pdf = join(SCREENSHOTS, 'survey-forms.pdf');
    await previewToPdf(app, pdf, '家庭经济困难学生认定申请表');
    const classSize = core.ctx.store.sqlite
      .prepare(`SELECT count(*) FROM student s JOIN school_class c ON c.id = s.class_id WHERE c.name = ? AND s.status = 'enrolled'`)
      .pluck()
      .get(CLASS);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(new RegExp(`Pages:\\s+${classSize}\\n`));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(student.name);
    expect(text).toContain('王大山');
    expect(text).toContain('本人承诺以上所填写资料真实');
    expect(text).not.toContain(student.id_number);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '3', '-l', '3', pdf, join(SCREENSHOTS, 'survey-form')]);
    await page.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    expect(errors).toEqual([]);
  });
});
