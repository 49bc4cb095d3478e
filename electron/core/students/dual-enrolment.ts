/**
 * 疑似双学籍: students a member school's roster lists while another school of the desk has them. The roster import
 * lists them (never moves them); the clerk checks with both schools and decides: 转入 (the student moves to the
 * school whose roster lists them) or 保留原校 (the other roster is wrong). The one writer of decisions.
 */
import type { DualEnrolment } from '../../../shared/domain/school';
import { AppError, notFound } from '../../../shared/errors';
import { today, type CoreContext } from '../context';
import { moveToSchool } from './students';

interface Row {
  id: number;
  student_id: number;
  name: string;
  school_name: string;
  class_name: string | null;
  claimed_id: number;
  claimed_school: string;
  claimed_class: string;
  status: 'enrolled' | 'left';
  found_on: string;
  file_name: string | null;
  sheet_row: number | null;
  resolution: 'moved' | 'kept' | null;
  resolved_on: string | null;
  note: string;
}

const SELECT = `
  SELECT d.id, d.student_id, s.name, m.name AS school_name, c.name AS class_name, d.school_id AS claimed_id,
         cm.name AS claimed_school, d.class_name AS claimed_class, s.status, d.found_on, b.file_name, d.sheet_row,
         d.resolution, d.resolved_on, d.note
  FROM dual_enrolment d
  JOIN student s ON s.id = d.student_id
  JOIN member_school m ON m.id = s.school_id
  JOIN member_school cm ON cm.id = d.school_id
  LEFT JOIN school_class c ON c.id = s.class_id
  LEFT JOIN import_batch b ON b.id = d.batch_id`;

function toCase(r: Row): DualEnrolment {
  return {
    id: r.id,
    studentId: r.student_id,
    name: r.name,
    schoolName: r.school_name,
    className: r.class_name,
    claimedBySchoolId: r.claimed_id,
    claimedBySchool: r.claimed_school,
    claimedClass: r.claimed_class,
    enrolled: r.status === 'enrolled',
    foundOn: r.found_on,
    fileName: r.file_name,
    sheetRow: r.sheet_row,
    resolution: r.resolution,
    resolvedOn: r.resolved_on,
    note: r.note,
  };
}

/** The open cases (oldest first) or the decided ones (newest first), at most `limit`, with the count of open cases. */
export function listDualEnrolments(ctx: CoreContext, args: { open: boolean; limit: number }): { rows: DualEnrolment[]; open: number } {
  const rows = ctx.store.sqlite
    .prepare(`${SELECT} WHERE (d.resolved_on IS NULL) = ? ORDER BY ${args.open ? 'd.id' : 'd.resolved_on DESC, d.id DESC'} LIMIT ?`)
    .all(args.open ? 1 : 0, args.limit) as Row[];
  return { rows: rows.map(toCase), open: openDualEnrolments(ctx) };
}

export function resolveDualEnrolment(ctx: CoreContext, args: { id: number; resolution: 'moved' | 'kept'; note: string }): DualEnrolment {
  const sqlite = ctx.store.sqlite;
  const load = () => sqlite.prepare(`${SELECT} WHERE d.id = ?`).get(args.id) as Row | undefined;
  const row = load();
  if (!row) throw notFound('该双学籍记录');
  if (row.resolution)
    throw new AppError(
      'conflict',
      `${row.name}的双学籍已于 ${row.resolved_on} 处理（${row.resolution === 'moved' ? '转入' : '保留原校'}）`,
    );
  if (!args.note.trim()) throw new AppError('validation', '请写明核实情况（与哪所学校、何时核实，学籍系统中在哪所学校）');
  sqlite
    .transaction(() => {
      if (args.resolution === 'moved') {
        const classId =
          (sqlite.prepare(`SELECT id FROM school_class WHERE school_id = ? AND name = ?`).pluck().get(row.claimed_id, row.claimed_class) as
            number | undefined) ?? null;
        moveToSchool(ctx, row.student_id, row.claimed_id, classId);
      }
      sqlite
        .prepare(`UPDATE dual_enrolment SET resolution = ?, resolved_on = ?, note = ? WHERE id = ?`)
        .run(args.resolution, today(ctx), args.note.trim(), args.id);
    })
    .immediate();
  return toCase(load()!);
}

/** How many cases wait for the clerk's decision (the term board shows them). */
export function openDualEnrolments(ctx: CoreContext): number {
  return ctx.store.sqlite.prepare(`SELECT count(*) FROM dual_enrolment WHERE resolved_on IS NULL`).pluck().get() as number;
}
