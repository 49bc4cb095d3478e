/**
 * 资金台账: the one writer of fund_allocation and fund_movement, and the reader that puts them beside what was
 * paid, waived or served. Balances are integer fen: received + carried in − carried out − returned − paid −
 * waived. Dates are the core's: nothing in the future, and an entry dated before today says why.
 */
import { sql } from 'kysely';
import type {
  Allocation,
  FundSource,
  FundsGuard,
  Ledger,
  LedgerBookEntry,
  LedgerLine,
  Movement,
  SchoolSpending,
  SetAside,
} from '../../../shared/domain/funds';
import { FUND_SOURCE_TEXT } from '../../../shared/domain/funds';
import type { Programme } from '../../../shared/domain/programme';
import type { SchoolYear, Term } from '../../../shared/domain/school';
import { AppError, notFound } from '../../../shared/errors';
import { ledgerBook, mergeSources, setAsideRequired, shortfall, sourceFigures, type BookEvent } from '../../../shared/rules/funds';
import { formatYuan, type Fen } from '../../../shared/rules/money';
import { schoolYearOfTerm, termsOfSchoolYear, termText } from '../../../shared/rules/term';
import { notAfterToday, nowIso, today, type CoreContext } from '../context';
import { all, first, run } from '../db/query';
import { ensureCatalogue, programmeForTerm } from '../programmes/catalogue';
import { mealSpending, type MealSpending } from '../meals/meals';
import { hasMemberSchools, memberSchoolNames } from '../school/member-schools';
import { requireSchool } from '../school/school';
import { readSetting, writeSetting } from '../settings';
import { CHANNEL_TEXT } from '../../../shared/domain/payment';

const GUARD_KEY = 'funds.guard';
const setAsideKey = (year: SchoolYear) => `funds.setAside.${year}`;
/** Statuses whose money is owed once approved. */
const DUE = ['approved', 'submitted', 'paid', 'archived'] as const;

/** A date the clerk gives: not in the future; before today only with a reason. */
function checkDate(ctx: CoreContext, date: string, what: string, reason: string | null | undefined): string | null {
  notAfterToday(ctx, date, what);
  const why = reason?.trim() ?? '';
  if (date < today(ctx) && !why)
    throw new AppError('validation', `${what}（${date}）早于今天（${today(ctx)}），请写明补登原因（如“按银行回单补登”）`);
  return date < today(ctx) ? why : null;
}

// ── reading ─────────────────────────────────────────────────────────────────────────────────────────────

export function listAllocations(ctx: CoreContext, term: Term, programmeId: number | null = null): Allocation[] {
  let q = ctx.store.db
    .selectFrom('fund_allocation as a')
    .select(['a.id', 'a.programme_id', 'a.term', 'a.source', 'a.document_number', 'a.document_date', 'a.amount_fen', 'a.note'])
    .select((eb) =>
      eb
        .selectFrom('fund_movement as m')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('m.amount_fen'), e.lit(0)).as('s'))
        .whereRef('m.allocation_id', '=', 'a.id')
        .as('received'),
    )
    .where('a.term', '=', term)
    .orderBy('a.document_date')
    .orderBy('a.id');
  if (programmeId !== null) q = q.where('a.programme_id', '=', programmeId);
  return all(ctx, q).map((r) => ({
    id: r.id,
    programmeId: r.programme_id,
    term: r.term,
    source: r.source,
    documentNumber: r.document_number,
    documentDate: r.document_date,
    amount: r.amount_fen,
    note: r.note,
    received: Number(r.received ?? 0),
  }));
}

export function listMovements(ctx: CoreContext, term: Term, programmeId: number | null = null): Movement[] {
  let q = ctx.store.db
    .selectFrom('fund_movement as m')
    .leftJoin('fund_allocation as a', 'a.id', 'm.allocation_id')
    .leftJoin('fund_movement as o', 'o.id', 'm.linked_id')
    .select(['m.id', 'm.programme_id', 'm.term', 'm.source', 'm.kind', 'm.allocation_id', 'm.on_date', 'm.amount_fen', 'm.account'])
    .select(['m.note', 'm.backdate_reason', 'a.document_number', 'o.term as other_term'])
    .where('m.term', '=', term)
    .orderBy('m.on_date')
    .orderBy('m.id');
  if (programmeId !== null) q = q.where('m.programme_id', '=', programmeId);
  return all(ctx, q).map((r) => ({
    id: r.id,
    programmeId: r.programme_id,
    term: r.term,
    source: r.source,
    kind: r.kind,
    allocationId: r.allocation_id,
    documentNumber: r.document_number,
    onDate: r.on_date,
    amount: r.amount_fen,
    account: r.account ? `…${r.account.slice(-4)}` : '',
    note: r.note,
    backdateReason: r.backdate_reason,
    otherTerm: r.other_term,
  }));
}

interface Paid {
  paid: Fen;
  paidCount: number;
  waived: Fen;
}
interface Owed {
  amount: Fen;
  count: number;
}
type BySchool<T> = Map<number, Map<number, T>>;

/** Adds a row's money into `map` under `key`. */
function addPaid(map: Map<number, Paid>, key: number, channel: string, amount: number, n: number): void {
  const x = map.get(key) ?? { paid: 0, paidCount: 0, waived: 0 };
  if (channel === 'waiver') x.waived += amount;
  else x.paid += amount;
  x.paidCount += n;
  map.set(key, x);
}

/** Adds a row's commitment into `map` under `key`. */
function addOwed(map: Map<number, Owed>, key: number, amount: number, n: number): void {
  const x = map.get(key) ?? { amount: 0, count: 0 };
  x.amount += amount;
  x.count += n;
  map.set(key, x);
}

/**
 * Paid (by channel other than 减免) and waived per programme of a term, from `payment`; with `bySchool` also per
 * programme and the student's school (the same query, grouped once more), for a central school's breakdown.
 */
function spending(ctx: CoreContext, term: Term, bySchool = false): { byProgramme: Map<number, Paid>; bySchool: BySchool<Paid> } {
  const rows = all(
    ctx,
    ctx.store.db
      .selectFrom('payment as p')
      .innerJoin('application as a', 'a.id', 'p.application_id')
      .$if(bySchool, (q) => q.innerJoin('student as s', 's.id', 'a.student_id'))
      .select(['a.programme_id', 'p.channel'])
      .select((eb) => [
        eb.fn.sum<number>('p.amount_fen').as('amount'),
        eb.fn.countAll<number>().as('n'),
        (bySchool ? sql<number>`s.school_id` : sql<number>`1`).as('school_id'),
      ])
      .where('a.term', '=', term)
      .where('p.outcome', '=', 'paid')
      .groupBy(['a.programme_id', 'p.channel'])
      .$if(bySchool, (q) => q.groupBy(sql`s.school_id`)),
  );
  const byProgramme = new Map<number, Paid>();
  const schools: BySchool<Paid> = new Map();
  for (const r of rows) {
    addPaid(byProgramme, r.programme_id, r.channel, Number(r.amount), Number(r.n));
    if (!schools.has(r.programme_id)) schools.set(r.programme_id, new Map());
    addPaid(schools.get(r.programme_id)!, r.school_id, r.channel, Number(r.amount), Number(r.n));
  }
  return { byProgramme, bySchool: schools };
}

/** Approved (or later) and not paid: what the programme owes (and, with `bySchool`, each school's part of it). */
function commitments(ctx: CoreContext, term: Term, bySchool = false): { byProgramme: Map<number, Owed>; bySchool: BySchool<Owed> } {
  const rows = all(
    ctx,
    ctx.store.db
      .selectFrom('application as a')
      .$if(bySchool, (q) => q.innerJoin('student as s', 's.id', 'a.student_id'))
      .select('a.programme_id')
      .select((eb) => [
        eb.fn.sum<number>('a.amount_fen').as('amount'),
        eb.fn.countAll<number>().as('n'),
        (bySchool ? sql<number>`s.school_id` : sql<number>`1`).as('school_id'),
      ])
      .where('a.term', '=', term)
      .where('a.status', 'in', DUE)
      .where('a.amount_fen', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('payment as p').select('p.id').whereRef('p.application_id', '=', 'a.id').where('p.outcome', '=', 'paid')),
        ),
      )
      .groupBy('a.programme_id')
      .$if(bySchool, (q) => q.groupBy(sql`s.school_id`)),
  );
  const byProgramme = new Map<number, Owed>();
  const schools: BySchool<Owed> = new Map();
  for (const r of rows) {
    addOwed(byProgramme, r.programme_id, Number(r.amount), Number(r.n));
    if (!schools.has(r.programme_id)) schools.set(r.programme_id, new Map());
    addOwed(schools.get(r.programme_id)!, r.school_id, Number(r.amount), Number(r.n));
  }
  return { byProgramme, bySchool: schools };
}

function line(ctx: CoreContext, p: Programme, term: Term, allocations: Allocation[], movements: Movement[], cache: Caches): LedgerLine {
  const mine = allocations.filter((a) => a.programmeId === p.id);
  const moved = movements.filter((m) => m.programmeId === p.id);
  const sources = sourceFigures(mine, moved);
  const spent = cache.spending.byProgramme.get(p.id) ?? { paid: 0, paidCount: 0, waived: 0 };
  const meals = p.kind === 'meals' ? (cache.meals ??= safeMeals(ctx, term)) : null;
  const paid = meals ? meals.amount : spent.paid;
  const owed = p.kind === 'meals' ? { amount: 0, count: 0 } : (cache.commitments.byProgramme.get(p.id) ?? { amount: 0, count: 0 });
  const allocated = sources.reduce((s, x) => s + x.allocated, 0);
  const available = sources.reduce((s, x) => s + x.available, 0);
  const received = sources.reduce((s, x) => s + x.received, 0);
  const balance = available - paid - spent.waived;
  return {
    programmeId: p.id,
    code: p.code,
    name: p.name,
    kind: p.kind,
    sources,
    allocated,
    available,
    paid,
    paidCount: meals ? meals.personDays : spent.paidCount,
    waived: spent.waived,
    committed: owed.amount,
    committedCount: owed.count,
    balance,
    free: balance - owed.amount,
    awaited: Math.max(0, allocated - received),
  };
}

interface Caches {
  spending: ReturnType<typeof spending>;
  commitments: ReturnType<typeof commitments>;
  meals?: MealSpending;
}

/** The meal ledger of a school with no meals programme spends nothing. */
function safeMeals(ctx: CoreContext, term: Term): MealSpending {
  try {
    return mealSpending(ctx, term);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not-found') return { amount: 0, personDays: 0, bySchool: [] };
    throw e;
  }
}

/** Each school's part of what the lines spent and owe, by the student's school; the parts add up to the lines. */
function schoolSpending(ctx: CoreContext, term: Term, lines: LedgerLine[], cache: Caches): SchoolSpending[] {
  const schools = new Map<number, SchoolSpending>();
  for (const [id, name] of memberSchoolNames(ctx))
    schools.set(id, { schoolId: id, name, paid: 0, paidCount: 0, waived: 0, meals: 0, committed: 0, committedCount: 0 });
  for (const l of lines) {
    if (l.kind === 'meals') {
      for (const m of (cache.meals ??= safeMeals(ctx, term)).bySchool) schools.get(m.schoolId)!.meals += m.amount;
      continue;
    }
    for (const [id, x] of cache.spending.bySchool.get(l.programmeId) ?? []) {
      const school = schools.get(id)!;
      school.paid += x.paid;
      school.paidCount += x.paidCount;
      school.waived += x.waived;
    }
    for (const [id, x] of cache.commitments.bySchool.get(l.programmeId) ?? []) {
      schools.get(id)!.committed += x.amount;
      schools.get(id)!.committedCount += x.count;
    }
  }
  return [...schools.values()];
}

/** The term's ledger: every programme the school runs, or that has money or spending recorded. */
export async function ledger(ctx: CoreContext, term: Term): Promise<Ledger> {
  const school = await requireSchool(ctx);
  const catalogue = ensureCatalogue(ctx, schoolYearOfTerm(term));
  const allocations = listAllocations(ctx, term);
  const movements = listMovements(ctx, term);
  const several = hasMemberSchools(ctx);
  const cache: Caches = { spending: spending(ctx, term, several), commitments: commitments(ctx, term, several) };
  const shown = catalogue.filter(
    (p) =>
      p.stages.some((s) => school.stages.includes(s)) ||
      allocations.some((a) => a.programmeId === p.id) ||
      movements.some((m) => m.programmeId === p.id) ||
      cache.spending.byProgramme.has(p.id),
  );
  const lines = shown.map((p) => line(ctx, p, term, allocations, movements, cache));
  const add = (k: keyof Ledger['total']) => lines.reduce((s, l) => s + l[k], 0);
  return {
    term,
    lines,
    bySource: mergeSources(lines.map((l) => l.sources)),
    ...(several ? { bySchool: schoolSpending(ctx, term, lines, cache) } : {}),
    total: {
      allocated: add('allocated'),
      available: add('available'),
      paid: add('paid'),
      paidCount: add('paidCount'),
      waived: add('waived'),
      committed: add('committed'),
      committedCount: add('committedCount'),
      balance: add('balance'),
      free: add('free'),
      awaited: add('awaited'),
    },
  };
}

/** One programme's term as a ledger line (the guard and the pages ask for one). */
export function programmeLedger(ctx: CoreContext, programmeId: number, term: Term): LedgerLine {
  const p = programmeForTerm(ctx, programmeId, term);
  const cache: Caches = { spending: spending(ctx, term), commitments: commitments(ctx, term) };
  return line(ctx, p, term, listAllocations(ctx, term, p.id), listMovements(ctx, term, p.id), cache);
}

/** The programme's ledger book (明细账): documents, money in, payments by day and channel, in date order. */
export function ledgerBookOf(ctx: CoreContext, programmeId: number, term: Term): LedgerBookEntry[] {
  const p = programmeForTerm(ctx, programmeId, term);
  const events: BookEvent[] = [];
  for (const a of listAllocations(ctx, term, p.id))
    events.push({
      date: a.documentDate,
      order: 0,
      summary: `资金文件 ${a.documentNumber}${a.note ? `（${a.note}）` : ''}`,
      source: a.source,
      allocated: a.amount,
    });
  for (const m of listMovements(ctx, term, p.id)) {
    const what =
      m.kind === 'receipt'
        ? `到账 ${m.documentNumber ?? ''}`
        : m.kind === 'carryIn'
          ? `自${m.otherTerm ? termText(m.otherTerm) : '上期'}结转`
          : m.kind === 'carryOut'
            ? `结转至${m.otherTerm ? termText(m.otherTerm) : '下期'}`
            : '退回';
    const money = m.kind === 'receipt' || m.kind === 'carryIn' ? { income: m.amount } : { spending: m.amount };
    events.push({
      date: m.onDate,
      order: money.income ? 1 : 2,
      summary: `${what}${m.note ? `（${m.note}）` : ''}`,
      source: m.source,
      ...money,
    });
  }
  if (p.kind === 'meals') {
    const meals = safeMeals(ctx, term);
    if (meals.amount > 0)
      events.push({
        date: today(ctx),
        order: 2,
        summary: `营养餐 ${meals.personDays} 人天（截至今天）`,
        source: null,
        spending: meals.amount,
      });
  } else {
    const paid = all(
      ctx,
      ctx.store.db
        .selectFrom('payment as pay')
        .innerJoin('application as a', 'a.id', 'pay.application_id')
        .select(['pay.paid_on', 'pay.channel'])
        .select((eb) => [eb.fn.sum<number>('pay.amount_fen').as('amount'), eb.fn.countAll<number>().as('n')])
        .where('a.programme_id', '=', p.id)
        .where('a.term', '=', term)
        .where('pay.outcome', '=', 'paid')
        .groupBy(['pay.paid_on', 'pay.channel'])
        .orderBy('pay.paid_on'),
    );
    for (const r of paid)
      events.push({
        date: r.paid_on,
        order: 2,
        summary: `${r.channel === 'waiver' ? '减免' : `发放（${CHANNEL_TEXT[r.channel]}）`} ${Number(r.n)} 人`,
        source: null,
        spending: Number(r.amount),
      });
  }
  return ledgerBook(events);
}

// ── writing ─────────────────────────────────────────────────────────────────────────────────────────────

export interface AllocationArgs {
  programmeId: number;
  term: Term;
  source: FundSource;
  documentNumber: string;
  documentDate: string;
  amount: Fen;
  note: string;
}

export function addAllocation(ctx: CoreContext, args: AllocationArgs): Allocation {
  const p = programmeForTerm(ctx, args.programmeId, args.term);
  const number = args.documentNumber.trim();
  if (!number) throw new AppError('validation', '请填写资金文件的文号（如“青财教〔2026〕15号”）');
  notAfterToday(ctx, args.documentDate, '文件日期');
  const twin = first(
    ctx,
    ctx.store.db
      .selectFrom('fund_allocation')
      .select('id')
      .where('programme_id', '=', p.id)
      .where('term', '=', args.term)
      .where('source', '=', args.source)
      .where('document_number', '=', number),
  );
  if (twin)
    throw new AppError(
      'duplicate',
      `“${p.name}”${termText(args.term)}已登记过${FUND_SOURCE_TEXT[args.source]}资金文件 ${number}，同一文件不重复登记（金额有误请先撤销原登记）`,
    );
  const id = ctx.store.sqlite
    .transaction(
      () =>
        run(
          ctx,
          ctx.store.db.insertInto('fund_allocation').values({
            programme_id: p.id,
            term: args.term,
            source: args.source,
            document_number: number,
            document_date: args.documentDate,
            amount_fen: args.amount,
            note: args.note.trim(),
            created_at: nowIso(ctx),
          }),
        ).lastInsertRowid,
    )
    .immediate();
  return listAllocations(ctx, args.term, p.id).find((a) => a.id === id)!;
}

export interface ReceiptArgs {
  allocationId: number;
  onDate: string;
  amount: Fen;
  account: string;
  note: string;
  backdateReason?: string | null;
}

/** Money arrived against a document: never more than the document assigned. */
export function receiveFunds(ctx: CoreContext, args: ReceiptArgs): Movement {
  const a = first(ctx, ctx.store.db.selectFrom('fund_allocation').selectAll().where('id', '=', args.allocationId));
  if (!a) throw notFound('该资金文件');
  const reason = checkDate(ctx, args.onDate, '到账日期', args.backdateReason);
  if (args.onDate < a.document_date)
    throw new AppError('validation', `到账日期（${args.onDate}）早于资金文件 ${a.document_number} 的日期（${a.document_date}）`);
  const account = args.account.replace(/\s/g, '');
  if (account && !/^\d{6,30}$/.test(account)) throw new AppError('validation', '到账账户应为 6–30 位数字（资金专户账号）');
  const id = ctx.store.sqlite
    .transaction(() => {
      const received = Number(
        first(
          ctx,
          ctx.store.db
            .selectFrom('fund_movement')
            .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('s'))
            .where('allocation_id', '=', a.id),
        )?.s ?? 0,
      );
      if (received + args.amount > a.amount_fen)
        throw new AppError(
          'validation',
          `到账金额 ${formatYuan(args.amount)} 加上已到账的 ${formatYuan(received)} 超过资金文件 ${a.document_number} 下达的 ${formatYuan(a.amount_fen)}`,
        );
      return run(
        ctx,
        ctx.store.db.insertInto('fund_movement').values({
          programme_id: a.programme_id,
          term: a.term,
          source: a.source,
          kind: 'receipt',
          allocation_id: a.id,
          on_date: args.onDate,
          amount_fen: args.amount,
          account,
          note: args.note.trim(),
          backdate_reason: reason,
          linked_id: null,
          created_at: nowIso(ctx),
        }),
      ).lastInsertRowid;
    })
    .immediate();
  return listMovements(ctx, a.term, a.programme_id).find((m) => m.id === id)!;
}

/** What a source still has in a programme's term, and what the whole programme has. */
function room(ctx: CoreContext, programmeId: number, term: Term, source: FundSource): { source: Fen; programme: Fen } {
  const l = programmeLedger(ctx, programmeId, term);
  const s = l.sources.find((x) => x.source === source)?.available ?? 0;
  return { source: s, programme: l.balance };
}

function checkRoom(ctx: CoreContext, programme: Programme, term: Term, source: FundSource, amount: Fen, what: string): void {
  const r = room(ctx, programme.id, term, source);
  const most = Math.min(r.source, r.programme);
  if (amount > most)
    throw new AppError(
      'validation',
      `${what}金额 ${formatYuan(amount)} 超过“${programme.name}”${termText(term)}可用的${FUND_SOURCE_TEXT[source]}资金 ${formatYuan(Math.max(0, most))}（该来源结余 ${formatYuan(r.source)}，项目结余 ${formatYuan(r.programme)}）`,
    );
}

export interface CarryArgs {
  programmeId: number;
  fromTerm: Term;
  toTerm: Term;
  source: FundSource;
  amount: Fen;
  onDate: string;
  note: string;
  backdateReason?: string | null;
}

/** 结转: a balance moves to a later term of the same programme (by code), written as a pair in one transaction. */
export function carryOver(ctx: CoreContext, args: CarryArgs): Movement[] {
  if (termOrder(args.toTerm) <= termOrder(args.fromTerm))
    throw new AppError('validation', `只能结转到以后的学期（${termText(args.fromTerm)} → ${termText(args.toTerm)}）`);
  const from = programmeForTerm(ctx, args.programmeId, args.fromTerm);
  const to = ensureCatalogue(ctx, schoolYearOfTerm(args.toTerm)).find((p) => p.code === from.code);
  if (!to) throw new AppError('not-found', `${termText(args.toTerm)}的项目目录中没有“${from.name}”，无法结转`);
  const reason = checkDate(ctx, args.onDate, '结转日期', args.backdateReason);
  ctx.store.sqlite
    .transaction(() => {
      checkRoom(ctx, from, args.fromTerm, args.source, args.amount, '结转');
      const base = { source: args.source, on_date: args.onDate, amount_fen: args.amount, account: '', note: args.note.trim() };
      const at = nowIso(ctx);
      const out = run(
        ctx,
        ctx.store.db.insertInto('fund_movement').values({
          ...base,
          programme_id: from.id,
          term: args.fromTerm,
          kind: 'carryOut',
          allocation_id: null,
          backdate_reason: reason,
          linked_id: null,
          created_at: at,
        }),
      ).lastInsertRowid;
      const inn = run(
        ctx,
        ctx.store.db.insertInto('fund_movement').values({
          ...base,
          programme_id: to.id,
          term: args.toTerm,
          kind: 'carryIn',
          allocation_id: null,
          backdate_reason: reason,
          linked_id: out,
          created_at: at,
        }),
      ).lastInsertRowid;
      run(ctx, ctx.store.db.updateTable('fund_movement').set({ linked_id: inn }).where('id', '=', out));
    })
    .immediate();
  return [...listMovements(ctx, args.fromTerm, from.id), ...listMovements(ctx, args.toTerm, to.id)].filter(
    (m) => m.kind === 'carryOut' || m.kind === 'carryIn',
  );
}

/** Terms in calendar order: 2026-spring < 2026-autumn < 2027-spring. */
const termOrder = (t: Term) => Number(t.slice(0, 4)) * 2 + (t.endsWith('autumn') ? 1 : 0);

export interface ReturnArgs {
  programmeId: number;
  term: Term;
  source: FundSource;
  amount: Fen;
  onDate: string;
  note: string;
  backdateReason?: string | null;
}

/** 退回: money sent back to the level it came from; never more than is left. */
export function returnFunds(ctx: CoreContext, args: ReturnArgs): Movement {
  const p = programmeForTerm(ctx, args.programmeId, args.term);
  const reason = checkDate(ctx, args.onDate, '退回日期', args.backdateReason);
  if (!args.note.trim()) throw new AppError('validation', '请写明退回的依据（如上级通知文号、退回原因）');
  const id = ctx.store.sqlite
    .transaction(() => {
      checkRoom(ctx, p, args.term, args.source, args.amount, '退回');
      return run(
        ctx,
        ctx.store.db.insertInto('fund_movement').values({
          programme_id: p.id,
          term: args.term,
          source: args.source,
          kind: 'return',
          allocation_id: null,
          on_date: args.onDate,
          amount_fen: args.amount,
          account: '',
          note: args.note.trim(),
          backdate_reason: reason,
          linked_id: null,
          created_at: nowIso(ctx),
        }),
      ).lastInsertRowid;
    })
    .immediate();
  return listMovements(ctx, args.term, p.id).find((m) => m.id === id)!;
}

/**
 * 撤销登记 of an entry made in error (the audit trail keeps it): a document only while nothing arrived on it; a
 * carry-over as its pair; money in only while what is left still covers what was paid.
 */
export function removeFundEntry(ctx: CoreContext, args: { kind: 'allocation' | 'movement'; id: number }): void {
  ctx.store.sqlite
    .transaction(() => {
      if (args.kind === 'allocation') {
        const a = first(ctx, ctx.store.db.selectFrom('fund_allocation').selectAll().where('id', '=', args.id));
        if (!a) throw notFound('该资金文件');
        const received = first(ctx, ctx.store.db.selectFrom('fund_movement').select('id').where('allocation_id', '=', a.id));
        if (received) throw new AppError('conflict', `资金文件 ${a.document_number} 已有到账登记，请先撤销到账`);
        run(ctx, ctx.store.db.deleteFrom('fund_allocation').where('id', '=', a.id));
        return;
      }
      const m = first(ctx, ctx.store.db.selectFrom('fund_movement').selectAll().where('id', '=', args.id));
      if (!m) throw notFound('该笔资金登记');
      const ids = m.linked_id === null ? [m.id] : [m.id, m.linked_id];
      const touched = all(ctx, ctx.store.db.selectFrom('fund_movement').select(['programme_id', 'term']).where('id', 'in', ids));
      run(ctx, ctx.store.db.updateTable('fund_movement').set({ linked_id: null }).where('id', 'in', ids));
      run(ctx, ctx.store.db.deleteFrom('fund_movement').where('id', 'in', ids));
      // Each term the entry touched (both sides of a carry-over) must still cover what it paid.
      for (const t of touched) {
        const l = programmeLedger(ctx, t.programme_id, t.term);
        if (l.balance < 0)
          throw new AppError(
            'conflict',
            `撤销后“${l.name}”${termText(t.term)}的结余将为 ${formatYuan(l.balance)}（已支出 ${formatYuan(l.paid + l.waived)}），不能撤销`,
          );
      }
    })
    .immediate();
}

// ── the guard and the settings ──────────────────────────────────────────────────────────────────────────

export function fundsGuard(ctx: CoreContext): FundsGuard {
  return readSetting<FundsGuard>(ctx, GUARD_KEY) ?? 'warn';
}

/**
 * Before a 上报 list or a 代发 file leaves: null when the money received covers it; a warning when the setting
 * is `warn`; refused when it is `block`. `amount` is what the file lists; `alreadyPaid` whether that includes
 * payments made (a 上报 list) or only what is still to pay (a 代发 file).
 */
export function checkFunds(ctx: CoreContext, programmeId: number, term: Term, amount: Fen, what: '代发文件' | '上报名单'): string | null {
  const l = programmeLedger(ctx, programmeId, term);
  // A 代发 file pays from what is left; a 上报 list names everyone, paid or not, against all that arrived.
  const cover = what === '代发文件' ? l.balance : l.available - l.waived;
  const problem = shortfall(l.name, what, amount, cover);
  if (problem && fundsGuard(ctx) === 'block')
    throw new AppError('funds-short', `${problem}。（设置为资金不足时不允许导出，可在“资金台账 → 设置”中修改）`);
  return problem;
}

export function setAsideOf(ctx: CoreContext, year: SchoolYear): SetAside {
  const stored = readSetting<{ feeIncome: Fen | null; percent: number }>(ctx, setAsideKey(year)) ?? { feeIncome: null, percent: 5 };
  const aid = ensureCatalogue(ctx, year).find((p) => p.code === 'school-aid');
  let setAside = 0;
  let spent = 0;
  if (aid) {
    for (const term of termsOfSchoolYear(year)) {
      const l = programmeLedger(ctx, aid.id, term);
      setAside += l.sources.find((s) => s.source === 'school')?.received ?? 0;
      spent += l.paid + l.waived;
    }
  }
  return {
    schoolYear: year,
    feeIncome: stored.feeIncome,
    percent: stored.percent,
    required: stored.feeIncome === null ? null : setAsideRequired(stored.feeIncome, stored.percent),
    setAside,
    spent,
  };
}

export function saveFundsSettings(
  ctx: CoreContext,
  args: { guard: FundsGuard; schoolYear: SchoolYear; feeIncome: Fen | null; percent: number },
) {
  ctx.store.sqlite
    .transaction(() => {
      writeSetting(ctx, GUARD_KEY, args.guard);
      writeSetting(ctx, setAsideKey(args.schoolYear), { feeIncome: args.feeIncome, percent: args.percent });
    })
    .immediate();
  return { guard: fundsGuard(ctx), setAside: setAsideOf(ctx, args.schoolYear) };
}
