/**
 * Reading a bank's batch-payment result file (代发结果): banks lay them out differently, so the columns
 * are found by their headers under any title rows.
 */
import { normalizeHeader } from './roster-columns';
import { normalizeText } from './text';

export interface BankReturnLayout {
  /** 1-based row of the headers. */
  headerRow: number;
  account: number;
  name: number;
  amount: number | null;
  /** 处理结果 / 状态; absent when the bank only fills a failure reason. */
  result: number | null;
  reason: number | null;
}

const ACCOUNT = [
  '账号',
  '卡号',
  '银行账号',
  '银行卡号',
  '收款账号',
  '收款人账号',
  '账户',
  '账户号码',
  '入账账号',
  '社保卡号',
  '一卡通账号',
];
const NAME = ['户名', '姓名', '账户名称', '账户名', '收款人', '收款人姓名', '收款户名', '客户姓名'];
const AMOUNT = ['金额', '发放金额', '交易金额', '实发金额', '代发金额', '入账金额', '金额(元)', '金额（元）'];
const RESULT = ['处理结果', '结果', '状态', '交易状态', '处理状态', '代发结果', '入账结果', '交易结果'];
const REASON = ['失败原因', '原因', '备注', '错误信息', '返回信息', '失败信息', '附言'];

function find(headers: string[], names: string[]): number | null {
  for (const n of names) {
    const i = headers.indexOf(normalizeHeader(n));
    if (i >= 0) return i;
  }
  return null;
}

/** The header row (among the first 20) that names an account and a name column, or null. */
export function detectBankLayout(rows: string[][]): BankReturnLayout | null {
  for (let r = 0; r < Math.min(rows.length, 20); r++) {
    const headers = (rows[r] ?? []).map(normalizeHeader);
    if (new Set(headers.filter(Boolean)).size < 3) continue;
    const account = find(headers, ACCOUNT);
    const name = find(headers, NAME);
    if (account === null || name === null) continue;
    return { headerRow: r + 1, account, name, amount: find(headers, AMOUNT), result: find(headers, RESULT), reason: find(headers, REASON) };
  }
  return null;
}

/**
 * What banks write in the result column, in their words. Every wording is tested one by one
 * (tests/shared/rules/bank-return.test.ts); anything not recognised is listed for the clerk, never guessed.
 */
export const RESULT_WORDS: { paid: readonly string[]; failed: readonly string[]; pending: readonly string[] } = {
  paid: [
    '成功',
    '交易成功',
    '处理成功',
    '代发成功',
    '入账成功',
    '已入账',
    '已发放',
    '发放成功',
    '转账成功',
    '支付成功',
    '已成功',
    '正常',
    'success',
    'succeeded',
    's',
  ],
  failed: [
    '失败',
    '交易失败',
    '处理失败',
    '代发失败',
    '入账失败',
    '发放失败',
    '转账失败',
    '支付失败',
    '不成功',
    '未成功',
    '未入账',
    '无法入账',
    '未能入账',
    '不予入账',
    '交易未完成',
    '未完成',
    '退回',
    '已退回',
    '退票',
    '退汇',
    '拒绝',
    '已拒绝',
    '错误',
    '异常',
    '冲正',
    '已冲正',
    '作废',
    '失效',
    'fail',
    'failed',
    'error',
    'f',
  ],
  pending: ['处理中', '待处理', '已受理', '受理中', '审核中', '待审核', '已提交', '未处理', '排队中', '待发送', '发送中'],
};

/** Blank-like reasons that say nothing went wrong. */
const NO_REASON = /^(无|没有|-+|—+|\/|\\|空|null|none|n\/a|0|成功|交易成功|正常|ok)?$/i;

function words(text: string): string {
  return normalizeText(text)
    .replace(/\s+/g, '')
    .replace(/[。.!！]+$/, '')
    .toLowerCase();
}

/**
 * What a row says happened: 'paid', 'failed', or null when it cannot be read (listed, never recorded). A
 * failure reason that says something means failed whatever the result column says: money the bank may
 * not have paid is never recorded as paid.
 */
export function outcomeOf(result: string | null, reason: string): 'paid' | 'failed' | null {
  const why = words(reason);
  if (!NO_REASON.test(why)) return 'failed';
  if (result === null) return 'paid';
  const t = words(result);
  if (RESULT_WORDS.failed.includes(t)) return 'failed';
  if (RESULT_WORDS.paid.includes(t)) return 'paid';
  if (RESULT_WORDS.pending.includes(t) || /(处理中|受理|审核|待)/.test(t)) return null;
  // Wordings not in the table: a negation or a failure word is a failure; nothing else is trusted.
  if (/(失败|未|不|无法|拒|退|错|异常|冲正|作废|失效|冻结|销户|不存在|不符)/.test(t)) return 'failed';
  return null;
}

/** An account as the bank writes it, without spaces or dashes: `6217 7848-0551` → `621778480551`. */
export function normalizeAccount(text: string): string {
  return normalizeText(text).replace(/[\s\-－]/g, '');
}
