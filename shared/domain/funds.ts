/**
 * 资金台账: money allocated to each programme's term by document (文号) from each source, money received into the
 * school's dedicated account, carried between terms or returned, and what was paid, waived or served from it.
 */
import type { Fen } from '../rules/money';
import type { ProgrammeKind } from './programme';
import type { Term } from './school';

export type FundSource = 'central' | 'provincial' | 'municipal' | 'county' | 'school' | 'donation';
export const FUND_SOURCES: readonly FundSource[] = ['central', 'provincial', 'municipal', 'county', 'school', 'donation'];
export const FUND_SOURCE_TEXT: Record<FundSource, string> = {
  central: '中央',
  provincial: '省级',
  municipal: '市级',
  county: '县级',
  school: '学校自筹',
  donation: '社会捐助',
};

export type MovementKind = 'receipt' | 'carryIn' | 'carryOut' | 'return';
export const MOVEMENT_KIND_TEXT: Record<MovementKind, string> = {
  receipt: '到账',
  carryIn: '上期结转',
  carryOut: '结转下期',
  return: '退回',
};

/** 资金文件: what one document assigns to one programme's term from one source. */
export interface Allocation {
  id: number;
  programmeId: number;
  term: Term;
  source: FundSource;
  documentNumber: string;
  documentDate: string;
  amount: Fen;
  note: string;
  /** Received against it so far. */
  received: Fen;
}

export interface Movement {
  id: number;
  programmeId: number;
  term: Term;
  source: FundSource;
  kind: MovementKind;
  allocationId: number | null;
  /** The allocation's document number, for a receipt. */
  documentNumber: string | null;
  onDate: string;
  amount: Fen;
  /** The account's last four digits only (the full number is the school's, kept in the row). */
  account: string;
  note: string;
  backdateReason: string | null;
  /** For a carry-over, the term on the other side. */
  otherTerm: Term | null;
}

/** What money a programme's term has and what it did, per source where the money is by source. */
export interface SourceFigures {
  source: FundSource;
  allocated: Fen;
  received: Fen;
  carriedIn: Fen;
  carriedOut: Fen;
  returned: Fen;
  /** received + carried in − carried out − returned. */
  available: Fen;
}

export interface LedgerLine {
  programmeId: number;
  code: string;
  name: string;
  kind: ProgrammeKind;
  sources: SourceFigures[];
  allocated: Fen;
  available: Fen;
  /** Paid to families (bank, cards, cash), or served as meals for the meals programme. */
  paid: Fen;
  paidCount: number;
  /** Waived (减免): the school did not charge; drawn on the programme's money like a payment. */
  waived: Fen;
  /** Approved, reported or archived and not paid yet. */
  committed: Fen;
  committedCount: number;
  /** available − paid − waived: the money still in the account. */
  balance: Fen;
  /** balance − committed: what is left once everyone approved is paid (negative: the money is short). */
  free: Fen;
  /** allocated − received: documents whose money has not arrived. */
  awaited: Fen;
}

export interface Ledger {
  term: Term;
  lines: LedgerLine[];
  total: Omit<LedgerLine, 'programmeId' | 'code' | 'name' | 'kind' | 'sources'>;
  /** By source over every programme (for statistics and the fund-use notice). */
  bySource: SourceFigures[];
  /**
   * A central school with member schools: the money is received and kept by the desk, and spent school by school
   * (by the student's school): each school's part of the spending. Absent on a one-school desk.
   */
  bySchool?: SchoolSpending[];
}

/** One school's spending of a term over every programme: paid (cards, cash), waived, meals served, owed. */
export interface SchoolSpending {
  schoolId: number;
  name: string;
  paid: Fen;
  paidCount: number;
  waived: Fen;
  meals: Fen;
  committed: Fen;
  committedCount: number;
}

/** One line of a programme's ledger book (明细账), in date order with the running balance. */
export interface LedgerBookEntry {
  date: string;
  /** 摘要: 文号 and what happened. */
  summary: string;
  source: FundSource | null;
  /** Allocated by a document (not money yet: the balance does not move). */
  allocated: Fen | null;
  income: Fen | null;
  spending: Fen | null;
  balance: Fen;
}

/** What to do when a 上报 list or a 代发 file would spend more than the money received. */
export type FundsGuard = 'warn' | 'block';
export const FUNDS_GUARD_TEXT: Record<FundsGuard, string> = { warn: '提醒后仍可导出', block: '不允许导出' };

/** 校内资助: the share of fee income senior and vocational schools set aside, per school year. */
export interface SetAside {
  schoolYear: string;
  feeIncome: Fen | null;
  /** Percent, 3–5 by policy. */
  percent: number;
  /** feeIncome × percent, or null while the fee income is not entered. */
  required: Fen | null;
  /** Received for 校内资助 from the school's own money in the year. */
  setAside: Fen;
  /** Paid and waived under 校内资助 in the year. */
  spent: Fen;
}
