/**
 * The publicity machinery, for any list (identification results, programme recipients), and the only module
 * that writes publicity, its entries and objections. An entry copies only what may be posted (姓名, 年级,
 * 班级, the value), so a notice can never show more. Periods are counted on the holiday calendar and held
 * to the core's clock: a publicity ends on today's date, never on one the client sends.
 */
import { schoolScope } from '../school/member-schools';
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
import { sql, type InferResult } from 'kysely';
import { notAfterToday, nowIso, today, type CoreContext } from '../context';
import { all, first, run } from '../db/query';
import { readSetting, writeSetting } from '../settings';
import { loadCalendar } from './calendar';

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
  const db = ctx.store.db;
  const id = run(
    ctx,
    db.insertInto('publicity').values({
      kind: p.kind,
      subject: p.subject,
      title: p.title,
      starts_on: startsOn,
      working_days: p.workingDays,
      ends_on: endOfWorkingDays(startsOn, p.workingDays, loadCalendar(ctx)),
      complaint_phone: p.complaintPhone,
      status: 'open',
      created_at: nowIso(ctx),
      level: p.level,
      class_id: p.classId,
      backdate_reason: startsOn < today(ctx) ? p.backdateReason.trim() : '',
    }),
  ).lastInsertRowid;
  const students = new Map(
    all(
      ctx,
      db
        .selectFrom('student as s')
        .leftJoin('school_class as c', 'c.id', 's.class_id')
        .innerJoin('member_school as m', 'm.id', 's.school_id')
        .select(['s.id', 's.name', 'c.grade', 'c.name as class_name', 'm.name as school_name'])
        .where(sql<boolean>`s.id IN (SELECT value FROM json_each(${JSON.stringify(p.entries.map((e) => e.studentId))}))`),
    ).map((s) => [s.id, s]),
  );
  const scope = schoolScope(ctx, null);
  p.entries.forEach((e, i) => {
    const s = students.get(e.studentId);
    if (!s) throw notFound(`编号为 ${e.studentId} 的学生`);
    run(
      ctx,
      db.insertInto('publicity_entry').values({
        publicity_id: id,
        position: i + 1,
        student_id: e.studentId,
        name: s.name,
        grade: s.grade ?? '',
        // With member schools, the class says its school (一年级1班 is in each); one school's print drops it again.
        class_name: s.class_name === null ? '' : `${scope.prefix(s.school_name)}${s.class_name}`,
        value: e.value,
        ref_id: e.refId,
      }),
    );
  });
  return id;
}

/** The publicity rows with their counts, as one query shape for the list and for one. */
function selectPublicity(ctx: CoreContext) {
  return ctx.store.db
    .selectFrom('publicity as p')
    .selectAll('p')
    .select((eb) => [
      eb
        .selectFrom('publicity_entry as e')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('e.publicity_id', '=', 'p.id')
        .as('entry_count'),
      eb
        .selectFrom('objection as o')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('o.publicity_id', '=', 'p.id')
        .where('o.status', '=', 'open')
        .as('open_objections'),
      eb.selectFrom('school_class as c').select('c.name').whereRef('c.id', '=', 'p.class_id').as('class_name'),
    ]);
}

type PublicityRecord = NonNullable<InferResult<ReturnType<typeof selectPublicity>>[number]>;

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
    entryCount: r.entry_count ?? 0,
    openObjections: r.open_objections ?? 0,
    createdAt: r.created_at,
  };
}

export function listPublicity(ctx: CoreContext): Publicity[] {
  const calendar = loadCalendar(ctx);
  return all(ctx, selectPublicity(ctx).orderBy('p.id', 'desc')).map((r) => rowToPublicity(r, calendar));
}

function selectObjections(ctx: CoreContext) {
  return ctx.store.db
    .selectFrom('objection as o')
    .leftJoin('student as s', 's.id', 'o.student_id')
    .selectAll('o')
    .select('s.name as student_name');
}

function rowToObjection(r: NonNullable<InferResult<ReturnType<typeof selectObjections>>[number]>): Objection {
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
  const row = first(ctx, selectObjections(ctx).where('o.id', '=', id));
  if (!row) throw notFound('该异议');
  return rowToObjection(row);
}

export function getPublicity(ctx: CoreContext, id: number): PublicityDetail {
  const row = first(ctx, selectPublicity(ctx).where('p.id', '=', id));
  if (!row) throw notFound('该公示');
  const entries: PublicityEntry[] = all(
    ctx,
    ctx.store.db
      .selectFrom('publicity_entry')
      .select(['student_id as studentId', 'name', 'grade', 'class_name as className', 'value'])
      .where('publicity_id', '=', id)
      .orderBy('position'),
  );
  const objections = all(ctx, selectObjections(ctx).where('o.publicity_id', '=', id).orderBy('o.id')).map(rowToObjection);
  return { ...rowToPublicity(row, loadCalendar(ctx)), entries, objections };
}

/** What an entry of a publicity refers to (an identification or an application), by student. */
export function entryRef(ctx: CoreContext, publicityId: number, studentId: number): number {
  const row = first(
    ctx,
    ctx.store.db.selectFrom('publicity_entry').select('ref_id').where('publicity_id', '=', publicityId).where('student_id', '=', studentId),
  );
  if (!row || row.ref_id === null) throw new AppError('validation', '该学生不在本次公示名单中');
  return row.ref_id;
}

/** The value posted for a student changes after a re-review (and the reference, for a re-decided case). Inside a transaction. */
export function setEntryValue(ctx: CoreContext, publicityId: number, studentId: number, value: string, refId?: number): void {
  run(
    ctx,
    ctx.store.db
      .updateTable('publicity_entry')
      .set(refId === undefined ? { value } : { value, ref_id: refId })
      .where('publicity_id', '=', publicityId)
      .where('student_id', '=', studentId),
  );
}

/**
 * The postings of each reference (application or identification) in publicities of a kind, the latest at
 * each level first: what the approval rule looks at.
 */
export function postingsOf(ctx: CoreContext, kind: PublicityKind, refIds: number[]): Map<number, Posting[]> {
  const out = new Map<number, Posting[]>();
  if (refIds.length === 0) return out;
  const rows = all(
    ctx,
    ctx.store.db
      .selectFrom('publicity_entry as e')
      .innerJoin('publicity as p', 'p.id', 'e.publicity_id')
      .select(['e.ref_id', 'p.level', 'p.status', 'p.working_days'])
      .where('p.kind', '=', kind)
      .where(sql<boolean>`e.ref_id IN (SELECT value FROM json_each(${JSON.stringify(refIds)}))`)
      .orderBy('p.id', 'desc'),
  );
  for (const r of rows) {
    if (r.ref_id === null) continue;
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
    throw new AppError(
      'publicity-closed',
      `“${p.title}”已结束公示，不能再登记异议。公示期外收到的投诉：核实后在“资助项目 → 申请与审核”中处理该生的申请（如“重新审核”），并写明原因`,
    );
  if (a.receivedOn < p.startsOn) throw new AppError('validation', `收到日期 ${a.receivedOn} 早于公示开始日期 ${p.startsOn}`);
  notAfterToday(ctx, a.receivedOn, '收到异议的日期');
  if (a.studentId !== null && !p.entries.some((e) => e.studentId === a.studentId)) {
    throw new AppError('validation', '异议涉及的学生不在本次公示名单中');
  }
  const id = run(
    ctx,
    ctx.store.db.insertInto('objection').values({
      publicity_id: a.publicityId,
      student_id: a.studentId,
      received_on: a.receivedOn,
      raised_by: a.raisedBy,
      content: a.content,
      status: 'open',
      review_note: '',
      answer: '',
      created_at: nowIso(ctx),
    }),
  ).lastInsertRowid;
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
  run(
    ctx,
    ctx.store.db
      .updateTable('objection')
      .set({ status: 'resolved', outcome: a.outcome, review_note: a.reviewNote, answer: a.answer, resolved_on: a.resolvedOn })
      .where('id', '=', a.objectionId),
  );
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
  run(ctx, ctx.store.db.updateTable('publicity').set({ status: 'closed', closed_on: closedOn, ends_on: p.endsOn }).where('id', '=', id));
  return getPublicity(ctx, id);
}
