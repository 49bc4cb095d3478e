import type { CallArgs } from '../../../shared/api';
import { SEX_TEXT } from '../../../shared/domain/student';
import { EMPTY_SURVEY_FIELDS } from '../../../shared/domain/survey';
import { AppError } from '../../../shared/errors';
import { maskIdNumber } from '../../../shared/rules/mask';
import { type CoreContext } from '../context';
import { loadSurvey, surveyFields } from './survey-rows';
import { surveyForms, type SurveyFormData } from '../print/survey-form';
import { requireSchool } from '../school/school';
import { yearOf } from '../school/school';
import { loadFlags } from '../students/flags';

export async function printSurveyForms(ctx: CoreContext, args: CallArgs<'print.surveyForms'>) {
  const school = await requireSchool(ctx);
  const year = await yearOf(ctx, args.schoolYear);
  const sqlite = ctx.store.sqlite;
  let ids: number[];
  if (args.studentIds) ids = args.studentIds;
  else if (args.classId !== null) {
    ids = sqlite
      .prepare(`SELECT id FROM student WHERE class_id = ? AND status = 'enrolled' ORDER BY id`)
      .pluck()
      .all(args.classId) as number[];
  } else throw new AppError('validation', '请选择要打印申请表的班级或学生');
  if (ids.length === 0) throw new AppError('validation', '该班级没有在校学生');
  const student = sqlite.prepare(
    `SELECT s.*, c.name AS class_name FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE s.id = ?`,
  );
  const forms = ids.map((id): SurveyFormData => {
    const s = student.get(id) as
      | {
          name: string;
          sex: 'male' | 'female' | null;
          ethnicity: string;
          birth_date: string | null;
          id_number: string | null;
          student_number: string | null;
          class_name: string | null;
          hukou: 'rural' | 'urban' | null;
          address: string;
          guardian_phone: string;
        }
      | undefined;
    if (!s) throw new AppError('not-found', `编号为 ${id} 的学生不存在`);
    const survey = loadSurvey(sqlite, id, year);
    const fields = survey
      ? surveyFields(survey)
      : { ...EMPTY_SURVEY_FIELDS, hukou: s.hukou, address: s.address, guardianPhone: s.guardian_phone };
    return {
      schoolName: school.name,
      schoolYear: year,
      name: s.name,
      sex: s.sex ? SEX_TEXT[s.sex] : '',
      ethnicity: s.ethnicity,
      birthDate: s.birth_date,
      idNumber: args.fullNumbers ? s.id_number : maskIdNumber(s.id_number),
      studentNumber: args.fullNumbers ? s.student_number : maskIdNumber(s.student_number),
      className: s.class_name,
      survey: fields,
      groups: new Set(loadFlags(ctx, id).map((f) => f.group)),
    };
  });
  const title = ids.length === 1 ? `${forms[0]!.name} 认定申请表` : `${forms[0]!.className ?? ''} 认定申请表（${ids.length} 份）`;
  return surveyForms(title, forms);
}
