/**
 * The publicity machinery, for any list: identification results now, programme recipients later. An entry
 * copies only what may be posted (姓名, 年级, 班级, the value), so a notice can never show more.
 */
import type { Objection, Publicity, PublicityDetail, PublicityEntry, PublicityKind } from '../../../shared/domain/publicity';
import { AppError, notFound } from '../../../shared/errors';
import { endOfWorkingDays } from '../../../shared/rules/working-days';
import { nowIso, type CoreContext } from '../context';
import type { ObjectionRow, PublicityRow } from '../db/schema';

type Stored<T> = Omit<T, 'id'> & { id: number };

export interface NewPublicity {
  kind: PublicityKind;
  subject: string;
  title: string;
  startsOn: string;
  workingDays: number;
  complaintPhone: string;
  entries: { studentId: number; value: string; refId: number | null }[];
}

/** Creates a publicity with its entries. Call inside a transaction. */
export function createPublicity(ctx: CoreContext, p: NewPublicity): number {
  if (p.entries.length === 0) throw new AppError('publicity-empty', '没有可公示的名单：名单为空');
  const sqlite = ctx.store.sqlite;
  const id = Number(
    sqlite
      .prepare(
        `INSERT INTO publicity (kind, subject, title, starts_on, working_days, ends_on, complaint_phone, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
      )
      .run(
        p.kind,
        p.subject,
        p.title,
        p.startsOn,
        p.workingDays,
        endOfWorkingDays(p.startsOn, p.workingDays),
        p.complaintPhone,
        nowIso(ctx),
      ).lastInsertRowid,
  );
  const student = sqlite.prepare(
    `SELECT s.name, coalesce(c.grade, '') AS grade, coalesce(c.name, '') AS class_name FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE s.id = ?`,
  );
  const insert = sqlite.prepare(
    `INSERT INTO publicity_entry (publicity_id, position, student_id, name, grade, class_name, value, ref_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  p.entries.forEach((e, i) => {
    const s = student.get(e.studentId) as { name: string; grade: string; class_name: string } | undefined;
    if (!s) throw notFound(`编号为 ${e.studentId} 的学生`);
    insert.run(id, i + 1, e.studentId, s.name, s.grade, s.class_name, e.value, e.refId);
  });
  return id;
}

function rowToPublicity(r: Stored<PublicityRow> & { entry_count: number; open_objections: number }): Publicity {
  return {
    id: r.id,
    kind: r.kind,
    subject: r.subject,
    title: r.title,
    startsOn: r.starts_on,
    workingDays: r.working_days,
    endsOn: r.ends_on,
    complaintPhone: r.complaint_phone,
    status: r.status,
    closedOn: r.closed_on,
    entryCount: r.entry_count,
    openObjections: r.open_objections,
    createdAt: r.created_at,
  };
}

const SELECT_PUBLICITY = `SELECT p.*, (SELECT count(*) FROM publicity_entry e WHERE e.publicity_id = p.id) AS entry_count,
  (SELECT count(*) FROM objection o WHERE o.publicity_id = p.id AND o.status = 'open') AS open_objections FROM publicity p`;

export function listPublicity(ctx: CoreContext): Publicity[] {
  return (ctx.store.sqlite.prepare(`${SELECT_PUBLICITY} ORDER BY p.id DESC`).all() as Parameters<typeof rowToPublicity>[0][]).map(
    rowToPublicity,
  );
}

export function rowToObjection(r: Stored<ObjectionRow> & { student_name: string | null }): Objection {
  return {
    id: r.id,
    publicityId: r.publicity_id,
    studentId: r.student_id,
    studentName: r.student_name,
    receivedOn: r.received_on,
    raisedBy: r.raised_by,
    content: r.content,
    status: r.status,
    outcome: r.outcome,
    reviewNote: r.review_note,
    answer: r.answer,
    resolvedOn: r.resolved_on,
  };
}

export function loadObjection(ctx: CoreContext, id: number): Objection {
  const row = ctx.store.sqlite
    .prepare(`SELECT o.*, s.name AS student_name FROM objection o LEFT JOIN student s ON s.id = o.student_id WHERE o.id = ?`)
    .get(id) as Parameters<typeof rowToObjection>[0] | undefined;
  if (!row) throw notFound('该异议');
  return rowToObjection(row);
}

export function getPublicity(ctx: CoreContext, id: number): PublicityDetail {
  const row = ctx.store.sqlite.prepare(`${SELECT_PUBLICITY} WHERE p.id = ?`).get(id) as Parameters<typeof rowToPublicity>[0] | undefined;
  if (!row) throw notFound('该公示');
  const entries = ctx.store.sqlite
    .prepare(
      `SELECT student_id AS studentId, name, grade, class_name AS className, value FROM publicity_entry WHERE publicity_id = ? ORDER BY position`,
    )
    .all(id) as PublicityEntry[];
  const objections = (
    ctx.store.sqlite
      .prepare(
        `SELECT o.*, s.name AS student_name FROM objection o LEFT JOIN student s ON s.id = o.student_id WHERE o.publicity_id = ? ORDER BY o.id`,
      )
      .all(id) as Parameters<typeof rowToObjection>[0][]
  ).map(rowToObjection);
  return { ...rowToPublicity(row), entries, objections };
}

export function addObjection(
  ctx: CoreContext,
  a: { publicityId: number; studentId: number | null; receivedOn: string; raisedBy: string; content: string },
): Objection {
  const p = getPublicity(ctx, a.publicityId);
  if (p.status === 'closed') throw new AppError('publicity-closed', `“${p.title}”已结束公示，不能再登记异议`);
  if (a.receivedOn < p.startsOn) throw new AppError('validation', `收到日期 ${a.receivedOn} 早于公示开始日期 ${p.startsOn}`);
  if (a.studentId !== null && !p.entries.some((e) => e.studentId === a.studentId)) {
    throw new AppError('validation', '异议涉及的学生不在本次公示名单中');
  }
  const id = Number(
    ctx.store.sqlite
      .prepare(
        `INSERT INTO objection (publicity_id, student_id, received_on, raised_by, content, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)`,
      )
      .run(a.publicityId, a.studentId, a.receivedOn, a.raisedBy, a.content, nowIso(ctx)).lastInsertRowid,
  );
  return loadObjection(ctx, id);
}

/** Marks an objection handled. Call inside a transaction (the caller may change the posted value too). */
export function resolveObjection(
  ctx: CoreContext,
  a: { objectionId: number; outcome: 'kept' | 'changed'; reviewNote: string; answer: string; resolvedOn: string },
): void {
  const o = loadObjection(ctx, a.objectionId);
  if (o.status !== 'open') throw new AppError('objection-resolved', '这条异议已经处理过了');
  if (a.resolvedOn < o.receivedOn) throw new AppError('validation', `处理日期 ${a.resolvedOn} 早于收到异议的日期 ${o.receivedOn}`);
  ctx.store.sqlite
    .prepare(`UPDATE objection SET status = 'resolved', outcome = ?, review_note = ?, answer = ?, resolved_on = ? WHERE id = ?`)
    .run(a.outcome, a.reviewNote, a.answer, a.resolvedOn, a.objectionId);
}

/** Ends a period: not before its last day, never with an objection still open. */
export function closePublicity(ctx: CoreContext, id: number, closedOn: string): Publicity {
  const p = getPublicity(ctx, id);
  if (p.status === 'closed') throw new AppError('publicity-closed', `“${p.title}”已经结束公示`);
  const open = p.objections.filter((o) => o.status === 'open');
  if (open.length) {
    throw new AppError(
      'objection-open',
      `还有 ${open.length} 条异议未处理（${open.map((o) => `${o.receivedOn} ${o.raisedBy}`).join('；')}），处理并答复后才能结束公示`,
    );
  }
  if (closedOn < p.endsOn) throw new AppError('publicity-not-over', `公示期到 ${p.endsOn} 才满 ${p.workingDays} 个工作日，不能提前结束`);
  ctx.store.sqlite.prepare(`UPDATE publicity SET status = 'closed', closed_on = ? WHERE id = ?`).run(closedOn, id);
  return getPublicity(ctx, id);
}
