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
  /** The student's priority flags: those of the programme's groups rank first. */
  flags: readonly { group: PriorityGroup }[];
  score: number | null;
  /** 家庭人均年收入 in fen from the year's survey: the first tie-break (lower first). */
  income?: number | null;
  /** When the difficulty was identified (date, then the decision's number): the second tie-break (earlier first). */
  identifiedOn?: string | null;
  identificationId?: number | null;
}

export interface Ranked<C extends Candidate = Candidate> {
  candidate: C;
  rank: number;
  /** Why here: 特殊群体（脱贫家庭学生）；特别困难；评分 72 分 — and the tie rule when it decided. */
  reason: string;
  /** The candidate's groups that the programme ranks first. */
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
 * One row of a ranking: the candidate, its sort keys and, once sorted, its rank and reason; the allocation then sets
 * `funded` and `tier` on the same object. One object per candidate: a county's 10,000 applicants used to get three.
 */
interface Row<C extends Candidate> extends Allocated<C> {
  p: number;
  l: number;
  s: number;
  i: number;
  d: string;
  n: number;
}

function sameGroups(a: PriorityGroup[], b: PriorityGroup[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether a row's reason reads as its neighbour's: the same groups, level and score (which make the two tied with each
 * other, so `isTied` holds for both) and, when tied, the same income and identification date.
 */
function saysTheSame(r: Row<Candidate>, before: Row<Candidate>, isTied: boolean): boolean {
  const c = r.candidate;
  const b = before.candidate;
  return (
    c.level === b.level &&
    c.score === b.score &&
    sameGroups(r.priority, before.priority) &&
    (!isTied || ((c.income ?? null) === (b.income ?? null) && (c.identifiedOn ?? null) === (b.identifiedOn ?? null)))
  );
}

/** Why a row stands where it does: its groups, level and score, and the tie rule with its income and date when tied. */
function reasonOf(r: Row<Candidate>, isTied: boolean): string {
  const c = r.candidate;
  const own = r.priority;
  const reason = `${own.length ? `特殊群体（${own.map((g) => PRIORITY_GROUPS[g]).join('、')}）` : '非特殊群体'}；${c.level ? LEVEL_TEXT[c.level] : '未认定'}；${c.score === null ? '无评分' : `评分 ${c.score} 分`}`;
  if (!isTied) return reason;
  const income = c.income === null || c.income === undefined ? '家庭人均年收入未填' : `家庭人均年收入 ${yuan(c.income)} 元`;
  return `${reason}；与他人同等条件，按人均年收入较低、认定较早优先（${income}，${c.identifiedOn ? `${c.identifiedOn} 认定` : '认定时间不详'}）`;
}

function sortedRows<C extends Candidate>(candidates: readonly C[], priorityGroups: PriorityGroup[]): Row<C>[] {
  const priority = new Set(priorityGroups);
  const rows: Row<C>[] = [];
  for (const c of candidates) {
    const own: PriorityGroup[] = [];
    for (const f of c.flags) if (priority.has(f.group) && !own.includes(f.group)) own.push(f.group);
    rows.push({
      candidate: c,
      rank: 0,
      reason: '',
      priority: own,
      funded: false,
      tier: null,
      p: own.length ? 0 : 1,
      l: c.level ? LEVEL_ORDER[c.level] : 4,
      s: c.score ?? -1,
      i: c.income ?? NONE,
      d: c.identifiedOn ?? '9999',
      n: c.identificationId ?? NONE,
    });
  }
  rows.sort(
    (a, b) =>
      a.p - b.p ||
      a.l - b.l ||
      b.s - a.s ||
      a.i - b.i ||
      (a.d < b.d ? -1 : a.d > b.d ? 1 : 0) ||
      a.n - b.n ||
      a.candidate.studentId - b.candidate.studentId,
  );
  const tied = (a: Row<C> | undefined, b: Row<C> | undefined) => !!a && !!b && a.p === b.p && a.l === b.l && a.s === b.s;
  // Neighbours in the order mostly share their reason (same groups, level and score; among the tied, the same income
  // and date): the text is built once per run of them, not once per candidate.
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const before = rows[k - 1];
    const isTied = tied(r, before) || tied(r, rows[k + 1]);
    r.rank = k + 1;
    r.reason = before && saysTheSame(r, before, isTied) ? before.reason : reasonOf(r, isTied);
  }
  return rows;
}

/**
 * Orders candidates: priority groups first, then level, then score (high first); ties go to the lower
 * per-capita income, then the earlier identification, then the earlier record — and the reason says so.
 */
export function rankCandidates<C extends Candidate>(candidates: readonly C[], priorityGroups: PriorityGroup[]): Ranked<C>[] {
  return sortedRows(candidates, priorityGroups);
}

export interface AllocationInput<C extends Candidate = Candidate> {
  candidates: readonly C[];
  quota: number;
  tiers: { tier: TierNumber; proportion: number }[];
  /** Set by the county; otherwise from the proportions. */
  tierCounts?: Partial<Record<TierNumber, number>> | null;
  /** Groups ranked first and placed in the top tier (even beyond its share: the checks then warn). */
  priorityGroups: PriorityGroup[];
  /** Weights per grade or class when the quota is distributed over them (enrolment or applicants). */
  distribution?: Record<string, number> | null;
  /** A candidate's grade or class, the keys of `distribution`. */
  groupOf?: (c: C) => string;
  /**
   * Places already held by recipients posted or approved in an earlier round: they count against the
   * quota and each tier's share, so a second round never funds the quota twice.
   */
  taken?: { count: number; tiers: Partial<Record<TierNumber, number>> } | null;
}

export interface Allocated<C extends Candidate = Candidate> extends Ranked<C> {
  funded: boolean;
  tier: TierNumber | null;
}

export interface Allocation<C extends Candidate = Candidate> {
  /** Every candidate in rank order. */
  rows: Allocated<C>[];
  /** Tier counts of this round (the places left after earlier rounds). */
  tierCounts: Record<TierNumber, number>;
  /** Quota per grade or class when distributed. */
  shares: Record<string, number> | null;
  unfunded: Allocated<C>[];
  /** Places this round could fill: the quota less the places already taken. */
  open: number;
}

export function allocate<C extends Candidate>(input: AllocationInput<C>): Allocation<C> {
  const ranked = sortedRows(input.candidates, input.priorityGroups);
  const taken = { count: input.taken?.count ?? 0, tiers: { 1: 0, 2: 0, 3: 0, ...input.taken?.tiers } as Record<TierNumber, number> };
  const open = Math.max(0, input.quota - taken.count);
  let fundedCount = 0;
  const handedBack = new Set<Row<C>>();
  let shares: Record<string, number> | null = null;
  if (input.distribution) {
    const keys = Object.keys(input.distribution).sort();
    const parts = apportion(
      open,
      keys.map((k) => input.distribution![k]!),
    );
    shares = Object.fromEntries(keys.map((k, i) => [k, parts[i]!]));
    const used: Record<string, number> = {};
    const groupOf = input.groupOf ?? (() => '');
    for (const r of ranked) {
      const key = groupOf(r.candidate);
      if ((used[key] ?? 0) < (shares[key] ?? 0)) {
        r.funded = true;
        fundedCount++;
        used[key] = (used[key] ?? 0) + 1;
      }
    }
    // Places a class or grade cannot use (fewer eligible applicants than its share) go to the best-ranked
    // applicants elsewhere: a share is a fair split, never a reason to leave places empty.
    for (const r of ranked) {
      if (fundedCount >= open) break;
      if (r.funded) continue;
      r.funded = true;
      fundedCount++;
      handedBack.add(r);
    }
  } else {
    for (const r of ranked.slice(0, open)) r.funded = true;
    fundedCount = Math.min(open, ranked.length);
  }
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
  const priorityFunded = ranked.filter((r) => r.funded && r.priority.length > 0).length;
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
  for (const r of ranked) {
    if (!r.funded) continue;
    const tier = tiers.find((t) => remaining[t.tier] > 0)?.tier ?? tiers[tiers.length - 1]?.tier ?? 1;
    remaining[tier]--;
    r.tier = tier;
    if (handedBack.has(r)) r.reason += '；获其他班级（年级）未用完的名额';
  }
  return { rows: ranked, tierCounts: counts, shares, unfunded: ranked.filter((r) => !r.funded), open };
}
