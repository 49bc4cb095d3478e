/**
 * Publicity periods count working days (Monday to Friday). Public holidays are not known offline: the
 * clerk can extend a period by choosing more days.
 */
import { formatIsoDate } from './dates';

function toUtc(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

function toIso(d: Date): string {
  return formatIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function isWorkingDay(iso: string): boolean {
  const day = toUtc(iso).getUTCDay();
  return day !== 0 && day !== 6;
}

/**
 * The last day of a period of `days` working days that starts on `start` (counted if it is a working day).
 * @example endOfWorkingDays('2026-11-20', 5) === '2026-11-26' // Fri + Mon–Thu
 */
export function endOfWorkingDays(start: string, days: number): string {
  const d = toUtc(start);
  let counted = isWorkingDay(start) ? 1 : 0;
  while (counted < days) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isWorkingDay(toIso(d))) counted++;
  }
  return toIso(d);
}
