/**
 * Allocation of a programme's quota: ranks the applications under review and assigns tiers, counting the
 * places already held by recipients posted or approved in an earlier round. Writes through applications.ts.
 */
import type { AllocationResult } from '../../../shared/api/programmes';
import { APPLICATION_STATUS_TEXT, type ApplicationStatus } from '../../../shared/domain/application';
import type { Term } from '../../../shared/domain/school';
import type { TierNumber } from '../../../shared/domain/programme';
import { AppError } from '../../../shared/errors';
import { ineligibility } from '../../../shared/rules/eligibility';
import { allocate, TIE_RULE } from '../../../shared/rules/tiers';
import type { CoreContext } from '../context';
import { all } from '../db/query';
import { ALLOCATABLE, HOLDING, writeAllocation, type AllocationValue } from './applications';
import { loadQuota, programmeForTerm } from './catalogue';
import { loadFacts, tierAmount, type StudentFacts } from './facts';

export function allocateApplications(
  ctx: CoreContext,
  a: { programmeId: number; term: Term; quota?: number; dryRun: boolean },
): AllocationResult {
  const p = programmeForTerm(ctx, a.programmeId, a.term);
  const saved = loadQuota(ctx, a.programmeId, a.term);
  const quota = a.quota ?? saved?.count;
  if (quota === undefined) throw new AppError('quota-missing', `还没有填写“${p.name}”${a.term} 的名额：请先在“名额”中填写县里下达的控制数`);
  const facts = loadFacts(ctx, p.schoolYear, { programmeId: p.id, term: a.term });
  const every = all(
    ctx,
    ctx.store.db
      .selectFrom('application')
      .select(['id', 'student_id', 'status', 'funded', 'tier'])
      .where('programme_id', '=', a.programmeId)
      .where('term', '=', a.term),
  );
  // Recipients already posted or approved keep their places: a second round fills only what is left.
  const taken = { count: 0, tiers: { 1: 0, 2: 0, 3: 0 } as Record<TierNumber, number> };
  for (const r of every) {
    if (!HOLDING.includes(r.status) || r.funded !== 1 || r.tier === null) continue;
    taken.count++;
    taken.tiers[r.tier]++;
  }
  const rows = every.filter((r) => ALLOCATABLE.includes(r.status));
  const eligible = rows.filter((r) => {
    const f = facts.get(r.student_id);
    return f && f.enrolled && ineligibility(p, f) === null;
  });
  const eligibleIds = new Set(eligible.map((r) => r.id));
  const key = (f: StudentFacts) => (saved?.distribution === 'class' ? String(f.classId ?? '') : (f.grade ?? ''));
  let distribution: Record<string, number> | null = null;
  if (saved && saved.distribution !== 'none') {
    distribution = {};
    if (saved.basis === 'applicants') {
      for (const r of eligible) {
        const k = key(facts.get(r.student_id)!);
        distribution[k] = (distribution[k] ?? 0) + 1;
      }
    } else {
      // Enrolment of the programme's stages, whether or not they applied.
      const counts = all(
        ctx,
        ctx.store.db
          .selectFrom('student as s')
          .innerJoin('school_class as c', 'c.id', 's.class_id')
          .select((eb) => ['c.id', 'c.grade', eb.fn.countAll<number>().as('n')])
          .where('s.status', '=', 'enrolled')
          .where('c.stage', 'in', p.stages)
          .groupBy('c.id'),
      );
      for (const c of counts) {
        const k = saved.distribution === 'class' ? String(c.id) : c.grade;
        distribution[k] = (distribution[k] ?? 0) + c.n;
      }
    }
  }
  const result = allocate({
    candidates: eligible.map((r) => {
      const f = facts.get(r.student_id)!;
      return {
        id: r.id,
        studentId: r.student_id,
        level: f.level,
        groups: f.flags.map((x) => x.group),
        score: f.score,
        income: f.income,
        identifiedOn: f.identifiedOn,
        identificationId: f.identificationId,
        groupKey: key(f),
      };
    }),
    quota,
    tiers: p.tiers,
    tierCounts: saved?.tierCounts ?? null,
    priorityGroups: p.topTierGroups,
    distribution,
    taken,
  });
  let total = 0;
  const values: AllocationValue[] = [];
  for (const r of result.rows) {
    const amount = r.funded ? (tierAmount(p, r.tier, facts.get(r.studentId)!.stage) ?? 0) : null;
    total += amount ?? 0;
    const reason = r.funded ? r.reason : `${r.reason}；名额已满，未获资助`;
    values.push([r.id, r.rank, reason, r.funded ? 1 : 0, r.tier, amount]);
  }
  for (const r of rows) {
    if (eligibleIds.has(r.id)) continue;
    const f = facts.get(r.student_id);
    values.push([r.id, null, f ? (f.enrolled ? (ineligibility(p, f) ?? '') : '已离校') : '学生不存在', 0, null, null]);
  }
  if (!a.dryRun) writeAllocation(ctx, values);
  return {
    quota,
    held: taken.count,
    funded: result.rows.length - result.unfunded.length,
    tierCounts: result.tierCounts,
    shares: result.shares,
    total,
    tieRule: TIE_RULE,
    note: emptyNote(every, eligible.length, rows.length, taken.count, quota),
    unfunded: result.unfunded.map((u) => ({
      applicationId: u.id,
      name: facts.get(u.studentId)!.name,
      className: facts.get(u.studentId)?.className ?? null,
      rank: u.rank,
      reason: `${u.reason}；名额已满，未获资助`,
    })),
  };
}

/** Why nothing (or not everything) could be allocated, in the clerk's words; '' when there is nothing to say. */
function emptyNote(all: { status: ApplicationStatus }[], eligible: number, underReview: number, held: number, quota: number): string {
  if (eligible > 0)
    return held > 0 ? `已公示或审核通过的 ${held} 人保留原档次，占用名额；本次分配剩余的 ${Math.max(0, quota - held)} 个名额。` : '';
  if (all.length === 0) return '这个项目本学期还没有申请：请先在“申请与审核”中为学生建立申请。';
  const waiting = new Map<ApplicationStatus, number>();
  for (const r of all)
    if (!ALLOCATABLE.includes(r.status) && !['publicity', 'approved', 'submitted', 'paid', 'archived'].includes(r.status))
      waiting.set(r.status, (waiting.get(r.status) ?? 0) + 1);
  const parts = [...waiting].map(([s, n]) => `${n} 份“${APPLICATION_STATUS_TEXT[s]}”`);
  if (underReview > 0) return `评审中的 ${underReview} 份申请都不符合该项目的条件（见每份申请的说明），没有可以分配的人。`;
  if (parts.length) return `没有处于评审中的申请（${parts.join('、')}）：草稿须先“提交申请”并送班级评议、学校审核，才能分配名额。`;
  return `所有申请都已公示或审核通过（${held} 人），没有需要分配的申请。`;
}
