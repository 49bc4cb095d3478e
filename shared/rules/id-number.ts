/**
 * 居民身份证号 (GB 11643-1999): 6-digit area, 8-digit birth date, 3-digit sequence (odd = male),
 * a check character over ISO 7064 MOD 11-2.
 */
import { formatIsoDate, isRealDate, type IsoDate } from './dates';
import { normalizeText } from './text';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type Sex = 'male' | 'female';

/** Trim, full-width to ASCII, lower-case x to X. `normalizeIdNumber(' ４３…38x ')` → `'43…38X'` */
export function normalizeIdNumber(value: string): string {
  return normalizeText(value).replace(/\s+/g, '').toUpperCase();
}

/** The check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export type IdNumberProblem = 'format' | 'birth-date' | 'checksum' | 'legacy';

export type IdNumberCheck =
  { ok: true; idNumber: string; birthDate: IsoDate; sex: Sex; areaCode: string } | { ok: false; problem: IdNumberProblem };

/**
 * Validates an 18-character ID number (already normalised or not).
 * `checkIdNumber('34052419800101001X')` → `{ ok: true, birthDate: '1980-01-01', sex: 'male', … }`
 */
export function checkIdNumber(value: string): IdNumberCheck {
  const id = normalizeIdNumber(value);
  if (/^\d{15}$/.test(id)) return { ok: false, problem: 'legacy' };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'format' };
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || !isRealDate(year, month, day)) return { ok: false, problem: 'birth-date' };
  if (idNumberCheckChar(id) !== id[17]) return { ok: false, problem: 'checksum' };
  return {
    ok: true,
    idNumber: id,
    birthDate: formatIsoDate(year, month, day),
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    areaCode: id.slice(0, 6),
  };
}

export const ID_NUMBER_PROBLEM_TEXT: Record<IdNumberProblem, string> = {
  format: '身份证件号应为18位（前17位数字，最后一位数字或X）',
  'birth-date': '身份证件号中的出生日期不存在',
  checksum: '身份证件号校验位错误（不符合 GB 11643 校验规则），请核对原件',
  legacy: '身份证件号是15位旧号码，学生应使用18位号码',
};
