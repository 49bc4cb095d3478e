import ExcelJS from 'exceljs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, toastOn, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { fixture, testCore, type TestCore } from '../helpers/core';
import { approvedSeniorTerm } from '../helpers/terms';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;
let approved = 0;

beforeAll(async () => {
  core = await testCore();
  ({ approved } = await approvedSeniorTerm(core, 15));
  app = await openApp(core);
  ({ host, page, errors } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const toast = (text: string | RegExp) => toastOn(page)(text);

describe('county templates, end to end in Chromium', () => {
  it('keeps the county template, takes a correction of one column and fills it with the approved recipients', async () => {
    expect(approved).toBe(15);
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '导出与打印' }).click();
    await page.locator('input[type=file]').setInputFiles(fixture('county-template-senior-high-grant.xlsx'));
    await toast(/已保存模板/);
    await expect.poll(() => page.getByText('第 3 行起').isVisible()).toBe(true);
    await page.getByLabel('N列填入').click();
    await page.getByLabel('N列填入').fill('困难类别');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: '保存列的对应关系' }).click();
    await toast('已保存列的对应关系');
    await page.screenshot({ path: join(SCREENSHOTS, '31-template-mapping.png') });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '填写并导出' }).click();
    const file = await download;
    const path = join(SCREENSHOTS, 'filled-template.xlsx');
    await file.saveAs(path);
    await toast('已导出 15 名学生');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A1').value).toBe('青山县第一中学2026年秋季学期普通高中国家助学金受助学生名单');
    expect(String(ws.getCell('D3').value)).toMatch(/^\d{17}[\dX]$/);
    expect(['一档', '二档', '三档']).toContain(ws.getCell('I3').value);
    expect(ws.getCell('N17').value).toBeTruthy();
    expect(ws.getCell('B18').value).toBeNull();
    await page.screenshot({ path: join(SCREENSHOTS, '32-template-exported.png') });
  });

  it('exports the roster as shown, from the roster page', async () => {
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await expect.poll(() => page.getByTestId('student-count').textContent()).toMatch(/共 \d+ 人/);
    const shown = Number(/共 (\d+) 人/.exec((await page.getByTestId('student-count').textContent())!)![1]);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出本表' }).click();
    const path = join(SCREENSHOTS, 'roster-export.xlsx');
    await (await download).saveAs(path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.worksheets[0]!.rowCount).toBe(shown + 2);
    expect(String(wb.worksheets[0]!.getCell('E3').value)).toContain('*');
    await page.screenshot({ path: join(SCREENSHOTS, '33-roster-export.png') });
    expect(errors).toEqual([]);
  });
});
