/**
 * 全国学籍号: 19 characters. `G` + the ID number; `J` + 18 digits for students without an ID;
 * `L` + 6-digit area + 8-digit birth date + 4 digits for temporary numbers.
 */
import { isRealDate } from './dates';
import { normalizeText } from './text';

export function normalizeStudentNumber(value: string): string {
  return normalizeText(value).replace(/\s+/g, '').toUpperCase();
}

export type StudentNumberCheck = { ok: true; studentNumber: string; embeddedIdNumber: string | null } | { ok: false };

export function checkStudentNumber(value: string): StudentNumberCheck {
  const n = normalizeStudentNumber(value);
  if (/^G\d{17}[\dX]$/.test(n)) return { ok: true, studentNumber: n, embeddedIdNumber: n.slice(1) };
  if (/^J\d{18}$/.test(n)) return { ok: true, studentNumber: n, embeddedIdNumber: null };
  const l = /^L\d{6}(\d{4})(\d{2})(\d{2})\d{4}$/.exec(n);
  if (l && isRealDate(Number(l[1]), Number(l[2]), Number(l[3]))) {
    return { ok: true, studentNumber: n, embeddedIdNumber: null };
  }
  return { ok: false };
}

export const STUDENT_NUMBER_FORMAT_TEXT = '学籍号应为19位：G+身份证号、J+18位数字，或 L+6位地区码+8位出生日期+4位数字';
