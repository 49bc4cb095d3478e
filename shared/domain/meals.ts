/**
 * 营养改善计划: a daily programme. Every enrolled 小学 and 初中 student is served on every school day of the
 * term's serving period, unless the clerk excludes them (走读, home for lunch) with a reason. The meal ledger
 * counts serving days, students served per day, person-days (人天) and money at the year's standard.
 */
import type { Fen } from '../rules/money';
import type { Term } from './school';

/** The days meals are served in a term: from the first to the last (holidays and weekends skipped). */
export interface MealPeriod {
  term: Term;
  startsOn: string;
  endsOn: string;
}

/** The clerk's correction of one day; absent fields keep the default. */
export interface MealDayCorrection {
  date: string;
  /** No meals although a school day (停课, 考试放假). */
  closed: boolean;
  /** Meals although not a working day (补课, 调休 the school keeps). */
  extra: boolean;
  /** Students served, when not everyone covered ate (null: all covered students). */
  served: number | null;
  /** Teachers eating with pupils (陪餐). */
  teachers: number;
  teacherNames: string;
  note: string;
}

export interface MealDayLine {
  date: string;
  /** 一 … 日 */
  weekday: string;
  /** Covered students that day (enrolled, compulsory stages, not excluded). */
  covered: number;
  /** Served: the correction, or everyone covered; null for a day still to come. */
  served: number | null;
  teachers: number;
  teacherNames: string;
  note: string;
  extra: boolean;
  corrected: boolean;
}

export interface MealMonth {
  month: string;
  standard: Fen;
  /** Serving days of the month in the period (including the days still to come). */
  days: MealDayLine[];
  /** The days closed though school days, listed for the clerk to see. */
  closedDays: { date: string; note: string }[];
  /** Days served so far (to today). */
  servingDays: number;
  /** Covered students on the month's last serving day (受益学生数). */
  students: number;
  personDays: number;
  teacherMeals: number;
  /** personDays × standard. */
  amount: Fen;
  /** Days of the month after the core's today: not counted yet. */
  daysToCome: number;
  /** All the schools of a desk together: each school's figures (the days above add the schools up). */
  bySchool?: MealSchoolFigures[];
}

/** One school's meal figures for a month or a term. */
export interface MealSchoolFigures {
  schoolId: number;
  name: string;
  servingDays: number;
  students: number;
  personDays: number;
  teacherMeals: number;
  amount: Fen;
}

export interface MealTerm {
  period: MealPeriod;
  standard: Fen;
  months: Omit<MealMonth, 'days' | 'closedDays' | 'bySchool'>[];
  servingDays: number;
  personDays: number;
  teacherMeals: number;
  amount: Fen;
  excluded: MealExclusion[];
  /** All the schools of a desk together: each school's figures for the term. */
  bySchool?: MealSchoolFigures[];
}

export interface MealExclusion {
  studentId: number;
  name: string;
  className: string;
  reason: string;
}
