/**
 * The meal ledger's counting, pure: which days of a month are serving days (working days of the period by the
 * holiday calendar, minus days closed, plus extra days), and what they add up to.
 */
import type { MealDayCorrection, MealDayLine } from '../domain/meals';
import type { Term } from '../domain/school';
import { type Fen } from './money';
import { isWorkingDay, nextDay, type Calendar } from './working-days';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

export function weekdayText(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
}

/** Every date of a month (`2026-10`). */
export function datesOfMonth(month: string): string[] {
  const out: string[] = [];
  for (let d = `${month}-01`; d.startsWith(month); d = nextDay(d)) out.push(d);
  return out;
}

/** A term's default serving period: autumn 9-1 to 1-15, spring 3-1 to 7-5 (the clerk sets the school's dates). */
export function defaultMealPeriod(term: Term): { startsOn: string; endsOn: string } {
  const year = Number(term.slice(0, 4));
  return term.endsWith('autumn')
    ? { startsOn: `${year}-09-01`, endsOn: `${year + 1}-01-15` }
    : { startsOn: `${year}-03-01`, endsOn: `${year}-07-05` };
}

/** Whether meals are served on a date: in the period, and a working day not closed, or an extra day. */
export function isServingDay(
  date: string,
  period: { startsOn: string; endsOn: string },
  calendar: Calendar,
  c: MealDayCorrection | undefined,
): boolean {
  if (date < period.startsOn || date > period.endsOn) return false;
  if (c?.extra) return true;
  if (c?.closed) return false;
  return isWorkingDay(date, calendar);
}

export interface MonthFigures {
  servingDays: number;
  personDays: number;
  teacherMeals: number;
  amount: Fen;
  daysToCome: number;
}

/** The month's figures from its day lines: days still to come (served null) are not counted. */
export function monthFigures(days: readonly MealDayLine[], standard: Fen): MonthFigures {
  const past = days.filter((d) => d.served !== null);
  const personDays = past.reduce((s, d) => s + d.served!, 0);
  return {
    servingDays: past.length,
    personDays,
    teacherMeals: past.reduce((s, d) => s + d.teachers, 0),
    amount: personDays * standard,
    daysToCome: days.length - past.length,
  };
}
