import type { Handlers } from '../../../shared/api/contract';
import type { CaseRow, SurveyImportPreview, SurveyReviewItem, surveysApi, SurveyStudent, SurveyView } from '../../../shared/api/surveys';
import type { DifficultyLevel, IdentificationStatus } from '../../../shared/domain/identification';
import type { PriorityFlag, PriorityGroup } from '../../../shared/domain/priority-group';
import type { SchoolYear, Stage } from '../../../shared/domain/school';
import { SEX_TEXT } from '../../../shared/domain/student';
import {
  HARDSHIP_FACTORS,
  INCOME_SOURCE_TEXT,
  type FamilySurveyFields,
  type HomeVisit,
  type IncomeSource,
  type SurveyFlag,
  type VisitSample,
} from '../../../shared/domain/survey';
import { AppError, notFound } from '../../../shared/errors';
import { maskAddress, maskIdNumber, maskPhone } from '../../../shared/rules/mask';
import { drawSample } from '../../../shared/rules/sample';
import { checkSurvey } from '../../../shared/rules/survey';
import { previousSchoolYear } from '../../../shared/rules/term';
import { digitsOnly } from '../../../shared/rules/text';
import { nowIso, today, type CoreContext } from '../context';
import { EMPTY_SURVEY, loadSurvey, surveyFields, writeSurvey } from '../db/survey-rows';
import { buildSurveyWorkbook, fieldHeader, flattenSurvey, type WorkbookStudent } from '../export/survey-workbook';
import { readSurveyWorkbook, type ReturnedWorkbook } from '../import/survey-workbook';
import { getUpload, resolveUpload } from './roster';
import { requireSchool } from './school';

export async function yearOf(ctx: CoreContext, schoolYear: SchoolYear | undefined): Promise<SchoolYear> {
  return schoolYear ?? (await requireSchool(ctx)).schoolYear;
}

interface StudentBasics {
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

function loadBasics(ctx: CoreContext, studentId: number): StudentBasics {
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

export function loadFlags(ctx: CoreContext, studentId: number): PriorityFlag[] {
  const rows = ctx.store.sqlite
    .prepare(`SELECT grp, source, source_date FROM priority_flag WHERE student_id = ? ORDER BY id`)
    .all(studentId) as {
    grp: string;
    source: PriorityFlag['source'];
    source_date: string | null;
  }[];
  return rows.map((r) => ({ group: r.grp as PriorityGroup, source: r.source, sourceDate: r.source_date }));
}

/** The fields a new survey starts with: what the roster already knows. */
function prefill(s: StudentBasics): FamilySurveyFields {
  return { ...EMPTY_SURVEY, hukou: s.hukou, address: s.address, guardianPhone: s.guardian_phone };
}

/** Declared flags (the family's word or a certificate): the ones a survey edits. */
function declaredGroups(flags: PriorityFlag[]): Set<PriorityGroup> {
  return new Set(flags.filter((f) => f.source === 'selfDeclared' || f.source === 'certificate').map((f) => f.group));
}

/** Replaces a student's declared flags; county-list and roster flags are never touched here. Inside a transaction. */
function writeDeclaredFlags(ctx: CoreContext, studentId: number, flags: SurveyFlag[], at: string): void {
  const sqlite = ctx.store.sqlite;
  const before = loadFlags(ctx, studentId).filter((f) => f.source === 'selfDeclared' || f.source === 'certificate');
  const text = (list: { group: string; source: string; sourceDate: string | null }[]) =>
    list
      .map((f) => `${f.group}/${f.source}/${f.sourceDate ?? ''}`)
      .sort()
      .join(',');
  const unique = [...new Map(flags.map((f) => [`${f.group}/${f.source}`, f])).values()];
  if (text(before) === text(unique)) return;
  sqlite.prepare(`DELETE FROM priority_flag WHERE student_id = ? AND source IN ('selfDeclared', 'certificate')`).run(studentId);
  const insert = sqlite.prepare(`INSERT INTO priority_flag (student_id, grp, source, source_date, created_at) VALUES (?, ?, ?, ?, ?)`);
  for (const f of unique) insert.run(studentId, f.group, f.source, f.sourceDate, at);
  sqlite
    .prepare(
      `INSERT INTO student_change (student_id, changed_at, field, old_value, new_value, source) VALUES (?, ?, 'flags', ?, ?, 'edit')`,
    )
    .run(studentId, at, describeFlags(before), describeFlags(unique));
}

function describeFlags(flags: { group: PriorityGroup; source: string }[]): string | null {
  if (flags.length === 0) return null;
  return flags.map((f) => `${f.group}${f.source === 'certificate' ? '（已查验证件）' : '（本人申报）'}`).join('、');
}

function surveyYears(ctx: CoreContext, studentId: number): SchoolYear[] {
  return ctx.store.sqlite
    .prepare(`SELECT school_year FROM family_survey WHERE student_id = ? ORDER BY school_year DESC`)
    .pluck()
    .all(studentId) as SchoolYear[];
}

/** Students of a class (enrolled, in roster order). */
function classStudents(ctx: CoreContext, classId: number): StudentBasics[] {
  return ctx.store.sqlite
    .prepare(
      `SELECT s.id, s.name, s.sex, s.ethnicity, s.birth_date, s.id_number, s.student_number, s.hukou, s.address, s.guardian_phone,
              s.class_id, c.name AS class_name, s.status
       FROM student s JOIN school_class c ON c.id = s.class_id WHERE s.class_id = ? AND s.status = 'enrolled' ORDER BY s.id`,
    )
    .all(classId) as StudentBasics[];
}

function className(ctx: CoreContext, classId: number): string {
  const name = ctx.store.sqlite.prepare(`SELECT name FROM school_class WHERE id = ?`).pluck().get(classId) as string | undefined;
  if (name === undefined) throw notFound('该班级');
  return name;
}

interface ExportBase {
  classId: number;
  schoolYear: SchoolYear;
  exportedAt: string;
  /** studentId → flat values at export. */
  students: Record<string, Record<string, string>>;
}

/** The flat values of a student as AidDesk holds them now. */
function currentFlat(
  ctx: CoreContext,
  s: StudentBasics,
  year: SchoolYear,
): { flat: Record<string, string>; fields: FamilySurveyFields; exists: boolean } {
  const survey = loadSurvey(ctx.store.sqlite, s.id, year);
  const fields = survey ? surveyFields(survey) : prefill(s);
  return { flat: flattenSurvey(fields, declaredGroups(loadFlags(ctx, s.id))), fields, exists: survey !== null };
}

function shown(field: string, value: string): string {
  if (!value) return '';
  if (field === 'address') return maskAddress(value) ?? '';
  if (field === 'guardianPhone') return maskPhone(value) ?? '';
  return value;
}

interface Review {
  base: ExportBase;
  className: string;
  returned: ReturnedWorkbook;
  items: (SurveyReviewItem & { value: string })[];
  unchanged: number;
}

function review(ctx: CoreContext, fileName: string, returned: ReturnedWorkbook): Review {
  const exp = ctx.store.sqlite.prepare(`SELECT * FROM survey_export WHERE id = ?`).get(returned.exportId) as
    { class_id: number; school_year: string; exported_at: string; base: string } | undefined;
  if (!exp) {
    throw new AppError(
      'survey-export-unknown',
      `“${fileName}”不是从本机导出的调查表（找不到导出记录），无法判断哪些是班主任的修改。请用本机导出的调查表收集。`,
    );
  }
  const base: ExportBase = {
    classId: exp.class_id,
    schoolYear: exp.school_year as SchoolYear,
    exportedAt: exp.exported_at,
    students: JSON.parse(exp.base) as ExportBase['students'],
  };
  const items: Review['items'] = [];
  let unchanged = 0;
  for (const r of returned.students) {
    const was = base.students[String(r.studentId)];
    if (!was) {
      returned.problems.push({
        sheet: '家庭情况',
        row: r.row,
        column: 'A（学生编号）',
        message: `学生编号 ${r.studentId} 不属于这份导出的班级，此行未导入`,
      });
      continue;
    }
    const s = loadBasics(ctx, r.studentId);
    const mine = currentFlat(ctx, s, base.schoolYear).flat;
    for (const [field, theirs] of Object.entries(r.flat)) {
      const baseValue = was[field] ?? '';
      const mineValue = mine[field] ?? '';
      if (theirs === baseValue || theirs === mineValue) {
        unchanged++;
        continue;
      }
      const kind: SurveyReviewItem['kind'] = mineValue !== baseValue ? 'conflict' : baseValue === '' ? 'new' : 'changed';
      items.push({
        key: `${r.studentId}:${field}`,
        studentId: r.studentId,
        name: s.name,
        field,
        label: fieldHeader(field),
        base: shown(field, baseValue),
        theirs: shown(field, theirs),
        mine: shown(field, mineValue),
        kind,
        value: theirs,
      });
    }
  }
  return { base, className: className(ctx, base.classId), returned, items, unchanged };
}

/** Applies one accepted flat value to the survey fields. */
function applyFlat(
  fields: FamilySurveyFields,
  field: string,
  value: string,
  members: FamilySurveyFields['members'] | null,
): FamilySurveyFields {
  const f = { ...fields };
  const n = (v: string) => (v === '' ? null : Number(v));
  if (field.startsWith('factor:')) {
    const factor = field.slice(7) as FamilySurveyFields['factors'][number];
    f.factors = HARDSHIP_FACTORS.filter((x) => (x === factor ? value === '是' : fields.factors.includes(x)));
    return f;
  }
  switch (field) {
    case 'hukou':
      f.hukou = value === '农村' ? 'rural' : value === '城镇' ? 'urban' : null;
      break;
    case 'householdSize':
      f.householdSize = n(value);
      break;
    case 'childrenInSchool':
      f.childrenInSchool = n(value);
      break;
    case 'address':
      f.address = value;
      break;
    case 'guardianPhone':
      f.guardianPhone = value;
      break;
    case 'incomeSource':
      f.incomeSource = (Object.entries(INCOME_SOURCE_TEXT).find(([, t]) => t === value)?.[0] as IncomeSource | undefined) ?? null;
      break;
    case 'otherHardship':
      f.otherHardship = value;
      break;
    case 'commitmentSigned':
      f.commitmentSigned = value === '是';
      break;
    case 'commitmentDate':
      f.commitmentDate = value || null;
      break;
    case 'enteredBy':
      f.enteredBy = value;
      break;
    case 'note':
      f.note = value;
      break;
    case 'members':
      f.members = members ?? fields.members;
      break;
  }
  return f;
}

export const surveysHandlers: Handlers<typeof surveysApi, CoreContext> = {
  'surveys.cases': async (ctx, args) => {
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
  },

  'surveys.get': async (ctx, args) => {
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
      survey:
        survey && hide
          ? { ...survey, address: maskAddress(survey.address) ?? '', guardianPhone: maskPhone(survey.guardianPhone) ?? '' }
          : survey,
    };
    return view;
  },

  'surveys.save': async (ctx, args) => {
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
      })
      .immediate();
    const saved = loadSurvey(ctx.store.sqlite, s.id, year)!;
    return {
      survey: { ...saved, address: maskAddress(saved.address) ?? '', guardianPhone: maskPhone(saved.guardianPhone) ?? '' },
      warnings: problems,
    };
  },

  'surveys.carryForward': async (ctx, args) => {
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
  },

  'surveys.exportClass': async (ctx, args) => {
    const school = await requireSchool(ctx);
    const year = await yearOf(ctx, args.schoolYear);
    const name = className(ctx, args.classId);
    const students = classStudents(ctx, args.classId);
    if (students.length === 0) throw new AppError('class-empty', `${name}没有在校学生，无需导出调查表`);
    const rows: WorkbookStudent[] = students.map((s) => {
      const { flat, fields } = currentFlat(ctx, s, year);
      return { id: s.id, name: s.name, flat, members: fields.members };
    });
    const exportId = ctx.newId();
    const exportedAt = nowIso(ctx);
    const base: ExportBase['students'] = Object.fromEntries(rows.map((r) => [String(r.id), r.flat]));
    const data = await buildSurveyWorkbook({ exportId, schoolName: school.name, className: name, schoolYear: year, exportedAt }, rows);
    ctx.store.sqlite
      .prepare(`INSERT INTO survey_export (id, class_id, school_year, exported_at, base) VALUES (?, ?, ?, ?, ?)`)
      .run(exportId, args.classId, year, exportedAt, JSON.stringify(base));
    return { fileName: `${name}-${year}学年家庭情况调查表.xlsx`, dataBase64: data.toString('base64') };
  },

  'surveys.previewImport': async (ctx, args) => {
    const upload = await resolveUpload(ctx, args.upload);
    const r = review(ctx, upload.fileName, readSurveyWorkbook(upload.fileName, upload.table, today(ctx)));
    const preview: SurveyImportPreview = {
      uploadId: upload.id,
      fileName: upload.fileName,
      className: r.className,
      schoolYear: r.base.schoolYear,
      exportedAt: r.base.exportedAt,
      items: r.items.map(({ value: _value, ...item }) => item),
      problems: r.returned.problems,
      unchanged: r.unchanged,
    };
    return preview;
  },

  'surveys.applyImport': async (ctx, args) => {
    const upload = getUpload(ctx, args.uploadId);
    const r = review(ctx, upload.fileName, readSurveyWorkbook(upload.fileName, upload.table, today(ctx)));
    const accepted = new Set(args.accept);
    const unknown = args.accept.filter((k) => !r.items.some((i) => i.key === k));
    if (unknown.length) {
      throw new AppError('survey-review-stale', '调查表的内容在预览之后已发生变化（可能刚保存过其他修改），请重新预览后再确认');
    }
    const byStudent = new Map<number, typeof r.items>();
    for (const item of r.items) if (accepted.has(item.key)) byStudent.set(item.studentId, [...(byStudent.get(item.studentId) ?? []), item]);
    const at = nowIso(ctx);
    let applied = 0;
    ctx.store.sqlite
      .transaction(() => {
        for (const [studentId, items] of byStudent) {
          const s = loadBasics(ctx, studentId);
          const existing = loadSurvey(ctx.store.sqlite, studentId, r.base.schoolYear);
          let fields = existing ? surveyFields(existing) : prefill(s);
          const members = r.returned.students.find((x) => x.studentId === studentId)?.members ?? null;
          const flags = loadFlags(ctx, studentId).filter((f) => f.source === 'selfDeclared' || f.source === 'certificate');
          let flagsChanged = false;
          for (const item of items) {
            if (item.field.startsWith('flag:')) {
              const group = item.field.slice(5) as PriorityGroup;
              flagsChanged = true;
              if (item.value === '是' && !flags.some((f) => f.group === group))
                flags.push({ group, source: 'selfDeclared', sourceDate: today(ctx) });
              if (item.value !== '是') for (let i = flags.length - 1; i >= 0; i--) if (flags[i]!.group === group) flags.splice(i, 1);
            } else fields = applyFlat(fields, item.field, item.value, members);
            applied++;
          }
          writeSurvey(ctx.store.sqlite, { studentId, schoolYear: r.base.schoolYear, status: existing?.status ?? 'draft', fields, at });
          if (flagsChanged) writeDeclaredFlags(ctx, studentId, flags as SurveyFlag[], at);
        }
      })
      .immediate();
    ctx.uploads.delete(upload.id);
    return { applied, students: byStudent.size };
  },

  'visits.list': async (ctx, args) => {
    const year = await yearOf(ctx, args.schoolYear);
    const rows = ctx.store.sqlite
      .prepare(
        `SELECT v.*, s.name AS student_name, c.name AS class_name FROM home_visit v JOIN student s ON s.id = v.student_id
         LEFT JOIN school_class c ON c.id = s.class_id
         WHERE ${args.studentId ? 'v.student_id = ?' : 'v.school_year = ?'} ORDER BY v.visited_on DESC, v.id DESC`,
      )
      .all(args.studentId ?? year) as {
      id: number;
      student_id: number;
      student_name: string;
      class_name: string | null;
      school_year: string;
      visited_on: string;
      visitors: string;
      way: HomeVisit['way'];
      findings: string;
      follow_up: string;
      sample_id: number | null;
    }[];
    return rows.map((r): HomeVisit => ({
      id: r.id,
      studentId: r.student_id,
      studentName: r.student_name,
      className: r.class_name,
      schoolYear: r.school_year as SchoolYear,
      visitedOn: r.visited_on,
      visitors: r.visitors,
      way: r.way,
      findings: r.findings,
      followUp: r.follow_up,
      sampleId: r.sample_id,
    }));
  },

  'visits.add': async (ctx, args) => {
    const year = await yearOf(ctx, args.schoolYear);
    const s = loadBasics(ctx, args.studentId);
    if (args.visitedOn > today(ctx)) throw new AppError('validation', `家访日期 ${args.visitedOn} 晚于今天`);
    // A visit to a sampled family counts for the newest sample still waiting for it, unless told otherwise.
    const sampleId =
      args.sampleId ??
      (ctx.store.sqlite
        .prepare(
          `SELECT m.id FROM visit_sample m WHERE m.school_year = ? AND EXISTS (SELECT 1 FROM json_each(m.student_ids) j WHERE j.value = ?)
             AND NOT EXISTS (SELECT 1 FROM home_visit v WHERE v.sample_id = m.id AND v.student_id = ?) ORDER BY m.id DESC LIMIT 1`,
        )
        .pluck()
        .get(year, s.id, s.id) as number | undefined) ??
      null;
    const id = Number(
      ctx.store.sqlite
        .prepare(
          `INSERT INTO home_visit (student_id, school_year, visited_on, visitors, way, findings, follow_up, sample_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.id, year, args.visitedOn, args.visitors, args.way, args.findings, args.followUp, sampleId, nowIso(ctx)).lastInsertRowid,
    );
    return {
      id,
      studentId: s.id,
      studentName: s.name,
      className: s.class_name,
      schoolYear: year,
      visitedOn: args.visitedOn,
      visitors: args.visitors,
      way: args.way,
      findings: args.findings,
      followUp: args.followUp,
      sampleId,
    };
  },

  'visits.drawSample': async (ctx, args) => {
    const year = await yearOf(ctx, args.schoolYear);
    const population = ctx.store.sqlite
      .prepare(
        `SELECT i.student_id FROM identification i JOIN student s ON s.id = i.student_id
         WHERE i.school_year = ? AND i.status = 'decided' AND i.level <> 'none' AND s.status = 'enrolled'`,
      )
      .pluck()
      .all(year) as number[];
    if (population.length === 0) throw new AppError('sample-empty', `${year}学年还没有认定为困难的学生，无法抽取核查家访对象`);
    // Recorded with the sample, so anyone can draw it again and get the same students.
    const seed = args.seed || `${year}-${today(ctx)}-${ctx.newId().slice(0, 6)}`;
    const ids = drawSample(population, args.percent, seed);
    const id = Number(
      ctx.store.sqlite
        .prepare(`INSERT INTO visit_sample (school_year, percent, seed, population, student_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(year, args.percent, seed, population.length, JSON.stringify(ids), nowIso(ctx)).lastInsertRowid,
    );
    return loadSamples(ctx, year).find((s) => s.id === id)!;
  },

  'visits.samples': async (ctx, args) => loadSamples(ctx, await yearOf(ctx, args.schoolYear)),
};

function loadSamples(ctx: CoreContext, year: SchoolYear): VisitSample[] {
  const rows = ctx.store.sqlite.prepare(`SELECT * FROM visit_sample WHERE school_year = ? ORDER BY id DESC`).all(year) as {
    id: number;
    percent: number;
    seed: string;
    population: number;
    student_ids: string;
    created_at: string;
  }[];
  const student = ctx.store.sqlite.prepare(
    `SELECT s.name, c.name AS class_name, EXISTS (SELECT 1 FROM home_visit v WHERE v.student_id = s.id AND v.school_year = ? AND v.sample_id = ?) AS visited
     FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE s.id = ?`,
  );
  return rows.map((r) => ({
    id: r.id,
    schoolYear: year,
    percent: r.percent,
    seed: r.seed,
    population: r.population,
    createdAt: r.created_at,
    students: (JSON.parse(r.student_ids) as number[]).map((id) => {
      const s = student.get(year, r.id, id) as { name: string; class_name: string | null; visited: number };
      return { id, name: s.name, className: s.class_name, visited: s.visited === 1 };
    }),
  }));
}
