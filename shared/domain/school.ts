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

/** 中心校 (the desk's own school, always id 1), 校点 or 教学点. */
export type MemberSchoolKind = 'central' | 'member' | 'teachingPoint';
export const MEMBER_SCHOOL_KIND_TEXT: Record<MemberSchoolKind, string> = { central: '中心校', member: '校点', teachingPoint: '教学点' };

/** One school of the desk: the central school or one of its member schools. */
export interface MemberSchool {
  id: number;
  name: string;
  kind: MemberSchoolKind;
  classCount: number;
  /** Enrolled students. */
  studentCount: number;
}

/** The desk's central school: a desk of one school has only this one, and shows no school picker. */
export const CENTRAL_SCHOOL_ID = 1;

export interface SchoolClass {
  id: number;
  /** The member school the class belongs to (1: the central school). */
  schoolId: number;
  stage: Stage;
  /** 一年级, 小班, 高一, or `2024级` when the roster gives only the entry year. */
  grade: string;
  gradeOrder: number;
  /** The display name, e.g. 一年级（1）班. */
  name: string;
  /** The name to choose it by: with its school's name first when the desk keeps several schools. */
  label: string;
  studentCount: number;
}

/** 疑似双学籍: a member school's roster listed a student another school of the desk has. */
export interface DualEnrolment {
  id: number;
  studentId: number;
  name: string;
  /** Where the desk has the student now. */
  schoolName: string;
  className: string | null;
  /** The school whose roster also lists the student, and the class it gives. */
  claimedBySchoolId: number;
  claimedBySchool: string;
  claimedClass: string;
  enrolled: boolean;
  foundOn: string;
  /** The roster file and its row. */
  fileName: string | null;
  sheetRow: number | null;
  resolution: 'moved' | 'kept' | null;
  resolvedOn: string | null;
  note: string;
}
