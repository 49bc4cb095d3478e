/**
 * The recipient list of a programme's term (受助名单公示) through the publicity machinery, and what an upheld
 * objection does to a recipient. Status changes go through applications.ts, entries through publicity.ts.
 */
import type { CallArgs } from '../../../shared/api';
import type { Application } from '../../../shared/domain/application';
import { TIER_TEXT, type Programme, type TierNumber } from '../../../shared/domain/programme';
import type { PublicityDetail } from '../../../shared/domain/publicity';
import { AppError } from '../../../shared/errors';
import { formatYuan } from '../../../shared/rules/money';
import { termText } from '../../../shared/rules/term';
import { sql } from 'kysely';
import { localDate, type CoreContext } from '../context';
import { first } from '../db/query';
import { createPublicity, entryRef, getPublicity, setEntryValue } from '../publicity/publicity';
import { requireSchool } from '../school/school';
import { cancelOnObjection, listApplications, publiciseApplications, retierOnObjection } from './applications';
import { programmeForTerm } from './catalogue';
import { checkTerm } from './checks';

/** What a recipient list shows for an application: the tier and amount, nothing else. */
export function postedValue(p: Programme, tier: TierNumber | null, amount: number | null): string {
  if (p.kind === 'waiver') return amount ? `减免 ${formatYuan(amount)}` : '减免';
  if (p.kind === 'inKind' || p.kind === 'meals') return '受助';
  const money = amount === null ? '' : formatYuan(amount);
  return p.tiers.length > 1 && tier !== null ? `${TIER_TEXT[tier]} ${money}` : money;
}

/** The latest day a list's decisions were taken: the allocation, and the step into school review. */
function decidedOn(ctx: CoreContext, ids: number[]): string | null {
  const list = JSON.stringify(ids);
  const db = ctx.store.db;
  const allocated = first(
    ctx,
    db
      .selectFrom('application')
      .select((eb) => eb.fn.max('allocated_at').as('at'))
      .where(sql<boolean>`id IN (SELECT value FROM json_each(${list}))`),
  );
  const reviewed = first(
    ctx,
    db
      .selectFrom('application_event')
      .select((eb) => eb.fn.max('at').as('at'))
      .where('to_status', '=', 'schoolReview')
      .where('undone', '=', 0)
      .where(sql<boolean>`application_id IN (SELECT value FROM json_each(${list}))`),
  );
  const latest = [allocated?.at, reviewed?.at]
    .filter((x): x is string => !!x)
    .sort()
    .pop();
  return latest ? localDate(latest) : null;
}

/**
 * Posts the funded applications under school review: one class's (class level), or the school's, which also
 * takes the recipients already posted at class level. Blocked by blocking findings (a missing bank card does
 * not block a publicity: only the submission).
 */
export async function createProgrammePublicity(ctx: CoreContext, args: CallArgs<'publicity.createProgramme'>): Promise<PublicityDetail> {
  const school = await requireSchool(ctx);
  const p = programmeForTerm(ctx, args.programmeId, args.term);
  if (args.level === 'class' && args.classId === null) throw new AppError('validation', '班级公示须选择班级');
  const page = listApplications(ctx, args.programmeId, args.term, args.classId, null);
  const fresh = page.rows.filter((a) => a.status === 'schoolReview' && a.funded === true && a.tier !== null);
  // The school-level list includes the classes already posted at class level (两级公示).
  const postedAtClass =
    args.level === 'school' ? page.rows.filter((a) => a.status === 'publicity' && notYetAtSchool(ctx, a.id)) : ([] as Application[]);
  const posted = [...fresh, ...postedAtClass];
  if (posted.length === 0) throw new AppError('publicity-empty', `“${p.name}”没有已获名额、处于“学校审核”的申请可以公示`);
  const findings = checkTerm(ctx, args.term, args.programmeId).filter(
    (f) => f.severity === 'blocking' && f.stage !== 'report' && (f.applicationId === null || posted.some((a) => a.id === f.applicationId)),
  );
  if (findings.length) {
    const first = findings.slice(0, 3).map((f) => `${f.student ?? f.programme}：${f.message}`);
    throw new AppError(
      'checks-blocking',
      `有 ${findings.length} 个必须先处理的检查问题，不能公示：${first.join('；')}${findings.length > 3 ? '……' : ''}`,
      {
        count: findings.length,
      },
    );
  }
  const className = args.classId === null ? '' : (posted[0]?.className ?? '');
  const id = ctx.store.sqlite
    .transaction(() => {
      const publicityId = createPublicity(ctx, {
        kind: 'programme',
        subject: `programme:${p.code}:${args.term}`,
        title: args.title || `${school.name}${className}${termText(args.term)}${p.name}受助学生名单公示`,
        level: args.level,
        classId: args.classId,
        startsOn: args.startsOn,
        backdateReason: args.backdateReason,
        workingDays: args.workingDays,
        complaintPhone: args.complaintPhone,
        decidedOn: decidedOn(
          ctx,
          posted.map((a) => a.id),
        ),
        entries: posted.map((a) => ({ studentId: a.studentId, value: postedValue(p, a.tier, a.amount), refId: a.id })),
      });
      if (fresh.length) {
        publiciseApplications(
          ctx,
          fresh.map((a) => a.id),
          `列入${args.level === 'class' ? '班级' : '学校'}公示（${getPublicity(ctx, publicityId).startsOn} 起 ${args.workingDays} 个工作日）`,
        );
      }
      return publicityId;
    })
    .immediate();
  return getPublicity(ctx, id);
}

function notYetAtSchool(ctx: CoreContext, applicationId: number): boolean {
  const posted = first(
    ctx,
    ctx.store.db
      .selectFrom('publicity_entry as e')
      .innerJoin('publicity as p', 'p.id', 'e.publicity_id')
      .select('e.id')
      .where('p.kind', '=', 'programme')
      .where('p.level', '=', 'school')
      .where('e.ref_id', '=', applicationId),
  );
  return !posted;
}

/** A recipient after an objection was upheld: a new tier, or taken off the list (not approved). Inside a transaction. */
export function changeRecipient(ctx: CoreContext, publicityId: number, studentId: number, tier: TierNumber | null, note: string): void {
  const ref = entryRef(ctx, publicityId, studentId);
  if (tier === null) {
    cancelOnObjection(ctx, ref, note);
    setEntryValue(ctx, publicityId, studentId, '复核后取消');
    return;
  }
  const { programme, amount } = retierOnObjection(ctx, ref, tier, note);
  setEntryValue(ctx, publicityId, studentId, postedValue(programme, tier, amount));
}
