import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cell } from '../../../electron/core/import/read-table';
import { analyzeTemplate, fillTemplatePerSchool, loadWorkbook, type FillRow } from '../../../electron/core/export/county-template';
import { demoRoster } from '../../../electron/core/school/demo';
import { importRoster } from '../../../electron/core/students/roster';
import { uploadFile } from '../../../electron/core/uploads';
import { runChecks, type CheckedApplication, type CheckedProgramme } from '../../../shared/rules/aid-checks';
import { DEFAULT_PROGRAMMES } from '../../../shared/rules/programme-catalogue';
import { fixture, testCore, type TestCore } from '../../helpers/core';
import { approvedSeniorTerm } from '../../helpers/terms';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

const q = <T = unknown>(sql: string, ...params: unknown[]) => core.ctx.store.sqlite.prepare(sql).all(...params) as T[];
const one = (sql: string, ...params: unknown[]) =>
  core.ctx.store.sqlite
    .prepare(sql)
    .pluck()
    .get(...params);

async function csvOf(rows: Cell[][]): Promise<Buffer> {
  return Buffer.from(rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join(',')).join('\n') + '\n');
}

async function importInto(schoolId: number, name: string, rows: Cell[][]) {
  return importRoster(core.ctx, await uploadFile(core.ctx, name, await csvOf(rows)), { schoolId });
}

describe('several schools in one desk', () => {
  it('keeps a one-school desk as it was: one school, named by the setup, and every student in it', async () => {
    expect(await core.client.invoke('schools.list', {})).toEqual([
      { id: 1, name: '青山县青山镇中心学校', kind: 'central', classCount: 0, studentCount: 0 },
    ]);
    await importInto(1, 'a.csv', demoRoster(60, 2026, 11));
    expect(one(`SELECT count(*) FROM student WHERE school_id <> 1`)).toBe(0);
    expect((await core.client.invoke('stats.get', { term: '2026-autumn' })).current.schools).toEqual([]);
    await core.client.invoke('school.setup', {
      name: '青山县青山镇中心小学',
      county: '青山县',
      township: '青山镇',
      stages: ['primary'],
      schoolYear: '2026-2027',
      term: '2026-autumn',
    });
    expect((await core.client.invoke('schools.list', {}))[0]!.name).toBe('青山县青山镇中心小学');
  });

  it("imports a member school's roster into that school, lists students another school has (双学籍) and decides them", async () => {
    const c = core.client;
    const village = await c.invoke('schools.add', { name: '岭下村小学', kind: 'member' });
    await expect(c.invoke('schools.add', { name: '岭下村小学', kind: 'teachingPoint' })).rejects.toThrow('已有名为“岭下村小学”的学校');

    const central = demoRoster(200, 2026, 11);
    await importInto(1, 'central.csv', central);
    const centralIds = new Set(central.slice(1).map((r) => r[5]));
    // The village roster: its own children, and three the central school has too.
    const own = demoRoster(80, 2026, 22).filter((r, i) => i === 0 || !centralIds.has(r[5]));
    const shared = central.slice(1, 4);
    const r = await importInto(village.id, 'village.csv', [...own, ...shared]);
    expect(r.imported).toBe(own.length - 1);
    expect(r.otherSchool).toBe(3);
    // Nobody of the central school is "missing" from a member school's roster.
    expect(r.missing).toEqual([]);
    expect(r.warnings.filter((w) => w.code === 'other-school')).toHaveLength(3);
    expect(r.warnings.find((w) => w.code === 'other-school')!.message).toContain('疑似双学籍');

    // The same class names in both schools are different classes; a student sits in a class of their school.
    const sameName = q<{ name: string; n: number }>(
      `SELECT name, count(DISTINCT school_id) AS n FROM school_class GROUP BY name HAVING n = 2`,
    );
    expect(sameName.length).toBeGreaterThan(0);
    expect(one(`SELECT count(*) FROM student s JOIN school_class c ON c.id = s.class_id WHERE c.school_id <> s.school_id`)).toBe(0);
    // The three stay where they were, untouched.
    const sharedIds = shared.map((row) => one(`SELECT id FROM student WHERE id_number = ?`, row[5]) as number);
    expect(q(`SELECT DISTINCT school_id FROM student WHERE id IN (${sharedIds.join(',')})`)).toEqual([{ school_id: 1 }]);

    const list = await c.invoke('students.list', { schoolId: village.id, limit: 1000 });
    expect(list.total).toBe(own.length - 1);
    expect(list.rows.every((s) => s.schoolId === village.id)).toBe(true);
    expect((await c.invoke('students.list', { schoolId: 1, limit: 1 })).total).toBe(200);
    expect((await c.invoke('schools.list', {})).map((s) => [s.name, s.studentCount])).toEqual([
      ['青山县青山镇中心学校', 200],
      ['岭下村小学', own.length - 1],
    ]);

    // Importing the central roster again raises nothing about the village's children.
    const again = await importInto(1, 'central.csv', central);
    expect(again.missing).toEqual([]);
    expect(again.otherSchool).toBe(0);

    const cases = await c.invoke('dualEnrolment.list', {});
    expect(cases.open).toBe(3);
    expect((await c.invoke('board.term', {})).dualEnrolments).toBe(3);
    // Importing the village roster again does not list them twice.
    await importInto(village.id, 'village.csv', [...own, ...shared]);
    expect((await c.invoke('dualEnrolment.list', {})).open).toBe(3);

    const [moved, kept] = cases.rows;
    await expect(c.invoke('dualEnrolment.resolve', { id: moved!.id, resolution: 'moved', note: '' })).rejects.toThrow('请写明核实情况');
    const m = await c.invoke('dualEnrolment.resolve', {
      id: moved!.id,
      resolution: 'moved',
      note: '学籍系统在岭下村小学，11月20日与村小核实',
    });
    expect(m).toMatchObject({ resolution: 'moved', schoolName: '岭下村小学', className: moved!.claimedClass, resolvedOn: '2026-11-22' });
    const history = await c.invoke('students.history', { id: moved!.studentId });
    expect(history.find((h) => h.field === '学校')).toMatchObject({ oldValue: '青山县青山镇中心学校', newValue: '岭下村小学' });
    await c.invoke('dualEnrolment.resolve', { id: kept!.id, resolution: 'kept', note: '村小名册有误，已通知村小删除' });
    expect(one(`SELECT school_id FROM student WHERE id = ?`, kept!.studentId)).toBe(1);
    await expect(c.invoke('dualEnrolment.resolve', { id: kept!.id, resolution: 'moved', note: 'x' })).rejects.toThrow(
      '已于 2026-11-22 处理',
    );
    expect((await c.invoke('dualEnrolment.list', {})).open).toBe(1);
    // Moving the last one into a village class in the student's drawer answers its case too.
    const last = (await c.invoke('dualEnrolment.list', {})).rows[0]!;
    const villageClass = (await c.invoke('classes.list', {})).find((x) => x.schoolId === village.id)!;
    await c.invoke('students.update', { id: last.studentId, classId: villageClass.id });
    expect((await c.invoke('dualEnrolment.list', {})).open).toBe(0);
    expect((await c.invoke('dualEnrolment.list', { open: false })).rows.find((x) => x.id === last.id)).toMatchObject({
      resolution: 'moved',
      note: '在学生信息中转入该校的班级',
    });
    // Every move (the decided one and the drawer's) is in the audit trail.
    expect(one(`SELECT count(*) FROM audit_entry WHERE entity = 'student' AND after LIKE '%school_id%'`)).toBe(2);

    // A school with students cannot go; an empty one can.
    await expect(c.invoke('schools.remove', { id: village.id })).rejects.toThrow('不能删除');
    const spare = await c.invoke('schools.add', { name: '坪上教学点', kind: 'teachingPoint' });
    // A term document registered for it keeps it (its archive is a record), with a message, not a database error.
    const term = (await c.invoke('archive.items', { term: '2026-autumn', scope: 'term', schoolId: spare.id }))[0]!;
    await c.invoke('archive.set', { keys: [term], note: '已收' });
    await expect(c.invoke('schools.remove', { id: spare.id })).rejects.toThrow('已登记 1 项档案，不能删除');
    const empty = await c.invoke('schools.add', { name: '坪下教学点', kind: 'teachingPoint' });
    await c.invoke('schools.remove', { id: empty.id });
    expect((await c.invoke('schools.list', {})).some((x) => x.id === empty.id)).toBe(false);
    await expect(c.invoke('schools.update', { id: 1, name: 'x', kind: 'member' })).rejects.toThrow('学校信息');
  });

  it('fills county templates per school or for all, prints one school’s roster and counts by school', async () => {
    const c = core.client;
    const { programmeId, approved } = await approvedSeniorTerm(core, 12);
    expect(approved).toBe(12);
    const village = await c.invoke('schools.add', { name: '青山县第一中学分校', kind: 'member' });
    // The branch's own roster brings a class of its own; four of the recipients moved there (their class chosen by the clerk).
    const branch = demoRoster(30, 2026, 5).map((r, i) => (i === 0 ? r : [...r.slice(0, 11), '高中', '高一', '1班', ...r.slice(14)]));
    await importRoster(core.ctx, await uploadFile(core.ctx, 'branch.csv', await csvOf(branch)), { schoolId: village.id });
    const branchClass = (await c.invoke('classes.list', {})).find((x) => x.schoolId === village.id)!;
    const recipients = (await c.invoke('applications.list', { programmeId, term: '2026-autumn', status: 'approved' })).rows;
    for (const a of recipients.slice(0, 4)) await c.invoke('students.update', { id: a.studentId, classId: branchClass.id });

    const onlyBranch = await c.invoke('applications.list', { programmeId, term: '2026-autumn', schoolId: village.id, status: 'approved' });
    expect(onlyBranch.rows.map((a) => a.schoolName)).toEqual([
      '青山县第一中学分校',
      '青山县第一中学分校',
      '青山县第一中学分校',
      '青山县第一中学分校',
    ]);

    const sheetsOf = async (args: { schoolId?: number | null; sheets?: 'one' | 'perSchool' }) => {
      const r = await c.invoke('export.countyTemplate', { template: { builtIn: 'list' }, programmeId, term: '2026-autumn', ...args });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(r.file!.dataBase64, 'base64') as unknown as ArrayBuffer);
      return { r, wb };
    };
    const names = (ws: ExcelJS.Worksheet) => {
      const out: string[] = [];
      ws.eachRow((row) =>
        row.eachCell((cell) => void (typeof cell.value === 'string' && /^[\u4e00-\u9fa5]{2,4}$/.test(cell.value) && out.push(cell.value))),
      );
      return out;
    };
    const perSchool = await sheetsOf({ sheets: 'perSchool' });
    expect(perSchool.wb.worksheets.map((w) => w.name)).toEqual(['青山县第一中学', '青山县第一中学分校']);
    const branchNames = new Set(onlyBranch.rows.map((a) => a.name));
    const second = names(perSchool.wb.worksheets[1]!).filter((n) => branchNames.has(n));
    expect(second.sort()).toEqual([...branchNames].sort());
    expect(names(perSchool.wb.worksheets[0]!).some((n) => branchNames.has(n))).toBe(false);
    // The copied sheet keeps the template's merged title.
    expect(Object.keys((perSchool.wb.worksheets[1]! as unknown as { _merges: object })._merges).length).toBeGreaterThan(0);

    // The built-in title names no school when each sheet has its own 填报学校 line, and the branch alone names the branch.
    expect(String(perSchool.wb.worksheets[1]!.getCell('A1').value)).toMatch(/^2026年秋季学期/);
    expect(String(perSchool.wb.worksheets[1]!.getCell('A2').value)).toContain('青山县第一中学分校');
    const branchOnly = await sheetsOf({ schoolId: village.id });
    expect(branchOnly.r.rows).toBe(4);
    expect(String(branchOnly.wb.worksheets[0]!.getCell('A1').value)).toMatch(/^青山县第一中学分校2026年秋季学期/);
    expect(branchOnly.r.file!.fileName).toContain('青山县第一中学分校已填');
    expect((await sheetsOf({})).r.rows).toBe(12);

    const doc = await c.invoke('print.signatureRoster', { programmeId, term: '2026-autumn', schoolId: village.id });
    expect(doc.title).toContain('青山县第一中学分校');
    for (const n of branchNames) expect(doc.html).toContain(n);
    const all = await c.invoke('print.signatureRoster', { programmeId, term: '2026-autumn' });
    // Together, each class is named with its school (高一1班 is in both).
    expect(all.html).toContain('青山县第一中学分校 ');

    // Each school keeps its own term and programme documents: the branch's roster was filed with the branch's.
    const branchItems = await c.invoke('archive.items', { term: '2026-autumn', scope: 'programme', schoolId: village.id });
    expect(branchItems.length).toBeGreaterThan(0);
    expect(branchItems.every((i) => i.schoolId === village.id && i.schoolName === '青山县第一中学分校')).toBe(true);
    const filedRoster = branchItems.flatMap((i) => i.attachments).filter((f) => f.source === 'generated');
    expect(filedRoster.map((f) => f.name)).toContain('青山县第一中学分校2026年秋季学期普通高中国家助学金发放签领表.html');
    const centralItems = await c.invoke('archive.items', { term: '2026-autumn', scope: 'programme', schoolId: 1 });
    expect(centralItems.flatMap((i) => i.attachments).some((f) => f.name.startsWith('青山县第一中学分校'))).toBe(false);
    await c.invoke('archive.set', { keys: branchItems, status: 'complete' });
    expect(
      (await c.invoke('archive.items', { term: '2026-autumn', scope: 'programme', schoolId: 1 })).every((i) => i.status !== 'complete'),
    ).toBe(true);
    const overview = await c.invoke('archive.overview', { term: '2026-autumn' });
    expect(overview.programmes.map((p) => [p.label, p.complete === p.total])).toEqual([
      ['青山县第一中学 普通高中国家助学金', false],
      ['青山县第一中学分校 普通高中国家助学金', true],
    ]);
    const terms = await c.invoke('archive.items', { term: '2026-autumn', scope: 'term' });
    expect(new Set(terms.map((i) => i.schoolId))).toEqual(new Set([1, village.id]));
    const catalogue = await c.invoke('print.archiveCatalogue', { term: '2026-autumn', schoolId: village.id });
    expect(catalogue.title).toContain('青山县第一中学分校');

    // The recipients' publicity, one school's part for its own wall.
    const posted = (await c.invoke('publicity.list', {})).find((x) => x.kind === 'programme')!;
    const wall = await c.invoke('print.publicity', { id: posted.id, schoolId: village.id });
    expect(wall.title.startsWith('青山县第一中学分校')).toBe(true);
    for (const n of branchNames) expect(wall.html).toContain(n);
    const others = recipients.slice(4).map((a) => a.name);
    expect(others.filter((n) => wall.html.includes(n))).toEqual([]);
    await expect(
      c.invoke('print.publicity', {
        id: posted.id,
        schoolId: (await c.invoke('schools.add', { name: '空校点', kind: 'teachingPoint' })).id,
      }),
    ).rejects.toThrow('没有“空校点”的学生');

    // 发放 for one school: its recipients and totals.
    const branchPay = await c.invoke('payments.list', { programmeId, term: '2026-autumn', schoolId: village.id });
    expect(branchPay.lines.map((l) => l.name).sort()).toEqual([...branchNames].sort());
    expect(branchPay.summary.due.count).toBe(4);
    expect((await c.invoke('payments.list', { programmeId, term: '2026-autumn' })).summary.due.count).toBe(12);
    // The bank file (代发文件) of one school, once reported: its recipients only.
    const approvedIds = (await c.invoke('applications.list', { programmeId, term: '2026-autumn', status: 'approved' })).rows.map(
      (a) => a.id,
    );
    await c.invoke('applications.transition', { ids: approvedIds, action: 'report' });
    const bankNames = async (schoolId: number | null) => {
      const file = await c.invoke('payments.exportOutstanding', { programmeId, term: '2026-autumn', schoolId });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
      const names: string[] = [];
      wb.worksheets[0]!.eachRow((r, n) => n > 1 && names.push(String(r.getCell(3).value)));
      return names;
    };
    expect((await bankNames(village.id)).sort()).toEqual([...branchNames].sort());
    expect(await bankNames(null)).toHaveLength(12);

    // The term board for one school, and for all.
    const step = (b: Awaited<ReturnType<typeof c.invoke<'board.term'>>>, key: string) =>
      b.programmes.find((p) => p.code === 'senior-grant')!.steps.find((s) => s.key === key)!;
    const branchBoard = await c.invoke('board.term', { schoolId: village.id });
    expect(branchBoard.identification.enrolled).toBe(34);
    expect(step(branchBoard, 'approve').progress).toBe('已通过 4/4');
    expect(step(branchBoard, 'archive').state).toBe('done');
    const wholeBoard = await c.invoke('board.term', {});
    expect(step(wholeBoard, 'approve').progress).toBe('已通过 12/12');
    expect(step(wholeBoard, 'archive').state).not.toBe('done');

    const stats = await c.invoke('stats.get', { term: '2026-autumn' });
    expect(stats.current.schools.map((s) => [s.schoolName, s.enrolled])).toEqual([
      ['青山县第一中学', Number(one(`SELECT count(*) FROM student WHERE school_id = 1 AND status = 'enrolled'`))],
      ['青山县第一中学分校', 30 + 4],
      ['空校点', 0],
    ]);
  });
});

describe('a random run of member-school rosters, moves and decisions', () => {
  it('keeps every student in one school, in a class of it, and every open case about a student another school has', async () => {
    const c = core.client;
    // mulberry32: a seeded generator (the same run every time).
    let seed = 20261203;
    const rand = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
    };
    const schools = [1];
    for (const name of ['岭下村小学', '坪上教学点', '石门村小学'])
      schools.push((await c.invoke('schools.add', { name, kind: 'member' })).id);
    // A pool of children; each roster takes a random part of it, so rosters overlap as real ones do.
    const pool = demoRoster(240, 2026, 99).slice(1);
    const header = demoRoster(1, 2026, 1)[0]!;
    const checkDatabase = async (step: number) => {
      const where = `step ${step}`;
      expect(one(`SELECT count(*) FROM student s JOIN school_class c ON c.id = s.class_id WHERE c.school_id <> s.school_id`), where).toBe(
        0,
      );
      expect(one(`SELECT count(*) FROM student WHERE school_id NOT IN (SELECT id FROM member_school)`), where).toBe(0);
      // An open case is about a student another school has (a decision closes it; a move makes it moot only by deciding).
      const open = q<{ student: number; claimed: number; now: number }>(
        `SELECT d.student_id AS student, d.school_id AS claimed, s.school_id AS now FROM dual_enrolment d JOIN student s ON s.id = d.student_id
         WHERE d.resolved_on IS NULL`,
      );
      expect(
        open.filter((o) => o.claimed === o.now),
        where,
      ).toEqual([]);
      expect(
        one(
          `SELECT count(*) FROM (SELECT student_id, school_id FROM dual_enrolment WHERE resolved_on IS NULL GROUP BY 1, 2 HAVING count(*) > 1)`,
        ),
        where,
      ).toBe(0);
      // The schools' rosters add up to the desk's.
      let sum = 0;
      for (const id of schools) sum += (await c.invoke('students.list', { schoolId: id, status: 'all', limit: 1 })).total;
      expect(sum, where).toBe((await c.invoke('students.list', { status: 'all', limit: 1 })).total);
      const listed = await c.invoke('schools.list', {});
      expect(
        listed.reduce((n, m) => n + m.studentCount, 0),
        where,
      ).toBe(one(`SELECT count(*) FROM student WHERE status = 'enrolled'`));
    };
    let decided = 0;
    let listedCases = 0;
    for (let step = 0; step < 40; step++) {
      const op = rand(4);
      if (op <= 1) {
        // A school's roster: 20–60 children of the pool.
        const schoolId = schools[rand(schools.length)]!;
        const rows = Array.from({ length: 20 + rand(40) }, () => pool[rand(pool.length)]!);
        const unique = [...new Map(rows.map((r) => [r[5], r])).values()];
        const before = new Map(
          q<{ id_number: string; school_id: number }>(`SELECT id_number, school_id FROM student`).map((r) => [r.id_number, r.school_id]),
        );
        const r = await importInto(schoolId, `school-${schoolId}-${step}.csv`, [header, ...unique]);
        const elsewhere = unique.filter((u) => before.has(String(u[5])) && before.get(String(u[5])) !== schoolId).length;
        expect(r.otherSchool, `step ${step}`).toBe(elsewhere);
        listedCases += elsewhere;
        // Nobody of another school is ever "missing" from this one's roster.
        const missingSchools = new Set(r.missing.map((m) => one(`SELECT school_id FROM student WHERE id = ?`, m.id)));
        expect(
          [...missingSchools].every((id) => id === schoolId),
          `step ${step}`,
        ).toBe(true);
      } else if (op === 2) {
        const open = (await c.invoke('dualEnrolment.list', {})).rows;
        if (open.length) {
          const pick = open[rand(open.length)]!;
          const resolution = rand(2) ? 'moved' : 'kept';
          const r = await c.invoke('dualEnrolment.resolve', { id: pick.id, resolution, note: `第${step}步核实` });
          if (resolution === 'moved') expect(r.schoolName).toBe(pick.claimedBySchool);
          else expect(r.schoolName).toBe(pick.schoolName);
          decided++;
        }
      } else {
        // The clerk moves a student to a class of another school in the student's drawer.
        const student = q<{ id: number; school_id: number }>(`SELECT id, school_id FROM student ORDER BY id`);
        const classes = await c.invoke('classes.list', {});
        if (student.length && classes.length) {
          const s = student[rand(student.length)]!;
          const target = classes[rand(classes.length)]!;
          await c.invoke('students.update', { id: s.id, classId: target.id });
          expect(one(`SELECT school_id FROM student WHERE id = ?`, s.id)).toBe(target.schoolId);
        }
      }
      await checkDatabase(step);
    }
    // The run did each kind of thing.
    expect(listedCases).toBeGreaterThan(5);
    expect(decided).toBeGreaterThan(3);
  });
});

describe('template sheets per school', () => {
  it("copies the county's sheet for each school with its rows, school line and merges", async () => {
    const name = 'county-template-compulsory-living-subsidy.xlsx';
    const wb = await loadWorkbook(readFileSync(fixture(name)), name);
    const layout = analyzeTemplate(wb, name);
    const row = (i: number, school: string): FillRow => ({
      key: String(i),
      name: `学生${i}`,
      schoolName: school,
      amount: 625,
      grade: '四年级',
    });
    const out = await fillTemplatePerSchool(
      wb,
      layout,
      [
        { schoolName: '青山镇中心学校', rows: [row(1, '青山镇中心学校'), row(2, '青山镇中心学校')] },
        { schoolName: '岭下村小学', rows: Array.from({ length: 12 }, (_, i) => row(10 + i, '岭下村小学')) },
      ],
      { date: '2026年11月22日', termText: '2026年秋季学期' },
    );
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(out as unknown as ArrayBuffer);
    expect(back.worksheets.map((w) => w.name)).toEqual(['青山镇中心学校', '岭下村小学']);
    const [a, b] = back.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect(String(a.getCell('A2').value)).toContain('青山镇中心学校');
    expect(String(b.getCell('A2').value)).toContain('岭下村小学');
    expect(a.getCell('F5').value).toBe('学生2');
    expect(b.getCell('F15').value).toBe('学生21');
    // 12 rows in a 10-row template: the 合计 row moved down, its sum over the 12.
    const total = b.getRow(16).values as unknown[];
    expect(total.some((v) => typeof v === 'object' && v !== null && 'formula' in v && (v as { result?: number }).result === 12 * 625)).toBe(
      true,
    );
    expect(b.getCell('A1').isMerged).toBe(true);
  });
});

describe('checks across schools', () => {
  it('call the same child aided by two schools of the desk 跨校重复资助', () => {
    const base: CheckedApplication = {
      id: 1,
      studentId: 1,
      name: '张英志',
      idNumber: null,
      birthDate: '2015-03-01',
      className: '三年级1班',
      stage: 'primary',
      enrolled: true,
      boarding: false,
      bankCard: null,
      applicantName: '张英志',
      applicantIdNumber: null,
      programmeCode: 'x',
      status: 'approved',
      tier: 1,
      amount: 62500,
      flags: [],
      schoolId: 1,
      schoolName: '中心学校',
    };
    const programme: CheckedProgramme = { ...DEFAULT_PROGRAMMES['boarder-subsidy']!, code: 'x', quota: null };
    const programmes = new Map([['x', programme]]);
    const other = { ...base, id: 2, studentId: 2, idNumber: '433125201503011234', applicantIdNumber: '433125201503011234' };
    const codes = (apps: CheckedApplication[]) => runChecks(apps, programmes, '2026-09-01').map((f) => f.code);
    expect(codes([base, other])).toContain('duplicate');
    const across = runChecks([base, { ...other, schoolId: 2, schoolName: '岭下村小学' }], programmes, '2026-09-01');
    const f = across.find((x) => x.code === 'cross-school-duplicate')!;
    expect(f.message).toContain('中心学校三年级1班张英志');
    expect(f.severity).toBe('blocking');
  });
});
