/**
 * 实物资助 (免费教科书, 作业本, 鸡蛋牛奶): the one writer of in_kind_distribution. A programme of kind `inKind` is
 * given to every enrolled student of its stages or to chosen ones who qualify, once per term, each with the value
 * of what they received; the class signs for it on the distribution roster (no bank card, a signature column).
 */
import type { CallArgs } from '../../../shared/api';
import type { InKindLine, InKindPage } from '../../../shared/domain/in-kind';
import type { Programme } from '../../../shared/domain/programme';
import { STAGE_TEXT, type Stage, type Term } from '../../../shared/domain/school';
import { AppError } from '../../../shared/errors';
import { ineligibility } from '../../../shared/rules/eligibility';
import { mayFile } from '../../../shared/rules/privacy';
import { formatYuan } from '../../../shared/rules/money';
import { termText } from '../../../shared/rules/term';
import { maskIdNumber } from '../../../shared/rules/mask';
import { notAfterToday, nowIso, type CoreContext } from '../context';
import { all, run } from '../db/query';
import { recordProduced } from '../archive/archive';
import { signatureRoster } from '../print/signature-roster';
import { programmeForTerm } from '../programmes/catalogue';
import { loadFacts } from '../programmes/facts';
import { requireSchool } from '../school/school';

function inKindProgramme(ctx: CoreContext, programmeId: number, term: Term): Programme {
  const p = programmeForTerm(ctx, programmeId, term);
  if (p.kind !== 'inKind') throw new AppError('validation', `“${p.name}”不是实物资助项目（发放资金或减免的项目在“发放”中登记）`);
  return p;
}

export function listInKind(ctx: CoreContext, programmeId: number, term: Term, classId: number | null = null): InKindPage {
  const p = inKindProgramme(ctx, programmeId, term);
  let q = ctx.store.db
    .selectFrom('in_kind_distribution as d')
    .innerJoin('student as s', 's.id', 'd.student_id')
    .leftJoin('school_class as c', 'c.id', 's.class_id')
    .select(['d.id', 'd.student_id', 's.name', 'c.name as class_name', 'c.id as class_id', 'd.value_fen', 'd.items', 'd.given_on'])
    .where('d.programme_id', '=', p.id)
    .where('d.term', '=', term)
    .orderBy('c.grade_order')
    .orderBy('c.number')
    .orderBy('c.id')
    .orderBy('s.id');
  if (classId !== null) q = q.where('c.id', '=', classId);
  const lines: InKindLine[] = all(ctx, q).map((r) => ({
    id: r.id,
    studentId: r.student_id,
    name: r.name,
    className: r.class_name ?? '',
    classId: r.class_id,
    value: r.value_fen,
    items: r.items,
    givenOn: r.given_on,
  }));
  const eligible = [...loadFacts(ctx, p.schoolYear).values()].filter((f) => f.enrolled && ineligibility(p, f) === null).length;
  return { lines, count: lines.length, value: lines.reduce((s, l) => s + l.value, 0), eligible };
}

/**
 * Records what each student was given. `everyone`: every enrolled student of the programme's stages (of a class,
 * when given) not yet recorded; otherwise the chosen students, each checked against the programme's eligibility.
 * The value is the one given, or the programme's standard for the student's stage. One transaction.
 */
export function giveInKind(
  ctx: CoreContext,
  args: CallArgs<'inKind.give'>,
): { given: number; skipped: { name: string; reason: string }[] } {
  const p = inKindProgramme(ctx, args.programmeId, args.term);
  notAfterToday(ctx, args.givenOn, '发放日期');
  const facts = loadFacts(ctx, p.schoolYear);
  const already = new Set(
    all(
      ctx,
      ctx.store.db.selectFrom('in_kind_distribution').select('student_id').where('programme_id', '=', p.id).where('term', '=', args.term),
    ).map((r) => r.student_id),
  );
  const chosen =
    args.studentIds === null
      ? [...facts.values()].filter(
          (f) =>
            f.enrolled &&
            f.stage !== null &&
            p.stages.includes(f.stage) &&
            (args.classId === null || f.classId === args.classId) &&
            (args.stage === null || f.stage === args.stage),
        )
      : args.studentIds.map((id) => {
          const f = facts.get(id);
          if (!f) throw new AppError('not-found', `编号为 ${id} 的学生不存在`);
          return f;
        });
  if (chosen.length === 0) throw new AppError('validation', args.studentIds === null ? '没有符合条件的在校学生' : '请选择学生');
  const skipped: { name: string; reason: string }[] = [];
  const rows: { student_id: number; value_fen: number }[] = [];
  const missing = new Set<Stage>();
  for (const f of chosen) {
    if (already.has(f.studentId)) {
      skipped.push({ name: f.name, reason: `${termText(args.term)}已登记过` });
      continue;
    }
    const why = f.enrolled ? ineligibility(p, f) : '已离校';
    if (why) {
      skipped.push({ name: f.name, reason: why });
      continue;
    }
    const value = args.value ?? (f.stage ? p.tiers[0]?.amounts[f.stage] : undefined);
    if (value === undefined || value === null) {
      if (f.stage) missing.add(f.stage);
      continue;
    }
    rows.push({ student_id: f.studentId, value_fen: value });
  }
  if (missing.size)
    throw new AppError(
      'validation',
      `“${p.name}”没有设置${[...missing].map((s) => STAGE_TEXT[s]).join('、')}每生的价值：请填写本次每生价值，或在“资助项目”中设置标准`,
    );
  const at = nowIso(ctx);
  ctx.store.sqlite
    .transaction(() => {
      for (const r of rows)
        run(
          ctx,
          ctx.store.db.insertInto('in_kind_distribution').values({
            ...r,
            programme_id: p.id,
            term: args.term,
            items: args.items.trim(),
            given_on: args.givenOn,
            created_at: at,
          }),
        );
    })
    .immediate();
  // A list that grows with the school is cut: the count says how many more.
  return { given: rows.length, skipped: skipped.slice(0, 50) };
}

export function removeInKind(ctx: CoreContext, ids: number[]): { removed: number } {
  return ctx.store.sqlite
    .transaction(() => ({ removed: run(ctx, ctx.store.db.deleteFrom('in_kind_distribution').where('id', 'in', ids)).changes }))
    .immediate();
}

/** 实物签领表: by class, a signature per student, the value in place of the amount; no bank card, ID numbers masked. */
export async function printInKindRoster(ctx: CoreContext, args: CallArgs<'inKind.printRoster'>) {
  const school = await requireSchool(ctx);
  const p = inKindProgramme(ctx, args.programmeId, args.term);
  const page = listInKind(ctx, p.id, args.term, args.classId);
  if (page.lines.length === 0) throw new AppError('roster-empty', `“${p.name}”${termText(args.term)}还没有登记发放的学生，无法打印签领表`);
  const facts = loadFacts(ctx, p.schoolYear);
  const items = [...new Set(page.lines.map((l) => l.items).filter(Boolean))];
  const doc = signatureRoster({
    schoolName: school.name,
    title: `${termText(args.term)}${p.name}发放签领表`,
    termText: termText(args.term),
    programmeName: p.name,
    standard: [
      items.length === 1 ? items[0]! : '',
      `每生价值 ${[...new Set(page.lines.map((l) => l.value))].map((v) => formatYuan(v)).join('、')}`,
    ]
      .filter(Boolean)
      .join('；'),
    orientation: 'portrait',
    layout: 'byClass',
    inKind: true,
    lines: page.lines.map((l) => ({
      className: l.className,
      name: l.name,
      idNumber: maskIdNumber(facts.get(l.studentId)?.idNumber ?? '') ?? '',
      bankCard: '',
      amount: l.value,
      note: items.length > 1 ? l.items : '',
    })),
  });
  if (args.classId === null && mayFile('signatureRoster', false))
    recordProduced(ctx, 'signatureRoster', args.term, p.id, `${doc.title}.html`, Buffer.from(doc.html));
  return doc;
}
