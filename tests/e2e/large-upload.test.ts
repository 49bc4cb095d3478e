/**
 * A roster too large for one message (more than 6 MB), as a county or a 中心校 merging its schools sends: the dialog
 * sends it in parts, previews it (counted whole, listed in part) and imports it like any other file.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_PART_BYTES } from '../../shared/api/common';
import { demoRoster } from '../../electron/core/school/demo';
import type { WebHost } from '../../electron/host/web';
import { openApp, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { testCore, type TestCore } from '../helpers/core';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;

beforeAll(async () => {
  core = await testCore();
  app = await openApp(core);
  ({ host, page, errors } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

describe('a roster larger than one message, end to end in Chromium', () => {
  it('is sent in parts, previewed and imported whole', async () => {
    const rows = demoRoster(40_000, 2026, 11, 45);
    const file = join(mkdtempSync(join(tmpdir(), 'aid-desk-large-')), '全镇学生名册.csv');
    writeFileSync(file, rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))).join(',')).join('\n'));
    expect(statSync(file).size).toBeGreaterThan(UPLOAD_PART_BYTES);
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await page.getByRole('button', { name: '导入名册' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    await expect.poll(() => page.getByTestId('import-counts').textContent(), { timeout: 60_000 }).toContain('新增40,000');
    // Counted whole, listed in part: the first 5,000 new students, and the clerk is told so.
    await page.getByRole('tab', { name: '新增 40,000' }).click();
    await expect.poll(() => page.getByText('共 40,000 人，这里列出前 5,000 人；导入时全部新增。').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, '90-large-roster-preview.png') });
    await page.getByRole('button', { name: /导入（新增 40,000 人/ }).click();
    await expect.poll(() => page.getByText('已新增 40,000 人，更新 0 人').isVisible(), { timeout: 60_000 }).toBe(true);
    await page.getByRole('button', { name: '完成' }).click();
    await expect.poll(() => page.getByTestId('student-count').textContent()).toBe('共 40,000 人');
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(40_000);
    expect(errors).toEqual([]);
  });

  it('sums up thousands of rows refused for one reason in one line, in the preview and in the result', async () => {
    // ID numbers rounded by a spreadsheet program that took them for numbers (4.33125E+17), as LibreOffice does.
    const [header, ...rows] = demoRoster(6000, 2026, 12);
    rows.forEach((r, i) => {
      if (i < 5600)
        r[5] = Number(`${String(r[5]).slice(0, 17)}0`)
          .toExponential(5)
          .toUpperCase();
    });
    const file = join(mkdtempSync(join(tmpdir(), 'aid-desk-large-')), '转存过的名册.csv');
    writeFileSync(file, [header!, ...rows].map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))).join(',')).join('\n'));
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await page.getByRole('button', { name: '导入名册' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    await expect.poll(() => page.getByTestId('import-counts').textContent(), { timeout: 60_000 }).toContain('不合格（不导入）5,600');
    await page.getByRole('tab', { name: '不合格 5,600' }).click();
    const kinds = page.getByTestId('problem-kinds-error');
    await expect.poll(() => kinds.textContent()).toMatch(/5,600 处“身份证件号”列：身份证件号以数字格式保存/);
    await expect.poll(() => page.getByText('共 5,600 行，这里列出前 5,000 行；每类问题的总数见上面的汇总。').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, '91-roster-problem-kinds.png') });
    await page.getByRole('button', { name: /导入（新增 \d+ 人/ }).click();
    await expect.poll(() => page.getByText('有 5,600 行不合格，未导入', { exact: false }).isVisible(), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('problem-kinds-error').textContent()).toContain('5,600 处');
    await expect.poll(() => page.getByText('共 5,600 个问题，这里列出前 5,000 个；每类问题的总数见上面的汇总。').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, '92-roster-result-problem-kinds.png') });
    await page.getByRole('button', { name: '完成' }).click();
    expect(errors).toEqual([]);
  });

  it('names the row of a quote left open, and writes nothing', async () => {
    const before = core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get();
    const [header, ...rows] = demoRoster(2000, 2026, 14).map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
    // The second student's name opens a quote that nothing closes: it swallows the 1,998 rows after it.
    rows[1]![1] = `"${rows[1]![1]}`;
    const file = join(mkdtempSync(join(tmpdir(), 'aid-desk-large-')), '引号没配对.csv');
    writeFileSync(file, [header!, ...rows].map((r) => r.join(',')).join('\n'));
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await page.getByRole('button', { name: '导入名册' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    await expect
      .poll(() => page.getByText('“引号没配对.csv”第 3 行太长（超过 100000 个字），可能是引号没有配对', { exact: false }).isVisible(), {
        timeout: 60_000,
      })
      .toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, '95-csv-open-quote.png') });
    await page.locator('.ant-modal-close').click();
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get()).toBe(before);
    expect(errors).toEqual([]);
  });

  it('counts every enrolled student a small list does not name and lists the first 5,000', async () => {
    // One class's list picked for the whole school's roster: the 40,000 above are all "missing" from it.
    const enrolled = Number(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student WHERE status = 'enrolled'`).pluck().get());
    expect(enrolled).toBeGreaterThan(40_000);
    const shown = enrolled.toLocaleString('en');
    const file = join(mkdtempSync(join(tmpdir(), 'aid-desk-large-')), '一个班.csv');
    writeFileSync(
      file,
      demoRoster(20, 2026, 13)
        .map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))).join(','))
        .join('\n'),
    );
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await page.getByRole('button', { name: '导入名册' }).click();
    await page.locator('.ant-modal input[type=file]').setInputFiles(file);
    await expect.poll(() => page.getByTestId('import-counts').textContent(), { timeout: 60_000 }).toContain('新增20');
    await page.getByRole('tab', { name: `名册中没有 ${shown}` }).click();
    await expect
      .poll(() => page.getByText(`共 ${shown} 人，这里列出前 5,000 人；人数这么多，多半是选错了名册或学校，请先核对。`).isVisible())
      .toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, '93-roster-missing-listed.png') });
    await page.getByRole('button', { name: /导入（新增 20 人/ }).click();
    await expect.poll(() => page.getByText(`还有 ${shown} 名在校学生不在这份名册中`).isVisible(), { timeout: 60_000 }).toBe(true);
    await expect
      .poll(() => page.getByText(`共 ${shown} 人，这里列出前 5,000 人；其余的可在“学生名册”中按班级查看。`).isVisible())
      .toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, '94-roster-result-missing-listed.png') });
    await page.getByRole('button', { name: '完成' }).click();
    expect(errors).toEqual([]);
  });
});
