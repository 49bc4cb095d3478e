import type { CallArgs } from '../../../shared/api';
import type { CaseRow, SurveyStudent, SurveyView } from '../../../shared/api/surveys';
import type { DifficultyLevel, IdentificationStatus } from '../../../shared/domain/identification';
import type { PriorityFlag, PriorityGroup } from '../../../shared/domain/priority-group';
import type { SchoolYear, Stage } from '../../../shared/domain/school';
import { SEX_TEXT } from '../../../shared/domain/student';
import { EMPTY_SURVEY_FIELDS, type FamilySurveyFields } from '../../../shared/domain/survey';
import { AppError, notFound } from '../../../shared/errors';
import { maskAddress, maskIdNumber, maskPhone } from '../../../shared/rules/mask';
import { checkSurvey } from '../../../shared/rules/survey';
import { previousSchoolYear } from '../../../shared/rules/term';
import { digitsOnly } from '../../../shared/rules/text';
import { nowIso, today, type CoreContext } from '../context';
import { loadSurvey, surveyFields, writeSurvey } from './survey-rows';
import { yearOf } from '../school/school';
import { loadFlags, writeDeclaredFlags } from '../students/flags';
import { dropHeldSurvey, heldSurvey } from './held-surveys';

export interface StudentBasics {
  id: number;
  name: string;
  sex: 'male' | 'female' | null;
  ethnicity: string;
  birth_date: string | null;
  id_number: string | null;
  student_number: string | null;
  hukou: 'rural' | 'urban' | null;
  address: string;
  guardian_phone: string;
  class_id: number | null;
  class_name: string | null;
  status: string;
}

export function loadBasics(ctx: CoreContext, studentId: number): StudentBasics {
  const row = ctx.store.sqlite
    .prepare(
      `SELECT s.id, s.name, s.sex, s.ethnicity, s.birth_date, s.id_number, s.student_number, s.hukou, s.address, s.guardian_phone,
              s.class_id, c.name AS class_name, s.status
       FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE s.id = ?`,
    )
    .get(studentId) as StudentBasics | undefined;
  if (!row) throw notFound('该学生');
  return row;
}

/** The fields a new survey starts with: what the roster already knows. */
export function prefill(s: StudentBasics): FamilySurveyFields {
  return { ...EMPTY_SURVEY_FIELDS, hukou: s.hukou, address: s.address, guardianPhone: s.guardian_phone };
}

/** Declared flags (the family's word or a certificate): the ones a survey edits. */
export function declaredGroups(flags: PriorityFlag[]): Set<PriorityGroup> {
  return new Set(flags.filter((f) => f.source === 'selfDeclared' || f.source === 'certificate').map((f) => f.group));
}

function surveyYears(ctx: CoreContext, studentId: number): SchoolYear[] {
  return ctx.store.sqlite
    .prepare(`SELECT school_year FROM family_survey WHERE student_id = ? ORDER BY school_year DESC`)
    .pluck()
    .all(studentId) as SchoolYear[];
}

export async function listCases(ctx: CoreContext, args: CallArgs<'surveys.cases'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const where: string[] = [`s.status = 'enrolled'`];
  const params: (string | number)[] = [year, year, year];
  if (args.classId !== null) {
    where.push('s.class_id = ?');
    params.push(args.classId);
  }
  const search = args.search.trim();
  if (search) {
    where.push('instr(s.name, ?) > 0');
    params.push(search);
  }
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT s.id, s.name, s.class_id, c.name AS class_name, c.stage,
              f.status AS survey, f.per_capita_income_fen AS income,
              i.id AS iid, i.status AS istatus, i.score, i.suggested_level, i.panel_level, i.level, i.direct,
              (SELECT group_concat(DISTINCT grp) FROM priority_flag p WHERE p.student_id = s.id) AS flags,
              (SELECT count(*) FROM home_visit v WHERE v.student_id = s.id AND v.school_year = ?) AS visits
       FROM student s
       LEFT JOIN school_class c ON c.id = s.class_id
       LEFT JOIN family_survey f ON f.student_id = s.id AND f.school_year = ?
       LEFT JOIN identification i ON i.student_id = s.id AND i.school_year = ? AND i.status <> 'superseded'
       WHERE ${where.join(' AND ')}
       ORDER BY c.grade_order, c.number, s.class_id, s.id`,
    )
    .all(...params) as {
    id: number;
    name: string;
    class_id: number | null;
    class_name: string | null;
    stage: string | null;
    survey: 'draft' | 'complete' | null;
    income: number | null;
    iid: number | null;
    istatus: IdentificationStatus | null;
    score: number | null;
    suggested_level: DifficultyLevel | null;
    panel_level: DifficultyLevel | null;
    level: DifficultyLevel | null;
    direct: number | null;
    flags: string | null;
    visits: number;
  }[];
  return rows.map((r): CaseRow => ({
    studentId: r.id,
    name: r.name,
    classId: r.class_id,
    className: r.class_name,
    stage: r.stage as Stage | null,
    flags: r.flags ? (r.flags.split(',') as PriorityGroup[]) : [],
    survey: r.survey,
    perCapitaIncome: r.income,
    identificationId: r.iid,
    identification: r.istatus,
    score: r.score,
    suggestedLevel: r.suggested_level,
    panelLevel: r.panel_level,
    level: r.istatus === 'decided' ? r.level : null,
    direct: r.direct === 1,
    visits: r.visits,
  }));
}

export async function getSurveyView(ctx: CoreContext, args: CallArgs<'surveys.get'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const s = loadBasics(ctx, args.studentId);
  const survey = loadSurvey(ctx.store.sqlite, s.id, year);
  const hide = !args.reveal;
  const student: SurveyStudent = {
    id: s.id,
    name: s.name,
    sex: s.sex ? SEX_TEXT[s.sex] : '',
    ethnicity: s.ethnicity,
    birthDate: s.birth_date,
    idNumber: hide ? maskIdNumber(s.id_number) : s.id_number,
    studentNumber: hide ? maskIdNumber(s.student_number) : s.student_number,
    className: s.class_name,
    hukou: s.hukou,
    address: hide ? (maskAddress(s.address) ?? '') : s.address,
    guardianPhone: hide ? (maskPhone(s.guardian_phone) ?? '') : s.guardian_phone,
  };
  const view: SurveyView = {
    schoolYear: year,
    student,
    flags: loadFlags(ctx, s.id),
    years: surveyYears(ctx, s.id),
    masked: hide,
    held: heldSurvey(ctx, s.id, year, hide),
    survey:
      survey && hide
        ? { ...survey, address: maskAddress(survey.address) ?? '', guardianPhone: maskPhone(survey.guardianPhone) ?? '' }
        : survey,
  };
  return view;
}

export async function saveSurvey(ctx: CoreContext, args: CallArgs<'surveys.save'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const s = loadBasics(ctx, args.studentId);
  if (s.status !== 'enrolled') throw new AppError('student-left', `${s.name}已离校，不能再填写调查表`);
  const existing = loadSurvey(ctx.store.sqlite, s.id, year);
  if (args.version !== undefined && existing && existing.version !== args.version) {
    throw new AppError('survey-stale', `${s.name}的调查表在你打开之后已被修改（例如导入了班级调查表）。请关闭后重新打开再修改。`);
  }
  const start = existing ? surveyFields(existing) : prefill(s);
  const fields: FamilySurveyFields = {
    ...start,
    ...args.fields,
    address: args.fields.address ?? start.address,
    guardianPhone: args.fields.guardianPhone !== undefined ? digitsOnly(args.fields.guardianPhone) : start.guardianPhone,
    members: args.fields.members.map((m) => ({ ...m, name: m.name.trim() })),
    factors: [...new Set(args.fields.factors)],
  };
  const problems = checkSurvey(fields, args.status === 'complete', today(ctx));
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new AppError('validation', errors.map((p) => p.message).join('；'), { problems });
  const at = nowIso(ctx);
  ctx.store.sqlite
    .transaction(() => {
      writeSurvey(ctx.store.sqlite, { studentId: s.id, schoolYear: year, status: args.status, fields, at });
      if (args.flags) writeDeclaredFlags(ctx, s.id, args.flags, at);
      dropHeldSurvey(ctx, s.id, year);
    })
    .immediate();
  const saved = loadSurvey(ctx.store.sqlite, s.id, year)!;
  return {
    survey: { ...saved, address: maskAddress(saved.address) ?? '', guardianPhone: maskPhone(saved.guardianPhone) ?? '' },
    warnings: problems,
  };
}

export async function carryForward(ctx: CoreContext, args: CallArgs<'surveys.carryForward'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const from = previousSchoolYear(year);
  let ids: number[];
  if (args.studentIds) ids = args.studentIds;
  else if (args.classId !== null) ids = classStudents(ctx, args.classId).map((s) => s.id);
  else ids = ctx.store.sqlite.prepare(`SELECT id FROM student WHERE status = 'enrolled'`).pluck().all() as number[];
  const at = nowIso(ctx);
  return ctx.store.sqlite
    .transaction(() => {
      let created = 0;
      let skipped = 0;
      for (const id of ids) {
        const last = loadSurvey(ctx.store.sqlite, id, from);
        if (!last || loadSurvey(ctx.store.sqlite, id, year)) {
          skipped++;
          continue;
        }
        // A carried survey is a draft: the family confirms it and signs a new commitment for the new year.
        const fields = { ...surveyFields(last), commitmentSigned: false, commitmentDate: null, enteredBy: '' };
        writeSurvey(ctx.store.sqlite, { studentId: id, schoolYear: year, status: 'draft', fields, carriedFrom: from, at });
        created++;
      }
      return { created, skipped };
    })
    .immediate();
}

/** Students of a class (enrolled, in roster order). */
export function classStudents(ctx: CoreContext, classId: number): StudentBasics[] {
  return ctx.store.sqlite
    .prepare(
      `SELECT s.id, s.name, s.sex, s.ethnicity, s.birth_date, s.id_number, s.student_number, s.hukou, s.address, s.guardian_phone,
              s.class_id, c.name AS class_name, s.status
       FROM student s JOIN school_class c ON c.id = s.class_id WHERE s.class_id = ? AND s.status = 'enrolled' ORDER BY s.id`,
    )
    .all(classId) as StudentBasics[];
}
