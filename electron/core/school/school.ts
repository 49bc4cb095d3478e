/** The school this desk keeps: its name, stages and current term, and its classes. */
import { STAGES, type School, type SchoolClass, type SchoolYear, type Stage } from '../../../shared/domain/school';
import { AppError } from '../../../shared/errors';
import { nowIso, type CoreContext } from '../context';
import type { SchoolRow } from '../db/schema';
import { memberSchoolNames, nameCentralSchool, schoolScope } from './member-schools';

export function rowToSchool(r: SchoolRow): School {
  const stages = (JSON.parse(r.stages) as string[]).filter((s): s is Stage => (STAGES as readonly string[]).includes(s));
  return {
    name: r.name,
    county: r.county,
    township: r.township,
    stages,
    schoolYear: r.school_year as SchoolYear,
    term: r.term,
  };
}

export async function getSchool(ctx: CoreContext): Promise<School | null> {
  const row = await ctx.store.db.selectFrom('school').selectAll().where('id', '=', 1).executeTakeFirst();
  return row ? rowToSchool(row) : null;
}

/** The school year asked for, or the school's current one. */
export async function yearOf(ctx: CoreContext, schoolYear: SchoolYear | undefined): Promise<SchoolYear> {
  return schoolYear ?? (await requireSchool(ctx)).schoolYear;
}

/** The school, or a clear message that setup comes first. */
export async function requireSchool(ctx: CoreContext): Promise<School> {
  const school = await getSchool(ctx);
  if (!school) throw new AppError('school-missing', '还没有填写学校信息：请先在“设置”中完成学校设置（或用命令 aid-desk init）');
  return school;
}

export async function saveSchool(ctx: CoreContext, school: School, isDemo = false): Promise<School> {
  const at = nowIso(ctx);
  const values = {
    name: school.name,
    county: school.county,
    township: school.township,
    stages: JSON.stringify(STAGES.filter((s) => school.stages.includes(s))),
    school_year: school.schoolYear,
    term: school.term,
  };
  // The school and its row among the desk's schools (中心校) change together.
  ctx.store.sqlite
    .transaction(() => {
      nameCentralSchool(ctx, school.name);
      ctx.store.sqlite
        .prepare(
          `INSERT INTO school (id, name, county, township, stages, school_year, term, is_demo, created_at, updated_at)
           VALUES (1, @name, @county, @township, @stages, @school_year, @term, @is_demo, @at, @at)
           ON CONFLICT (id) DO UPDATE SET name = @name, county = @county, township = @township, stages = @stages,
             school_year = @school_year, term = @term, updated_at = @at`,
        )
        .run({ ...values, is_demo: isDemo ? 1 : 0, at });
    })
    .immediate();
  return (await getSchool(ctx))!;
}

export async function listClasses(ctx: CoreContext): Promise<SchoolClass[]> {
  const rows = await ctx.store.db
    .selectFrom('school_class as c')
    .leftJoin('student as s', (j) => j.onRef('s.class_id', '=', 'c.id').on('s.status', '=', 'enrolled'))
    .select(({ fn }) => [
      'c.id',
      'c.school_id',
      'c.stage',
      'c.grade',
      'c.grade_order',
      'c.name',
      'c.number',
      fn.count<number>('s.id').as('students'),
    ])
    .groupBy('c.id')
    .orderBy('c.school_id')
    .orderBy('c.grade_order')
    .orderBy('c.number')
    .orderBy('c.name')
    .execute();
  const schools = memberSchoolNames(ctx);
  const { prefix } = schoolScope(ctx, null);
  return rows.map((r) => ({
    id: r.id,
    schoolId: r.school_id,
    label: `${prefix(schools.get(r.school_id) ?? '')}${r.name}`,
    stage: r.stage as Stage,
    grade: r.grade,
    gradeOrder: r.grade_order,
    name: r.name,
    studentCount: Number(r.students),
  }));
}
