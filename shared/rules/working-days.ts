/**
 * Publicity periods count working days: Monday to Friday, minus public holidays, plus the Saturdays and
 * Sundays worked in their place (调休). The calendar is the State Council's dates (shared/rules/holidays.ts)
 * corrected by the clerk; a day the calendar does not mention follows the weekday.
 */
import { formatIsoDate } from './dates';

/** Exceptions to the weekday rule: date → holiday or workday. */
export type Calendar = ReadonlyMap<string, 'holiday' | 'workday'>;

const EMPTY: Calendar = new Map();

function toUtc(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

function toIso(d: Date): string {
  return formatIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function isWorkingDay(iso: string, calendar: Calendar = EMPTY): boolean {
  const special = calendar.get(iso);
  if (special) return special === 'workday';
  const day = toUtc(iso).getUTCDay();
  return day !== 0 && day !== 6;
}

/** The day after `iso`. */
export function nextDay(iso: string): string {
  const d = toUtc(iso);
  d.setUTCDate(d.getUTCDate() + 1);
  return toIso(d);
}

/**
 * The last day of a period of `days` working days that starts on `start` (counted if it is a working day).
 * @example endOfWorkingDays('2026-11-20', 5) === '2026-11-26' // Fri + Mon–Thu
 * @example endOfWorkingDays('2026-09-30', 5, calendar2026) === '2026-10-12' // 国庆 off, the 10-10 调休 Saturday worked
 */
export function endOfWorkingDays(start: string, days: number, calendar: Calendar = EMPTY): string {
  let d = start;
  let counted = isWorkingDay(start, calendar) ? 1 : 0;
  while (counted < days) {
    d = nextDay(d);
    if (isWorkingDay(d, calendar)) counted++;
  }
  return d;
}

/** Working days from `start` to `end` inclusive (0 when `end` is before `start`). */
export function workingDaysBetween(start: string, end: string, calendar: Calendar = EMPTY): number {
  let n = 0;
  for (let d = start; d <= end; d = nextDay(d)) if (isWorkingDay(d, calendar)) n++;
  return n;
}
