/** 发放: money paid on an application, and what a bank's result file said. */
import type { Fen } from '../rules/money';
import type { Term } from './school';

/** 银行卡 / 惠民惠农一卡通 / 餐卡 / 减免 (a waiver is recorded, never paid out). */
export type PaymentChannel = 'bankCard' | 'socialCard' | 'mealCard' | 'waiver';
export const CHANNEL_TEXT: Record<PaymentChannel, string> = {
  bankCard: '银行卡',
  socialCard: '惠民惠农一卡通',
  mealCard: '餐卡',
  waiver: '减免',
};

/** Whose account the money went to: the student's, or a guardian's (with a 委托书 on file). */
export type AccountHolder = 'student' | 'guardian' | 'none';
export const HOLDER_TEXT: Record<AccountHolder, string> = { student: '学生本人', guardian: '监护人', none: '—' };

export type PaymentOutcome = 'paid' | 'failed';

export interface Payment {
  id: number;
  applicationId: number;
  studentId: number;
  name: string;
  programmeName: string;
  term: Term;
  outcome: PaymentOutcome;
  amount: Fen;
  paidOn: string;
  channel: PaymentChannel;
  /** Masked unless the clerk asked to see numbers. */
  account: string;
  holder: AccountHolder;
  holderName: string;
  proxyLetter: boolean;
  reference: string;
  failureReason: string;
  fromBankFile: string | null;
  createdAt: string;
}

/** Where an application stands with its money: 待发放, 已发放, 发放失败 (the bank's reason kept). */
export type PaymentState = 'due' | 'paid' | 'failed';
export const PAYMENT_STATE_TEXT: Record<PaymentState, string> = { due: '待发放', paid: '已发放', failed: '发放失败' };

export interface PaymentLine {
  applicationId: number;
  studentId: number;
  name: string;
  className: string | null;
  status: string;
  amount: Fen;
  state: PaymentState;
  /** The student's card now (masked unless revealed), and whether it changed since the failed attempt. */
  card: string | null;
  cardChanged: boolean;
  lastAttempt: { outcome: PaymentOutcome; paidOn: string; failureReason: string; account: string } | null;
}

export interface PaymentSummary {
  programmeId: number;
  term: Term;
  /** Applications the money is due on: approved, submitted, paid or archived, with an amount. */
  due: { count: number; amount: Fen };
  paid: { count: number; amount: Fen };
  failed: { count: number; amount: Fen };
  outstanding: { count: number; amount: Fen };
  budget: Fen | null;
}

export interface BankReturnFailure {
  student: string;
  /** Masked: the last four digits only. */
  account: string;
  reason: string;
  applicationId: number;
}

export interface BankReturnUnmatched {
  row: number;
  name: string;
  account: string;
  amount: Fen | null;
  reason: string;
}

export interface BankReturnResult {
  fileName: string;
  sheetName: string;
  rows: number;
  paid: number;
  alreadyPaid: number;
  /** Rows an earlier import of the same file recorded already (each row is taken once). */
  alreadyRecorded: number;
  failed: BankReturnFailure[];
  unmatched: BankReturnUnmatched[];
  /** True when nothing was written (a preview). */
  dryRun: boolean;
}
