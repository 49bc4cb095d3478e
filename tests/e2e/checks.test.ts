/**
 * The checks page on the demo school of 500 with no bank cards: the counts of every finding, one page of 100 at a
 * time, narrowed to one kind, and an eligible student's finding explained. The screen never holds all findings.
 * Then an allocation of a quota of 10 among all its students: the first hundred left out are named.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebHost } from '../../electron/host/web';
import { openApp, toastOn, type AppSession } from '../helpers/app';
import { SCREENSHOTS } from '../helpers/browser';
import { testCore, type TestCore } from '../helpers/core';
import { applyAndReview, programme } from '../helpers/scenario';
import { UNFUNDED_LISTED } from '../../electron/core/programmes/allocation';

let core: TestCore;
let host: WebHost;
let page: Page;
let app: AppSession;

beforeAll(async () => {
  core = await testCore({ school: false });
  await core.client.invoke('school.createDemo', { students: 500 });
  // Every card gone: each recipient of a paid programme is then a blocking finding.
  core.ctx.store.sqlite.prepare(`UPDATE student SET bank_card = NULL`).run();
  app = await openApp(core);
  ({ host, page } = app);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const toast = (text: string | RegExp) => toastOn(page)(text);
const rows = () => page.locator('.page-tab .ant-table-tbody tr.ant-table-row');
const term = '2026-autumn' as const;
/** The paths the page requested, in order. */
const asked: string[] = [];
const pageRequests = () => asked.filter((x) => x === '/api/checks.page').length;

describe('the checks page, a page of findings at a time', () => {
  it('counts every finding of the term and shows them 100 at a time, in the order of the full list', async () => {
    const every = await core.client.invoke('checks.run', { term });
    const blocking = every.filter((f) => f.severity === 'blocking').length;
    expect(every.length).toBeGreaterThan(100);
    expect(blocking).toBeGreaterThan(0);

    // What the page asks the core for: never the whole list.
    page.on('request', (r) => asked.push(decodeURIComponent(new URL(r.url()).pathname)));
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: '资助项目' }).click();
    await page.getByRole('tab', { name: '检查' }).click();
    await page.getByRole('radio', { name: '本学期全部项目' }).click();
    await expect.poll(() => page.getByText(`必须处理 ${blocking} 条，提醒 ${every.length - blocking} 条`).isVisible()).toBe(true);
    await expect.poll(() => rows().count()).toBe(100);
    expect(await rows().first().textContent()).toContain(every[0]!.message);

    await page.locator('.page-tab .ant-pagination').getByTitle('2', { exact: true }).click();
    await expect.poll(() => rows().count()).toBe(every.length - 100);
    expect(await rows().first().textContent()).toContain(every[100]!.message);
    await shot('70-checks-page-2');
    expect(asked).toContain('/api/checks.page');
    expect(asked).not.toContain('/api/checks.run');
  });

  it('narrows to one kind of finding, with its count', async () => {
    const cards = (await core.client.invoke('checks.run', { term })).filter((f) => f.code === 'bank-card-missing');
    await page.getByLabel('问题类别').click();
    await page.locator('.ant-select-dropdown:visible').getByText(`必须处理：没有银行卡号（${cards.length} 条）`).click();
    await expect.poll(() => rows().count()).toBe(cards.length);
    expect(await rows().allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(cards[0]!.student!)]));
    for (const text of await rows().allTextContents()) expect(text).toContain('没有银行卡号');
    expect(await page.locator('.page-tab .ant-pagination').count()).toBe(0);
    await shot('71-checks-one-kind');
  });

  it('keeps an explained finding listed with its reason, and the count of students not yet seen goes down', async () => {
    await page.getByLabel('资助项目').click();
    const name = '义务教育非寄宿生生活补助';
    await page.locator('.ant-select-dropdown:visible').getByText(name, { exact: true }).click();
    // The kind chosen for the whole term is not carried to the programme's own findings: one request, all kinds.
    const requested = pageRequests();
    await page.getByRole('radio', { name }).click(); // the programme's own findings
    const p = (await core.client.invoke('programmes.list', {})).find((x) => x.name === name)!;
    const before = await core.client.invoke('checks.page', { term, programmeId: p.id });
    expect(before.missed).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(`未获资助 ${before.missed} 人`).isVisible()).toBe(true);
    expect(pageRequests() - requested).toBe(1);
    // None of them about bank cards: had the kind chosen above stayed, no row would show.
    expect(before.codes.map((c) => c.code)).not.toContain('bank-card-missing');
    await expect.poll(() => rows().count()).toBe(Math.min(before.total, 100));

    const first = rows().first();
    const student = (await first.locator('td').nth(3).textContent())!;
    await first.getByRole('button', { name: '写说明' }).click();
    await page.getByLabel('说明原因').fill('家长书面表示本学期不申请');
    await page.getByRole('button', { name: '保存说明' }).click();
    await toast('说明已保存，这一条仍会列出，附上说明');
    await expect.poll(() => page.getByText(`未获资助 ${before.missed - 1} 人`).isVisible()).toBe(true);
    await expect
      .poll(() => rows().filter({ hasText: student }).first().textContent())
      .toContain('已说明（2026-11-22）：家长书面表示本学期不申请');
  });
});

describe('an allocation leaving many out', () => {
  it('counts every unfunded applicant and lists the first hundred, saying where the rest are', async () => {
    // The school's own fund opened to every student of its stages: some 400 applicants for 10 places.
    const p = await programme(core, 'school-aid');
    const { id, code: _c, schoolYear: _y, builtIn: _b, ...definition } = p;
    await core.client.invoke('programmes.save', {
      id,
      definition: { ...definition, eligibility: { ...definition.eligibility, everyone: true } },
    });
    const students = core.ctx.store.sqlite.prepare(`SELECT id FROM student WHERE status = 'enrolled'`).pluck().all() as number[];
    await applyAndReview(core, p.id, term, students);
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 10 });
    const eligible = (await core.client.invoke('applications.allocate', { programmeId: p.id, term, dryRun: true })).unfundedCount;
    expect(eligible).toBeGreaterThan(UNFUNDED_LISTED);

    await page.getByLabel('资助项目').click();
    await page.locator('.ant-select-dropdown:visible').getByText(p.name, { exact: true }).click();
    await page.getByRole('tab', { name: '申请与审核' }).click();
    await page.getByRole('button', { name: '分配名额' }).click();
    await expect.poll(() => page.getByText(`符合条件但名额不足、未获资助 ${eligible} 人`).isVisible()).toBe(true);
    expect(await page.getByTestId('unfunded-more').textContent()).toBe(
      `下面列出排名最前的 ${UNFUNDED_LISTED} 人；其余 ${eligible - UNFUNDED_LISTED} 人的排名和依据见申请列表（按“排名”排序）。`,
    );
    const listed = page.locator('.ant-modal .problem-list li');
    expect(await listed.count()).toBe(UNFUNDED_LISTED);
    expect(await listed.first().textContent()).toMatch(/^第 11 名 /);
    await shot('72-allocation-many-unfunded');
  });
});
