/**
 * The publicity machinery, for any list (identification results, programme recipients), and the only module
 * that writes publicity, its entries and objections. An entry copies only what may be posted (姓名, 年级,
 * 班级, the value), so a notice can never show more. Periods are counted on the holiday calendar and held
 * to the core's clock: a publicity ends on today's date, never on one the client sends.
 */
import type {
  Objection,
  Publicity,
  PublicityDetail,
  PublicityEntry,
  PublicityKind,
  PublicityLevel,
} from '../../../shared/domain/publicity';
import { AppError, notFound } from '../../../shared/errors';
import { DEFAULT_PUBLICITY_RULES, startRefusal, type Posting, type PublicityRules } from '../../../shared/rules/publicity';
import { endOfWorkingDays, type Calendar } from '../../../shared/rules/working-days';
import { notAfterToday, nowIso, today, type CoreContext } from '../context';
import type { ObjectionRow, PublicityRow } from '../db/schema';
import { readSetting, writeSetting } from '../settings';
import { loadCalendar } from './calendar';

type Stored<T> = Omit<T, 'id'> & { id: number };

const RULES_KEY = 'publicityRules';

export function publicityRules(ctx: CoreContext): PublicityRules {
  const saved = readSetting<Partial<PublicityRules>>(ctx, RULES_KEY);
  return { ...DEFAULT_PUBLICITY_RULES, ...saved, minDays: { ...DEFAULT_PUBLICITY_RULES.minDays, ...saved?.minDays } };
}

export function savePublicityRules(ctx: CoreContext, rules: PublicityRules): PublicityRules {
  writeSetting(ctx, RULES_KEY, rules);
  return publicityRules(ctx);
}

export interface NewPublicity {
  kind: PublicityKind;
  subject: string;
  title: string;
  level: PublicityLevel;
  classId: number | null;
  /** Absent: today. */
  startsOn?: string;
  workingDays: number;
  complaintPhone: string;
  backdateReason: string;
  /** The latest decision the list publishes (a publicity may not start before it). */
  decidedOn: string | null;
  entries: { studentId: number; value: string; refId: number | null }[];
}

/** Creates a publicity with its entries, held to the rules and the core's today. Call inside a transaction. */
export function createPublicity(ctx: CoreContext, p: NewPublicity): number {
  if (p.entries.length === 0) throw new AppError('publicity-empty', '没有可公示的名单：名单为空');
  const startsOn = p.startsOn ?? today(ctx);
  const why = startRefusal({ ...p, startsOn, today: today(ctx) }, publicityRules(ctx));
  if (why) throw new AppError('publicity-start', why);
  const sqlite = ctx.store.sqlite;
  const id = Number(
    sqlite
      .prepare(
        `INSERT INTO publicity (kind, subject, title, starts_on, working_days, ends_on, complaint_phone, status, created_at, level, class_id, backdate_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
      )
      .run(
        p.kind,
        p.subject,
        p.title,
        startsOn,
        p.workingDays,
        endOfWorkingDays(startsOn, p.workingDays, loadCalendar(ctx)),
        p.complaintPhone,
        nowIso(ctx),
        p.level,
        p.classId,
        startsOn < today(ctx) ? p.backdateReason.trim() : '',
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

type PublicityRecord = Stored<PublicityRow> & { entry_count: number; open_objections: number; class_name: string | null };

/** An open period ends where today's calendar says (the clerk may correct holidays while it runs). */
function rowToPublicity(r: PublicityRecord, calendar: Calendar): Publicity {
  return {
    id: r.id,
    kind: r.kind,
    subject: r.subject,
    title: r.title,
    startsOn: r.starts_on,
    workingDays: r.working_days,
    endsOn: r.status === 'open' ? endOfWorkingDays(r.starts_on, r.working_days, calendar) : r.ends_on,
    complaintPhone: r.complaint_phone,
    status: r.status,
    closedOn: r.closed_on,
    level: r.level,
    classId: r.class_id,
    className: r.class_name,
    backdateReason: r.backdate_reason,
    entryCount: r.entry_count,
    openObjections: r.open_objections,
    createdAt: r.created_at,
  };
}

const SELECT_PUBLICITY = `SELECT p.*, (SELECT count(*) FROM publicity_entry e WHERE e.publicity_id = p.id) AS entry_count,
  (SELECT count(*) FROM objection o WHERE o.publicity_id = p.id AND o.status = 'open') AS open_objections,
  (SELECT c.name FROM school_class c WHERE c.id = p.class_id) AS class_name FROM publicity p`;

export function listPublicity(ctx: CoreContext): Publicity[] {
  const calendar = loadCalendar(ctx);
  return (ctx.store.sqlite.prepare(`${SELECT_PUBLICITY} ORDER BY p.id DESC`).all() as PublicityRecord[]).map((r) =>
    rowToPublicity(r, calendar),
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
  const row = ctx.store.sqlite.prepare(`${SELECT_PUBLICITY} WHERE p.id = ?`).get(id) as PublicityRecord | undefined;
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
  return { ...rowToPublicity(row, loadCalendar(ctx)), entries, objections };
}

/** What an entry of a publicity refers to (an identification or an application), by student. */
export function entryRef(ctx: CoreContext, publicityId: number, studentId: number): number {
  const ref = ctx.store.sqlite
    .prepare(`SELECT ref_id FROM publicity_entry WHERE publicity_id = ? AND student_id = ?`)
    .pluck()
    .get(publicityId, studentId) as number | null | undefined;
  if (ref === undefined || ref === null) throw new AppError('validation', '该学生不在本次公示名单中');
  return ref;
}

/** The value posted for a student changes after a re-review (and the reference, for a re-decided case). Inside a transaction. */
export function setEntryValue(ctx: CoreContext, publicityId: number, studentId: number, value: string, refId?: number): void {
  ctx.store.sqlite
    .prepare(`UPDATE publicity_entry SET value = ?, ref_id = coalesce(?, ref_id) WHERE publicity_id = ? AND student_id = ?`)
    .run(value, refId ?? null, publicityId, studentId);
}

/**
 * The postings of each reference (application or identification) in publicities of a kind, the latest at
 * each level first: what the approval rule looks at.
 */
export function postingsOf(ctx: CoreContext, kind: PublicityKind, refIds: number[]): Map<number, Posting[]> {
  const out = new Map<number, Posting[]>();
  if (refIds.length === 0) return out;
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT e.ref_id, p.level, p.status, p.working_days FROM publicity_entry e JOIN publicity p ON p.id = e.publicity_id
       WHERE p.kind = ? AND e.ref_id IN (SELECT value FROM json_each(?)) ORDER BY p.id DESC`,
    )
    .all(kind, JSON.stringify(refIds)) as { ref_id: number; level: PublicityLevel; status: 'open' | 'closed'; working_days: number }[];
  for (const r of rows) {
    const list = out.get(r.ref_id) ?? [];
    if (!list.some((p) => p.level === r.level)) list.push({ level: r.level, status: r.status, workingDays: r.working_days });
    out.set(r.ref_id, list);
  }
  return out;
}

export function addObjection(
  ctx: CoreContext,
  a: { publicityId: number; studentId: number | null; receivedOn: string; raisedBy: string; content: string },
): Objection {
  const p = getPublicity(ctx, a.publicityId);
  if (p.status === 'closed')
    throw new AppError('publicity-closed', `“${p.title}”已结束公示，不能再登记异议（公示期外的投诉请在“投诉与异议”中登记）`);
  if (a.receivedOn < p.startsOn) throw new AppError('validation', `收到日期 ${a.receivedOn} 早于公示开始日期 ${p.startsOn}`);
  notAfterToday(ctx, a.receivedOn, '收到异议的日期');
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
  notAfterToday(ctx, a.resolvedOn, '处理日期');
  ctx.store.sqlite
    .prepare(`UPDATE objection SET status = 'resolved', outcome = ?, review_note = ?, answer = ?, resolved_on = ? WHERE id = ?`)
    .run(a.outcome, a.reviewNote, a.answer, a.resolvedOn, a.objectionId);
}

/** Ends a period today: not before its last working day, never with an objection still open. */
export function closePublicity(ctx: CoreContext, id: number): Publicity {
  const p = getPublicity(ctx, id);
  if (p.status === 'closed') throw new AppError('publicity-closed', `“${p.title}”已经结束公示`);
  const open = p.objections.filter((o) => o.status === 'open');
  if (open.length) {
    const first = open[0]!;
    throw new AppError(
      'objection-open',
      `还有 ${open.length} 条异议未处理（第一条：${first.receivedOn} ${first.raisedBy}），处理并答复后才能结束公示`,
    );
  }
  const closedOn = today(ctx);
  if (closedOn < p.endsOn) {
    throw new AppError('publicity-not-over', `公示期到 ${p.endsOn} 才满 ${p.workingDays} 个工作日，今天（${closedOn}）不能结束`);
  }
  ctx.store.sqlite.prepare(`UPDATE publicity SET status = 'closed', closed_on = ?, ends_on = ? WHERE id = ?`).run(closedOn, p.endsOn, id);
  return getPublicity(ctx, id);
}
