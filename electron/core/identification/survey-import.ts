import type { CallArgs } from '../../../shared/api';
import type { SurveyImportPreview, SurveyReviewItem } from '../../../shared/api/surveys';
import type { PriorityGroup } from '../../../shared/domain/priority-group';
import type { SchoolYear } from '../../../shared/domain/school';
import {
  HARDSHIP_FACTORS,
  INCOME_SOURCE_TEXT,
  type FamilySurveyFields,
  type IncomeSource,
  type SurveyFlag,
} from '../../../shared/domain/survey';
import { AppError, notFound } from '../../../shared/errors';
import { maskAddress, maskedPair, maskPhone } from '../../../shared/rules/mask';
import { nowIso, today, type CoreContext } from '../context';
import { loadSurvey, surveyFields, writeSurvey } from './survey-rows';
import { buildSurveyWorkbook, fieldHeader, flattenSurvey, type WorkbookStudent } from '../export/survey-workbook';
import { readSurveyWorkbook, type ReturnedWorkbook } from '../import/survey-workbook';
import { getUpload, resolveUpload, tableOf } from '../uploads';
import { requireSchool, yearOf } from '../school/school';
import { loadFlags, writeDeclaredFlags } from '../students/flags';
import { classStudents, declaredGroups, loadBasics, prefill, type StudentBasics } from './surveys';

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
        // Told apart where the masks would make the family's value and this desk's look the same.
        theirs: maskedPair(theirs, mineValue, (v) => shown(field, v ?? ''))[0] ?? '',
        mine: maskedPair(theirs, mineValue, (v) => shown(field, v ?? ''))[1] ?? '',
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

export async function exportClassWorkbook(ctx: CoreContext, args: CallArgs<'surveys.exportClass'>) {
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
}

export async function previewSurveyImport(ctx: CoreContext, args: CallArgs<'surveys.previewImport'>) {
  const upload = await resolveUpload(ctx, args.upload);
  const r = review(ctx, upload.fileName, readSurveyWorkbook(upload.fileName, tableOf(upload), today(ctx)));
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
}

export async function applySurveyImport(ctx: CoreContext, args: CallArgs<'surveys.applyImport'>) {
  const upload = getUpload(ctx, args.uploadId);
  const r = review(ctx, upload.fileName, readSurveyWorkbook(upload.fileName, tableOf(upload), today(ctx)));
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
}
