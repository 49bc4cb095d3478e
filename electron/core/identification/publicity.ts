import type { CallArgs } from '../../../shared/api';
import { LEVEL_TEXT, type DifficultyLevel } from '../../../shared/domain/identification';
import { AppError } from '../../../shared/errors';
import { type CoreContext } from '../context';
import { createPublicity, getPublicity } from '../publicity/publicity';
import { requireSchool } from '../school/school';
import { yearOf } from '../school/school';

export const IDENTIFICATION_INTRO = (school: string, year: string) =>
  `根据国家和省有关家庭经济困难学生认定工作的规定，经个人申请、班级民主评议和学校认定工作组审核，${school}${year}学年家庭经济困难学生认定结果如下，现予公示。`;

export async function createIdentificationPublicity(ctx: CoreContext, args: CallArgs<'publicity.createIdentification'>) {
  const school = await requireSchool(ctx);
  const year = await yearOf(ctx, args.schoolYear);
  const sqlite = ctx.store.sqlite;
  // Recognised students only (不困难 is not posted), each decision once: a re-decided case is posted again.
  const rows = sqlite
    .prepare(
      `SELECT i.id, i.student_id, i.level FROM identification i JOIN student s ON s.id = i.student_id LEFT JOIN school_class c ON c.id = s.class_id
       WHERE i.school_year = ? AND i.status = 'decided' AND i.level <> 'none' AND s.status = 'enrolled'
         ${args.classId !== null ? 'AND s.class_id = ?' : ''}
         AND NOT EXISTS (SELECT 1 FROM publicity_entry e JOIN publicity p ON p.id = e.publicity_id WHERE p.kind = 'identification' AND e.ref_id = i.id)
       ORDER BY c.grade_order, c.number, s.class_id, s.id`,
    )
    .all(...(args.classId !== null ? [year, args.classId] : [year])) as { id: number; student_id: number; level: DifficultyLevel }[];
  if (rows.length === 0) throw new AppError('publicity-empty', `${year}学年没有已认定、尚未公示的困难学生。请先完成认定。`);
  const id = sqlite
    .transaction(() =>
      createPublicity(ctx, {
        kind: 'identification',
        subject: year,
        title: args.title || `${school.name}${year}学年家庭经济困难学生认定结果公示`,
        startsOn: args.startsOn,
        workingDays: args.workingDays,
        complaintPhone: args.complaintPhone,
        entries: rows.map((r) => ({ studentId: r.student_id, value: LEVEL_TEXT[r.level], refId: r.id })),
      }),
    )
    .immediate();
  return getPublicity(ctx, id);
}
