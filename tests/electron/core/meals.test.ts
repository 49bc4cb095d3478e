/**
 * 营养餐台账 on real SQLite: a month's serving days come from the holiday calendar and the school's corrections,
 * students served default to everyone covered that day, and the month's person-days and money equal a count
 * made here by hand. The monthly summary is exported and read back.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCore, type TestCore } from '../../helpers/core';
import { smallSchool } from '../../helpers/scenario';

let core: TestCore;
beforeEach(async () => {
  core = await testCore({ school: false });
});
afterEach(async () => core.close());

/**
 * October 2026 by the State Council's calendar, written out by hand: 国庆 1–7 October off, Saturday 10 October
 * worked; weekends otherwise off. 18 school days.
 */
const OCTOBER_2026 = [
  '2026-10-08',
  '2026-10-09',
  '2026-10-10',
  ...[12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30].map((d) => `2026-10-${d}`),
];

describe('the meal ledger', () => {
  it('counts a month: serving days from the calendar, corrections, person-days and money equal to a count by hand', async () => {
    const c = core.client;
    const ids = await smallSchool(core, [
      { name: '张一', grade: '三年级' },
      { name: '张二', grade: '五年级' },
      { name: '张三', grade: '八年级' },
      { name: '张四', grade: '九年级' },
      { name: '张五', grade: '一年级' },
      { name: '张六', grade: '二年级' },
    ]);
    core.setToday('2026-10-14');
    // 张六 moves away on the 15th (离校日期): served up to the 14th, not from the day he left.
    await c.invoke('students.setStatus', { ids: [ids.get('张六')!], status: 'left', reason: 'transferred', date: '2026-10-15' });
    // 张五 goes home for lunch all year.
    await expect(c.invoke('meals.exclude', { studentIds: [ids.get('张五')!], reason: ' ' })).rejects.toThrow(/原因/);
    await c.invoke('meals.exclude', { studentIds: [ids.get('张五')!], reason: '走读，中午回家就餐' });
    // The 23rd a sports day without meals; the 21st two pupils absent; teachers eat with pupils on the 12th.
    await c.invoke('meals.setDay', { date: '2026-10-12', teachers: 2, teacherNames: '王老师、李老师' });
    await expect(c.invoke('meals.setDay', { date: '2026-10-13', teachers: 1 })).rejects.toThrow(/陪餐教师姓名/);
    // Days to come: a plan to close is fine, a count served is not; a count above those covered neither.
    await c.invoke('meals.setDay', { date: '2026-10-23', closed: true, note: '运动会停餐' });
    await expect(c.invoke('meals.setDay', { date: '2026-10-22', served: 3 })).rejects.toThrow(/还没有到/);
    await expect(c.invoke('meals.setDay', { date: '2026-10-13', served: 6 })).rejects.toThrow(/超过当天应供餐的在校学生 5 人/);
    await expect(c.invoke('meals.setDay', { date: '2026-08-20', closed: true })).rejects.toThrow(/不在2026年春季学期的供餐期/);

    // Before the month is over, the days still to come are listed and not counted.
    const early = await c.invoke('meals.month', { month: '2026-10' });
    expect(early.days.map((d) => d.date)).toEqual(OCTOBER_2026.filter((d) => d !== '2026-10-23'));
    expect(early.daysToCome).toBe(OCTOBER_2026.filter((d) => d > '2026-10-14' && d !== '2026-10-23').length);

    core.setToday('2026-11-05');
    await c.invoke('meals.setDay', { date: '2026-10-21', served: 2 });
    const m = await c.invoke('meals.month', { month: '2026-10' });
    const days = OCTOBER_2026.filter((d) => d !== '2026-10-23');
    // By hand: 5 covered (6 less 张五) through the 14th, 4 from the 15th; the 21st served 2.
    const byHand = days.map((d) => (d === '2026-10-21' ? 2 : d < '2026-10-15' ? 5 : 4));
    const personDays = byHand.reduce((s, n) => s + n, 0);
    expect(m.days.map((d) => d.served)).toEqual(byHand);
    expect(m).toMatchObject({
      servingDays: 17,
      personDays,
      amount: personDays * 500,
      teacherMeals: 2,
      students: 4,
      daysToCome: 0,
      closedDays: [{ date: '2026-10-23', note: '运动会停餐' }],
    });

    // An extra Saturday of make-up classes counts; setting a day back to the default removes the correction.
    await c.invoke('meals.setDay', { date: '2026-10-24', extra: true, note: '补课' });
    expect((await c.invoke('meals.month', { month: '2026-10' })).personDays).toBe(personDays + 4);
    await c.invoke('meals.setDay', { date: '2026-10-24' });
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM meal_day WHERE date = '2026-10-24'`).pluck().get()).toBe(0);

    // The standard is the school year's: 6 元 from the settings changes the money, not the days.
    await c.invoke('meals.saveSettings', { term: '2026-autumn', startsOn: '2026-09-01', endsOn: '2027-01-15', standard: 600 });
    const six = await c.invoke('meals.month', { month: '2026-10' });
    expect(six.amount).toBe(personDays * 600);

    // The monthly summary, exported and read back with exceljs.
    const file = await c.invoke('meals.exportMonth', { month: '2026-10' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const cells = new Map<string, unknown>();
    ws.eachRow((r) => cells.set(String(r.getCell(1).value), r.getCell(4).value));
    expect(cells.get('供餐天数')).toBe(17);
    expect(cells.get('就餐人天数')).toBe(personDays);
    expect(cells.get('金额（元）')).toBe((personDays * 600) / 100);
    expect(cells.get('2026-10-21')).toBe(2);

    // The term: October among its months, the totals their sum; the excluded student listed with the reason.
    const t = await c.invoke('meals.term', { term: '2026-autumn' });
    expect(t.months.map((x) => x.month)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    expect(t.personDays).toBe(t.months.reduce((s, x) => s + x.personDays, 0));
    expect(t.amount).toBe(t.personDays * 600);
    expect(t.excluded).toEqual([expect.objectContaining({ name: '张五', reason: '走读，中午回家就餐' })]);
    const termFile = await c.invoke('meals.exportTerm', { term: '2026-autumn' });
    const tb = new ExcelJS.Workbook();
    await tb.xlsx.load(Buffer.from(termFile.dataBase64, 'base64') as unknown as ArrayBuffer);
    const totalRow = tb.worksheets[0]!.getRow(tb.worksheets[0]!.rowCount);
    expect(totalRow.getCell(1).value).toBe('合计');
    expect(totalRow.getCell(4).value).toBe(t.personDays);

    // The meals draw on the nutrition programme's money in the funds ledger.
    const nutrition = (await c.invoke('programmes.list', {})).find((p) => p.code === 'nutrition')!;
    expect(nutrition.kind).toBe('meals');
    const line = (await c.invoke('funds.programme', { programmeId: nutrition.id, term: '2026-autumn' })).line;
    expect(line.paid).toBe(t.amount);
    expect(line.balance).toBe(-t.amount);
  });

  it('refuses to apply for the nutrition plan: it is kept day by day, not as applications', async () => {
    await smallSchool(core, [{ name: '张一', grade: '三年级' }]);
    const nutrition = (await core.client.invoke('programmes.list', {})).find((p) => p.code === 'nutrition')!;
    await expect(
      core.client.invoke('applications.create', { programmeId: nutrition.id, term: '2026-autumn', from: 'identified' }),
    ).rejects.toThrow(/营养改善计划，按日登记/);
  });
});
