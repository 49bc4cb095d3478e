/**
 * Small made-up schools for rule tests: a roster written as CSV and imported as a clerk would, families
 * identified through the contract, flags declared on surveys, county lists written as workbooks.
 */
import ExcelJS from 'exceljs';
import type { DifficultyLevel } from '../../shared/domain/identification';
import type { PriorityGroup } from '../../shared/domain/priority-group';
import type { Stage, Term } from '../../shared/domain/school';
import { idNumberCheckChar } from '../../shared/rules/id-number';
import { luhnValid } from '../../shared/rules/bank-card';
import { importRoster } from '../../electron/core/students/roster';
import { uploadFile } from '../../electron/core/uploads';
import type { TestCore } from './core';

export interface Kid {
  name: string;
  /** 一年级 … 九年级, 高一, 大班 … */
  grade: string;
  classNo?: number;
  boarding?: boolean;
  hukou?: 'rural' | 'urban';
  /** A member school of the desk (added by name); absent: the central school. */
  school?: string;
  birth?: string;
  card?: boolean;
  guardian?: string;
}

/** A format-valid ID number from a birth date and a running number. */
export function makeIdNumber(birth: string, n: number): string {
  const first17 = `433125${birth.replace(/-/g, '')}${String(100 + (n % 900)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/** A 19-digit card that passes the check digit. */
export function makeCard(n: number): string {
  const prefix = `621778${String(n).padStart(12, '0')}`;
  for (let d = 0; d <= 9; d++) if (luhnValid(`${prefix}${d}`)) return `${prefix}${d}`;
  throw new Error('unreachable');
}

/** Sets up a school and imports the kids; returns student ids by name (names must be unique). */
export async function smallSchool(core: TestCore, kids: Kid[], stages: Stage[] = ['primary', 'junior'], term: Term = '2026-autumn') {
  await core.client.invoke('school.setup', {
    name: '测试学校',
    county: '青山县',
    township: '青山镇',
    stages,
    schoolYear: '2026-2027',
    term,
  });
  const rowOf = (k: Kid, i: number) => {
    const birth = k.birth ?? (k.grade.startsWith('高') ? '2010-03-01' : k.grade.includes('班') ? '2021-03-01' : '2015-03-01');
    const id = makeIdNumber(birth, i);
    return [
      `G${id}`,
      k.name,
      Number(id[16]) % 2 ? '男' : '女',
      birth,
      k.grade,
      `${k.classNo ?? 1}班`,
      k.boarding ? '住校' : '走读',
      id,
      k.hukou === 'urban' ? '非农业户口' : '农业户口',
      k.guardian ?? `${k.name}家长`,
      k.card === false ? '' : makeCard(i + 1),
    ].join(',');
  };
  // The central school's kids first, then each member school's roster into that school (added on first use).
  const bySchool = new Map<string, string[]>();
  kids.forEach((k, i) => bySchool.set(k.school ?? '', [...(bySchool.get(k.school ?? '') ?? []), rowOf(k, i)]));
  for (const [school, rows] of [...bySchool].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : 0))) {
    const schoolId = school === '' ? 1 : (await core.client.invoke('schools.add', { name: school, kind: 'member' })).id;
    const csv = `学籍号,姓名,性别,出生日期,年级,班级,就读方式,身份证件号,户口性质,监护人姓名,银行卡号\n${rows.join('\n')}\n`;
    const r = await importRoster(core.ctx, await uploadFile(core.ctx, 'roster.csv', Buffer.from(csv)), { schoolId });
    if (r.rejected.length) throw new Error(`roster rejected: ${JSON.stringify(r.rejected.slice(0, 3))}`);
  }
  const ids = new Map<string, number>();
  for (const { id, name } of core.ctx.store.sqlite.prepare(`SELECT id, name FROM student`).all() as { id: number; name: string }[])
    ids.set(name, id);
  return ids;
}

/** Identifies the students at a level (a survey, a score, and a decision with a reason), decided on a day. */
export async function identify(core: TestCore, studentIds: number[], level: DifficultyLevel, decidedOn = '2026-09-20', income = 200_000) {
  for (const studentId of studentIds) {
    await core.client.invoke('surveys.save', {
      studentId,
      status: 'draft',
      fields: {
        householdSize: 4,
        hukou: 'rural',
        members: [{ name: '父', age: 40, relation: '父亲', workplace: '', occupation: '务农', annualIncome: income, health: 'healthy' }],
        factors: [],
        otherHardship: '',
        incomeSource: null,
        childrenInSchool: 1,
        commitmentSigned: true,
        commitmentDate: '2026-09-05',
        enteredBy: '',
        note: '',
      },
    });
  }
  await core.client.invoke('identification.score', { studentIds });
  const cases = (await core.client.invoke('surveys.cases', {})).filter(
    (c) => studentIds.includes(c.studentId) && c.identification === 'open',
  );
  await core.client.invoke('identification.decide', {
    decisions: cases.map((c) => ({ identificationId: c.identificationId!, level, reason: '认定工作组意见' })),
    decidedOn,
  });
}

/** Declares groups on the student's survey (the family's word), with 城乡 for 低保/特困. */
export async function declare(core: TestCore, studentId: number, groups: PriorityGroup[], area: 'rural' | 'urban' | null = null) {
  const view = await core.client.invoke('surveys.get', { studentId });
  const v = view.survey;
  await core.client.invoke('surveys.save', {
    studentId,
    status: 'draft',
    fields: {
      householdSize: v?.householdSize ?? 3,
      hukou: v?.hukou ?? 'rural',
      members: v?.members ?? [],
      factors: v?.factors ?? [],
      otherHardship: v?.otherHardship ?? '',
      incomeSource: v?.incomeSource ?? null,
      childrenInSchool: v?.childrenInSchool ?? 1,
      commitmentSigned: v?.commitmentSigned ?? false,
      commitmentDate: v?.commitmentDate ?? null,
      enteredBy: '',
      note: '',
    },
    flags: groups.map((group) => ({ group, source: 'selfDeclared' as const, sourceDate: '2026-09-05', area })),
    version: v?.version,
  });
}

/** A county list as a workbook: 姓名, 身份证号, 类别 — imported with the given kind and date (and 城乡 default). */
export async function importCountyList(
  core: TestCore,
  kind: 'poverty' | 'dibao' | 'disabled',
  rows: { name: string; idNumber: string; category: string }[],
  listDate: string,
  area: 'rural' | 'urban' | null = null,
  sheetName = '名单',
) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(['姓名', '身份证号', '类别']);
  for (const r of rows) ws.addRow([r.name, r.idNumber, r.category]);
  const dataBase64 = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
  const preview = await core.client.invoke('lists.preview', { upload: { fileName: `${kind}-${listDate}.xlsx`, dataBase64 }, kind, area });
  await core.client.invoke('lists.import', { uploadId: preview.uploadId, kind, layout: preview.layout, listDate, area });
  const cross = await core.client.invoke('crosscheck.run', {});
  if (cross.listedNotFlagged.length)
    await core.client.invoke('crosscheck.apply', {
      items: cross.listedNotFlagged.map((i) => ({ studentId: i.studentId, group: i.group })),
    });
}

export const idOf = (core: TestCore, studentId: number) =>
  core.ctx.store.sqlite.prepare(`SELECT id_number FROM student WHERE id = ?`).pluck().get(studentId) as string;
export const cardOf = (core: TestCore, studentId: number) =>
  core.ctx.store.sqlite.prepare(`SELECT bank_card FROM student WHERE id = ?`).pluck().get(studentId) as string;

/** A programme of the term by code. */
export async function programme(core: TestCore, code: string) {
  return (await core.client.invoke('programmes.list', {})).find((p) => p.code === code)!;
}

/** Applications created for the students, submitted and sent to school review (on the core's today). */
export async function applyAndReview(core: TestCore, programmeId: number, term: Term, studentIds: number[]) {
  await core.client.invoke('applications.create', { programmeId, term, from: 'students', studentIds });
  const ids = (await core.client.invoke('applications.list', { programmeId, term })).rows
    .filter((a) => studentIds.includes(a.studentId) && ['draft', 'returned'].includes(a.status))
    .map((a) => a.id);
  for (const action of ['submit', 'toClassReview', 'toSchoolReview'] as const)
    await core.client.invoke('applications.transition', { ids, action });
  return ids;
}
