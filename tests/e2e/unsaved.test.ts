import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, toastOn, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { testCore, type TestCore } from '../helpers/core';
import { importCentralRoster } from '../helpers/fixtures';

let core: TestCore;
let host: WebHost;
let page: Page;
let errors: string[];
let app: AppSession;
let student: { id: number; name: string };
const CLASS = '三年级（1）班';

beforeAll(async () => {
  core = await testCore();
  await importCentralRoster(core);
  student = core.ctx.store.sqlite
    .prepare(`SELECT s.id, s.name FROM student s JOIN school_class c ON c.id = s.class_id WHERE c.name = ? ORDER BY s.id LIMIT 1`)
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
const question = () => page.locator('.ant-modal-confirm').filter({ hasText: '有未保存的修改' });

/**
 * Answers the unsaved-edit question and waits until it is gone: on a busy machine a click during the
 * dialog's animation can be lost, and the closing dialog still covers the page for a moment.
 */
async function answer(label: string): Promise<void> {
  await expect
    .poll(
      async () => {
        if (await question().isVisible())
          await question()
            .getByRole('button', { name: label })
            .click({ timeout: 2_000 })
            .catch(() => {});
        return (await question().count()) > 0 && (await question().isVisible());
      },
      { timeout: 15_000 },
    )
    .toBe(false);
}

async function openSurvey() {
  await page.getByRole('menuitem', { name: '家庭调查与认定' }).click();
  await page.getByRole('tab', { name: '学生认定' }).click();
  await page.getByLabel('班级').click();
  await page.getByLabel('班级').fill(CLASS);
  await page.keyboard.press('Enter');
  await page.locator('.cases-table').getByText(student.name, { exact: true }).click();
  await expect.poll(() => page.getByText(`${student.name}：家庭调查与认定`).isVisible()).toBe(true);
}

describe('nothing typed is lost, in Chromium', () => {
  it('asks before the student drawer drops an edit, on Esc and on a click outside', async () => {
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await page.getByLabel('搜索学生').fill(student.name);
    await page.getByRole('row').filter({ hasText: student.name }).first().click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByRole('button', { name: '编辑' }).click();
    await expect.poll(() => drawer.getByLabel('联系电话').inputValue()).toMatch(/^\d{11}$/);
    await drawer.getByLabel('联系电话').fill('13900002222');

    await page.keyboard.press('Escape');
    await expect.poll(() => question().isVisible()).toBe(true);
    await shot('21-unsaved-question');
    await answer('继续编辑');
    await expect.poll(() => question().count()).toBe(0);
    expect(await drawer.getByLabel('联系电话').inputValue()).toBe('13900002222');

    await page.locator('.ant-drawer-mask').click({ position: { x: 40, y: 300 } });
    await expect.poll(() => question().isVisible()).toBe(true);
    await answer('继续编辑');

    await expect.poll(() => question().count()).toBe(0);
    expect(await drawer.getByLabel('联系电话').inputValue()).toBe('13900002222');

    // Discarding is a choice: the drawer closes and nothing was written.
    await page.keyboard.press('Escape');
    await answer('放弃修改');
    await expect.poll(() => drawer.isVisible()).toBe(false);
    const stored = await core.client.invoke('students.get', { id: student.id, reveal: true });
    expect(stored.guardianPhone).not.toBe('13900002222');
  });

  it('keeps a survey typed when the window closes, and offers it back when the form opens again', async () => {
    await openSurvey();
    await page.getByLabel('家庭人口数').fill('6');
    await page.getByLabel('填表人').fill('李老师');
    await page.keyboard.press('Escape');
    await expect.poll(() => question().isVisible()).toBe(true);
    await answer('继续编辑');

    // The core holds a copy a second after the last keystroke.
    await expect
      .poll(async () => (await core.client.invoke('surveys.get', { studentId: student.id })).held?.fields.householdSize ?? null, {
        timeout: 15_000,
      })
      .toBe(6);
    // Closing the window asks too (the browser's own question): accepted here, as if the laptop were shut.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.type());
      void d.accept();
    });
    await page.reload();
    expect(asked).toEqual(['beforeunload']);

    await openSurvey();
    const held = page.getByTestId('survey-held');
    await expect.poll(() => held.isVisible()).toBe(true);
    await page.waitForTimeout(500); // the drawer's slide-in, for the screenshot only
    await shot('22-survey-held');
    expect(await page.getByLabel('家庭人口数').inputValue()).toBe('');
    await held.getByRole('button', { name: '恢复上次的内容' }).click();
    expect(await page.getByLabel('家庭人口数').inputValue()).toBe('6');
    expect(await page.getByLabel('填表人').inputValue()).toBe('李老师');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await toast(/已保存（草稿）/);
    const saved = await core.client.invoke('surveys.get', { studentId: student.id });
    expect(saved.survey).toMatchObject({ householdSize: 6, enteredBy: '李老师' });
    expect(saved.held).toBeNull();
    // Saved: closing asks nothing.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByText(`${student.name}：家庭调查与认定`).isVisible()).toBe(false);
    expect(await question().count()).toBe(0);
  });

  it('forgets a survey copy the clerk chose to discard', async () => {
    await openSurvey();
    await page.getByLabel('在读子女数').fill('3');
    await expect
      // The hold is sent a second after the last key: a busy machine may take longer.
      .poll(async () => (await core.client.invoke('surveys.get', { studentId: student.id })).held?.fields.childrenInSchool ?? null, {
        timeout: 15_000,
      })
      .toBe(3);
    await page.keyboard.press('Escape');
    await answer('放弃修改');
    await expect
      .poll(async () => (await core.client.invoke('surveys.get', { studentId: student.id })).held, { timeout: 15_000 })
      .toBeNull();
    expect((await core.client.invoke('surveys.get', { studentId: student.id })).survey!.childrenInSchool).not.toBe(3);
  });

  it('asks before a programme setting or a quota typed is dropped by a tab, programme or page change', async () => {
    await page.getByRole('menuitem', { name: '资助项目' }).click();
    await page.getByRole('tab', { name: '项目设置' }).click();
    const name = page.getByLabel('项目名称');
    const before = await name.inputValue();
    await name.fill(`${before}（试）`);
    await page.getByRole('tab', { name: '名额' }).click();
    await expect.poll(() => question().isVisible()).toBe(true);
    await answer('继续编辑');
    expect(await name.inputValue()).toBe(`${before}（试）`);
    await page.getByRole('menuitem', { name: '学生名册' }).click();
    await expect.poll(() => question().isVisible()).toBe(true);
    await answer('放弃修改');
    await expect.poll(() => page.getByRole('heading', { name: '学生名册' }).isVisible()).toBe(true);

    await page.getByRole('menuitem', { name: '资助项目' }).click();
    await expect.poll(() => name.inputValue()).toBe(before);
    await page.getByRole('tab', { name: '名额' }).click();
    await page.getByLabel('名额人数').fill('17');
    await page.getByLabel('资助项目').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').nth(1).click();
    await expect.poll(() => question().isVisible()).toBe(true);
    await answer('继续编辑');
    expect(await page.getByLabel('名额人数').inputValue()).toBe('17');
    expect(errors).toEqual([]);
  });
});
