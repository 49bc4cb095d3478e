import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { importRoster } from '../../electron/core/students/roster';
import { uploadFile } from '../../electron/core/uploads';
import { fixture, type TestCore } from './core';
import { importCentralRoster, upload } from './fixtures';

/**
 * The county high school with its first class identified and a senior-grant term carried to approval
 * through the core: the setting for tests of what comes after (exports, rosters).
 */
export async function approvedSeniorTerm(core: TestCore, quota: number): Promise<{ programmeId: number; approved: number }> {
  const c = core.client;
  await c.invoke('school.setup', {
    name: '青山县第一中学',
    county: '青山县',
    township: '',
    stages: ['senior'],
    schoolYear: '2026-2027',
    term: '2026-autumn',
  });
  const name = 'roster-qingshan-no1-high-school.xlsx';
  await importRoster(core.ctx, await uploadFile(core.ctx, name, readFileSync(fixture(name))), {});
  const ids = core.ctx.store.sqlite.prepare(`SELECT id FROM student ORDER BY id LIMIT 40`).pluck().all() as number[];
  for (const [i, id] of ids.entries()) {
    await c.invoke('surveys.save', {
      studentId: id,
      status: 'draft',
      fields: {
        householdSize: 4,
        hukou: 'rural',
        members: [
          { name: '父', age: 45, relation: '父亲', workplace: '', occupation: '', annualIncome: 100_000 + i * 20_000, health: 'serious' },
        ],
        factors: ['debt'],
        otherHardship: '',
        incomeSource: null,
        childrenInSchool: 2,
        commitmentSigned: true,
        commitmentDate: '2026-09-05',
        enteredBy: '',
        note: '',
      },
    });
  }
  await c.invoke('identification.score', {});
  const open = (await c.invoke('surveys.cases', {})).filter((x) => x.identification === 'open');
  await c.invoke('identification.decide', {
    decisions: open.map((x) => ({
      identificationId: x.identificationId!,
      level: x.suggestedLevel === 'none' ? 'general' : x.suggestedLevel!,
      reason: '认定工作组意见',
    })),
    decidedOn: '2026-09-20',
  });
  const programme = (await c.invoke('programmes.list', {})).find((p) => p.code === 'senior-grant')!;
  await c.invoke('quotas.save', { programmeId: programme.id, term: '2026-autumn', count: quota });
  await c.invoke('applications.create', { programmeId: programme.id, term: '2026-autumn', from: 'identified' });
  const appIds = (await c.invoke('applications.list', { programmeId: programme.id, term: '2026-autumn' })).rows.map((a) => a.id);
  // Reviewed, allocated and posted on Monday 2 November, closed a week later: the core's clock moves, not the client's dates.
  core.setToday('2026-11-02');
  for (const action of ['submit', 'toClassReview', 'toSchoolReview'] as const)
    await c.invoke('applications.transition', { ids: appIds, action });
  await c.invoke('applications.allocate', { programmeId: programme.id, term: '2026-autumn' });
  const pub = await c.invoke('publicity.createProgramme', {
    programmeId: programme.id,
    term: '2026-autumn',
    complaintPhone: '0745-7654321',
  });
  core.setToday('2026-11-09');
  await c.invoke('publicity.close', { id: pub.id });
  core.setToday(null);
  const posted = (await c.invoke('applications.list', { programmeId: programme.id, term: '2026-autumn', status: 'publicity' })).rows.map(
    (a) => a.id,
  );
  const r = await c.invoke('applications.transition', { ids: posted, action: 'approve' });
  return { programmeId: programme.id, approved: r.changed };
}

export interface BankRow {
  row: number;
  account: string;
  name: string;
  amount: number;
  ok: boolean;
  reason: string;
}

/** The rows of a bank's result file as the test reads them itself (not through the app's reader). */
export async function bankRows(file = fixture('bank-return-2026-autumn.xlsx')): Promise<BankRow[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: BankRow[] = [];
  wb.worksheets[0]!.eachRow((r, n) => {
    if (n < 3) return;
    rows.push({
      row: n,
      account: String(r.getCell(2).value),
      name: String(r.getCell(3).value),
      amount: Math.round(Number(r.getCell(4).value) * 100),
      ok: r.getCell(5).value === '成功',
      reason: String(r.getCell(6).value ?? ''),
    });
  });
  return rows;
}

/**
 * The central school with the county lists applied and the 非寄宿生生活补助 of autumn 2026 reported to the
 * county for exactly the day students the bank's fixture file pays 312.5 元, each with the card the file names.
 */
export async function reportedDaySubsidyTerm(
  core: TestCore,
): Promise<{ programmeId: number; students: Map<string, number>; bank: BankRow[] }> {
  const c = core.client;
  await importCentralRoster(core);
  for (const [file, kind] of [
    ['county-list-poverty-monitoring.xlsx', 'poverty'],
    ['county-list-dibao-tekun.xlsx', 'dibao'],
  ] as const) {
    const preview = await c.invoke('lists.preview', { upload: upload(file), kind });
    await c.invoke('lists.import', { uploadId: preview.uploadId, kind, layout: preview.layout, listDate: '2026-09-01' });
  }
  const cross = await c.invoke('crosscheck.run', {});
  await c.invoke('crosscheck.apply', { items: cross.listedNotFlagged.map((i) => ({ studentId: i.studentId, group: i.group })) });
  const bank = await bankRows();
  const byName = core.ctx.store.sqlite.prepare(`SELECT id FROM student WHERE name = ? AND status = 'enrolled' AND boarding = 0`).pluck();
  const students = new Map<string, number>();
  for (const b of bank.filter((x) => x.amount === 31250)) {
    const ids = byName.all(b.name) as number[];
    if (ids.length !== 1) continue;
    students.set(b.name, ids[0]!);
    await c.invoke('students.update', { id: ids[0]!, fields: { bankCard: b.account } });
  }
  const programme = (await c.invoke('programmes.list', {})).find((p) => p.code === 'day-subsidy')!;
  const term = '2026-autumn' as const;
  await c.invoke('quotas.save', { programmeId: programme.id, term, count: students.size });
  await c.invoke('applications.create', { programmeId: programme.id, term, from: 'students', studentIds: [...students.values()] });
  const ids = (await c.invoke('applications.list', { programmeId: programme.id, term })).rows.map((a) => a.id);
  core.setToday('2026-11-02');
  for (const action of ['submit', 'toClassReview', 'toSchoolReview'] as const) await c.invoke('applications.transition', { ids, action });
  await c.invoke('applications.allocate', { programmeId: programme.id, term });
  const pub = await c.invoke('publicity.createProgramme', { programmeId: programme.id, term, complaintPhone: '0745-7654321' });
  core.setToday('2026-11-09');
  await c.invoke('publicity.close', { id: pub.id });
  core.setToday(null);
  await c.invoke('applications.transition', { ids, action: 'approve' });
  await c.invoke('applications.transition', { ids, action: 'report' });
  // Students outside the 四类 (a 特困 whose list does not say 农村, say) were refused at submission: they are not due any money.
  const reported = new Set(
    (await c.invoke('applications.list', { programmeId: programme.id, term, status: 'submitted' })).rows.map((a) => a.studentId),
  );
  for (const [name, id] of students) if (!reported.has(id)) students.delete(name);
  return { programmeId: programme.id, students, bank };
}
