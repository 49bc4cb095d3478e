/**
 * 公示: a list posted for a period, with objections. Entries hold only what may be posted (姓名, 年级,
 * 班级 and the level/tier/amount): nothing else is ever copied into them.
 */
export type PublicityKind = 'identification' | 'programme';
/** 两级公示: a class's list first, then the school's (which includes the classes already posted). */
export type PublicityLevel = 'school' | 'class';
export type PublicityStatus = 'open' | 'closed';
export const PUBLICITY_STATUS_TEXT: Record<PublicityStatus, string> = { open: '公示中', closed: '已结束' };

export interface PublicityEntry {
  studentId: number;
  name: string;
  grade: string;
  className: string;
  /** 认定等级, 档次 or 金额 as posted. */
  value: string;
}

export type ObjectionOutcome = 'kept' | 'changed';
export const OBJECTION_OUTCOME_TEXT: Record<ObjectionOutcome, string> = { kept: '复核后维持', changed: '复核后更改' };

export interface Objection {
  id: number;
  publicityId: number;
  studentId: number | null;
  studentName: string | null;
  receivedOn: string;
  raisedBy: string;
  content: string;
  status: 'open' | 'resolved';
  outcome: ObjectionOutcome | null;
  reviewNote: string;
  answer: string;
  resolvedOn: string | null;
}

export interface Publicity {
  id: number;
  kind: PublicityKind;
  /** What was publicised: a school year for identification, `programme:term` later. */
  subject: string;
  title: string;
  startsOn: string;
  workingDays: number;
  endsOn: string;
  complaintPhone: string;
  status: PublicityStatus;
  closedOn: string | null;
  level: PublicityLevel;
  /** The class a class-level publicity posts. */
  classId: number | null;
  className: string | null;
  /** Why the start date lies before the day it was entered (补登), or ''. */
  backdateReason: string;
  entryCount: number;
  openObjections: number;
  createdAt: string;
}

export interface PublicityDetail extends Publicity {
  entries: PublicityEntry[];
  objections: Objection[];
}
