import { flagFromList, removeFlags } from '../students/flags';
import type { CallArgs } from '../../../shared/api';
import { LIST_KINDS, type CrosscheckItem, type CrosscheckResult, type ListKind } from '../../../shared/domain/official-list';
import { FLAG_SOURCES, PRIORITY_GROUPS, type FlagSource, type PriorityGroup } from '../../../shared/domain/priority-group';
import { AppError, notFound } from '../../../shared/errors';
import { nowIso, type CoreContext } from '../context';

interface Listed {
  studentId: number;
  group: PriorityGroup;
  listDate: string;
  fileName: string;
  kind: ListKind;
  area: 'rural' | 'urban' | null;
}

/** Everything the newest list of each kind says about enrolled students, plus the count of other people. */
function compare(ctx: CoreContext): { groups: PriorityGroup[]; listed: Listed[]; notInRoster: number } {
  const sqlite = ctx.store.sqlite;
  const latest = sqlite
    .prepare(`SELECT id, kind, file_name, list_date FROM official_list WHERE id IN (SELECT max(id) FROM official_list GROUP BY kind)`)
    .all() as {
    id: number;
    kind: ListKind;
    file_name: string;
    list_date: string;
  }[];
  const groups = new Set<PriorityGroup>();
  const listed = new Map<string, Listed>();
  const outside = new Set<string>();
  const student = sqlite.prepare(`SELECT id FROM student WHERE id_number = ? AND status = 'enrolled'`).pluck();
  for (const list of latest) {
    groups.add(LIST_KINDS[list.kind].group);
    const entries = sqlite.prepare(`SELECT id_number, grp, area FROM official_list_entry WHERE list_id = ?`).all(list.id) as {
      id_number: string;
      grp: PriorityGroup;
      area: 'rural' | 'urban' | null;
    }[];
    for (const e of entries) {
      groups.add(e.grp);
      const studentId = student.get(e.id_number) as number | undefined;
      if (studentId === undefined) {
        outside.add(e.id_number);
        continue;
      }
      listed.set(`${studentId}:${e.grp}`, {
        studentId,
        group: e.grp,
        listDate: list.list_date,
        fileName: list.file_name,
        kind: list.kind,
        area: e.area,
      });
    }
  }
  return { groups: [...groups], listed: [...listed.values()], notInRoster: outside.size };
}

function describeStudent(ctx: CoreContext, studentId: number): { name: string; className: string | null } {
  const r = ctx.store.sqlite
    .prepare(`SELECT s.name, c.name AS class_name FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE s.id = ?`)
    .get(studentId) as { name: string; class_name: string | null } | undefined;
  if (!r) throw notFound(`编号为 ${studentId} 的学生`);
  return { name: r.name, className: r.class_name };
}

/** Roster order (grade, class, student) for the report, as the clerk reads the school. */
function rosterOrder(ctx: CoreContext): Map<number, number> {
  const ids = ctx.store.sqlite
    .prepare(`SELECT s.id FROM student s LEFT JOIN school_class c ON c.id = s.class_id ORDER BY c.grade_order, c.number, s.class_id, s.id`)
    .pluck()
    .all() as number[];
  return new Map(ids.map((id, i) => [id, i]));
}

export function crosscheck(ctx: CoreContext): CrosscheckResult {
  const { groups, listed, notInRoster } = compare(ctx);
  if (groups.length === 0) return { groups, listedNotFlagged: [], flaggedNotListed: [], matched: 0, notInRoster: 0 };
  const placeholders = groups.map(() => '?').join(',');
  const flags = ctx.store.sqlite
    .prepare(
      `SELECT p.student_id, p.grp, p.source, p.source_date FROM priority_flag p JOIN student s ON s.id = p.student_id
       WHERE s.status = 'enrolled' AND p.grp IN (${placeholders})`,
    )
    .all(...groups) as { student_id: number; grp: PriorityGroup; source: FlagSource; source_date: string | null }[];
  const flagged = new Map<string, typeof flags>();
  for (const f of flags) {
    const key = `${f.student_id}:${f.grp}`;
    const list = flagged.get(key);
    if (list) list.push(f);
    else flagged.set(key, [f]);
  }
  const listedKeys = new Set(listed.map((l) => `${l.studentId}:${l.group}`));
  const listedNotFlagged: CrosscheckItem[] = [];
  let matched = 0;
  for (const l of listed) {
    const own = flagged.get(`${l.studentId}:${l.group}`) ?? [];
    if (own.some((f) => f.source === 'countyList')) {
      matched++;
      continue;
    }
    listedNotFlagged.push({
      studentId: l.studentId,
      ...describeStudent(ctx, l.studentId),
      group: l.group,
      source: `${LIST_KINDS[l.kind].text}（${l.fileName}）`,
      sourceDate: l.listDate,
      flaggedOtherwise: own.length > 0,
    });
  }
  const flaggedNotListed: CrosscheckItem[] = [];
  for (const [key, own] of flagged) {
    if (listedKeys.has(key)) continue;
    const first = own[0]!;
    flaggedNotListed.push({
      studentId: first.student_id,
      ...describeStudent(ctx, first.student_id),
      group: first.grp,
      source: own.map((f) => FLAG_SOURCES[f.source]).join('、'),
      sourceDate: first.source_date,
      flaggedOtherwise: false,
    });
  }
  const position = rosterOrder(ctx);
  const order = (a: CrosscheckItem, b: CrosscheckItem) =>
    position.get(a.studentId)! - position.get(b.studentId)! || a.group.localeCompare(b.group);
  return { groups, listedNotFlagged: listedNotFlagged.sort(order), flaggedNotListed: flaggedNotListed.sort(order), matched, notInRoster };
}

export function runCrosscheck(ctx: CoreContext) {
  return crosscheck(ctx);
}

export function applyCrosscheck(ctx: CoreContext, args: CallArgs<'crosscheck.apply'>) {
  const { listed } = compare(ctx);
  const byKey = new Map(listed.map((l) => [`${l.studentId}:${l.group}`, l]));
  const at = nowIso(ctx);
  return ctx.store.sqlite
    .transaction(() => {
      let flagged = 0;
      for (const item of args.items) {
        const l = byKey.get(`${item.studentId}:${item.group}`);
        if (!l) {
          const s = describeStudent(ctx, item.studentId);
          throw new AppError('not-listed', `${s.name}不在已导入的县级名单（${PRIORITY_GROUPS[item.group]}）中，不能按名单标记`);
        }
        if (!flagFromList(ctx, item.studentId, item.group, { date: l.listDate, fileName: l.fileName, area: l.area }, at)) continue;
        flagged++;
      }
      return { flagged };
    })
    .immediate();
}

export function removeFlag(ctx: CoreContext, args: CallArgs<'flags.remove'>) {
  const at = nowIso(ctx);
  return ctx.store.sqlite
    .transaction(() => {
      return { removed: removeFlags(ctx, args.studentId, args.group, args.reason, at) };
    })
    .immediate();
}
