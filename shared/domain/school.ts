export const STAGES = ['preschool', 'primary', 'junior', 'senior', 'vocational'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_TEXT: Record<Stage, string> = {
  preschool: '学前',
  primary: '小学',
  junior: '初中',
  senior: '普通高中',
  vocational: '中职',
};

/** `2026-autumn`, `2027-spring`. */
export type Term = `${number}-${'autumn' | 'spring'}`;
/** `2026-2027`. */
export type SchoolYear = `${number}-${number}`;

export interface School {
  name: string;
  county: string;
  township: string;
  stages: Stage[];
  schoolYear: SchoolYear;
  term: Term;
}

export interface SchoolClass {
  id: number;
  stage: Stage;
  /** 一年级, 小班, 高一, or `2024级` when the roster gives only the entry year. */
  grade: string;
  gradeOrder: number;
  /** The display name, e.g. 一年级（1）班. */
  name: string;
  studentCount: number;
}
