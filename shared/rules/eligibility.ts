/**
 * Who may hold a programme: its stages and grades, its boarding rule, and its conditions — a difficulty
 * level, a priority group, the 四类, or everyone of the stage. One function answers for the application
 * list, the state machine, the allocation and the "nobody missed" check.
 */
import type { DifficultyLevel } from '../domain/identification';
import type { PriorityGroup } from '../domain/priority-group';
import type { ProgrammeDefinition } from '../domain/programme';
import type { Stage } from '../domain/school';

/** A flag as eligibility sees it: whether the latest county list names the student, and 城市/农村 where known. */
export interface FlagFact {
  group: PriorityGroup;
  listed: boolean;
  area: 'rural' | 'urban' | null;
}

export interface EligibilityFacts {
  stage: Stage | null;
  grade: string | null;
  boarding: boolean | null;
  /** The school year's decided identification (不困难 included), or null. */
  level: DifficultyLevel | null;
  flags: FlagFact[];
}

const HARDSHIP: DifficultyLevel[] = ['especially', 'difficult', 'general'];

/**
 * Which of the 四类 a student is in: 脱贫家庭 (含防止返贫监测对象), 家庭经济困难残疾学生 (disabled **and**
 * identified in hardship), 农村低保, 农村特困供养. An urban 低保/特困 family is not one of them, nor one whose
 * 城乡 is not known (the "nobody missed" check lists those for the clerk).
 */
export function fourCategories(f: Pick<EligibilityFacts, 'level' | 'flags'>): string[] {
  const has = (g: PriorityGroup, area?: 'rural') => f.flags.some((x) => x.group === g && (area === undefined || x.area === area));
  const out: string[] = [];
  if (has('povertyAlleviated') || has('monitored')) out.push('脱贫家庭（含监测对象）');
  if (has('disabledStudent') && f.level !== null && HARDSHIP.includes(f.level)) out.push('家庭经济困难残疾学生');
  if (has('dibao', 'rural')) out.push('农村低保');
  if (has('extremePoverty', 'rural')) out.push('农村特困供养');
  return out;
}

/** The groups the 四类 are made of: no other flag counts for them, nor for the 城乡 the "nobody missed" check asks about. */
export const FOUR_CATEGORY_GROUPS: readonly PriorityGroup[] = [
  'povertyAlleviated',
  'monitored',
  'disabledStudent',
  'dibao',
  'extremePoverty',
];

/** The groups whose flag can make a student eligible for `p`: its own, and the 四类's when it takes them. */
export function eligibilityGroups(p: Pick<ProgrammeDefinition, 'eligibility'>): PriorityGroup[] {
  return [...p.eligibility.groups, ...(p.eligibility.fourCategories ? FOUR_CATEGORY_GROUPS : [])];
}

/** 低保/特困 flags whose 城市/农村 is not known: they cannot count for the 四类 until the clerk says. */
export function unknownArea(f: Pick<EligibilityFacts, 'flags'>): PriorityGroup[] {
  return [...new Set(f.flags.filter((x) => (x.group === 'dibao' || x.group === 'extremePoverty') && x.area === null).map((x) => x.group))];
}

/** Why a student cannot hold a programme, or null when eligible. */
export function ineligibility(p: Pick<ProgrammeDefinition, 'stages' | 'boarding' | 'eligibility'>, f: EligibilityFacts): string | null {
  if (!f.stage || !p.stages.includes(f.stage)) return '不在该项目的学段';
  const grades = p.eligibility.grades ?? [];
  if (grades.length && !(f.grade && grades.includes(f.grade))) return `只资助${grades.join('、')}的学生`;
  if (p.boarding === 'boarder' && f.boarding === false) return '是走读生，该项目只资助寄宿生';
  if (p.boarding === 'day' && f.boarding === true) return '是寄宿生，该项目只资助走读生';
  const e = p.eligibility;
  if (e.everyone) return null;
  if (f.level && e.levels.includes(f.level)) return null;
  if (f.flags.some((x) => e.groups.includes(x.group))) return null;
  if (e.fourCategories && fourCategories(f).length) return null;
  const need = [
    e.levels.length ? '认定为家庭经济困难' : '',
    e.groups.length ? '属于规定的特殊群体' : '',
    e.fourCategories ? '属于“四类”（脱贫家庭含监测对象、家庭经济困难残疾学生、农村低保、农村特困供养）' : '',
  ].filter(Boolean);
  return `不符合申请条件（须${need.join('或') || '符合项目条件'}）`;
}

/** The programme's condition is need (a level, a group, the 四类) rather than everyone of the stage. */
export function isNeedBased(p: Pick<ProgrammeDefinition, 'eligibility'>): boolean {
  const e = p.eligibility;
  return !e.everyone && (e.levels.length > 0 || e.groups.length > 0 || !!e.fourCategories);
}
