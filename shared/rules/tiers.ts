/**
 * Ranking applicants and assigning tiers within a quota: priority groups first, then the difficulty level,
 * then the score, each step written down so the order can be explained to a parent or an inspector.
 */
import type { DifficultyLevel } from '../domain/identification';
import { LEVEL_TEXT } from '../domain/identification';
import { PRIORITY_GROUPS, type PriorityGroup } from '../domain/priority-group';
import type { TierNumber } from '../domain/programme';

/**
 * Splits `total` by weights with the largest-remainder method: the parts add up to `total` exactly.
 * Ties in the remainder go to the earlier key.
 * @example apportion(340, [25, 50, 25]) → [85, 170, 85]
 */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]!++;
    left--;
  }
  return parts;
}

/** Tier counts for a quota from the tiers' proportions (percent). */
export function tierCounts(quota: number, tiers: { tier: TierNumber; proportion: number }[]): Record<TierNumber, number> {
  const sorted = [...tiers].sort((a, b) => a.tier - b.tier);
  const parts = apportion(
    quota,
    sorted.map((t) => t.proportion),
  );
  const counts: Record<TierNumber, number> = { 1: 0, 2: 0, 3: 0 };
  sorted.forEach((t, i) => (counts[t.tier] = parts[i]!));
  return counts;
}

export interface Candidate {
  /** The application. */
  id: number;
  studentId: number;
  level: DifficultyLevel | null;
  groups: PriorityGroup[];
  score: number | null;
  /** 家庭人均年收入 in fen from the year's survey: the first tie-break (lower first). */
  income?: number | null;
  /** When the difficulty was identified (date, then the decision's number): the second tie-break (earlier first). */
  identifiedOn?: string | null;
  identificationId?: number | null;
  /** Grade or class, when the quota is distributed over them. */
  groupKey?: string;
}

export interface Ranked extends Candidate {
  rank: number;
  /** Why here: 特殊群体（脱贫家庭学生）；特别困难；评分 72 分 — and the tie rule when it decided. */
  reason: string;
  priority: PriorityGroup[];
}

const LEVEL_ORDER: Record<DifficultyLevel, number> = { especially: 0, difficult: 1, general: 2, none: 3 };
const NONE = Number.MAX_SAFE_INTEGER;

/** The tie rule, as written into the reasons (and shown to the clerk beside the allocation). */
export const TIE_RULE = '同等条件（特殊群体、认定等级、评分相同）时，家庭人均年收入较低者优先，再按认定时间先后';

function yuan(fen: number): string {
  return Number.isInteger(fen / 100) ? String(fen / 100) : (fen / 100).toFixed(2);
}

/**
 * Orders candidates: priority groups first, then level, then score (high first); ties go to the lower
 * per-capita income, then the earlier identification, then the earlier record — and the reason says so.
 */
export function rankCandidates(candidates: Candidate[], priorityGroups: PriorityGroup[]): Ranked[] {
  const priority = new Set(priorityGroups);
  // Sort keys computed once per candidate, not once per comparison.
  const keyed = candidates.map((c) => {
    const own = c.groups.filter((g) => priority.has(g));
    return {
      c,
      own,
      p: own.length ? 0 : 1,
      l: c.level ? LEVEL_ORDER[c.level] : 4,
      s: c.score ?? -1,
      i: c.income ?? NONE,
      d: c.identifiedOn ?? '9999',
      n: c.identificationId ?? NONE,
    };
  });
  keyed.sort(
    (a, b) =>
      a.p - b.p ||
      a.l - b.l ||
      b.s - a.s ||
      a.i - b.i ||
      (a.d < b.d ? -1 : a.d > b.d ? 1 : 0) ||
      a.n - b.n ||
      a.c.studentId - b.c.studentId,
  );
  const tied = (i: number, j: number) => {
    const a = keyed[i];
    const b = keyed[j];
    return !!a && !!b && a.p === b.p && a.l === b.l && a.s === b.s;
  };
  // Objects written out field by field: spreading 10,000 of them costs more than the sort.
  return keyed.map(({ c, own }, i) => {
    let reason = `${own.length ? `特殊群体（${own.map((g) => PRIORITY_GROUPS[g]).join('、')}）` : '非特殊群体'}；${c.level ? LEVEL_TEXT[c.level] : '未认定'}；${c.score === null ? '无评分' : `评分 ${c.score} 分`}`;
    if (tied(i, i - 1) || tied(i, i + 1)) {
      const income = c.income === null || c.income === undefined ? '家庭人均年收入未填' : `家庭人均年收入 ${yuan(c.income)} 元`;
      reason += `；与他人同等条件，按人均年收入较低、认定较早优先（${income}，${c.identifiedOn ? `${c.identifiedOn} 认定` : '认定时间不详'}）`;
    }
    return {
      id: c.id,
      studentId: c.studentId,
      level: c.level,
      groups: c.groups,
      score: c.score,
      groupKey: c.groupKey,
      rank: i + 1,
      priority: own,
      reason,
    };
  });
}

export interface AllocationInput {
  candidates: Candidate[];
  quota: number;
  tiers: { tier: TierNumber; proportion: number }[];
  /** Set by the county; otherwise from the proportions. */
  tierCounts?: Partial<Record<TierNumber, number>> | null;
  /** Groups ranked first and placed in the top tier (even beyond its share: the checks then warn). */
  priorityGroups: PriorityGroup[];
  /** Weights per grade or class when the quota is distributed over them (enrolment or applicants). */
  distribution?: Record<string, number> | null;
  /**
   * Places already held by recipients posted or approved in an earlier round: they count against the
   * quota and each tier's share, so a second round never funds the quota twice.
   */
  taken?: { count: number; tiers: Partial<Record<TierNumber, number>> } | null;
}

export interface Allocated extends Ranked {
  funded: boolean;
  tier: TierNumber | null;
}

export interface Allocation {
  rows: Allocated[];
  /** Tier counts of this round (the places left after earlier rounds). */
  tierCounts: Record<TierNumber, number>;
  /** Quota per grade or class when distributed. */
  shares: Record<string, number> | null;
  unfunded: Allocated[];
  /** Places this round could fill: the quota less the places already taken. */
  open: number;
}

export function allocate(input: AllocationInput): Allocation {
  const ranked = rankCandidates(input.candidates, input.priorityGroups);
  const taken = { count: input.taken?.count ?? 0, tiers: { 1: 0, 2: 0, 3: 0, ...input.taken?.tiers } as Record<TierNumber, number> };
  const open = Math.max(0, input.quota - taken.count);
  const funded = new Set<number>();
  const handedBack = new Set<number>();
  let shares: Record<string, number> | null = null;
  if (input.distribution) {
    const keys = Object.keys(input.distribution).sort();
    const parts = apportion(
      open,
      keys.map((k) => input.distribution![k]!),
    );
    shares = Object.fromEntries(keys.map((k, i) => [k, parts[i]!]));
    const used: Record<string, number> = {};
    for (const r of ranked) {
      const key = r.groupKey ?? '';
      if ((used[key] ?? 0) < (shares[key] ?? 0)) {
        funded.add(r.id);
        used[key] = (used[key] ?? 0) + 1;
      }
    }
    // Places a class or grade cannot use (fewer eligible applicants than its share) go to the best-ranked
    // applicants elsewhere: a share is a fair split, never a reason to leave places empty.
    for (const r of ranked) {
      if (funded.size >= open) break;
      if (funded.has(r.id)) continue;
      funded.add(r.id);
      handedBack.add(r.id);
    }
  } else {
    for (const r of ranked.slice(0, open)) funded.add(r.id);
  }
  const fundedCount = funded.size;
  const tiers = [...input.tiers].sort((a, b) => a.tier - b.tier);
  const target: Record<TierNumber, number> = input.tierCounts
    ? { 1: input.tierCounts[1] ?? 0, 2: input.tierCounts[2] ?? 0, 3: input.tierCounts[3] ?? 0 }
    : tierCounts(Math.min(input.quota, taken.count + fundedCount), tiers);
  // What is left of each tier after the earlier rounds, made to add up to this round's places.
  const counts: Record<TierNumber, number> = { 1: 0, 2: 0, 3: 0 };
  for (const t of tiers) counts[t.tier] = Math.max(0, target[t.tier] - taken.tiers[t.tier]);
  let diff = fundedCount - tiers.reduce((n, t) => n + counts[t.tier], 0);
  for (const t of [...tiers].reverse()) {
    if (diff > 0) {
      counts[t.tier] += diff;
      diff = 0;
    } else if (diff < 0) {
      const cut = Math.min(-diff, counts[t.tier]);
      counts[t.tier] -= cut;
      diff += cut;
    }
  }
  // Priority students take the top tier even past its share; the lowest tiers give way.
  const priorityFunded = ranked.filter((r) => funded.has(r.id) && r.priority.length > 0).length;
  const top = tiers[0]?.tier ?? 1;
  if (tiers.length > 1 && priorityFunded > counts[top]) {
    let excess = priorityFunded - counts[top];
    counts[top] = priorityFunded;
    for (const t of [...tiers].reverse()) {
      if (t.tier === top) continue;
      const cut = Math.min(excess, counts[t.tier]);
      counts[t.tier] -= cut;
      excess -= cut;
    }
  }
  const remaining = { ...counts };
  const rows = ranked as Allocated[];
  for (const r of rows) {
    if (!funded.has(r.id)) {
      r.funded = false;
      r.tier = null;
      continue;
    }
    const tier = tiers.find((t) => remaining[t.tier] > 0)?.tier ?? tiers[tiers.length - 1]?.tier ?? 1;
    remaining[tier]--;
    r.funded = true;
    r.tier = tier;
    if (handedBack.has(r.id)) r.reason += '；获其他班级（年级）未用完的名额';
  }
  return { rows, tierCounts: counts, shares, unfunded: rows.filter((r) => !r.funded), open };
}
