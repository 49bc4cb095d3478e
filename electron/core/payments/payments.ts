/**
 * 发放: payments recorded on applications by hand or from a bank's result file, reconciled so that each
 * application is paid at most once (a partial unique index holds it even against a bug) and every failure
 * keeps the bank's reason until a corrected card is paid.
 */
import { memberSchoolNames, schoolScope } from '../school/member-schools';
import { tableOf } from '../uploads';
import type {
  AccountHolder,
  BankReturnResult,
  BankReturnUnmatched,
  Payment,
  PaymentChannel,
  PaymentLine,
  PaymentState,
  PaymentSummary,
} from '../../../shared/domain/payment';
import { APPLICATION_STATUS_TEXT, type ApplicationStatus } from '../../../shared/domain/application';
import type { Term } from '../../../shared/domain/school';
import { AppError } from '../../../shared/errors';
import { detectBankLayout, normalizeAccount, outcomeOf } from '../../../shared/rules/bank-return';
import { maskBankCard } from '../../../shared/rules/mask';
import { formatYuan, parseYuan, type Fen } from '../../../shared/rules/money';
import { normalizeName } from '../../../shared/rules/text';
import { recordProduced } from '../archive/archive';
import { mayFile } from '../../../shared/rules/privacy';
import { notAfterToday, nowIso, type CoreContext, type Upload } from '../context';
import { markPaid } from '../programmes/applications';
import { all, first, run } from '../db/query';
import { paidApplications } from './paid';
import type { NotNull } from 'kysely';
import { cellText } from '../import/read-table';
import { loadQuota } from '../programmes/catalogue';
import { programmeForTerm } from '../programmes/catalogue';
import type { FileResult } from '../../../shared/api/common';
import { exportCountyTemplate } from '../export/exports';

/** Statuses money is due in: approved on, reported, paid, archived. */
const DUE: ApplicationStatus[] = ['approved', 'submitted', 'paid', 'archived'];

type DueRow = ReturnType<typeof dueRows>[number];
type AttemptRow = ReturnType<typeof attemptRows>[number];

function dueRows(ctx: CoreContext, programmeId: number, term: Term) {
  return all(
    ctx,
    ctx.store.db
      .selectFrom('application as a')
      .innerJoin('student as s', 's.id', 'a.student_id')
      .leftJoin('school_class as c', 'c.id', 's.class_id')
      .select(['a.id', 'a.student_id', 'a.status', 'a.amount_fen', 's.name', 's.guardian_name', 's.bank_card', 's.account_holder'])
      .select(['s.account_holder_name', 's.proxy_letter', 's.school_id', 'c.name as class_name', 'c.grade_order', 'c.id as class_id'])
      .where('a.programme_id', '=', programmeId)
      .where('a.term', '=', term)
      .where('a.status', 'in', DUE)
      .where('a.amount_fen', 'is not', null)
      .$narrowType<{ amount_fen: NotNull }>()
      .orderBy('s.school_id')
      .orderBy('c.grade_order')
      .orderBy('c.id')
      .orderBy('s.id'),
  );
}

function attemptRows(ctx: CoreContext, programmeId: number, term: Term) {
  return all(
    ctx,
    ctx.store.db
      .selectFrom('payment as p')
      .innerJoin('application as a', 'a.id', 'p.application_id')
      .select(['p.application_id', 'p.outcome', 'p.paid_on', 'p.failure_reason', 'p.account'])
      .where('a.programme_id', '=', programmeId)
      .where('a.term', '=', term)
      .orderBy('p.id'),
  );
}

/** Each application's last attempt and whether one succeeded. */
function attempts(
  ctx: CoreContext,
  programmeId: number,
  term: Term,
): Map<number, { last: AttemptRow; paid: boolean; accounts: Set<string> }> {
  const rows = attemptRows(ctx, programmeId, term);
  const map = new Map<number, { last: AttemptRow; paid: boolean; accounts: Set<string> }>();
  for (const r of rows) {
    const m = map.get(r.application_id) ?? { last: r, paid: false, accounts: new Set<string>() };
    m.last = r;
    m.paid ||= r.outcome === 'paid';
    if (r.account) m.accounts.add(r.account);
    map.set(r.application_id, m);
  }
  return map;
}

function stateOf(a: { paid: boolean; last: AttemptRow } | undefined): PaymentState {
  if (!a) return 'due';
  return a.paid ? 'paid' : a.last.outcome === 'failed' ? 'failed' : 'due';
}

export function paymentLines(
  ctx: CoreContext,
  programmeId: number,
  term: Term,
  reveal: boolean,
  schoolId: number | null = null,
): { lines: PaymentLine[]; summary: PaymentSummary } {
  programmeForTerm(ctx, programmeId, term);
  // One school of the desk: its recipients and its totals (the budget stays the programme's).
  const rows = dueRows(ctx, programmeId, term).filter((r) => schoolId === null || r.school_id === schoolId);
  const scope = schoolScope(ctx, schoolId);
  const tried = attempts(ctx, programmeId, term);
  const show = (card: string | null) => (reveal ? card : maskBankCard(card));
  const summary: PaymentSummary = {
    programmeId,
    term,
    due: { count: 0, amount: 0 },
    paid: { count: 0, amount: 0 },
    failed: { count: 0, amount: 0 },
    outstanding: { count: 0, amount: 0 },
    budget: loadQuota(ctx, programmeId, term)?.budget ?? null,
  };
  const add = (k: 'due' | 'paid' | 'failed' | 'outstanding', fen: Fen) => {
    summary[k].count++;
    summary[k].amount += fen;
  };
  const schoolNames = memberSchoolNames(ctx);
  const lines = rows.map((r): PaymentLine => {
    const t = tried.get(r.id);
    const state = stateOf(t);
    add('due', r.amount_fen);
    if (state === 'paid') add('paid', r.amount_fen);
    else add('outstanding', r.amount_fen);
    if (state === 'failed') add('failed', r.amount_fen);
    return {
      applicationId: r.id,
      studentId: r.student_id,
      name: r.name,
      className: r.class_name === null ? null : `${scope.prefix(schoolNames.get(r.school_id) ?? '')}${r.class_name}`,
      status: r.status,
      amount: r.amount_fen,
      state,
      card: show(r.bank_card),
      cardChanged: state === 'failed' && !!r.bank_card && r.bank_card !== t!.last.account,
      lastAttempt: t
        ? { outcome: t.last.outcome, paidOn: t.last.paid_on, failureReason: t.last.failure_reason, account: show(t.last.account) ?? '' }
        : null,
    };
  });
  return { lines, summary };
}

interface PaymentInput {
  applicationId: number;
  outcome: 'paid' | 'failed';
  amount: Fen;
  paidOn: string;
  channel: PaymentChannel;
  account: string;
  holder: AccountHolder;
  holderName: string;
  proxyLetter: boolean;
  reference: string;
  failureReason: string;
  batchId: number | null;
  bankRow: number | null;
  actor: string;
}

/**
 * Writes one attempt inside the caller's transaction. A success moves a reported application to 已发放
 * through the state machine's owner; the unique index refuses a second success whatever the caller did.
 */
function writeAttempt(ctx: CoreContext, p: PaymentInput): void {
  run(
    ctx,
    ctx.store.db.insertInto('payment').values({
      application_id: p.applicationId,
      outcome: p.outcome,
      amount_fen: p.amount,
      paid_on: p.paidOn,
      channel: p.channel,
      account: p.account,
      holder: p.holder,
      holder_name: p.holderName,
      proxy_letter: p.proxyLetter ? 1 : 0,
      reference: p.reference,
      failure_reason: p.failureReason,
      bank_batch_id: p.batchId,
      bank_row: p.bankRow,
      actor: p.actor,
      created_at: nowIso(ctx),
    }),
  );
  if (p.outcome === 'paid') markPaid(ctx, p.applicationId, p.reference ? `发放：${p.reference}` : '发放', p.actor);
}

/** Why an application cannot take a payment now, or null. */
function payRefusal(status: ApplicationStatus, paid: boolean): string | null {
  if (paid) return '本学期已发放过，不能重复发放';
  if (status === 'approved') return '尚未上报，请先“上报”后再登记发放';
  if (status !== 'submitted') return `当前状态“${APPLICATION_STATUS_TEXT[status]}”不能登记发放`;
  return null;
}

/** The name the bank account is in: the student's own, or the guardian's named in the student's record. */
function holderName(r: Pick<DueRow, 'name' | 'guardian_name' | 'account_holder' | 'account_holder_name'>): string {
  return r.account_holder === 'student' ? r.name : r.account_holder_name || r.guardian_name;
}

export function recordPayments(
  ctx: CoreContext,
  a: {
    applicationIds: number[];
    paidOn: string;
    channel: PaymentChannel;
    /** Absent: the account holder registered with each student. */
    holder?: AccountHolder;
    proxyLetter: boolean;
    reference: string;
    actor: string;
  },
): { recorded: number; refused: { applicationId: number; name: string; reason: string }[] } {
  notAfterToday(ctx, a.paidOn, '发放日期');
  const sqlite = ctx.store.sqlite;
  const refused: { applicationId: number; name: string; reason: string }[] = [];
  let recorded = 0;
  if (a.holder === 'guardian' && !a.proxyLetter) throw new AppError('validation', '发放到监护人账户须有委托书：请勾选“已收委托书”');
  const load = (id: number) =>
    first(
      ctx,
      ctx.store.db
        .selectFrom('application as a')
        .innerJoin('student as s', 's.id', 'a.student_id')
        .innerJoin('programme as p', 'p.id', 'a.programme_id')
        .select(['a.id', 'a.status', 'a.amount_fen', 'a.programme_id', 's.name', 's.guardian_name', 's.bank_card', 's.account_holder'])
        .select(['s.account_holder_name', 's.proxy_letter', 'p.definition'])
        .where('a.id', '=', id),
    );
  sqlite
    .transaction(() => {
      const paidBefore = paidApplications(ctx, a.applicationIds);
      for (const id of a.applicationIds) {
        const r = load(id);
        if (!r) throw new AppError('not-found', `找不到编号为 ${id} 的申请`);
        const paid = paidBefore.has(id);
        const kind = (JSON.parse(r.definition) as { kind: string }).kind;
        const holder = a.channel === 'waiver' ? 'none' : (a.holder ?? r.account_holder);
        const proxy = a.proxyLetter || r.proxy_letter === 1;
        const why =
          payRefusal(r.status, paid) ??
          (r.amount_fen === null ? '没有发放金额' : null) ??
          (a.channel === 'waiver' && kind === 'paid' ? '这是发放资金的项目，不能登记为“减免”' : null) ??
          (a.channel !== 'waiver' && kind !== 'paid' ? '减免或实物项目不向家庭发放，请选择“减免”' : null) ??
          (a.channel !== 'waiver' && a.channel !== 'mealCard' && !r.bank_card
            ? '没有登记银行卡号/一卡通账号，请先在学生信息中填写'
            : null) ??
          (holder === 'guardian' && !proxy ? '发放到监护人账户须有委托书：请在学生信息中登记，或勾选“已收委托书”' : null);
        if (why) {
          refused.push({ applicationId: id, name: r.name, reason: why });
          continue;
        }
        writeAttempt(ctx, {
          applicationId: id,
          outcome: 'paid',
          amount: r.amount_fen!,
          paidOn: a.paidOn,
          channel: a.channel,
          account: a.channel === 'waiver' || a.channel === 'mealCard' ? '' : r.bank_card!,
          holder,
          holderName: holder === 'guardian' ? r.account_holder_name || r.guardian_name : holder === 'student' ? r.name : '',
          proxyLetter: holder === 'guardian' && proxy,
          reference: a.reference,
          failureReason: '',
          batchId: null,
          bankRow: null,
          actor: a.actor,
        });
        paidBefore.add(id);
        recorded++;
      }
    })
    .immediate();
  return { recorded, refused };
}

const mask = (account: string) => maskBankCard(account) ?? '';

/** Names joined for a message, at most three (a message never repeats a list that grows with the input). */
function someNames(names: string[]): string {
  return names.length > 3 ? `${names.slice(0, 3).join('、')}等 ${names.length} 人` : names.join('、');
}

/** Rows of a file already recorded by earlier imports of the same file: null when an import took the whole file. */
function recordedRows(
  ctx: CoreContext,
  programmeId: number,
  term: Term,
  sha256: string,
): { rows: Set<number> | null; firstAt: string | null } {
  const batches = all(
    ctx,
    ctx.store.db
      .selectFrom('bank_batch')
      .select(['recorded_rows', 'imported_at'])
      .where('programme_id', '=', programmeId)
      .where('term', '=', term)
      .where('sha256', '=', sha256)
      .orderBy('id'),
  );
  if (batches.some((b) => b.recorded_rows === null)) return { rows: null, firstAt: batches[0]!.imported_at };
  return { rows: new Set(batches.flatMap((b) => JSON.parse(b.recorded_rows!) as number[])), firstAt: batches[0]?.imported_at ?? null };
}

/**
 * Reads a bank's result file and records every row it can match by account and account holder to an
 * application of the programme and term: 成功 → paid, 失败 → failed with the bank's reason. Rows it cannot
 * read or match for certain are listed, never guessed; they can be recorded from the same file later (each
 * row is taken once). One transaction; with `dryRun` nothing is written.
 */
export function importBankReturn(
  ctx: CoreContext,
  upload: Upload,
  a: { programmeId: number; term: Term; paidOn: string; dryRun: boolean; actor: string },
): BankReturnResult {
  const p = programmeForTerm(ctx, a.programmeId, a.term);
  if (p.kind !== 'paid') throw new AppError('validation', `“${p.name}”不发放资金，没有银行回单`);
  notAfterToday(ctx, a.paidOn, '发放日期');
  const sheets = tableOf(upload).sheets.map((s) => ({
    sheet: s,
    layout: detectBankLayout(s.rows.slice(0, 20).map((r) => r.map(cellText))),
  }));
  const found = sheets.find((s) => s.layout);
  if (!found?.layout) {
    throw new AppError(
      'bank-layout',
      `在“${upload.fileName}”中找不到代发结果的表头：需要有“账号”（或卡号）和“户名”（或姓名）两列，以及“处理结果”或“失败原因”列`,
    );
  }
  const { sheet, layout } = found;
  if (layout.result === null && layout.reason === null) {
    throw new AppError('bank-layout', `“${upload.fileName}”的表头中没有“处理结果”或“失败原因”列，无法判断哪些发放成功`);
  }
  const sqlite = ctx.store.sqlite;
  const earlier = recordedRows(ctx, a.programmeId, a.term, upload.sha256);
  if (earlier.rows === null && !a.dryRun)
    throw new AppError('duplicate', `这个回单文件已于 ${earlier.firstAt!.slice(0, 10)} 导入过，不重复登记`);

  const rows = dueRows(ctx, a.programmeId, a.term);
  const tried = attempts(ctx, a.programmeId, a.term);
  // An account finds the applications whose student's card it is, or that an earlier attempt was sent to.
  const byAccount = new Map<string, DueRow[]>();
  const push = (acc: string, r: DueRow) => byAccount.set(acc, [...(byAccount.get(acc) ?? []), r]);
  for (const r of rows) {
    if (r.bank_card) push(r.bank_card, r);
    for (const acc of tried.get(r.id)?.accounts ?? []) if (acc !== r.bank_card) push(acc, r);
  }
  const byName = new Map(rows.map((r) => [r.name, r]));

  const result: BankReturnResult = {
    fileName: upload.fileName,
    sheetName: sheet.name,
    rows: 0,
    paid: 0,
    alreadyPaid: 0,
    alreadyRecorded: 0,
    failed: [],
    unmatched: [],
    dryRun: a.dryRun,
  };
  const planned: PaymentInput[] = [];
  const usedAt = new Map<number, number>();
  for (let i = layout.headerRow; i < sheet.rows.length; i++) {
    const cells = sheet.rows[i] ?? [];
    const rowNo = i + 1;
    const accountCell = cells[layout.account];
    const account = normalizeAccount(cellText(accountCell));
    const name = normalizeName(cellText(cells[layout.name]));
    if (!account && !name) continue;
    if (/合计|总计|小计/.test(cells.map(cellText).join(''))) continue;
    result.rows++;
    if (earlier.rows?.has(rowNo)) {
      result.alreadyRecorded++;
      continue;
    }
    const amountCell = layout.amount === null ? null : cells[layout.amount];
    const parsed =
      amountCell === null || amountCell === undefined || cellText(amountCell) === ''
        ? null
        : parseYuan(typeof amountCell === 'number' ? amountCell : cellText(amountCell));
    const amount = parsed === 'invalid' ? null : parsed;
    const reason = layout.reason === null ? '' : cellText(cells[layout.reason]).trim();
    const outcome = outcomeOf(layout.result === null ? null : cellText(cells[layout.result]), reason);
    const miss = (why: string) =>
      result.unmatched.push({ row: rowNo, name, account: mask(account), amount, reason: why } satisfies BankReturnUnmatched);
    if (typeof accountCell === 'number' && account.length > 15) {
      miss('账号被存成了数字，第 15 位以后已经丢失：请让银行以文本格式重新导出，或对照原件核对');
      continue;
    }
    if (parsed === 'invalid') {
      miss(`金额“${cellText(amountCell ?? null)}”无法识别`);
      continue;
    }
    if (!outcome) {
      miss(`处理结果“${layout.result === null ? '' : cellText(cells[layout.result])}”无法识别（应为“成功”或“失败”一类的说法）`);
      continue;
    }
    const onAccount = byAccount.get(account) ?? [];
    const named = onAccount.filter((r) => holderName(r) === name);
    if (named.length === 0) {
      const asStudent = onAccount.find((r) => r.name === name);
      const asGuardian = onAccount.find((r) => r.guardian_name && r.guardian_name === name);
      if (asStudent) miss(`户名是学生本人，但${asStudent.name}登记的是监护人（${holderName(asStudent)}）的账户：请核对后在学生信息中更正`);
      else if (asGuardian)
        miss(`户名是监护人${name}，但${asGuardian.name}登记的是本人账户：如钱确实发到监护人账户，请在学生信息中改为监护人账户并登记委托书`);
      else if (onAccount.length) miss(`户名“${name}”与该账号登记的户名（${someNames([...new Set(onAccount.map(holderName))])}）不一致`);
      else if (byName.has(name))
        miss(`账号尾号 ${account.slice(-4)} 不是${name}登记的卡号（登记尾号 ${byName.get(name)!.bank_card?.slice(-4) ?? '无'}）`);
      else miss(`不在${p.name}本学期的发放名单中`);
      continue;
    }
    // Siblings paid to one guardian's card: only an amount that fits exactly one of them tells them apart.
    const fresh = named.filter((r) => !usedAt.has(r.id));
    if (fresh.length === 0) {
      miss(`与第 ${usedAt.get(named[0]!.id)} 行是同一名学生，重复`);
      continue;
    }
    const fits = amount === null ? fresh : fresh.filter((r) => r.amount_fen === amount);
    if (fits.length === 0) {
      const due = fresh.map((r) => `${r.name}应发 ${formatYuan(r.amount_fen)}`);
      miss(`金额 ${formatYuan(amount!)} 与应发金额不一致（${someNames(due)}）`);
      continue;
    }
    if (fits.length > 1) {
      miss(`该账号由${someNames(fits.map((r) => r.name))}共用（户名${name}），无法判断这一行是谁的：请核对后在“登记发放”中逐人登记`);
      continue;
    }
    const pick = fits[0]!;
    usedAt.set(pick.id, rowNo);
    if (pick.account_holder === 'guardian' && pick.proxy_letter !== 1) {
      miss(`${pick.name}的账户是监护人${name}的，但没有登记委托书：请收到委托书后在学生信息中登记，再导入一次`);
      continue;
    }
    const already = tried.get(pick.id)?.paid ?? false;
    if (already) {
      if (outcome === 'paid') result.alreadyPaid++;
      else miss(`${pick.name}本学期已发放成功，这一行的失败不再登记`);
      continue;
    }
    const refusal = payRefusal(pick.status, false);
    if (refusal) {
      miss(`${pick.name}：${refusal}`);
      continue;
    }
    planned.push({
      applicationId: pick.id,
      outcome,
      amount: pick.amount_fen,
      paidOn: a.paidOn,
      channel: 'bankCard',
      account,
      holder: pick.account_holder,
      holderName: name,
      proxyLetter: pick.account_holder === 'guardian',
      reference: `${upload.fileName} 第${rowNo}行`,
      failureReason: outcome === 'failed' ? reason || '银行未说明原因' : '',
      batchId: null,
      bankRow: rowNo,
      actor: a.actor,
    });
    if (outcome === 'paid') result.paid++;
    else result.failed.push({ student: pick.name, account: mask(account), reason: reason || '银行未说明原因', applicationId: pick.id });
  }
  if (a.dryRun) return result;
  if (planned.length === 0 && result.alreadyRecorded > 0) {
    throw new AppError('duplicate', `这个回单文件已于 ${earlier.firstAt!.slice(0, 10)} 导入过，不重复登记（文件中也没有新的可以登记的行）`);
  }
  // Nothing recordable (every row listed): nothing is written, so the same file can be imported once the rows can be matched.
  if (planned.length === 0) return result;

  sqlite
    .transaction(() => {
      const batchId = run(
        ctx,
        ctx.store.db.insertInto('bank_batch').values({
          programme_id: a.programmeId,
          term: a.term,
          file_name: upload.fileName,
          sha256: upload.sha256,
          paid_on: a.paidOn,
          row_count: result.rows,
          paid: result.paid,
          failed: result.failed.length,
          unmatched: JSON.stringify(result.unmatched),
          imported_at: nowIso(ctx),
          recorded_rows: JSON.stringify(planned.map((x) => x.bankRow)),
        }),
      ).lastInsertRowid;
      for (const pl of planned) writeAttempt(ctx, { ...pl, batchId });
      // The bank's own file is kept with the 银行回单 and 发放凭证 items (filed by the app: the stamped paper still counts).
      if (mayFile('bankReturn', true)) recordProduced(ctx, 'bankReturn', a.term, a.programmeId, upload.fileName, upload.data);
    })
    .immediate();
  return result;
}

export function studentPayments(ctx: CoreContext, studentId: number, reveal: boolean): Payment[] {
  const rows = all(
    ctx,
    ctx.store.db
      .selectFrom('payment as p')
      .innerJoin('application as a', 'a.id', 'p.application_id')
      .innerJoin('student as s', 's.id', 'a.student_id')
      .innerJoin('programme as g', 'g.id', 'a.programme_id')
      .leftJoin('bank_batch as b', 'b.id', 'p.bank_batch_id')
      .selectAll('p')
      .select(['a.student_id', 'a.term', 's.name', 'g.name as programme_name', 'b.file_name as batch_file'])
      .where('a.student_id', '=', studentId)
      .orderBy('p.paid_on', 'desc')
      .orderBy('p.id', 'desc'),
  );
  return rows.map((r) => ({
    id: r.id,
    applicationId: r.application_id,
    studentId: r.student_id,
    name: r.name,
    programmeName: r.programme_name,
    term: r.term,
    outcome: r.outcome,
    amount: r.amount_fen,
    paidOn: r.paid_on,
    channel: r.channel,
    account: reveal ? r.account : mask(r.account),
    holder: r.holder,
    holderName: r.holder_name,
    proxyLetter: r.proxy_letter === 1,
    reference: r.reference,
    failureReason: r.failure_reason,
    fromBankFile: r.batch_file,
    createdAt: r.created_at,
  }));
}

/**
 * The bank payment file (代发文件) of the recipients not yet paid: for paying again after cards were corrected.
 * Of one school of the desk, or (null) of all of them.
 */
export async function exportOutstanding(
  ctx: CoreContext,
  programmeId: number,
  term: Term,
  schoolId: number | null = null,
): Promise<FileResult & { fundsWarning: string | null }> {
  const r = await exportCountyTemplate(ctx, {
    template: { builtIn: 'bank' },
    programmeId,
    term,
    classId: null,
    schoolId,
    sheets: 'one',
    unpaidOnly: true,
  });
  if (!r.file) {
    const problems = r.problems.slice(0, 5).map((p) => `${p.student}（${p.column}）${p.message}`);
    throw new AppError('export-blocked', `代发文件无法生成：${problems.join('；')}`);
  }
  return { ...r.file, fundsWarning: r.fundsWarning };
}
