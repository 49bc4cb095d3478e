import { z } from 'zod';
import type { ProgrammeKind } from '../domain/programme';
import type { SchoolYear, Term } from '../domain/school';
import type { TermCalendarItem } from '../rules/term-calendar';
import { id, isoDate } from './common';
import { termArg } from './programmes';
import { message } from './contract';

/** The pages a board link opens (App's areas). */
export type BoardPage =
  | 'roster'
  | 'surveys'
  | 'programmes'
  | 'publicity'
  | 'exports'
  | 'payments'
  | 'funds'
  | 'meals'
  | 'education'
  | 'archive'
  | 'stats'
  | 'settings';

/** Where the next action is: a page, opened on the right term, programme, class and tab. */
export interface BoardLink {
  label: string;
  page: BoardPage;
  term?: Term;
  programmeCode?: string;
  programmeId?: number;
  classId?: number | null;
  tab?: string;
}

export type StepState = 'done' | 'doing' | 'todo' | 'waiting';

export interface BoardStep {
  key:
    | 'notice'
    | 'survey'
    | 'identify'
    | 'apply'
    | 'quota'
    | 'publicity'
    | 'approve'
    | 'report'
    | 'pay'
    | 'funds'
    | 'meals'
    | 'give'
    | 'lessons'
    | 'sign'
    | 'archive';
  label: string;
  state: StepState;
  /** The figure from the data: "已通过 45/45", "公示中，还有 3 个工作日", "2 笔发放失败待处理". */
  progress: string;
  link: BoardLink | null;
}

export interface ProgrammeBoard {
  programmeId: number;
  code: string;
  name: string;
  kind: ProgrammeKind;
  steps: BoardStep[];
  /** The first step not done, as a link. */
  next: BoardLink | null;
  findings: { blocking: number; warning: number };
}

export interface TermBoard {
  term: Term;
  schoolYear: SchoolYear;
  today: string;
  /** The year's identification: 告知, 申请/调查, 认定, 公示. */
  identification: {
    enrolled: number;
    surveyed: number;
    decided: number;
    /** Decided as 特别困难 / 困难 / 一般困难 (not 不困难). */
    identified: number;
    publicity: string;
    steps: BoardStep[];
    next: BoardLink | null;
  };
  /** Programmes in use this term (applications or a quota), then those not started. */
  programmes: ProgrammeBoard[];
  notStarted: { programmeId: number; code: string; name: string }[];
  findings: { blocking: number; warning: number; first: { programme: string; student: string | null; message: string }[] };
  /** 疑似双学籍 cases a member school's roster raised, not yet decided (学生名册 → 双学籍核对). */
  dualEnrolments: number;
  calendar: (TermCalendarItem & { state: 'past' | 'now' | 'next' })[];
  summary: BoardLink;
}

const CalendarItemArgs = z.object({
  key: z
    .string()
    .regex(/^(notice|survey|identify|archive|pay|education|summary|custom-\d{1,6})$/)
    .transform((k) => k as TermCalendarItem['key']),
  label: z.string().trim().min(1, '请写明事项').max(60, '事项不超过 60 个字'),
  startsOn: isoDate,
  endsOn: isoDate,
  note: z.string().trim().max(200, '说明不超过 200 个字').default(''),
});

export const boardApi = {
  /** 本学期工作台: where the term stands per programme, from the data, with the next action of each. */
  /** `schoolId`: one school of the desk (its students, applications, payments and documents), or null: all. */
  'board.term': message<TermBoard>()(z.object({ term: termArg.optional(), schoolId: id.nullable().default(null) })),
  /** The term's calendar as the clerk set it (dates, deadlines, own items). */
  'board.saveCalendar': message<TermBoard['calendar']>()(
    z.object({ term: termArg, items: z.array(CalendarItemArgs).max(40, '日程不超过 40 项') }),
  ),
};
