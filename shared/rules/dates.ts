/** Dates are ISO strings `YYYY-MM-DD` everywhere; this module is the one place that parses them. */

export type IsoDate = string;

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** `2026-02-28` is a real date; `2026-02-30` and `2026-2-3` are not. */
export function isRealIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A date from its UTC parts: Excel serials and exceljs Date cells are zone-less. */
export function isoFromUtcDate(date: Date): IsoDate {
  return formatIsoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** Excel's 1900 date system (with its phantom 1900-02-29): serial 1 is 1900-01-01. */
export function isoFromExcelSerial(serial: number): IsoDate | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return null;
  const whole = Math.floor(serial);
  const ms = Date.UTC(1899, 11, 30) + whole * 86_400_000;
  return isoFromUtcDate(new Date(ms));
}

export type ParsedDate = { kind: 'day'; date: IsoDate } | { kind: 'month'; year: number; month: number } | { kind: 'invalid' };

/**
 * Parses the date forms found in rosters: `2017-07-19`, `2017/7/19`, `2017.07.19`, `2017年7月19日`,
 * `20170719`, month-only `2017年7月` / `2017-07` / `2017.7` (出生年月), and Excel serials.
 * Returns `invalid` for text that looks like a date but is not a real one (2017-02-30).
 */
export function parseDate(input: string | number | Date): ParsedDate {
  if (input instanceof Date) {
    return Number.isNaN(input.getTime()) ? { kind: 'invalid' } : { kind: 'day', date: isoFromUtcDate(input) };
  }
  if (typeof input === 'number') {
    const iso = isoFromExcelSerial(input);
    return iso ? { kind: 'day', date: iso } : { kind: 'invalid' };
  }
  const text = input.normalize('NFKC').trim().replace(/\s+/g, '');
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isRealDate(y, mo, d) ? { kind: 'day', date: formatIsoDate(y, mo, d) } : { kind: 'invalid' };
  }
  m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(text) ?? /^(\d{4})(\d{2})$/.exec(text);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    return mo >= 1 && mo <= 12 ? { kind: 'month', year: y, month: mo } : { kind: 'invalid' };
  }
  // A bare number in a CSV date column is an Excel serial that lost its format. Serials of real birth dates
  // have five digits (10000 is 1927-05-18); four digits are a year ("2017"), which is not a date.
  if (/^\d{5}(\.\d+)?$/.test(text)) return parseDate(Number(text));
  return { kind: 'invalid' };
}

/** Whole years between a birth date and a day, as used for "age at the start of the term". */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  // Both are YYYY-MM-DD: the birthday has not come yet when its "MM-DD" sorts after the day's.
  return Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (on.slice(5) < birthDate.slice(5) ? 1 : 0);
}
