import type { CallArgs } from '../../../shared/api';
import { AppError } from '../../../shared/errors';
import { TIER_TEXT, type Programme, type TierNumber } from '../../../shared/domain/programme';
import { nowIso, type CoreContext } from '../context';
import { loadProgramme } from './catalogue';
import { loadFacts, tierAmount } from './facts';

import { createPublicity, getPublicity } from '../publicity/publicity';
import { requireSchool } from '../school/school';
import { formatYuan } from '../../../shared/rules/money';
import { listApplications } from './applications';
import { programmeForTerm } from './catalogue';
import { checkTerm } from './checks';
import { termText } from '../../../shared/rules/term';

/** A recipient's tier after an objection was upheld: a new tier, or taken off (the application is not approved). */
export function changeRecipient(
  ctx: CoreContext,
  publicityId: number,
  studentId: number,
  tier: TierNumber | null,
  note: string,
  on: string,
): void {
  const sqlite = ctx.store.sqlite;
  const ref = sqlite
    .prepare(`SELECT ref_id FROM publicity_entry WHERE publicity_id = ? AND student_id = ?`)
    .pluck()
    .get(publicityId, studentId) as number;
  const app = sqlite.prepare(`SELECT programme_id, student_id FROM application WHERE id = ?`).get(ref) as {
    programme_id: number;
    student_id: number;
  };
  const p = loadProgramme(ctx, app.programme_id);
  const stage = loadFacts(ctx, p.schoolYear).get(studentId)?.stage ?? null;
  const at = nowIso(ctx);
  if (tier === null) {
    sqlite
      .prepare(
        `UPDATE application SET status = 'rejected', funded = 0, tier = NULL, amount_fen = NULL, tier_reason = ?, updated_at = ? WHERE id = ?`,
      )
      .run(`公示异议复核：${note}`, at, ref);
    sqlite
      .prepare(`INSERT INTO application_event (application_id, at, from_status, to_status, note) VALUES (?, ?, 'publicity', 'rejected', ?)`)
      .run(ref, at, `${on} 公示异议复核后取消：${note}`);
    sqlite.prepare(`UPDATE publicity_entry SET value = '复核后取消' WHERE publicity_id = ? AND student_id = ?`).run(publicityId, studentId);
    return;
  }
  const amount = tierAmount(p, tier, stage);
  sqlite
    .prepare(`UPDATE application SET tier = ?, amount_fen = ?, tier_reason = ?, updated_at = ? WHERE id = ?`)
    .run(tier, amount, `公示异议复核：${note}`, at, ref);
  sqlite
    .prepare(`UPDATE publicity_entry SET value = ? WHERE publicity_id = ? AND student_id = ?`)
    .run(postedValue(p, tier, amount), publicityId, studentId);
}

/** What a recipient list shows for an application: the tier and amount, nothing else. */
export function postedValue(p: Programme, tier: TierNumber | null, amount: number | null): string {
  if (p.kind === 'waiver') return amount ? `减免 ${formatYuan(amount)}` : '减免';
  if (p.kind === 'recorded') return '受助';
  const money = amount === null ? '' : formatYuan(amount);
  return p.tiers.length > 1 && tier !== null ? `${TIER_TEXT[tier]} ${money}` : money;
}

export async function createProgrammePublicity(ctx: CoreContext, args: CallArgs<'publicity.createProgramme'>) {
  const school = await requireSchool(ctx);
  const p = programmeForTerm(ctx, args.programmeId, args.term);
  const page = listApplications(ctx, args.programmeId, args.term, null, 'schoolReview');
  const posted = page.rows.filter((a) => a.funded !== false && a.tier !== null);
  if (posted.length === 0) throw new AppError('publicity-empty', `“${p.name}”没有已分配档次、处于“学校审核”的申请可以公示`);
  const findings = checkTerm(ctx, args.term, args.programmeId).filter(
    (f) => f.severity === 'blocking' && (f.applicationId === null || posted.some((a) => a.id === f.applicationId)),
  );
  if (findings.length) {
    throw new AppError(
      'checks-blocking',
      `有 ${findings.length} 个必须先处理的检查问题，不能公示：${findings
        .slice(0, 5)
        .map((f) => `${f.student ?? f.programme}：${f.message}`)
        .join('；')}${findings.length > 5 ? '……' : ''}`,
      { findings },
    );
  }
  const at = nowIso(ctx);
  const id = ctx.store.sqlite
    .transaction(() => {
      const publicityId = createPublicity(ctx, {
        kind: 'programme',
        subject: `programme:${p.code}:${args.term}`,
        title: args.title || `${school.name}${termText(args.term)}${p.name}受助学生名单公示`,
        startsOn: args.startsOn,
        workingDays: args.workingDays,
        complaintPhone: args.complaintPhone,
        entries: posted.map((a) => ({ studentId: a.studentId, value: postedValue(p, a.tier, a.amount), refId: a.id })),
      });
      const move = ctx.store.sqlite.prepare(`UPDATE application SET status = 'publicity', updated_at = ? WHERE id = ?`);
      const log = ctx.store.sqlite.prepare(
        `INSERT INTO application_event (application_id, at, from_status, to_status, actor, note) VALUES (?, ?, 'schoolReview', 'publicity', '资助专干', ?)`,
      );
      for (const a of posted) {
        move.run(at, a.id);
        log.run(a.id, at, `列入公示（${args.startsOn} 起 ${args.workingDays} 个工作日）`);
      }
      return publicityId;
    })
    .immediate();
  return getPublicity(ctx, id);
}
