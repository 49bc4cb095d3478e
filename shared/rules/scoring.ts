/**
 * 量化评分: a weighted score over the family survey that suggests a difficulty level. The school edits the
 * rubric; the committee decides the level (a different level needs a written reason).
 */
import type { DifficultyLevel, ScoreLine } from '../domain/identification';
import { PRIORITY_GROUPS, type PriorityGroup } from '../domain/priority-group';
import { HARDSHIP_FACTOR_TEXT, type FamilySurveyFields, type HardshipFactor, type Health } from '../domain/survey';
import type { Fen } from './money';

export interface IncomeBand {
  /** Per-capita annual income up to and including this many yuan. */
  maxYuan: number;
  points: number;
}

export interface ScoringRubric {
  incomeBands: IncomeBand[];
  /** The highest of the student's groups counts, not the sum: one hardship is not counted twice. */
  groupPoints: Partial<Record<PriorityGroup, number>>;
  factorPoints: Record<HardshipFactor, number>;
  /** Per household member in poor health or absent. */
  healthPoints: Partial<Record<Health, number>>;
  healthMax: number;
  /** Per child in school beyond the student. */
  perOtherChild: number;
  childrenMax: number;
  /** Lowest score for each level; below `general` suggests 不困难. */
  thresholds: { especially: number; difficult: number; general: number };
}

export const DEFAULT_RUBRIC: ScoringRubric = {
  incomeBands: [
    { maxYuan: 3000, points: 40 },
    { maxYuan: 5000, points: 30 },
    { maxYuan: 8000, points: 20 },
    { maxYuan: 12000, points: 10 },
  ],
  groupPoints: {
    extremePoverty: 40,
    orphan: 40,
    unsupportedChild: 40,
    povertyAlleviated: 30,
    monitored: 30,
    dibao: 30,
    martyrChild: 30,
    disabledStudent: 25,
    childOfDisabledParent: 20,
    nearDibao: 20,
    entitledGroupChild: 10,
    singleParent: 10,
    leftBehind: 5,
  },
  factorPoints: { seriousIllness: 15, disabilityOrAge: 10, disaster: 10, accident: 10, unemployment: 8, debt: 8 },
  healthPoints: { serious: 10, deceased: 10, missing: 8, minor: 3 },
  healthMax: 20,
  perOtherChild: 3,
  childrenMax: 9,
  thresholds: { especially: 70, difficult: 45, general: 25 },
};

/** The rubric in words, for the settings page and the printed method. */
export const RUBRIC_EXPLANATION = [
  '家庭人均年收入：按收入段计分，收入越低分越高（无收入信息不计分）。',
  '特殊群体：取学生所属群体中分值最高的一项，不重复累加。',
  '困难因素：自然灾害、突发意外、重大疾病、残疾或年迈、失业、欠债，逐项累加。',
  '家庭成员健康：每名大病重残、已故或失踪的成员计分，有上限。',
  '在读子女：除本人外每多一名在读子女计分，有上限。',
  '总分达到各等级最低分即建议该等级；最终等级由学校认定工作组决定，与建议不同须写明理由。',
];

export interface ScoreInput {
  survey: Pick<FamilySurveyFields, 'members' | 'factors' | 'childrenInSchool' | 'householdSize'> | null;
  perCapitaIncome: Fen | null;
  groups: PriorityGroup[];
}

export interface ScoreResult {
  score: number;
  level: DifficultyLevel;
  lines: ScoreLine[];
}

/** 家庭人均年收入: the members' incomes over the household size (or over the members listed). */
export function perCapitaIncome(survey: Pick<FamilySurveyFields, 'members' | 'householdSize'>): Fen | null {
  const incomes = survey.members.map((m) => m.annualIncome).filter((v): v is Fen => v !== null);
  if (incomes.length === 0) return null;
  const people = survey.householdSize && survey.householdSize > 0 ? survey.householdSize : survey.members.length;
  if (people === 0) return null;
  return Math.round(incomes.reduce((a, b) => a + b, 0) / people);
}

export function suggestLevel(score: number, rubric: ScoringRubric): DifficultyLevel {
  if (score >= rubric.thresholds.especially) return 'especially';
  if (score >= rubric.thresholds.difficult) return 'difficult';
  if (score >= rubric.thresholds.general) return 'general';
  return 'none';
}

export function scoreCase(input: ScoreInput, rubric: ScoringRubric): ScoreResult {
  const lines: ScoreLine[] = [];
  if (input.perCapitaIncome !== null) {
    const yuan = input.perCapitaIncome / 100;
    const band = [...rubric.incomeBands].sort((a, b) => a.maxYuan - b.maxYuan).find((b) => yuan <= b.maxYuan);
    if (band) lines.push({ label: `家庭人均年收入 ${Math.round(yuan)} 元（不超过 ${band.maxYuan} 元）`, points: band.points });
  }
  let best: { group: PriorityGroup; points: number } | null = null;
  for (const group of new Set(input.groups)) {
    const points = rubric.groupPoints[group] ?? 0;
    if (points > 0 && (!best || points > best.points)) best = { group, points };
  }
  if (best) lines.push({ label: `特殊群体：${PRIORITY_GROUPS[best.group]}`, points: best.points });
  for (const factor of new Set(input.survey?.factors ?? [])) {
    const points = rubric.factorPoints[factor] ?? 0;
    if (points > 0) lines.push({ label: HARDSHIP_FACTOR_TEXT[factor], points });
  }
  const health = (input.survey?.members ?? []).reduce((sum, m) => sum + (m.health ? (rubric.healthPoints[m.health] ?? 0) : 0), 0);
  if (health > 0) lines.push({ label: '家庭成员健康状况', points: Math.min(health, rubric.healthMax) });
  const others = Math.max(0, (input.survey?.childrenInSchool ?? 0) - 1);
  if (others > 0 && rubric.perOtherChild > 0) {
    lines.push({ label: `另有 ${others} 名子女在读`, points: Math.min(others * rubric.perOtherChild, rubric.childrenMax) });
  }
  const score = lines.reduce((a, l) => a + l.points, 0);
  return { score, level: suggestLevel(score, rubric), lines };
}
