import { z } from 'zod';
import type { FileResult, PrintDocument } from './common';
import { id, isoDate, schoolYearArg, shortText } from './common';
import { message } from './contract';
import { termArg } from './programmes';
import {
  FUND_SOURCES,
  type Allocation,
  type FundsGuard,
  type Ledger,
  type LedgerBookEntry,
  type LedgerLine,
  type Movement,
  type SetAside,
} from '../domain/funds';

const amount = z.number().int().min(1, '金额应大于 0').max(10_000_000_000);
const source = z.enum(FUND_SOURCES);
const backdateReason = shortText(200).nullable().default(null);

export const fundsApi = {
  /** The term's ledger: per programme and source, received, paid, waived, committed and balance. */
  'funds.ledger': message<Ledger>()(z.object({ term: termArg })),
  /** One programme's term: its line, documents, money moved and the ledger book with the running balance. */
  'funds.programme': message<{ line: LedgerLine; allocations: Allocation[]; movements: Movement[]; book: LedgerBookEntry[] }>()(
    z.object({ programmeId: id, term: termArg }),
  ),
  /** 登记资金文件: what a document (文号) assigns to a programme's term from one source. */
  'funds.addAllocation': message<Allocation>()(
    z.object({
      programmeId: id,
      term: termArg,
      source,
      documentNumber: shortText(60).min(1, '请填写文号'),
      documentDate: isoDate,
      amount,
      note: shortText(200).default(''),
    }),
  ),
  /** 登记到账: money received against a document, never more than it assigned; before today with a reason. */
  'funds.receive': message<Movement>()(
    z.object({
      allocationId: id,
      onDate: isoDate,
      amount,
      account: shortText(40).default(''),
      note: shortText(200).default(''),
      backdateReason,
    }),
  ),
  /** 结转: a balance moved to a later term of the same programme. */
  'funds.carryOver': message<Movement[]>()(
    z.object({
      programmeId: id,
      fromTerm: termArg,
      toTerm: termArg,
      source,
      amount,
      onDate: isoDate,
      note: shortText(200).default(''),
      backdateReason,
    }),
  ),
  /** 退回: money sent back, with its grounds. */
  'funds.return': message<Movement>()(
    z.object({ programmeId: id, term: termArg, source, amount, onDate: isoDate, note: shortText(200), backdateReason }),
  ),
  /** 撤销登记 of an entry made in error (kept in the audit trail). */
  'funds.remove': message<null>()(z.object({ entry: z.enum(['allocation', 'movement']), entryId: id })),
  'funds.settings': message<{ guard: FundsGuard; setAside: SetAside }>()(z.object({ schoolYear: schoolYearArg })),
  'funds.saveSettings': message<{ guard: FundsGuard; setAside: SetAside }>()(
    z.object({
      guard: z.enum(['warn', 'block']),
      schoolYear: schoolYearArg,
      feeIncome: z.number().int().min(0).max(100_000_000_000).nullable(),
      percent: z.number().min(0).max(100),
    }),
  ),
  /** The ledger book of a programme (A4, measured pages) or, without a programme, the term's overview. */
  'funds.print': message<PrintDocument>()(z.object({ programmeId: id.nullable().default(null), term: termArg })),
  'funds.export': message<FileResult>()(z.object({ programmeId: id.nullable().default(null), term: termArg })),
  /** 资金使用情况通报: totals only, for the school's publicity board. */
  'funds.printNotice': message<PrintDocument>()(z.object({ term: termArg })),
};
