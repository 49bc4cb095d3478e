/**
 * 特殊群体 flags: the students area writes priority_flag here (and in the roster import's plan, for the
 * roster's own flags). Each change is kept in the student's history. Flags come from the roster, the
 * family's declaration or a certificate (the survey), and county lists (the cross-check).
 */
import { AREA_TEXT, FLAG_SOURCES, type PriorityFlag, type PriorityGroup } from '../../../shared/domain/priority-group';
import { type SurveyFlag } from '../../../shared/domain/survey';
import { AREA_GROUPS } from '../../../shared/rules/official-list';
import { type CoreContext } from '../context';
import { all, first, run } from '../db/query';

export function loadFlags(ctx: CoreContext, studentId: number): PriorityFlag[] {
  const rows = all(
    ctx,
    ctx.store.db
      .selectFrom('priority_flag')
      .select(['grp', 'source', 'source_date', 'area'])
      .where('student_id', '=', studentId)
      .orderBy('id'),
  );
  return rows.map((r) => ({ group: r.grp, source: r.source, sourceDate: r.source_date, ...(r.area ? { area: r.area } : {}) }));
}

/** Replaces a student's declared flags; county-list and roster flags are never touched here. Inside a transaction. */
export function writeDeclaredFlags(ctx: CoreContext, studentId: number, flags: SurveyFlag[], at: string): void {
  const db = ctx.store.db;
  const before = loadFlags(ctx, studentId).filter((f) => f.source === 'selfDeclared' || f.source === 'certificate');
  const text = (list: { group: string; source: string; sourceDate: string | null; area?: string | null }[]) =>
    list
      .map((f) => `${f.group}/${f.source}/${f.sourceDate ?? ''}/${f.area ?? ''}`)
      .sort()
      .join(',');
  const unique = [...new Map(flags.map((f) => [`${f.group}/${f.source}`, f])).values()];
  if (text(before) === text(unique)) return;
  run(ctx, db.deleteFrom('priority_flag').where('student_id', '=', studentId).where('source', 'in', ['selfDeclared', 'certificate']));
  for (const f of unique) {
    run(
      ctx,
      db.insertInto('priority_flag').values({
        student_id: studentId,
        grp: f.group,
        source: f.source,
        source_date: f.sourceDate,
        area: AREA_GROUPS.includes(f.group) ? (f.area ?? null) : null,
        note: '',
        created_at: at,
      }),
    );
  }
  logFlagChange(ctx, studentId, at, describeFlags(before), describeFlags(unique));
}

export function describeFlags(flags: { group: PriorityGroup; source: string; area?: 'rural' | 'urban' | null }[]): string | null {
  if (flags.length === 0) return null;
  return flags
    .map((f) => `${f.group}${f.area ? `/${AREA_TEXT[f.area]}` : ''}${f.source === 'certificate' ? '（已查验证件）' : '（本人申报）'}`)
    .join('、');
}

function logFlagChange(ctx: CoreContext, studentId: number, at: string, from: string | null, to: string | null): void {
  run(
    ctx,
    ctx.store.db
      .insertInto('student_change')
      .values({ student_id: studentId, changed_at: at, field: 'flags', old_value: from, new_value: to, source: 'edit' }),
  );
}

/** Flags a student as a county list says (or moves the flag to a newer list). Inside a transaction; false when nothing changed. */
export function flagFromList(
  ctx: CoreContext,
  studentId: number,
  group: PriorityGroup,
  list: { date: string; fileName: string; area: 'rural' | 'urban' | null },
  at: string,
): boolean {
  const db = ctx.store.db;
  const before = first(
    ctx,
    db
      .selectFrom('priority_flag')
      .select(['source_date', 'area'])
      .where('student_id', '=', studentId)
      .where('grp', '=', group)
      .where('source', '=', 'countyList'),
  );
  if (before?.source_date === list.date && before.area === list.area) return false;
  run(
    ctx,
    db
      .insertInto('priority_flag')
      .values({
        student_id: studentId,
        grp: group,
        source: 'countyList',
        source_date: list.date,
        note: list.fileName,
        area: list.area,
        created_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['student_id', 'grp', 'source']).doUpdateSet({ source_date: list.date, note: list.fileName, area: list.area }),
      ),
  );
  logFlagChange(ctx, studentId, at, before ? `${group}（县级名单 ${before.source_date}）` : null, `${group}（县级名单 ${list.date}）`);
  return true;
}

/** Takes a group off a student whatever its sources, keeping the reason in the history. Inside a transaction. */
export function removeFlags(ctx: CoreContext, studentId: number, group: PriorityGroup, reason: string, at: string): number {
  const db = ctx.store.db;
  const sources = all(ctx, db.selectFrom('priority_flag').select('source').where('student_id', '=', studentId).where('grp', '=', group));
  if (sources.length === 0) return 0;
  run(ctx, db.deleteFrom('priority_flag').where('student_id', '=', studentId).where('grp', '=', group));
  logFlagChange(ctx, studentId, at, `${group}（${sources.map((s) => FLAG_SOURCES[s.source]).join('、')}）`, `已取消：${reason}`);
  return sources.length;
}
