/** Posting the year's identification results (认定结果公示), at class or school level, through the publicity machinery. */
import type { CallArgs } from '../../../shared/api';
import { LEVEL_TEXT, type DifficultyLevel } from '../../../shared/domain/identification';
import type { PublicityDetail } from '../../../shared/domain/publicity';
import { AppError } from '../../../shared/errors';
import { type CoreContext } from '../context';
import { createPublicity, getPublicity } from '../publicity/publicity';
import { requireSchool, yearOf } from '../school/school';

export const IDENTIFICATION_INTRO = (school: string, year: string) =>
  `根据国家和省有关家庭经济困难学生认定工作的规定，经个人申请、班级民主评议和学校认定工作组审核，${school}${year}学年家庭经济困难学生认定结果如下，现予公示。`;

/**
 * Posts the decided identifications not yet posted at this level: one class's (class level), or the school's
 * (which includes the classes already posted at class level). Recognised students only: 不困难 is not posted.
 */
export async function createIdentificationPublicity(
  ctx: CoreContext,
  args: CallArgs<'publicity.createIdentification'>,
): Promise<PublicityDetail> {
  const school = await requireSchool(ctx);
  const year = await yearOf(ctx, args.schoolYear);
  if (args.level === 'class' && args.classId === null) throw new AppError('validation', '班级公示须选择班级');
  const sqlite = ctx.store.sqlite;
  const classId = args.level === 'class' || args.classId !== null ? args.classId : null;
  // Each decision once per level: a re-decided case is a new decision and is posted again.
  const rows = sqlite
    .prepare(
      `SELECT i.id, i.student_id, i.level, i.decided_on FROM identification i JOIN student s ON s.id = i.student_id LEFT JOIN school_class c ON c.id = s.class_id
       WHERE i.school_year = ? AND i.status = 'decided' AND i.level <> 'none' AND s.status = 'enrolled'
         AND (? IS NULL OR s.class_id = ?)
         AND NOT EXISTS (SELECT 1 FROM publicity_entry e JOIN publicity p ON p.id = e.publicity_id
                         WHERE p.kind = 'identification' AND p.level = ? AND e.ref_id = i.id)
       ORDER BY c.grade_order, c.number, s.class_id, s.id`,
    )
    .all(year, classId, classId, args.level) as { id: number; student_id: number; level: DifficultyLevel; decided_on: string | null }[];
  if (rows.length === 0)
    throw new AppError(
      'publicity-empty',
      `${year}学年没有已认定、尚未公示（${args.level === 'class' ? '班级' : '学校'}公示）的困难学生。请先完成认定。`,
    );
  const className =
    classId === null
      ? ''
      : ((sqlite.prepare(`SELECT name FROM school_class WHERE id = ?`).pluck().get(classId) as string | undefined) ?? '');
  const id = sqlite
    .transaction(() =>
      createPublicity(ctx, {
        kind: 'identification',
        subject: year,
        title: args.title || `${school.name}${className}${year}学年家庭经济困难学生认定结果公示`,
        level: args.level,
        classId,
        startsOn: args.startsOn,
        backdateReason: args.backdateReason,
        workingDays: args.workingDays,
        complaintPhone: args.complaintPhone,
        decidedOn: rows.reduce<string | null>((max, r) => (r.decided_on && (!max || r.decided_on > max) ? r.decided_on : max), null),
        entries: rows.map((r) => ({ studentId: r.student_id, value: LEVEL_TEXT[r.level], refId: r.id })),
      }),
    )
    .immediate();
  return getPublicity(ctx, id);
}
