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

  it('keeps each school’s days: a teaching point closes while the central school serves, and the desk adds them up', async () => {
    const c = core.client;
    await smallSchool(core, [
      { name: '张一', grade: '三年级' },
      { name: '张二', grade: '五年级' },
      { name: '张三', grade: '八年级' },
      { name: '张四', grade: '九年级' },
      { name: '石一', grade: '一年级', school: '石门教学点' },
      { name: '石二', grade: '二年级', school: '石门教学点' },
    ]);
    const point = (await c.invoke('schools.list', {})).find((x) => x.name === '石门教学点')!.id;
    core.setToday('2026-11-05');
    await c.invoke('meals.setDay', { schoolId: point, date: '2026-10-23', closed: true, note: '教学点停电' });
    await c.invoke('meals.setDay', { date: '2026-10-21', served: 3 });
    await c.invoke('meals.setDay', { date: '2026-10-12', teachers: 2, teacherNames: '王老师、李老师' });
    await c.invoke('meals.setDay', { schoolId: point, date: '2026-10-12', teachers: 1, teacherNames: '赵老师' });
    await expect(c.invoke('meals.setDay', { schoolId: point, date: '2026-10-13', served: 3 })).rejects.toThrow(
      '石门教学点2026-10-13 就餐人数 3 超过当天应供餐的在校学生 2 人',
    );
    await expect(c.invoke('meals.setDay', { schoolId: 99, date: '2026-10-13', closed: true })).rejects.toThrow('没有这所学校');

    const central = await c.invoke('meals.month', { month: '2026-10', schoolId: 1 });
    const village = await c.invoke('meals.month', { month: '2026-10', schoolId: point });
    // By hand: the central school serves all 18 days to 4 (3 on the 21st); the point 17 days to 2.
    expect(central).toMatchObject({ servingDays: 18, personDays: 18 * 4 - 1, teacherMeals: 2, students: 4, closedDays: [] });
    expect(village).toMatchObject({ servingDays: 17, personDays: 17 * 2, teacherMeals: 1, students: 2 });
    expect(village.closedDays).toEqual([{ date: '2026-10-23', note: '教学点停电' }]);
    const all = await c.invoke('meals.month', { month: '2026-10' });
    expect(all).toMatchObject({
      servingDays: 18,
      personDays: 18 * 4 - 1 + 34,
      teacherMeals: 3,
      students: 6,
      amount: (18 * 4 - 1 + 34) * 500,
    });
    expect(all.closedDays).toEqual([{ date: '2026-10-23', note: '石门教学点：教学点停电' }]);
    expect(all.days.find((d) => d.date === '2026-10-12')).toMatchObject({
      covered: 6,
      served: 6,
      teachers: 3,
      teacherNames: '测试学校：王老师、李老师；石门教学点：赵老师',
    });
    expect(all.days.find((d) => d.date === '2026-10-23')).toMatchObject({ covered: 4, served: 4 });
    expect(all.bySchool!.map((x) => [x.name, x.servingDays, x.personDays, x.amount])).toEqual([
      ['测试学校', 18, 71, 71 * 500],
      ['石门教学点', 17, 34, 34 * 500],
    ]);
    // The corrections are the school's: the trail says which.
    const trail = core.ctx.store.sqlite
      .prepare(`SELECT after FROM audit_entry WHERE entity = 'meal_day' AND action = 'insert' ORDER BY id`)
      .pluck()
      .all() as string[];
    expect(trail.map((a) => (JSON.parse(a) as { school_id: number }).school_id)).toEqual([point, 1, 1, point]);

    // A pupil of the point who goes home for lunch: listed with the school's name when the schools are shown together.
    const shi = core.ctx.store.sqlite.prepare(`SELECT id FROM student WHERE name = '石二'`).pluck().get() as number;
    await c.invoke('meals.exclude', { studentIds: [shi], reason: '走读，中午回家就餐' });
    expect((await c.invoke('meals.term', { term: '2026-autumn' })).excluded.map((x) => x.className)).toEqual([
      expect.stringMatching(/^石门教学点 \S/),
    ]);
    expect((await c.invoke('meals.term', { term: '2026-autumn', schoolId: point })).excluded[0]!.className).not.toContain('石门');
    expect((await c.invoke('meals.term', { term: '2026-autumn', schoolId: 1 })).excluded).toEqual([]);
    await c.invoke('meals.include', { studentId: shi });

    // The term: the desk's money is its schools' added up, and the funds ledger draws all of it.
    const t = await c.invoke('meals.term', { term: '2026-autumn' });
    const parts = await Promise.all([1, point].map((schoolId) => c.invoke('meals.term', { term: '2026-autumn', schoolId })));
    expect(t.amount).toBe(parts[0]!.amount + parts[1]!.amount);
    expect(t.bySchool!.map((x) => x.amount)).toEqual(parts.map((x) => x.amount));
    expect(t.months.find((m) => m.month === '2026-10')).toMatchObject({ servingDays: 18, personDays: 105 });
    const nutrition = (await c.invoke('programmes.list', {})).find((p) => p.code === 'nutrition')!;
    expect((await c.invoke('funds.programme', { programmeId: nutrition.id, term: '2026-autumn' })).line.paid).toBe(t.amount);

    // Exports: one school's ledger under its own name; the desk's with a line per school.
    const one = await c.invoke('meals.exportMonth', { month: '2026-10', schoolId: point });
    expect(one.fileName).toBe('石门教学点2026年10月营养改善计划供餐台账.xlsx');
    const file = await c.invoke('meals.exportMonth', { month: '2026-10' });
    expect(file.fileName).toBe('测试学校（含各校点）2026年10月营养改善计划供餐台账.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
    const rows = new Map<string, unknown[]>();
    wb.worksheets[0]!.eachRow((r) => rows.set(String(r.getCell(1).value), (r.values as unknown[]).slice(1)));
    expect(rows.get('就餐人天数')![3]).toBe(105);
    expect(rows.get('石门教学点')).toEqual(['石门教学点', undefined, 17, 2, 34, 1, 170]);
  });

  it('refuses to apply for the nutrition plan: it is kept day by day, not as applications', async () => {
    await smallSchool(core, [{ name: '张一', grade: '三年级' }]);
    const nutrition = (await core.client.invoke('programmes.list', {})).find((p) => p.code === 'nutrition')!;
    await expect(
      core.client.invoke('applications.create', { programmeId: nutrition.id, term: '2026-autumn', from: 'identified' }),
    ).rejects.toThrow(/营养改善计划，按日登记/);
  });
});
