/**
 * 同户: the one writer of household and household_link. The roster suggests siblings (the same guardian and
 * address or phone); only what the clerk confirms is linked. A student belongs to one household at most.
 */
import type { Household, HouseholdStudent, HouseholdSuggestion } from '../../../shared/domain/household';
import { AppError, notFound } from '../../../shared/errors';
import { householdGroups } from '../../../shared/rules/household';
import { nowIso, type CoreContext } from '../context';
import { all, first, run } from '../db/query';

function studentsOf(ctx: CoreContext, ids: number[]): Map<number, HouseholdStudent & { guardian: string }> {
  if (ids.length === 0) return new Map();
  const rows = all(
    ctx,
    ctx.store.db
      .selectFrom('student as s')
      .leftJoin('school_class as c', 'c.id', 's.class_id')
      .select(['s.id', 's.name', 'c.name as class_name', 's.guardian_name'])
      .where('s.id', 'in', ids),
  );
  return new Map(
    rows.map((r) => [r.id, { studentId: r.id, name: r.name, className: r.class_name ?? '', guardian: r.guardian_name ?? '' }]),
  );
}

export function listHouseholds(ctx: CoreContext): Household[] {
  const links = all(
    ctx,
    ctx.store.db
      .selectFrom('household_link as l')
      .innerJoin('household as h', 'h.id', 'l.household_id')
      .select(['h.id', 'h.guardian', 'h.note', 'l.student_id'])
      .orderBy('h.id')
      .orderBy('l.student_id'),
  );
  const students = studentsOf(
    ctx,
    links.map((l) => l.student_id),
  );
  const out = new Map<number, Household>();
  for (const l of links) {
    const h = out.get(l.id) ?? { id: l.id, guardian: l.guardian, note: l.note, students: [] };
    const s = students.get(l.student_id);
    if (s) h.students.push({ studentId: s.studentId, name: s.name, className: s.className });
    out.set(l.id, h);
  }
  return [...out.values()];
}

/** Enrolled students the roster suggests as one household, not yet linked together. */
export function suggestHouseholds(ctx: CoreContext): HouseholdSuggestion[] {
  const rows = all(
    ctx,
    ctx.store.db
      .selectFrom('student as s')
      .leftJoin('household_link as l', 'l.student_id', 's.id')
      .select(['s.id', 's.guardian_name', 's.address', 's.guardian_phone', 'l.household_id'])
      .where('s.status', '=', 'enrolled'),
  );
  const householdOf = new Map(rows.map((r) => [r.id, r.household_id]));
  const groups = householdGroups(
    rows.map((r) => ({ studentId: r.id, guardian: r.guardian_name, address: r.address, phone: r.guardian_phone })),
  );
  const open = groups.filter((g) => {
    const hs = new Set(g.ids.map((id) => householdOf.get(id) ?? null));
    return hs.size > 1 || hs.has(null);
  });
  const students = studentsOf(
    ctx,
    open.flatMap((g) => g.ids),
  );
  return open.map((g) => ({
    guardian: students.get(g.ids[0]!)?.guardian ?? '',
    reasons: g.reasons,
    students: g.ids.map((id) => {
      const s = students.get(id)!;
      return { studentId: s.studentId, name: s.name, className: s.className };
    }),
  }));
}

/** Links students as one household: a new one, or the one some of them already belong to. */
export function linkHousehold(ctx: CoreContext, args: { studentIds: number[]; note: string }): Household {
  const ids = [...new Set(args.studentIds)];
  if (ids.length < 2) throw new AppError('validation', '同户至少要有两名学生');
  const students = studentsOf(ctx, ids);
  for (const id of ids) if (!students.has(id)) throw notFound(`编号为 ${id} 的学生`);
  const id = ctx.store.sqlite
    .transaction(() => {
      const current = all(
        ctx,
        ctx.store.db.selectFrom('household_link').select(['student_id', 'household_id']).where('student_id', 'in', ids),
      );
      const households = [...new Set(current.map((c) => c.household_id))];
      if (households.length > 1) {
        const names = current.map((c) => students.get(c.student_id)!.name).join('、');
        throw new AppError('conflict', `${names}已分属不同的家庭，请先把其中一户拆开再合并`);
      }
      const at = nowIso(ctx);
      const householdId =
        households[0] ??
        run(
          ctx,
          ctx.store.db
            .insertInto('household')
            .values({ guardian: students.get(ids[0]!)!.guardian, note: args.note.trim(), created_at: at }),
        ).lastInsertRowid;
      for (const sid of ids)
        if (!current.some((c) => c.student_id === sid))
          run(ctx, ctx.store.db.insertInto('household_link').values({ student_id: sid, household_id: householdId, created_at: at }));
      return householdId;
    })
    .immediate();
  return listHouseholds(ctx).find((h) => h.id === id)!;
}

/** Takes a student out of their household; a household left with one student is dissolved. */
export function unlinkHousehold(ctx: CoreContext, studentId: number): void {
  ctx.store.sqlite
    .transaction(() => {
      const link = first(ctx, ctx.store.db.selectFrom('household_link').select('household_id').where('student_id', '=', studentId));
      if (!link) throw new AppError('not-found', '该学生不在任何同户家庭中');
      run(ctx, ctx.store.db.deleteFrom('household_link').where('student_id', '=', studentId));
      const left = all(ctx, ctx.store.db.selectFrom('household_link').select('student_id').where('household_id', '=', link.household_id));
      if (left.length < 2) {
        run(ctx, ctx.store.db.deleteFrom('household_link').where('household_id', '=', link.household_id));
        run(ctx, ctx.store.db.deleteFrom('household').where('id', '=', link.household_id));
      }
    })
    .immediate();
}

/** Each linked student's household (for rules that pay once per household). */
export function householdMap(ctx: CoreContext): Map<number, number> {
  return new Map(
    all(ctx, ctx.store.db.selectFrom('household_link').select(['student_id', 'household_id'])).map((r) => [r.student_id, r.household_id]),
  );
}
