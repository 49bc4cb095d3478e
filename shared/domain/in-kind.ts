/** 实物资助: what each student was given in kind under a programme in a term, and its value. */
import type { Fen } from '../rules/money';

export interface InKindLine {
  id: number;
  studentId: number;
  name: string;
  className: string;
  classId: number | null;
  value: Fen;
  items: string;
  givenOn: string;
}

export interface InKindPage {
  lines: InKindLine[];
  /** 人次 and total value. */
  count: number;
  value: Fen;
  /** Enrolled students who qualify (every student of the stages, for textbooks). */
  eligible: number;
}
