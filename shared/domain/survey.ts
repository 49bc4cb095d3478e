/** 认定申请表: the family survey, one per student per school year, and the home visits around it. */
import type { Fen } from '../rules/money';
import type { FlagSource, PriorityGroup } from './priority-group';
import type { Hukou } from './student';
import type { SchoolYear } from './school';

export type Health = 'healthy' | 'minor' | 'serious' | 'deceased' | 'missing' | 'divorced' | 'guardian';
export const HEALTH_TEXT: Record<Health, string> = {
  healthy: '健康',
  minor: '小病或轻残',
  serious: '大病或重残',
  deceased: '已故',
  missing: '失踪',
  divorced: '离异',
  guardian: '监护',
};

export type HardshipFactor = 'disaster' | 'accident' | 'seriousIllness' | 'disabilityOrAge' | 'unemployment' | 'debt';
export const HARDSHIP_FACTOR_TEXT: Record<HardshipFactor, string> = {
  disaster: '遭受自然灾害',
  accident: '遭受突发意外',
  seriousIllness: '家庭成员患重大疾病',
  disabilityOrAge: '残疾或年迈而劳动能力弱',
  unemployment: '家庭成员失业',
  debt: '家庭欠债',
};
export const HARDSHIP_FACTORS = Object.keys(HARDSHIP_FACTOR_TEXT) as HardshipFactor[];

export type IncomeSource = 'farming' | 'migrantWork' | 'localWork' | 'business' | 'wages' | 'pension' | 'welfare' | 'none';
export const INCOME_SOURCE_TEXT: Record<IncomeSource, string> = {
  farming: '务农',
  migrantWork: '外出务工',
  localWork: '本地打零工',
  business: '个体经营',
  wages: '工资收入',
  pension: '退休金或养老金',
  welfare: '政府救助',
  none: '无固定收入',
};

export interface HouseholdMember {
  name: string;
  age: number | null;
  /** 与学生关系: 父亲, 母亲, 祖父 … as the family writes it. */
  relation: string;
  /** 工作（学习）单位 */
  workplace: string;
  occupation: string;
  annualIncome: Fen | null;
  health: Health | null;
}

/** A flag as the survey declares it: the family's word or a certificate the clerk has seen. */
export interface SurveyFlag {
  group: PriorityGroup;
  source: Extract<FlagSource, 'selfDeclared' | 'certificate'>;
  sourceDate: string | null;
  /** 城市 or 农村, for 低保 and 特困. */
  area?: 'rural' | 'urban' | null;
}

export type SurveyStatus = 'draft' | 'complete';
export const SURVEY_STATUS_TEXT: Record<SurveyStatus, string> = { draft: '草稿', complete: '已填齐' };

/** What the form edits. Address and phone are the family's current ones (the roster's may be old). */
export interface FamilySurveyFields {
  householdSize: number | null;
  hukou: Hukou | null;
  address: string;
  guardianPhone: string;
  members: HouseholdMember[];
  factors: HardshipFactor[];
  otherHardship: string;
  incomeSource: IncomeSource | null;
  childrenInSchool: number | null;
  commitmentSigned: boolean;
  commitmentDate: string | null;
  enteredBy: string;
  note: string;
}

/** A survey with nothing filled in: the form's start, and the base a first save is laid over. */
export const EMPTY_SURVEY_FIELDS: FamilySurveyFields = {
  householdSize: null,
  hukou: null,
  address: '',
  guardianPhone: '',
  members: [],
  factors: [],
  otherHardship: '',
  incomeSource: null,
  childrenInSchool: null,
  commitmentSigned: false,
  commitmentDate: null,
  enteredBy: '',
  note: '',
};

export interface FamilySurvey extends FamilySurveyFields {
  id: number;
  studentId: number;
  schoolYear: SchoolYear;
  status: SurveyStatus;
  /** 家庭人均年收入, from the members' incomes and the household size. */
  perCapitaIncome: Fen | null;
  /** The school year this draft was carried over from. */
  carriedFrom: SchoolYear | null;
  version: number;
  updatedAt: string;
}

export type VisitWay = 'field' | 'phone' | 'video';
export const VISIT_WAY_TEXT: Record<VisitWay, string> = { field: '实地', phone: '电话', video: '视频' };

export interface HomeVisit {
  id: number;
  studentId: number;
  studentName: string;
  className: string | null;
  schoolYear: SchoolYear;
  visitedOn: string;
  visitors: string;
  way: VisitWay;
  findings: string;
  followUp: string;
  sampleId: number | null;
}

export interface VisitSample {
  id: number;
  schoolYear: SchoolYear;
  percent: number;
  seed: string;
  population: number;
  createdAt: string;
  students: { id: number; name: string; className: string | null; visited: boolean }[];
}
