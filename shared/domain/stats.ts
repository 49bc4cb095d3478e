/** Figures for reports: students aided (人数), aid instances (人次) and amounts, by stage and programme. */
import type { Fen } from '../rules/money';
import type { FundSource } from './funds';
import type { PriorityGroup } from './priority-group';
import type { ProgrammeKind } from './programme';
import type { Stage } from './school';

/** The stage sections reports use: 义务教育 covers primary and junior school. */
export type Section = 'preschool' | 'compulsory' | 'senior' | 'vocational';
export const SECTION_TEXT: Record<Section, string> = {
  preschool: '学前教育',
  compulsory: '义务教育',
  senior: '普通高中',
  vocational: '中等职业教育',
};
export const SECTION_OF_STAGE: Record<Stage, Section> = {
  preschool: 'preschool',
  primary: 'compulsory',
  junior: 'compulsory',
  senior: 'senior',
  vocational: 'vocational',
};

/** The priority groups a summary names, each gathering the flags that count for it. */
export type StatsGroup = 'poverty' | 'dibao' | 'extremePoverty' | 'orphan' | 'disabled';
export const STATS_GROUP_TEXT: Record<StatsGroup, string> = {
  poverty: '脱贫家庭（含监测对象）学生',
  dibao: '低保家庭学生',
  extremePoverty: '特困供养学生',
  orphan: '孤儿（含事实无人抚养儿童）',
  disabled: '残疾学生',
};
export const STATS_GROUP_FLAGS: Record<StatsGroup, PriorityGroup[]> = {
  poverty: ['povertyAlleviated', 'monitored'],
  dibao: ['dibao'],
  extremePoverty: ['extremePoverty'],
  orphan: ['orphan', 'unsupportedChild'],
  disabled: ['disabledStudent'],
};
export const STATS_GROUPS = Object.keys(STATS_GROUP_TEXT) as StatsGroup[];

export interface Figures {
  /** Distinct students. */
  students: number;
  /** Payments (one per student, programme and term). */
  instances: number;
  /** Paid out, in fen. */
  amount: Fen;
  /** Waived or given in kind (not paid out), in fen. */
  waived: Fen;
  /** Students per priority group. */
  groups: Record<StatsGroup, number>;
  boarders: number;
  day: number;
}

export interface ProgrammeFigures extends Figures {
  programmeCode: string;
  programmeName: string;
  kind: ProgrammeKind;
  section: Section;
  /** Given to every student (免费教科书): counted in its own row only, not in the totals of students aided. */
  universal?: boolean;
}

export interface SectionFigures extends Figures {
  section: Section;
}

export interface StageFigures extends Figures {
  stage: Stage;
}

/** One school of the desk (中心校 or a 校点): its figures, and its enrolled students (资助面). */
export interface SchoolFigures extends Figures {
  schoolId: number;
  schoolName: string;
  enrolled: number;
}

export interface PeriodStats {
  /** 2026-autumn or 2026-2027. */
  period: string;
  /** 2026年秋季学期 or 2026—2027学年. */
  label: string;
  programmes: ProgrammeFigures[];
  sections: SectionFigures[];
  /** The same figures by 学段 (小学 and 初中 apart). */
  stages: StageFigures[];
  total: Figures;
  /** By school of the desk, when it keeps member schools (empty for a desk of one school). */
  schools: SchoolFigures[];
  /** Students enrolled (now): the base of 资助面 (students aided ÷ enrolled). */
  enrolled: number;
  /** Money received for aid in the period, by source (资金台账): received and carried in. */
  funds: { source: FundSource; amount: Fen }[];
}

export interface Stats {
  current: PeriodStats;
  previous: PeriodStats;
}
