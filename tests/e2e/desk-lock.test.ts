import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererDir } from '../../electron/core/app-root';
import { createContext, lockedStore, type CoreContext } from '../../electron/core/context';
import { setUpDesk } from '../../electron/core/desk/desk';
import { directClient } from '../../electron/core/dispatch';
import { startWebHost, type WebHost } from '../../electron/host/web';
import { toastOn } from '../helpers/app';
import { launchChromium, SCREENSHOTS } from '../helpers/browser';
import { FAST_KDF, NOW } from '../helpers/core';

let dir: string;
let ctx: CoreContext;
let host: WebHost;
let browser: Browser;
let page: Page;
const errors: string[] = [];
let now = NOW.getTime();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aid-desk-lock-'));
  // As the desktop app and `aid-desk serve` start: a data folder with nothing in it, locked.
  ctx = createContext(lockedStore(), {
    now: () => new Date(now),
    desk: { dataDir: dir, open: false, operator: null, lastCall: now, kdf: FAST_KDF },
  });
  host = await startWebHost(ctx, { rendererDir: rendererDir() });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, reducedMotion: 'reduce' });
  page.on('pageerror', (e) => errors.push(e.message));
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await ctx?.store.close();
  rmSync(dir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const toast = (text: string | RegExp) => toastOn(page)(text);

describe('the desk behind its password, in Chromium', () => {
  let recoveryCode = '';

  it('asks a new desk for a password, shows the recovery code once, and opens only when it is written down', async () => {
    await page.goto(host.url);
    await expect.poll(() => page.getByTestId('lock-intro').textContent()).toContain('请设置密码');
    await page.getByLabel('经办人').fill('李老师');
    await page.getByLabel('新密码').fill('20150901');
    await page.getByLabel('再输入一次').fill('20150901');
    await page.getByRole('button', { name: '设置密码并加密' }).click();
    await expect.poll(() => page.getByText('密码不能只有数字').isVisible()).toBe(true);
    await page.getByLabel('新密码').fill('qingshan-2026');
    await page.getByLabel('再输入一次').fill('qingshan-2025');
    await expect.poll(() => page.getByText('两次输入的密码不一致').isVisible()).toBe(true);
    await page.getByLabel('再输入一次').fill('qingshan-2026');
    await shot('70-desk-set-password');
    await page.getByRole('button', { name: '设置密码并加密' }).click();
    recoveryCode = (await page.getByTestId('recovery-code').textContent({ timeout: 10_000 }))!.trim();
    expect(recoveryCode).toMatch(/^([A-Z2-9]{4}-){5}[A-Z2-9]{4}$/);
    await shot('71-desk-recovery-code');
    expect(await page.getByRole('button', { name: '进入 AidDesk' }).isDisabled()).toBe(true);
    await page.getByText('我已把恢复码抄写在纸上').click();
    await page.getByRole('button', { name: '进入 AidDesk' }).click();
    // The first-run page of an empty desk, now encrypted on disk.
    await expect.poll(() => page.getByRole('button', { name: '生成演示数据' }).isVisible()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['aid-desk.key.json', 'aid-desk.sqlite']));
    await page.getByRole('button', { name: '生成演示数据' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '本学期工作台' }).isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByTestId('operator').textContent()).toContain('李老师');
  });

  it('locks by the button and opens again only with the password, naming who works', async () => {
    await page.getByRole('button', { name: '锁定' }).click();
    await expect.poll(() => page.getByTestId('lock-intro').textContent()).toContain('请输入密码解锁');
    expect(await page.getByText('本学期工作台').count()).toBe(0);
    // A reload shows nothing either: the lock is the core's, not the page's.
    await page.reload();
    await expect.poll(() => page.getByTestId('lock-intro').textContent()).toContain('请输入密码解锁');
    expect(await page.getByLabel('经办人').inputValue()).toBe('李老师');
    await page.getByLabel('经办人').fill('王老师');
    await page.getByLabel('密码', { exact: true }).fill('qingshan-2027');
    await page.getByRole('button', { name: '解锁' }).click();
    await expect.poll(() => page.getByTestId('lock-error').textContent()).toContain('密码不正确');
    await shot('72-desk-wrong-password');
    await page.getByLabel('密码', { exact: true }).fill('qingshan-2026');
    await page.getByRole('button', { name: '解锁' }).click();
    await expect.poll(() => page.getByTestId('operator').textContent()).toContain('王老师');
  });

  it('locks itself after the idle minutes the clerk set, by the core clock', async () => {
    await page.getByRole('menuitem', { name: '设置' }).click();
    const card = page.locator('.ant-card', { hasText: '密码与锁定' });
    await card.getByLabel('自动锁定分钟').fill('5');
    await card.getByRole('button', { name: '保存', exact: true }).click();
    await toast('5 分钟没有操作就自动锁定');
    await shot('73-desk-security-settings');
    // Six minutes pass on the core's clock; the next click finds the desk locked.
    now += 6 * 60_000;
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await expect.poll(() => page.getByTestId('lock-intro').textContent()).toContain('请输入密码解锁');
    expect(ctx.desk!.open).toBe(false);
  });

  it('opens with the recovery code and a new password; the password can be changed in 设置', async () => {
    await page.getByRole('button', { name: '忘记密码？用恢复码' }).click();
    await page.getByLabel('恢复码').fill(recoveryCode.toLowerCase());
    await page.getByLabel('新密码').fill('shanshui-2027');
    await page.getByLabel('再输入一次').fill('shanshui-2027');
    await page.getByRole('button', { name: '用恢复码打开并设置新密码' }).click();
    await expect.poll(() => page.getByTestId('operator').isVisible()).toBe(true);
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByPlaceholder('原密码').fill('qingshan-2026');
    await page.getByPlaceholder('新密码').fill('dongting-2028');
    await page.getByRole('button', { name: '修改密码' }).click();
    await toast('原密码不正确');
    await page.getByPlaceholder('原密码').fill('shanshui-2027');
    await page.getByRole('button', { name: '修改密码' }).click();
    await toast('密码已修改');
    // Re-keyed: a new recovery code, shown once; the dialog stays until the clerk says it is written down.
    const dialog = page.getByRole('dialog', { name: '请抄下新的恢复码' });
    const newCode = (await dialog.getByTestId('recovery-code').textContent())!.trim();
    expect(newCode).toMatch(/^([A-Z2-9]{4}-){5}[A-Z2-9]{4}$/);
    expect(newCode).not.toBe(recoveryCode);
    expect(await dialog.getByRole('button', { name: '我已抄好' }).isDisabled()).toBe(true);
    await page.waitForTimeout(300); // the dialog settles, for the screenshot only
    await shot('76-desk-new-recovery-code');
    await dialog.getByText('我已把新的恢复码抄写在纸上').click();
    await dialog.getByRole('button', { name: '我已抄好' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await page.getByRole('button', { name: '锁定' }).click();
    await page.getByLabel('密码', { exact: true }).fill('dongting-2028');
    await page.getByRole('button', { name: '解锁' }).click();
    await expect.poll(() => page.getByTestId('operator').isVisible()).toBe(true);
  });

  it('shows who did what in 操作记录, filtered, and exports it', async () => {
    await page.getByRole('menuitem', { name: '操作记录' }).click();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(5);
    // Newest first: the last unlock, then the password change.
    await expect.poll(() => rows.nth(0).textContent()).toContain('解锁');
    expect(await rows.nth(1).textContent()).toContain('修改密码');
    await page.waitForTimeout(300); // layout settles, for the screenshot only
    await shot('74-audit-trail-all');
    await page.getByRole('combobox', { name: '操作' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').getByText('导入', { exact: true }).click();
    await expect.poll(() => rows.first().textContent()).toContain('生成演示数据：学生 600，班级 21');
    await page.waitForTimeout(300); // layout settles, for the screenshot only
    await shot('74-audit-trail-imports');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 Excel' }).click();
    expect((await download).suggestedFilename()).toMatch(/^操作记录-\d{4}-\d{2}-\d{2}\.xlsx$/);
  });

  it("restores another laptop's backup from a USB stick with that backup's own password", async () => {
    // Another desk, under its own password, backed up to a stick.
    const other = mkdtempSync(join(tmpdir(), 'aid-desk-other-'));
    const usb = mkdtempSync(join(tmpdir(), 'aid-usb-'));
    const otherCtx = createContext((await setUpDesk(other, 'other-laptop-1', NOW, FAST_KDF)).store, { now: () => NOW });
    const otherClient = directClient(otherCtx);
    await otherClient.invoke('school.setup', {
      name: '青山县白水村小学',
      county: '青山县',
      township: '白水乡',
      stages: ['primary'],
      schoolYear: '2026-2027',
      term: '2026-autumn',
    });
    await otherClient.invoke('backup.create', { folder: usb });
    await otherCtx.store.close();
    rmSync(other, { recursive: true, force: true });

    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByRole('radio', { name: '其他文件夹（U 盘、移动硬盘）' }).check();
    await page.getByLabel('备份文件夹').fill(usb);
    await page.getByRole('button', { name: '使用这个文件夹' }).click();
    const row = page.getByRole('row', { name: /青山县白水村小学/ });
    await row.getByRole('button', { name: '恢复' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '恢复' }).click();
    await page.getByLabel('备份的密码', { exact: true }).fill('dongting-2028');
    await page.getByRole('dialog').getByRole('button', { name: '恢复' }).click();
    await expect.poll(() => page.getByRole('dialog').getByText('备份的密码不正确').isVisible()).toBe(true);
    await page.waitForTimeout(500); // the dialog settles, for the screenshot only
    await shot('75-restore-other-desk-password');
    await page.getByLabel('备份的密码', { exact: true }).fill('other-laptop-1');
    await page.getByRole('dialog').getByRole('button', { name: '恢复' }).click();
    await expect.poll(() => page.getByTestId('restored-note').textContent(), { timeout: 20_000 }).toContain('已从');
    await expect.poll(() => page.locator('.app-brand').textContent()).toContain('青山县白水村小学');
    // Now under this desk's own password.
    await page.getByRole('button', { name: '锁定' }).click();
    await page.getByLabel('密码', { exact: true }).fill('dongting-2028');
    await page.getByRole('button', { name: '解锁' }).click();
    await expect.poll(() => page.locator('.app-brand').textContent()).toContain('青山县白水村小学');
    rmSync(usb, { recursive: true, force: true });
    expect(errors).toEqual([]);
  });
});
