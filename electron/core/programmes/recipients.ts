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
import { localDate, type CoreContext } from '../context';
import { createPublicity, entryRef, getPublicity, setEntryValue } from '../publicity/publicity';
import { requireSchool } from '../school/school';
import { cancelOnObjection, listApplications, publiciseApplications, retierOnObjection } from './applications';
import { programmeForTerm } from './catalogue';
import { checkTerm } from './checks';

/** What a recipient list shows for an application: the tier and amount, nothing else. */
export function postedValue(p: Programme, tier: TierNumber | null, amount: number | null): string {
  if (p.kind === 'waiver') return amount ? `减免 ${formatYuan(amount)}` : '减免';
  if (p.kind === 'recorded') return '受助';
  const money = amount === null ? '' : formatYuan(amount);
  return p.tiers.length > 1 && tier !== null ? `${TIER_TEXT[tier]} ${money}` : money;
}

/** The latest day a list's decisions were taken: the allocation, and the step into school review. */
function decidedOn(ctx: CoreContext, ids: number[]): string | null {
  const r = ctx.store.sqlite
    .prepare(
      `SELECT max(x) FROM (SELECT allocated_at AS x FROM application WHERE id IN (SELECT value FROM json_each(?))
         UNION ALL SELECT at FROM application_event WHERE to_status = 'schoolReview' AND undone = 0 AND application_id IN (SELECT value FROM json_each(?)))`,
    )
    .pluck()
    .get(JSON.stringify(ids), JSON.stringify(ids)) as string | null;
  return r ? localDate(r) : null;
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
  return !ctx.store.sqlite
    .prepare(
      `SELECT 1 FROM publicity_entry e JOIN publicity p ON p.id = e.publicity_id WHERE p.kind = 'programme' AND p.level = 'school' AND e.ref_id = ?`,
    )
    .get(applicationId);
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
