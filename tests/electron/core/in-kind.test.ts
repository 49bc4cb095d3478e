/**
 * 实物资助 on the fixture school: free textbooks for every 小学 student, once a term, signed for on a roster printed
 * per class (a signature column, the value, no bank card; the PDF checked with pdfinfo and pdftotext), counted in
 * the statistics by value and 人次 without swelling the count of students in hardship aided.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { htmlToPdf } from '../../../electron/host/pdf';
import { testCore, type TestCore } from '../../helpers/core';
import { importCentralRoster } from '../../helpers/fixtures';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
  await importCentralRoster(core);
  core.setToday('2026-09-07');
});
afterEach(async () => core.close());

const term = '2026-autumn' as const;

describe('in-kind aid', () => {
  it('gives free textbooks to every 小学 student once, prints the class rosters and counts the value', async () => {
    const c = core.client;
    const books = (await c.invoke('programmes.list', {})).find((p) => p.code === 'free-textbooks')!;
    expect(books.kind).toBe('inKind');
    // No value for the stage yet: the clerk is asked for it, nothing is written.
    await expect(c.invoke('inKind.give', { programmeId: books.id, term, stage: 'primary', givenOn: '2026-09-07' })).rejects.toThrow(
      /没有设置小学每生的价值/,
    );
    await expect(
      c.invoke('inKind.give', { programmeId: books.id, term, stage: 'primary', value: 9_000, givenOn: '2026-09-08' }),
    ).rejects.toThrow(/晚于今天/);
    const r = await c.invoke('inKind.give', {
      programmeId: books.id,
      term,
      stage: 'primary',
      value: 9_000,
      items: '2026年秋季小学国家课程教科书',
      givenOn: '2026-09-07',
    });
    const primary = core.ctx.store.sqlite
      .prepare(
        `SELECT count(*) FROM student s JOIN school_class c ON c.id = s.class_id WHERE s.status = 'enrolled' AND c.stage = 'primary'`,
      )
      .pluck()
      .get() as number;
    expect(primary).toBeGreaterThan(300);
    expect(r).toEqual({ given: primary, skipped: [] });
    // Once a term: the same again records nothing and says why (the list is bounded).
    const again = await c.invoke('inKind.give', { programmeId: books.id, term, stage: 'primary', value: 9_000, givenOn: '2026-09-07' });
    expect(again.given).toBe(0);
    expect(again.skipped).toHaveLength(50);
    expect(again.skipped[0]!.reason).toBe('2026年秋季学期已登记过');
    // A programme that pays money is not given in kind.
    const boarder = (await c.invoke('programmes.list', {})).find((p) => p.code === 'boarder-subsidy')!;
    await expect(c.invoke('inKind.list', { programmeId: boarder.id, term })).rejects.toThrow(/不是实物资助项目/);

    const page = await c.invoke('inKind.list', { programmeId: books.id, term });
    expect(page).toMatchObject({ count: primary, value: primary * 9_000 });

    // The roster: a sheet per class, a signature per student, the value; no bank card.
    const doc = await c.invoke('inKind.printRoster', { programmeId: books.id, term });
    const classes = new Set(page.lines.map((l) => l.className));
    expect(doc.pages).toBeGreaterThanOrEqual(classes.size);
    const pdf = join(mkdtempSync(join(tmpdir(), 'aid-desk-inkind-')), 'books.pdf');
    await htmlToPdf(doc.html, pdf);
    expect(spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout).toMatch(new RegExp(`Pages:\\s+${doc.pages}\\n`));
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('领取人签字');
    expect(text).toContain('价值（元）');
    expect(text).not.toContain('银行卡号');
    expect(text).not.toMatch(/\d{16,19}/);
    for (const name of classes) expect(text).toContain(name);
    expect(text.replace(/\s+/g, '')).toContain(`合计：${primary}人，价值${(primary * 90).toLocaleString('en-US')}.00元`);
    // Each class starts its own sheet: the first page names one class only.
    const first = text.split('\f')[0]!;
    expect([...classes].filter((n) => first.includes(n))).toHaveLength(1);

    // Statistics: the value and 人次 in the programme's row; the students in hardship aided stay as they were.
    const stats = await c.invoke('stats.get', { term });
    const row = stats.current.programmes.find((p) => p.programmeCode === 'free-textbooks')!;
    expect(row).toMatchObject({ instances: primary, waived: primary * 9_000, universal: true });
    expect(stats.current.total.students).toBe(0);
    const summary = await c.invoke('stats.summary', { term });
    expect(summary.text).toContain(`另发放免费教科书${primary}人次、价值`);
  });
});
