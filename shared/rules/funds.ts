/**
 * The funds ledger's arithmetic, in integer fen: what each source gave, what is left, whether a file would spend
 * money that has not arrived, and the ledger book's running balance. The core reads the rows; this decides.
 */
import {
  FUND_SOURCE_TEXT,
  FUND_SOURCES,
  type FundSource,
  type LedgerBookEntry,
  type MovementKind,
  type SourceFigures,
} from '../domain/funds';
import { formatYuan, type Fen } from './money';

export interface AllocationFact {
  source: FundSource;
  amount: Fen;
}
export interface MovementFact {
  source: FundSource;
  kind: MovementKind;
  amount: Fen;
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** Figures per source, only the sources that appear, in the catalogue's order (中央 first). */
export function sourceFigures(allocations: readonly AllocationFact[], movements: readonly MovementFact[]): SourceFigures[] {
  return FUND_SOURCES.flatMap((source) => {
    const a = allocations.filter((x) => x.source === source);
    const m = movements.filter((x) => x.source === source);
    if (a.length === 0 && m.length === 0) return [];
    const of = (kind: MovementKind) => sum(m.filter((x) => x.kind === kind).map((x) => x.amount));
    const received = of('receipt');
    const carriedIn = of('carryIn');
    const carriedOut = of('carryOut');
    const returned = of('return');
    return [
      {
        source,
        allocated: sum(a.map((x) => x.amount)),
        received,
        carriedIn,
        carriedOut,
        returned,
        available: received + carriedIn - carriedOut - returned,
      },
    ];
  });
}

/** Adds up figures of several programmes by source. */
export function mergeSources(lists: readonly (readonly SourceFigures[])[]): SourceFigures[] {
  const flat = lists.flat();
  return FUND_SOURCES.flatMap((source) => {
    const xs = flat.filter((x) => x.source === source);
    if (xs.length === 0) return [];
    const add = (k: Exclude<keyof SourceFigures, 'source'>) => sum(xs.map((x) => x[k]));
    return [
      {
        source,
        allocated: add('allocated'),
        received: add('received'),
        carriedIn: add('carriedIn'),
        carriedOut: add('carriedOut'),
        returned: add('returned'),
        available: add('available'),
      },
    ];
  });
}

/**
 * Whether money may leave: a 代发 file or a 上报 list of `amount` when the programme's term still has `balance`
 * in the account. Null when it is covered; otherwise the sentence the clerk reads.
 */
export function shortfall(programme: string, what: '代发文件' | '上报名单', amount: Fen, balance: Fen): string | null {
  if (amount <= balance) return null;
  if (balance <= 0)
    return `“${programme}”本学期还没有可用的到账资金（结余 ${formatYuan(balance)}），${what}金额 ${formatYuan(amount)}：请先在“资金台账”登记资金到账`;
  return `${what}金额 ${formatYuan(amount)} 超过“${programme}”本学期到账资金的结余 ${formatYuan(balance)}，差 ${formatYuan(amount - balance)}`;
}

export interface BookEvent {
  date: string;
  /** Same-day order: documents, then money in, then money out. */
  order: number;
  summary: string;
  source: FundSource | null;
  allocated?: Fen;
  income?: Fen;
  spending?: Fen;
}

/** The ledger book: events in date order with the balance after each (allocations do not move it). */
export function ledgerBook(events: readonly BookEvent[]): LedgerBookEntry[] {
  const sorted = [...events].sort((a, b) => (a.date === b.date ? a.order - b.order : a.date < b.date ? -1 : 1));
  let balance = 0;
  return sorted.map((e) => {
    balance += (e.income ?? 0) - (e.spending ?? 0);
    return {
      date: e.date,
      summary: e.summary,
      source: e.source,
      allocated: e.allocated ?? null,
      income: e.income ?? null,
      spending: e.spending ?? null,
      balance,
    };
  });
}

/** 校内资助 to set aside: fee income × percent, rounded to the fen. */
export function setAsideRequired(feeIncome: Fen, percent: number): Fen {
  return Math.round((feeIncome * percent) / 100);
}

export const sourceText = (s: FundSource) => FUND_SOURCE_TEXT[s];
