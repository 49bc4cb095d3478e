/**
 * 资助育人 and complaints: the one writer of education_activity and complaint. An activity is recorded after it was
 * held (never in the future), with its classes, attendance and photos; the term's 两节课 per class come from them.
 * A complaint received outside a publicity period is tracked until it is answered: closing it needs how it was
 * handled and the day the answer was given (not after today); a complaint dated before today says why.
 */
import { schoolScope } from '../school/member-schools';
import type {
  Activity,
  ActivityTheme,
  Complaint,
  ComplaintChannel,
  FollowUp,
  FollowUpKind,
  GraduateFollowUp,
  TwoLessons,
} from '../../../shared/domain/education';
import { PRIORITY_GROUPS } from '../../../shared/domain/priority-group';
import type { Term } from '../../../shared/domain/school';
import { AppError, notFound } from '../../../shared/errors';
import { notAfterToday, nowIso, today, type CoreContext } from '../context';
import { all, first, run } from '../db/query';
import { storeFile } from '../archive/attachments';
import { termOfDate } from '../../../shared/rules/term';

type Photo = { sha256: string; name: string };

function classNames(ctx: CoreContext): Map<number, string> {
  return new Map(all(ctx, ctx.store.db.selectFrom('school_class').select(['id', 'name'])).map((c) => [c.id, c.name]));
}

export function listActivities(ctx: CoreContext, term: Term | null = null): Activity[] {
  const names = classNames(ctx);
  return all(ctx, ctx.store.db.selectFrom('education_activity').selectAll().orderBy('held_on', 'desc').orderBy('id', 'desc'))
    .filter((r) => term === null || termOfDate(r.held_on) === term)
    .map((r) => {
      const classIds = JSON.parse(r.classes) as number[];
      return {
        id: r.id,
        heldOn: r.held_on,
        theme: r.theme,
        title: r.title,
        classIds,
        classNames: classIds.length ? classIds.map((id) => names.get(id) ?? '（已删除的班级）') : ['全校'],
        attendance: r.attendance,
        note: r.note,
        photos: JSON.parse(r.photos) as Photo[],
      };
    });
}

export interface ActivityArgs {
  heldOn: string;
  theme: ActivityTheme;
  title: string;
  classIds: number[];
  attendance: number;
  note: string;
  photos: { fileName: string; dataBase64: string }[];
}

export function recordActivity(ctx: CoreContext, args: ActivityArgs): Activity {
  notAfterToday(ctx, args.heldOn, '活动日期');
  const names = classNames(ctx);
  const unknown = args.classIds.filter((id) => !names.has(id));
  if (unknown.length) throw new AppError('not-found', '所选的班级不存在，请刷新后重新选择');
  // Files first (outside the transaction), then the row that names them.
  const photos: Photo[] = args.photos.map((p) => ({
    sha256: storeFile(ctx, p.fileName, Buffer.from(p.dataBase64, 'base64')),
    name: p.fileName,
  }));
  const at = nowIso(ctx);
  const id = ctx.store.sqlite
    .transaction(
      () =>
        run(
          ctx,
          ctx.store.db.insertInto('education_activity').values({
            held_on: args.heldOn,
            theme: args.theme,
            title: args.title.trim(),
            classes: JSON.stringify([...new Set(args.classIds)].sort((a, b) => a - b)),
            attendance: args.attendance,
            note: args.note.trim(),
            photos: JSON.stringify(photos),
            created_at: at,
            updated_at: at,
          }),
        ).lastInsertRowid,
    )
    .immediate();
  return listActivities(ctx).find((a) => a.id === id)!;
}

export function removeActivity(ctx: CoreContext, id: number): void {
  const changed = ctx.store.sqlite
    .transaction(() => run(ctx, ctx.store.db.deleteFrom('education_activity').where('id', '=', id)).changes)
    .immediate();
  if (!changed) throw notFound('该活动记录');
}

/** 两节课 of a term: for each class with students, whether it had a policy lesson and a 资助育人 lesson. */
export function twoLessons(ctx: CoreContext, term: Term): TwoLessons {
  const classes = all(
    ctx,
    ctx.store.db
      .selectFrom('school_class as c')
      .innerJoin('member_school as m', 'm.id', 'c.school_id')
      .select(['c.id', 'c.name', 'm.name as school_name'])
      .where((eb) =>
        eb.exists(eb.selectFrom('student as s').select('s.id').whereRef('s.class_id', '=', 'c.id').where('s.status', '=', 'enrolled')),
      )
      .orderBy('c.school_id')
      .orderBy('c.grade_order')
      .orderBy('c.number')
      .orderBy('c.id'),
  );
  const activities = listActivities(ctx, term);
  const scope = schoolScope(ctx, null);
  const covers = (a: Activity, classId: number) => a.classIds.length === 0 || a.classIds.includes(classId);
  const rows = classes.map((c) => ({
    classId: c.id,
    className: `${scope.prefix(c.school_name)}${c.name}`,
    policyLesson: activities.some((a) => a.theme === 'policyLesson' && covers(a, c.id)),
    education: activities.some((a) => ['integrity', 'gratitude', 'selfReliance'].includes(a.theme) && covers(a, c.id)),
  }));
  return { classes: rows, done: rows.filter((r) => r.policyLesson && r.education).length };
}

export function listComplaints(ctx: CoreContext, status: 'open' | 'closed' | null = null): Complaint[] {
  let q = ctx.store.db
    .selectFrom('complaint as k')
    .leftJoin('student as s', 's.id', 'k.student_id')
    .select(['k.id', 'k.received_on', 'k.channel', 'k.raised_by', 'k.content', 'k.student_id', 's.name as student_name'])
    .select(['k.status', 'k.handling', 'k.answered_on'])
    .orderBy('k.status', 'desc')
    .orderBy('k.received_on', 'desc')
    .orderBy('k.id', 'desc');
  if (status) q = q.where('k.status', '=', status);
  return all(ctx, q).map((r) => ({
    id: r.id,
    receivedOn: r.received_on,
    channel: r.channel,
    raisedBy: r.raised_by,
    content: r.content,
    studentId: r.student_id,
    studentName: r.student_name,
    status: r.status,
    handling: r.handling,
    answeredOn: r.answered_on,
  }));
}

export function recordComplaint(
  ctx: CoreContext,
  args: {
    receivedOn: string;
    channel: ComplaintChannel;
    raisedBy: string;
    content: string;
    studentId: number | null;
    backdateReason: string | null;
  },
): Complaint {
  notAfterToday(ctx, args.receivedOn, '收到日期');
  const reason = args.backdateReason?.trim() ?? '';
  if (args.receivedOn < today(ctx) && !reason)
    throw new AppError('validation', `收到日期（${args.receivedOn}）早于今天（${today(ctx)}），请写明补登原因`);
  if (args.studentId !== null && !first(ctx, ctx.store.db.selectFrom('student').select('id').where('id', '=', args.studentId)))
    throw notFound('该学生');
  const at = nowIso(ctx);
  const id = ctx.store.sqlite
    .transaction(
      () =>
        run(
          ctx,
          ctx.store.db.insertInto('complaint').values({
            received_on: args.receivedOn,
            channel: args.channel,
            raised_by: args.raisedBy.trim(),
            content: args.content.trim(),
            student_id: args.studentId,
            status: 'open',
            handling: '',
            answered_on: null,
            backdate_reason: args.receivedOn < today(ctx) ? reason : null,
            created_at: at,
            updated_at: at,
          }),
        ).lastInsertRowid,
    )
    .immediate();
  return listComplaints(ctx).find((c) => c.id === id)!;
}

export function answerComplaint(
  ctx: CoreContext,
  args: { id: number; handling: string; answeredOn: string | null; close: boolean },
): Complaint {
  const c = first(ctx, ctx.store.db.selectFrom('complaint').select(['id', 'received_on']).where('id', '=', args.id));
  if (!c) throw notFound('该投诉');
  if (args.answeredOn) {
    notAfterToday(ctx, args.answeredOn, '答复日期');
    if (args.answeredOn < c.received_on) throw new AppError('validation', `答复日期（${args.answeredOn}）早于收到日期（${c.received_on}）`);
  }
  if (args.close) {
    const missing = [!args.handling.trim() && '处理情况', !args.answeredOn && '答复日期'].filter(Boolean);
    if (missing.length) throw new AppError('validation', `办结前请填写${missing.join('、')}`);
  }
  ctx.store.sqlite
    .transaction(() =>
      run(
        ctx,
        ctx.store.db
          .updateTable('complaint')
          .set({
            handling: args.handling.trim(),
            answered_on: args.answeredOn,
            status: args.close ? 'closed' : 'open',
            updated_at: nowIso(ctx),
          })
          .where('id', '=', args.id),
      ),
    )
    .immediate();
  return listComplaints(ctx).find((x) => x.id === args.id)!;
}

export function listFollowUps(ctx: CoreContext, studentId: number | null = null): FollowUp[] {
  let q = ctx.store.db
    .selectFrom('follow_up as f')
    .innerJoin('student as s', 's.id', 'f.student_id')
    .leftJoin('school_class as c', 'c.id', 's.class_id')
    .select(['f.id', 'f.student_id', 's.name', 'c.name as class_name', 'f.kind', 'f.on_date', 'f.by_whom', 'f.content'])
    .orderBy('f.on_date', 'desc')
    .orderBy('f.id', 'desc');
  if (studentId !== null) q = q.where('f.student_id', '=', studentId);
  return all(ctx, q).map((r) => ({
    id: r.id,
    studentId: r.student_id,
    name: r.name,
    className: r.class_name ?? '',
    kind: r.kind,
    onDate: r.on_date,
    byWhom: r.by_whom,
    content: r.content,
  }));
}

export function recordFollowUp(
  ctx: CoreContext,
  args: { studentIds: number[]; kind: FollowUpKind; onDate: string; byWhom: string; content: string },
): { recorded: number } {
  notAfterToday(ctx, args.onDate, '日期');
  if (args.kind === 'pairing' && !args.byWhom.trim()) throw new AppError('validation', '结对帮扶请填写结对教师');
  if (['visit', 'questionnaire', 'note', 'star'].includes(args.kind) && !args.content.trim())
    throw new AppError('validation', args.kind === 'star' ? '请填写资助之星的事迹' : '请填写回访、问卷或情况记录的内容');
  const known = new Set(all(ctx, ctx.store.db.selectFrom('student').select('id').where('id', 'in', args.studentIds)).map((s) => s.id));
  if (known.size !== new Set(args.studentIds).size) throw notFound('所选的学生');
  const at = nowIso(ctx);
  ctx.store.sqlite
    .transaction(() => {
      for (const id of new Set(args.studentIds))
        run(
          ctx,
          ctx.store.db.insertInto('follow_up').values({
            student_id: id,
            kind: args.kind,
            on_date: args.onDate,
            by_whom: args.byWhom.trim(),
            content: args.content.trim(),
            created_at: at,
          }),
        );
    })
    .immediate();
  return { recorded: new Set(args.studentIds).size };
}

/** 高三 students of 脱贫/监测 or 低保 families, with whether their 生源地贷款 pre-application is recorded. */
export function graduateFollowUps(ctx: CoreContext): GraduateFollowUp[] {
  const rows = all(
    ctx,
    ctx.store.db
      .selectFrom('student as s')
      .innerJoin('school_class as c', 'c.id', 's.class_id')
      .innerJoin('priority_flag as f', 'f.student_id', 's.id')
      .select(['s.id', 's.name', 'c.name as class_name', 'f.grp'])
      .where('s.status', '=', 'enrolled')
      .where('c.grade', '=', '高三')
      .where('f.grp', 'in', ['povertyAlleviated', 'monitored', 'dibao'])
      .orderBy('c.id')
      .orderBy('s.id'),
  );
  const pre = new Map(
    all(
      ctx,
      ctx.store.db.selectFrom('follow_up').select(['student_id', 'on_date']).where('kind', '=', 'preApplication').orderBy('on_date'),
    ).map((r) => [r.student_id, r.on_date]),
  );
  const out = new Map<number, GraduateFollowUp>();
  for (const r of rows) {
    const g = out.get(r.id) ?? {
      studentId: r.id,
      name: r.name,
      className: r.class_name,
      groups: [],
      preApplied: pre.has(r.id),
      preAppliedOn: pre.get(r.id) ?? null,
    };
    const text = PRIORITY_GROUPS[r.grp];
    if (!g.groups.includes(text)) g.groups.push(text);
    out.set(r.id, g);
  }
  return [...out.values()];
}
