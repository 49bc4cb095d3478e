/** 资助项目: the programmes a school administers, as data for a school year (standards change yearly). */
import type { DifficultyLevel } from './identification';
import type { PriorityGroup } from './priority-group';
import type { SchoolYear, Stage, Term } from './school';
import type { Fen } from '../rules/money';

/**
 * paid: money to the family; waiver: the school does not charge; inKind: things given (textbooks, eggs), signed
 * for, never paid out; meals: the nutrition plan, served every school day and kept in the meal ledger, never
 * applied for.
 */
export type ProgrammeKind = 'paid' | 'waiver' | 'inKind' | 'meals';
export const PROGRAMME_KINDS: readonly ProgrammeKind[] = ['paid', 'waiver', 'inKind', 'meals'];
export const PROGRAMME_KIND_TEXT: Record<ProgrammeKind, string> = {
  paid: '发放资金',
  waiver: '减免（不发放）',
  inKind: '实物（签领登记）',
  meals: '营养餐（按日登记）',
};

/** Who the programme is for, by boarding: the boarder subsidy is for boarders, the non-boarder one for day students. */
export type BoardingRule = 'any' | 'boarder' | 'day';
export const BOARDING_RULE_TEXT: Record<BoardingRule, string> = { any: '不限', boarder: '仅寄宿生', day: '仅走读生' };

export type TierNumber = 1 | 2 | 3;
export const TIER_TEXT: Record<TierNumber, string> = { 1: '一档', 2: '二档', 3: '三档' };

export interface Tier {
  tier: TierNumber;
  /** Share of the quota, in percent. One tier at 100 % for a programme with a single standard. */
  proportion: number;
  /** Per-term amount by stage (小学 625, 初中 750 for the boarder subsidy). */
  amounts: Partial<Record<Stage, Fen>>;
}

export interface Eligibility {
  /** Every student of the stages qualifies (fee waivers for all, the nutrition programme, merit awards). */
  everyone: boolean;
  /** Difficulty levels that qualify (empty: the level does not qualify on its own). */
  levels: DifficultyLevel[];
  /** Priority groups that qualify on their own. */
  groups: PriorityGroup[];
  /**
   * The 四类 qualify (脱贫家庭含监测对象, 家庭经济困难残疾学生, 农村低保, 农村特困供养): a rule of its own, since
   * urban 低保 and disabled students not in hardship do not count (shared/rules/eligibility.ts).
   */
  fourCategories?: boolean;
  /** Only these grades (免保育教育费: 大班); empty or absent: every grade of the stages. */
  grades?: string[];
}

export interface ProgrammeDefinition {
  name: string;
  stages: Stage[];
  kind: ProgrammeKind;
  tiers: Tier[];
  boarding: BoardingRule;
  eligibility: Eligibility;
  /** Programmes (codes) a student may not hold in the same term together with this one. */
  exclusive: string[];
  /** Groups placed in the top tier by default (脱贫/低保/特困/孤残). */
  topTierGroups: PriorityGroup[];
  note: string;
  /** Paid once per household (疫情、灾害临时救助 “每户 200 元”): siblings confirmed as one household share one application. */
  perHousehold?: boolean;
}

export interface Programme extends ProgrammeDefinition {
  id: number;
  code: string;
  schoolYear: SchoolYear;
  builtIn: boolean;
}

export type Distribution = 'none' | 'grade' | 'class';
export type DistributionBasis = 'enrolment' | 'applicants';

export interface Quota {
  programmeId: number;
  term: Term;
  count: number;
  /** Tier counts set by the county; null: computed from the proportions. */
  tierCounts: Partial<Record<TierNumber, number>> | null;
  budget: Fen | null;
  distribution: Distribution;
  basis: DistributionBasis;
  /** The quota divided among the desk's schools (名额分到校); empty: the desk ranks everybody together. */
  schools: SchoolQuota[];
}

/** A school's part of the desk's quota: its places, and its tier counts when the county fixed the desk's. */
export interface SchoolQuota {
  schoolId: number;
  count: number;
  tierCounts: Partial<Record<TierNumber, number>> | null;
}

export const TOP_TIER_GROUPS: PriorityGroup[] = [
  'povertyAlleviated',
  'monitored',
  'dibao',
  'extremePoverty',
  'orphan',
  'unsupportedChild',
  'disabledStudent',
];
