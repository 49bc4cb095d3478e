/**
 * The desk's quota divided among its schools (名额分到校): a central school gives each member school its places,
 * and each school then ranks its own applicants for them. The parts must add up to the county's quota, tier by
 * tier when the county fixed the tiers; the screen and the core ask the same question here.
 */
import { TIER_TEXT, type SchoolQuota, type TierNumber } from '../domain/programme';
import { apportion } from './tiers';

const TIERS: TierNumber[] = [1, 2, 3];

/** The first thing wrong with a division of the quota, in the clerk's words; null when it adds up. */
export function schoolQuotaProblem(
  quota: { count: number; tierCounts: Partial<Record<TierNumber, number>> | null },
  parts: SchoolQuota[],
  programmeTiers: { tier: TierNumber }[],
  schoolName: (id: number) => string,
): string | null {
  if (parts.length === 0) return null;
  const seen = new Set<number>();
  for (const part of parts) {
    const name = schoolName(part.schoolId);
    if (seen.has(part.schoolId)) return `“${name}”填了两次：每所学校只填一行`;
    seen.add(part.schoolId);
    if (!part.tierCounts) continue;
    for (const t of Object.keys(part.tierCounts).map(Number) as TierNumber[])
      if (!programmeTiers.some((x) => x.tier === t)) return `该项目没有${TIER_TEXT[t]}（${name}）`;
    const sum = TIERS.reduce((s, t) => s + (part.tierCounts?.[t] ?? 0), 0);
    if (sum !== part.count) return `“${name}”各档人数合计 ${sum} 与该校名额 ${part.count} 不一致`;
  }
  const total = parts.reduce((s, p) => s + p.count, 0);
  if (total !== quota.count) return `分到各校的名额合计 ${total} 人，与县里下达的名额 ${quota.count} 人不一致`;
  if (quota.tierCounts) {
    const missing = parts.find((p) => !p.tierCounts);
    if (missing) return `县里指定了各档人数：请为“${schoolName(missing.schoolId)}”也填写各档人数`;
    for (const t of TIERS) {
      const want = quota.tierCounts[t] ?? 0;
      const got = parts.reduce((s, p) => s + (p.tierCounts?.[t] ?? 0), 0);
      if (want !== got) return `分到各校的${TIER_TEXT[t]}合计 ${got} 人，与县里指定的 ${want} 人不一致`;
    }
  }
  return null;
}

/**
 * A first division to start from: the places in proportion to each school's enrolled students (largest
 * remainder, so the parts add up exactly). The clerk edits it before saving.
 * @example splitByEnrolment(10, [{ schoolId: 1, students: 300 }, { schoolId: 2, students: 100 }]) → 8 and 2 (7.5 and 2.5: the tie goes to the first)
 */
export function splitByEnrolment(count: number, schools: { schoolId: number; students: number }[]): SchoolQuota[] {
  const parts = apportion(
    count,
    schools.map((s) => s.students),
  );
  return schools.map((s, i) => ({ schoolId: s.schoolId, count: parts[i]!, tierCounts: null }));
}
