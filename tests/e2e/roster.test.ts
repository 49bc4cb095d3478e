import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { fixture, testCore, type TestCore } from '../helpers/core';

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

describe('the roster, end to end in Chromium', () => {
  it('sets up a school on first run', async () => {
    await page.goto(host.url);
    await expect.poll(() => page.getByText('欢迎使用 AidDesk 资助工作台').isVisible()).toBe(true);
    // The token left the address bar.
    expect(page.url()).not.toContain('token');
    await page.getByLabel('学校名称').fill('青山县青山镇中心学校');
    await page.getByLabel('县（市、区）').fill('青山县');
    await page.getByLabel('乡镇').fill('青山镇');
    await page.getByRole('checkbox', { name: '学前' }).check();
    await shot('01-welcome');
    await page.getByRole('button', { name: '保存并开始' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '学生名册' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('还没有学生').isVisible()).toBe(true);
  });

  it('imports the fixture roster through the dialog, showing the counts and the rejected rows', async () => {
    await page.getByRole('button', { name: '导入名册' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(fixture('roster-qingshan-central-school.xlsx'));
    const counts = page.getByTestId('import-counts');
    await expect.poll(() => counts.textContent()).toContain('新增684');
    expect(await counts.textContent()).toContain('不合格（不导入）2');
    await page.getByRole('tab', { name: /不合格/ }).click();
    await expect.poll(() => page.getByText('身份证件号校验位错误').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('cell', { name: /与第202行（沈庆）重复/ }).isVisible()).toBe(true);
    await shot('02-import-preview');
    await page.getByRole('button', { name: /导入（新增 684 人/ }).click();
    await expect.poll(() => page.getByText('已新增 684 人，更新 0 人').isVisible()).toBe(true);
    // The rows not imported are listed with the student's name, to find them in the 学籍 system.
    await expect.poll(() => page.getByTestId('rejected-rows').textContent()).toMatch(/122段梓.*203石梓/);
    await shot('03-import-result');
    await page.getByRole('button', { name: '完成' }).click();
    await expect.poll(() => page.getByTestId('student-count').textContent()).toBe('共 684 人');
    await shot('04-roster');
  });

  it('finds a student by part of the name as the clerk types', async () => {
    await page.getByLabel('搜索学生').fill('英志');
    await expect.poll(() => page.getByTestId('student-count').textContent()).toBe('共 1 人');
    await expect.poll(() => page.getByRole('row').filter({ hasText: '丁英志' }).isVisible()).toBe(true);
    // Masked on screen.
    expect(await page.getByRole('row').filter({ hasText: '丁英志' }).textContent()).toContain('4331**********338X');
    // Pinyin initials (丁英志 → dyz) and a fragment of the ID number go through the same index.
    await page.getByLabel('搜索学生').fill('dyz');
    await expect.poll(() => page.getByRole('row').filter({ hasText: '丁英志' }).isVisible()).toBe(true);
    expect(await page.getByTestId('student-count').textContent()).toMatch(/^共 \d+ 人$/);
    await page.getByLabel('搜索学生').fill('英志');
    await expect.poll(() => page.getByTestId('student-count').textContent()).toBe('共 1 人');
  });

  it('edits the class, with the shared rules marking a bad ID number red first', async () => {
    await page.getByRole('row').filter({ hasText: '丁英志' }).click();
    const drawer = page.locator('.ant-drawer');
    await expect.poll(() => drawer.getByText('4331**********338X').isVisible()).toBe(true);
    await drawer.getByRole('button', { name: '编辑' }).click();
    const id = drawer.getByLabel('身份证件号');
    await expect.poll(() => id.inputValue()).toBe('43312520201010338X');
    await id.fill('43312520201010338Y');
    await expect.poll(() => drawer.getByText(/身份证件号应为18位/).isVisible()).toBe(true);
    await shot('05-edit-invalid');
    await id.fill('43312520201010338X');
    await drawer.getByRole('combobox', { name: '班级' }).click();
    await page.keyboard.type('一年级（2');
    await page.keyboard.press('Enter');
    await drawer.getByRole('button', { name: /保存/ }).click();
    await expect.poll(() => page.locator('.ant-drawer-title').textContent()).toBe('丁英志 · 一年级（2）班');
    await expect.poll(() => drawer.getByText('班级：一年级（1）班 → 一年级（2）班').isVisible()).toBe(true);
    await shot('06-student-edited');
    const stored = await core.client.invoke('students.list', { search: '丁英志' });
    expect(stored.rows[0]!.className).toBe('一年级（2）班');
  });

  it('re-imports the roster without undoing the clerk: a corrected phone, a class and a 转出 stay, shown as conflicts', async () => {
    const drawer = page.locator('.ant-drawer');
    await drawer.getByRole('button', { name: '编辑' }).click();
    await drawer.getByLabel('联系电话').fill('13900001111');
    await drawer.getByRole('button', { name: /保存/ }).click();
    await expect.poll(() => drawer.getByText(/联系电话：/).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    const left = await core.client.invoke('students.list', { search: '付桂梅' });
    await core.client.invoke('students.setStatus', { ids: [left.rows[0]!.id], status: 'left', reason: 'transferred', date: '2026-10-08' });

    await page.getByLabel('搜索学生').fill('');
    await page.getByRole('button', { name: '导入名册' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(fixture('roster-qingshan-central-school.xlsx'));
    const counts = page.getByTestId('import-counts');
    await expect.poll(() => counts.textContent()).toContain('与本机修改冲突2');
    // The conflicts tab opens first: the class and the phone the clerk set, against the roster's.
    const conflicts = page.locator('.ant-modal');
    await shot('07-reimport-conflicts');
    await expect.poll(() => conflicts.getByText(/^139\*{4}1111/).isVisible()).toBe(true);
    await expect.poll(() => conflicts.getByText('一年级（2）班').first().isVisible()).toBe(true);
    await shot('07-reimport-conflicts');
    await page.getByRole('tab', { name: /提醒/ }).click();
    await expect.poll(() => page.getByText(/付桂梅已标记为离校/).isVisible()).toBe(true);
    // Nothing else changed: kept as it is, there is nothing to import.
    await expect.poll(() => page.getByRole('button', { name: '没有需要导入的内容' }).isDisabled()).toBe(true);
    await page.locator('.ant-modal-close').click();
    const [ding] = (await core.client.invoke('students.list', { search: '丁英志' })).rows;
    expect(ding!.className).toBe('一年级（2）班');
    const student = await core.client.invoke('students.get', { id: ding!.id, reveal: true });
    expect(student.guardianPhone).toBe('13900001111');
    const gone = await core.client.invoke('students.list', { search: '付桂梅', status: 'all' });
    expect(gone.rows[0]!.status).toBe('left');
  });

  it('imports a sheet of bank cards: ticked new cards written, a row it cannot place listed', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const { makeCard } = await import('../helpers/scenario');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('银行卡');
    const [ma] = (await core.client.invoke('students.list', { search: '马小' })).rows;
    const full = await core.client.invoke('students.get', { id: ma!.id, reveal: true });
    ws.addRows([
      ['学生姓名', '身份证号', '户名', '卡号', '开户行'],
      ['马小', full.idNumber, '马小', makeCard(21), '青山县农村信用社'],
      ['查无此人', '433125201001011234', '查无此人', makeCard(22), ''],
    ]);
    const file = join(SCREENSHOTS, 'cards.xlsx');
    await wb.xlsx.writeFile(file);
    await page.getByRole('button', { name: '导入银行卡' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    const counts = page.getByTestId('card-counts');
    await expect.poll(() => counts.textContent()).toContain('新登记1');
    expect(await counts.textContent()).toContain('无法对应（不写入）1');
    await shot('08-card-import');
    await page.getByRole('button', { name: '写入所选 1 人的卡号' }).click();
    await expect.poll(() => page.getByText('已写入 1 人的银行卡').isVisible()).toBe(true);
    await page.getByRole('button', { name: '完成' }).click();
    expect((await core.client.invoke('students.get', { id: ma!.id, reveal: true })).bankCard).toBe(makeCard(21));
  });

  it('logged no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
