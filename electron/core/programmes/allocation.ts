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
import { loadApplicants, loadFacts, tierAmount, type Applicant, type RankingFacts } from './facts';
import { memberSchoolNames } from '../school/member-schools';
import { CENTRAL_SCHOOL_ID } from '../../../shared/domain/school';

/**
 * How many of the unfunded the result names, nearest the line first: a county's allocation leaves thousands unfunded,
 * and each one's rank and reason are on its application anyway.
 */
export const UNFUNDED_LISTED = 100;

/** One ranking: the whole desk, or one school when the quota is divided among the schools. */
interface Pool {
  schoolId: number | null;
  quota: number;
  tierCounts: Partial<Record<TierNumber, number>> | null;
}

export function allocateApplications(
  ctx: CoreContext,
  a: { programmeId: number; term: Term; quota?: number; dryRun: boolean },
): AllocationResult {
  const p = programmeForTerm(ctx, a.programmeId, a.term);
  const saved = loadQuota(ctx, a.programmeId, a.term);
  const quota = a.quota ?? saved?.count;
  if (quota === undefined) throw new AppError('quota-missing', `还没有填写“${p.name}”${a.term} 的名额：请先在“名额”中填写县里下达的控制数`);
  const split = saved?.schools.length ? saved.schools : null;
  if (split && a.quota !== undefined && a.quota !== saved!.count)
    throw new AppError('validation', `“${p.name}”的名额已分到各校：请在“名额”中修改各校名额，再分配`);
  // Every application with its student's ranking facts, in one read (the unfunded listed get their names below).
  const every = loadApplicants(ctx, p.schoolYear, p.id, a.term);
  // With the quota divided, each school ranks its own applicants for its own places; a school left out has none.
  const pools: Pool[] = split
    ? split.map((s) => ({ schoolId: s.schoolId, quota: s.count, tierCounts: s.tierCounts }))
    : [{ schoolId: null, quota, tierCounts: saved?.tierCounts ?? null }];
  if (split)
    for (const r of every)
      if (!pools.some((x) => x.schoolId === r.schoolId)) pools.push({ schoolId: r.schoolId, quota: 0, tierCounts: null });
  const inPool = (pool: Pool, r: Applicant) => pool.schoolId === null || r.schoolId === pool.schoolId;
  const names = split ? memberSchoolNames(ctx) : null;
  const values: AllocationValue[] = [];
  const rows = every.filter((r) => ALLOCATABLE.includes(r.status));
  // The ineligible are written with why (no rank); the eligible are ranked below.
  const eligible: Applicant[] = [];
  for (const r of rows) {
    const why = r.enrolled ? ineligibility(p, r) : '已离校';
    if (why === null) eligible.push(r);
    else values.push([r.id, null, why, 0, null, null]);
  }
  const key = (f: RankingFacts) => (saved?.distribution === 'class' ? String(f.classId ?? '') : (f.grade ?? ''));
  // Enrolment of the programme's stages per school and grade or class, whether or not they applied.
  const enrolment =
    saved && saved.distribution !== 'none' && saved.basis === 'enrolment'
      ? all(
          ctx,
          ctx.store.db
            .selectFrom('student as s')
            .innerJoin('school_class as c', 'c.id', 's.class_id')
            .select((eb) => ['c.id', 'c.grade', 'c.school_id', eb.fn.countAll<number>().as('n')])
            .where('s.status', '=', 'enrolled')
            .where('c.stage', 'in', p.stages)
            .groupBy('c.id'),
        )
      : [];
  const distributionOf = (pool: Pool, candidates: typeof eligible): Record<string, number> | null => {
    if (!saved || saved.distribution === 'none') return null;
    const d: Record<string, number> = {};
    if (saved.basis === 'applicants') {
      for (const r of candidates) {
        const k = key(r);
        d[k] = (d[k] ?? 0) + 1;
      }
    } else {
      for (const c of enrolment) {
        if (pool.schoolId !== null && c.school_id !== pool.schoolId) continue;
        const k = saved.distribution === 'class' ? String(c.id) : c.grade;
        d[k] = (d[k] ?? 0) + c.n;
      }
    }
    return d;
  };

  const held = { count: 0 };
  const tierTotals: Record<TierNumber, number> = { 1: 0, 2: 0, 3: 0 };
  let shares: Record<string, number> | null = null;
  let total = 0;
  const bySchool: NonNullable<AllocationResult['bySchool']> = [];
  // The first unfunded in rank order (school by school when divided), listed with their names; the rest are counted.
  const unfunded: { id: number; studentId: number; rank: number; reason: string; school: string }[] = [];
  let unfundedCount = 0;
  for (const pool of pools) {
    // Recipients already posted or approved keep their places: a second round fills only what is left.
    const taken = { count: 0, tiers: { 1: 0, 2: 0, 3: 0 } as Record<TierNumber, number> };
    for (const r of every) {
      if (!inPool(pool, r) || !HOLDING.includes(r.status) || r.funded !== 1 || r.tier === null) continue;
      taken.count++;
      taken.tiers[r.tier]++;
    }
    held.count += taken.count;
    const candidates = eligible.filter((r) => inPool(pool, r));
    const line = {
      schoolId: pool.schoolId ?? CENTRAL_SCHOOL_ID,
      name: names?.get(pool.schoolId ?? 0) ?? '',
      quota: pool.quota,
      held: taken.count,
      funded: 0,
    };
    bySchool.push(line);
    if (candidates.length === 0) continue;
    const result = allocate({
      candidates,
      quota: pool.quota,
      tiers: p.tiers,
      tierCounts: pool.tierCounts,
      priorityGroups: p.topTierGroups,
      distribution: distributionOf(pool, candidates),
      groupOf: key,
      taken,
    });
    for (const t of [1, 2, 3] as TierNumber[]) tierTotals[t] += result.tierCounts[t];
    if (result.shares) shares = { ...(shares ?? {}), ...prefixed(result.shares, pool, names, saved?.distribution) };
    const school = pool.schoolId === null ? '' : (names!.get(pool.schoolId) ?? '');
    const full =
      pool.schoolId === null ? '名额已满，未获资助' : pool.quota === 0 ? `${school}未分到名额，未获资助` : `${school}的名额已满，未获资助`;
    // Neighbours in the ranking mostly share their reason: the written text is made once for each run of them.
    let base: string | null = null;
    let baseFunded = false;
    let written = '';
    for (const r of result.rows) {
      const { id, studentId, stage } = r.candidate;
      const amount = r.funded ? (tierAmount(p, r.tier, stage) ?? 0) : null;
      total += amount ?? 0;
      if (r.reason !== base || r.funded !== baseFunded) {
        base = r.reason;
        baseFunded = r.funded;
        // With the quota divided the rank is within the school.
        written = `${school ? `${school}校内排序：` : ''}${r.reason}${r.funded ? '' : `；${full}`}`;
      }
      values.push([id, r.rank, written, r.funded ? 1 : 0, r.tier, amount]);
      if (r.funded) line.funded++;
      else if (unfundedCount++ < UNFUNDED_LISTED) unfunded.push({ id, studentId, rank: r.rank, reason: `${r.reason}；${full}`, school });
    }
  }
  if (!a.dryRun) writeAllocation(ctx, values);
  const people = loadFacts(ctx, p.schoolYear, { studentIds: unfunded.map((u) => u.studentId) });
  return {
    quota,
    held: held.count,
    funded: bySchool.reduce((n, x) => n + x.funded, 0),
    tierCounts: tierTotals,
    shares,
    total,
    tieRule: TIE_RULE,
    note: emptyNote(every, eligible.length, rows.length, held.count, quota),
    unfunded: unfunded.map((u) => {
      const f = people.get(u.studentId);
      return {
        applicationId: u.id,
        name: f?.name ?? '',
        // Ranked within the school when the quota is divided: the school is named with the class.
        className: u.school ? `${u.school} ${f?.className ?? ''}`.trim() : (f?.className ?? null),
        rank: u.rank,
        reason: u.reason,
      };
    }),
    unfundedCount,
    bySchool: split ? bySchool : null,
  };
}

/** The grades' (or classes') shares, named with their school when each school divides its own places. */
function prefixed(
  shares: Record<string, number>,
  pool: Pool,
  names: Map<number, string> | null,
  distribution: string | undefined,
): Record<string, number> {
  if (pool.schoolId === null || distribution === 'class') return shares; // class ids are the desk's
  const school = names?.get(pool.schoolId) ?? '';
  return Object.fromEntries(Object.entries(shares).map(([k, n]) => [`${school} ${k}`, n]));
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
