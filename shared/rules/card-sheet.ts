/**
 * A sheet of bank cards collected from families or sent by the bank (一卡通 / 社保卡 / 银行卡 lists): any
 * layout whose header names a card column and a way to know the student — the student's ID number, the
 * 学籍号, or the name with the class. Columns that belong to the account holder (户主身份证号, 持卡人身份证号)
 * are never used to find the student.
 */
import { normalizeHeader } from './roster-columns';

export type CardField = 'idNumber' | 'studentNumber' | 'name' | 'className' | 'grade' | 'card' | 'holderName' | 'bankName';

export const CARD_FIELD_TEXT: Record<CardField, string> = {
  idNumber: '学生身份证号',
  studentNumber: '学籍号',
  name: '学生姓名',
  className: '班级',
  grade: '年级',
  card: '卡号',
  holderName: '户名',
  bankName: '开户行',
};

const HEADERS: Record<CardField, string[]> = {
  idNumber: ['学生身份证号', '学生身份证件号', '身份证号', '身份证件号', '身份证号码', '证件号码', '公民身份号码', '学生证件号'],
  studentNumber: ['学籍号', '全国学籍号', '学生学籍号', '个人标识码'],
  name: ['学生姓名', '姓名', '学生', '受助学生', '受助学生姓名'],
  className: ['班级', '所在班级', '年级班级', '班别'],
  grade: ['年级', '所在年级'],
  card: ['卡号', '银行卡号', '账号', '银行账号', '收款账号', '社保卡号', '一卡通账号', '惠民惠农一卡通账号', '一卡通卡号', '存折账号'],
  holderName: ['户名', '账户名称', '账户名', '持卡人', '持卡人姓名', '开户人', '开户人姓名', '收款人', '收款人姓名'],
  bankName: ['开户行', '开户银行', '银行名称', '发卡行', '开户网点', '银行'],
};

/** Headers that name the holder's papers, not the student's: never an identity to match on. */
const HOLDER_ONLY = /户主|持卡人|开户人|监护人|家长|父亲|母亲|收款人/;

export type CardLayout = { headerRow: number } & Partial<Record<CardField, number>> & { card: number };

/** The header row (among the first 20) with a card column and an identity, or null. */
export function detectCardLayout(rows: string[][]): CardLayout | null {
  for (let r = 0; r < Math.min(rows.length, 20); r++) {
    const headers = (rows[r] ?? []).map(normalizeHeader);
    if (new Set(headers.filter(Boolean)).size < 2) continue;
    const layout: Partial<Record<CardField, number>> = {};
    for (const field of Object.keys(HEADERS) as CardField[]) {
      for (const name of HEADERS[field]) {
        const i = headers.findIndex(
          (h, k) =>
            h === normalizeHeader(name) &&
            !Object.values(layout).includes(k) &&
            // The holder's ID number is not the student's.
            !(field === 'idNumber' && HOLDER_ONLY.test(h)),
        );
        if (i >= 0) {
          layout[field] = i;
          break;
        }
      }
    }
    // "姓名" next to "户名" is the student; alone with a card it might be either, and the holder is asked for.
    if (layout.card === undefined) continue;
    if (
      layout.idNumber === undefined &&
      layout.studentNumber === undefined &&
      (layout.name === undefined || layout.className === undefined)
    )
      continue;
    return { headerRow: r + 1, ...layout, card: layout.card };
  }
  return null;
}

/** Numbers typed into Excel keep 15 digits: a longer card stored as a number has lost its tail. */
export function lostDigits(value: unknown): boolean {
  if (typeof value === 'number') return Math.abs(value) >= 1e15;
  return typeof value === 'string' && /^\s*\d(\.\d+)?E\+\d+\s*$/i.test(value);
}
