/**
 * npm run guide:screenshots — the pictures of docs/用户手册.md, made by driving the app in Chromium (browser
 * mode, 1366×768) on a fresh demo school, so they show the app as it is. Run after `npm run build`.
 * Writes docs/images/*.png; prints each file as it is written.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { appRoot, rendererDir } from '../core/app-root';
import { createContext } from '../core/context';
import { setUpDesk } from '../core/desk/desk';
import { directClient } from '../core/dispatch';
import { findBrowser } from '../host/pdf';
import { startWebHost } from '../host/web';

const OUT = join(appRoot(), 'docs', 'images');

async function main(): Promise<void> {
  const browserPath = findBrowser();
  if (!browserPath) throw new Error('找不到 Chromium：请先安装（Debian：apt-get install chromium），或设置 CHROMIUM_PATH');
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'aid-desk-guide-'));
  const ctx = createContext((await setUpDesk(dir, 'guide-screens-2026', new Date())).store);
  await directClient(ctx).invoke('school.createDemo', { students: 600 });
  const host = await startWebHost(ctx, { rendererDir: rendererDir() });
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(host.url);
    await tour(page);
  } finally {
    await browser.close();
    await host.close();
    await ctx.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function shot(page: Page, name: string): Promise<void> {
  // Drawers and menus slide in: the picture waits for them to settle.
  await page.waitForTimeout(600);
  const file = join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(file);
}

async function menu(page: Page, name: string, title: string): Promise<void> {
  await page.getByRole('menuitem', { name }).click();
  await page.getByRole('heading', { name: title }).first().waitFor();
}

async function pickTerm(page: Page, text: string): Promise<void> {
  await page.getByLabel('学期').first().click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').getByText(text).click();
}

async function pickProgramme(page: Page, name: string): Promise<void> {
  await page.getByLabel('资助项目').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').getByText(name, { exact: true }).click();
}

async function tour(page: Page): Promise<void> {
  await page.getByRole('heading', { name: '本学期工作台' }).waitFor();
  await shot(page, '01-board');

  await menu(page, '学生名册', '学生名册');
  await shot(page, '02-roster');
  await page.getByRole('row').nth(1).click();
  await page.locator('.ant-drawer').getByRole('button', { name: '编辑' }).waitFor();
  await shot(page, '03-student');
  await page.keyboard.press('Escape');

  await menu(page, '家庭调查与认定', '家庭调查与认定');
  await shot(page, '04-identification');
  await page.locator('.cases-table').getByRole('row').nth(1).click();
  await page.getByText('家庭调查与认定').last().waitFor();
  await shot(page, '05-survey');
  await page.keyboard.press('Escape');

  // The board's next step for the programme: the county's template, on the right programme and term.
  await menu(page, '本学期工作台', '本学期工作台');
  await page
    .getByTestId('board-programme-boarder-subsidy')
    .getByRole('button', { name: /下一步/ })
    .click();
  await page.getByRole('heading', { name: '导出与打印' }).waitFor();
  await shot(page, '06-report-export');

  await menu(page, '资助项目', '资助项目');
  await pickProgramme(page, '义务教育寄宿生生活补助');
  await shot(page, '07-applications');

  await menu(page, '公示', '公示');
  await shot(page, '08-publicity');

  await menu(page, '发放', '发放');
  await pickTerm(page, '2026年春季学期');
  await pickProgramme(page, '义务教育寄宿生生活补助');
  await page.getByText('已发放', { exact: false }).first().waitFor();
  await shot(page, '09-payments');

  await menu(page, '档案', '档案');
  await shot(page, '10-archive');

  await menu(page, '统计', '统计');
  await shot(page, '11-stats');

  await menu(page, '设置', '设置');
  await page.getByText('数据备份').first().scrollIntoViewIfNeeded();
  await shot(page, '12-settings');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
