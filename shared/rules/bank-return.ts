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
 * What a row says happened: 成功 / 失败, in the words banks use. A row with no result column fails when it
 * gives a reason. Null when the text cannot be read either way.
 */
export function outcomeOf(result: string | null, reason: string): 'paid' | 'failed' | null {
  if (result === null) return reason.trim() ? 'failed' : 'paid';
  const t = normalizeText(result).replace(/\s+/g, '');
  if (/失败|不成功|退回|退票|未入账|拒绝|错误|异常/.test(t)) return 'failed';
  if (/成功|已入账|入账|已发放|正常|完成/.test(t) || /^success$/i.test(t)) return 'paid';
  return null;
}

/** An account as the bank writes it, without spaces or dashes: `6217 7848-0551` → `621778480551`. */
export function normalizeAccount(text: string): string {
  return normalizeText(text).replace(/[\s\-－]/g, '');
}
