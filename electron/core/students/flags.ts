/**
 * 特殊群体 flags: the one module that writes priority_flag. Each change is kept in the student's history.
 * Flags come from the roster (written by the roster import's plan), the family's declaration or a certificate
 * (the survey), and county lists (the cross-check).
 */
import { AREA_TEXT, FLAG_SOURCES, type FlagSource, type PriorityFlag, type PriorityGroup } from '../../../shared/domain/priority-group';
import { type SurveyFlag } from '../../../shared/domain/survey';
import { AREA_GROUPS } from '../../../shared/rules/official-list';
import { type CoreContext } from '../context';

export function loadFlags(ctx: CoreContext, studentId: number): PriorityFlag[] {
  const rows = ctx.store.sqlite
    .prepare(`SELECT grp, source, source_date, area FROM priority_flag WHERE student_id = ? ORDER BY id`)
    .all(studentId) as {
    grp: string;
    source: PriorityFlag['source'];
    source_date: string | null;
    area: 'rural' | 'urban' | null;
  }[];
  return rows.map((r) => ({
    group: r.grp as PriorityGroup,
    source: r.source,
    sourceDate: r.source_date,
    ...(r.area ? { area: r.area } : {}),
  }));
}

/** Replaces a student's declared flags; county-list and roster flags are never touched here. Inside a transaction. */
export function writeDeclaredFlags(ctx: CoreContext, studentId: number, flags: SurveyFlag[], at: string): void {
  const sqlite = ctx.store.sqlite;
  const before = loadFlags(ctx, studentId).filter((f) => f.source === 'selfDeclared' || f.source === 'certificate');
  const text = (list: { group: string; source: string; sourceDate: string | null; area?: string | null }[]) =>
    list
      .map((f) => `${f.group}/${f.source}/${f.sourceDate ?? ''}/${f.area ?? ''}`)
      .sort()
      .join(',');
  const unique = [...new Map(flags.map((f) => [`${f.group}/${f.source}`, f])).values()];
  if (text(before) === text(unique)) return;
  sqlite.prepare(`DELETE FROM priority_flag WHERE student_id = ? AND source IN ('selfDeclared', 'certificate')`).run(studentId);
  const insert = sqlite.prepare(
    `INSERT INTO priority_flag (student_id, grp, source, source_date, area, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (const f of unique)
    insert.run(studentId, f.group, f.source, f.sourceDate, AREA_GROUPS.includes(f.group) ? (f.area ?? null) : null, at);
  logFlagChange(ctx, studentId, at, describeFlags(before), describeFlags(unique));
}

export function describeFlags(flags: { group: PriorityGroup; source: string; area?: 'rural' | 'urban' | null }[]): string | null {
  if (flags.length === 0) return null;
  return flags
    .map((f) => `${f.group}${f.area ? `/${AREA_TEXT[f.area]}` : ''}${f.source === 'certificate' ? '（已查验证件）' : '（本人申报）'}`)
    .join('、');
}

function logFlagChange(ctx: CoreContext, studentId: number, at: string, from: string | null, to: string | null): void {
  ctx.store.sqlite
    .prepare(
      `INSERT INTO student_change (student_id, changed_at, field, old_value, new_value, source) VALUES (?, ?, 'flags', ?, ?, 'edit')`,
    )
    .run(studentId, at, from, to);
}

/** Flags a student as a county list says (or moves the flag to a newer list). Inside a transaction; false when nothing changed. */
export function flagFromList(
  ctx: CoreContext,
  studentId: number,
  group: PriorityGroup,
  list: { date: string; fileName: string; area: 'rural' | 'urban' | null },
  at: string,
): boolean {
  const sqlite = ctx.store.sqlite;
  const before = sqlite
    .prepare(`SELECT source_date, area FROM priority_flag WHERE student_id = ? AND grp = ? AND source = 'countyList'`)
    .get(studentId, group) as { source_date: string; area: string | null } | undefined;
  if (before?.source_date === list.date && before.area === list.area) return false;
  sqlite
    .prepare(
      `INSERT INTO priority_flag (student_id, grp, source, source_date, note, area, created_at) VALUES (?, ?, 'countyList', ?, ?, ?, ?)
       ON CONFLICT (student_id, grp, source) DO UPDATE SET source_date = excluded.source_date, note = excluded.note, area = excluded.area`,
    )
    .run(studentId, group, list.date, list.fileName, list.area, at);
  logFlagChange(ctx, studentId, at, before ? `${group}（县级名单 ${before.source_date}）` : null, `${group}（县级名单 ${list.date}）`);
  return true;
}

/** Takes a group off a student whatever its sources, keeping the reason in the history. Inside a transaction. */
export function removeFlags(ctx: CoreContext, studentId: number, group: PriorityGroup, reason: string, at: string): number {
  const sqlite = ctx.store.sqlite;
  const sources = sqlite
    .prepare(`SELECT source FROM priority_flag WHERE student_id = ? AND grp = ?`)
    .pluck()
    .all(studentId, group) as FlagSource[];
  if (sources.length === 0) return 0;
  sqlite.prepare(`DELETE FROM priority_flag WHERE student_id = ? AND grp = ?`).run(studentId, group);
  logFlagChange(ctx, studentId, at, `${group}（${sources.map((s) => FLAG_SOURCES[s]).join('、')}）`, `已取消：${reason}`);
  return sources.length;
}
