/**
 * The schools of the desk: the central school (中心校, id 1, named by the school's setup) and its member schools
 * (校点, 教学点). The one writer of `member_school`. A desk with only the central school shows no school picker.
 */
import { CENTRAL_SCHOOL_ID, type MemberSchool, type MemberSchoolKind } from '../../../shared/domain/school';
import { AppError } from '../../../shared/errors';
import { nowIso, type CoreContext } from '../context';

/** No desk needs more: a township's central school has a few dozen teaching points at most. */
export const MAX_MEMBER_SCHOOLS = 200;

export function listMemberSchools(ctx: CoreContext): MemberSchool[] {
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT m.id, m.name, m.kind,
              (SELECT count(*) FROM school_class c WHERE c.school_id = m.id) AS classes,
              (SELECT count(*) FROM student s WHERE s.school_id = m.id AND s.status = 'enrolled') AS students
       FROM member_school m ORDER BY m.id = 1 DESC, m.position, m.id`,
    )
    .all() as { id: number; name: string; kind: MemberSchoolKind; classes: number; students: number }[];
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, classCount: r.classes, studentCount: r.students }));
}

/** The names by id, for lists and messages, in the schools' order (the central school first, as the list shows them). */
export function memberSchoolNames(ctx: CoreContext): Map<number, string> {
  const rows = ctx.store.sqlite.prepare(`SELECT id, name FROM member_school ORDER BY id = 1 DESC, position, id`).all() as {
    id: number;
    name: string;
  }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A school of the desk by id, or a clear message. */
export function requireMemberSchool(ctx: CoreContext, id: number): MemberSchool {
  const school = listMemberSchools(ctx).find((s) => s.id === id);
  if (!school) throw new AppError('not-found', '没有这所学校（校点）：可能已被删除，请刷新后重选');
  return school;
}

/** Whether the desk keeps more than its own school (pages then show a school picker and a 学校 column). */
export function hasMemberSchools(ctx: CoreContext): boolean {
  return ctx.store.sqlite.prepare(`SELECT 1 FROM member_school WHERE id <> 1 LIMIT 1`).get() !== undefined;
}

function checkName(ctx: CoreContext, name: string, except: number | null): void {
  const clash = ctx.store.sqlite.prepare(`SELECT id FROM member_school WHERE name = ?`).pluck().get(name) as number | undefined;
  if (clash !== undefined && clash !== except) throw new AppError('duplicate', `已有名为“${name}”的学校，请换一个名称（可加上村名）`);
}

export function addMemberSchool(ctx: CoreContext, args: { name: string; kind: Exclude<MemberSchoolKind, 'central'> }): MemberSchool {
  checkName(ctx, args.name, null);
  const count = ctx.store.sqlite.prepare(`SELECT count(*) FROM member_school`).pluck().get() as number;
  if (count >= MAX_MEMBER_SCHOOLS) throw new AppError('validation', `一个工作台最多管理 ${MAX_MEMBER_SCHOOLS} 所学校`);
  const id = Number(
    ctx.store.sqlite
      .prepare(`INSERT INTO member_school (name, kind, position, created_at) VALUES (?, ?, ?, ?)`)
      .run(args.name, args.kind, count, nowIso(ctx)).lastInsertRowid,
  );
  return requireMemberSchool(ctx, id);
}

/** Renames a member school or changes its kind; the central school is named in the school's setup. */
export function updateMemberSchool(
  ctx: CoreContext,
  args: { id: number; name: string; kind: Exclude<MemberSchoolKind, 'central'> },
): MemberSchool {
  if (args.id === CENTRAL_SCHOOL_ID) throw new AppError('validation', '中心校的名称请在“设置 → 学校信息”中修改');
  requireMemberSchool(ctx, args.id);
  checkName(ctx, args.name, args.id);
  ctx.store.sqlite.prepare(`UPDATE member_school SET name = ?, kind = ? WHERE id = ?`).run(args.name, args.kind, args.id);
  return requireMemberSchool(ctx, args.id);
}

/** Only an empty member school can go: its students and classes are its records. */
export function removeMemberSchool(ctx: CoreContext, id: number): { removed: true } {
  if (id === CENTRAL_SCHOOL_ID) throw new AppError('validation', '中心校不能删除');
  const school = requireMemberSchool(ctx, id);
  const students = ctx.store.sqlite.prepare(`SELECT count(*) FROM student WHERE school_id = ?`).pluck().get(id) as number;
  if (students > 0 || school.classCount > 0)
    throw new AppError(
      'in-use',
      `“${school.name}”还有 ${students} 名学生、${school.classCount} 个班级的记录，不能删除（已离校的学生也是档案的一部分）`,
    );
  const cases = ctx.store.sqlite.prepare(`SELECT count(*) FROM dual_enrolment WHERE school_id = ?`).pluck().get(id) as number;
  if (cases > 0) throw new AppError('in-use', `“${school.name}”有 ${cases} 条双学籍核对记录，不能删除`);
  const files = ctx.store.sqlite.prepare(`SELECT count(*) FROM archive_item WHERE school_id = ?`).pluck().get(id) as number;
  if (files > 0) throw new AppError('in-use', `“${school.name}”已登记 ${files} 项档案，不能删除`);
  const meals = ctx.store.sqlite.prepare(`SELECT count(*) FROM meal_day WHERE school_id = ?`).pluck().get(id) as number;
  if (meals > 0) throw new AppError('in-use', `“${school.name}”已登记 ${meals} 天的供餐记录，不能删除`);
  const quotas = ctx.store.sqlite.prepare(`SELECT count(*) FROM school_quota WHERE school_id = ?`).pluck().get(id) as number;
  if (quotas > 0)
    throw new AppError('in-use', `“${school.name}”已分到 ${quotas} 个项目的名额，不能删除：请先在“名额”中把它的名额分给其他学校`);
  ctx.store.sqlite.prepare(`DELETE FROM member_school WHERE id = ?`).run(id);
  return { removed: true };
}

/** The central school is the desk's school: its row follows the setup's name. */
export function nameCentralSchool(ctx: CoreContext, name: string): void {
  checkName(ctx, name, CENTRAL_SCHOOL_ID);
  ctx.store.sqlite
    .prepare(
      `INSERT INTO member_school (id, name, kind, position, created_at) VALUES (1, ?, 'central', 0, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
    )
    .run(name, nowIso(ctx));
}

/**
 * What a page, export or print covers: one school of the desk, or all of them. `prefix` is put before class
 * names when the schools are together (一年级1班 exists in each of them); a one-school desk has none.
 */
export interface SchoolScope {
  schoolId: number | null;
  /** The member school's name when the scope is one school, else null. */
  name: string | null;
  prefix: (schoolName: string) => string;
}

export function schoolScope(ctx: CoreContext, schoolId: number | null): SchoolScope {
  if (schoolId !== null) return { schoolId, name: requireMemberSchool(ctx, schoolId).name, prefix: () => '' };
  const several = hasMemberSchools(ctx);
  return { schoolId: null, name: null, prefix: (schoolName) => (several ? `${schoolName} ` : '') };
}
