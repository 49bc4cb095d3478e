/**
 * The term's rhythm, as the schools keep it (DOMAIN.md, "The term calendar"): March/September publicity and
 * the family survey (class teachers within a week), mid-term review and identification, April/October the
 * archive, May/November payment once the funds arrive, June/December 资助育人, and the term's summary. These
 * are the defaults a term starts with; the clerk sets the dates and deadlines the county gives.
 */
import type { Term } from '../domain/school';

export type CalendarKey = 'notice' | 'survey' | 'identify' | 'archive' | 'pay' | 'education' | 'summary';

export interface TermCalendarItem {
  key: CalendarKey | `custom-${number}`;
  label: string;
  startsOn: string;
  endsOn: string;
  /** A deadline or reminder the clerk wrote (the county's date, say). */
  note: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const date = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** The last day of a month. */
const last = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function defaultTermCalendar(term: Term): TermCalendarItem[] {
  const [y, season] = term.split('-') as [string, 'autumn' | 'spring'];
  const year = Number(y);
  // Months from the term's start: September (autumn) or March (spring).
  const m0 = season === 'autumn' ? 9 : 3;
  const month = (k: number) => {
    const m = m0 + k;
    return m > 12 ? { y: year + 1, m: m - 12 } : { y: year, m };
  };
  const span = (k: number, from = 1, to?: number) => {
    const { y: yy, m } = month(k);
    return { startsOn: date(yy, m, from), endsOn: date(yy, m, to ?? last(yy, m)) };
  };
  return [
    { key: 'notice', label: '政策宣传与告知（宣传月、两节课、致家长一封信）', ...span(0), note: '' },
    { key: 'survey', label: '班主任摸底，收集家庭情况调查表（开学一周内）', ...span(0, 1, 7), note: '' },
    { key: 'identify', label: '评议认定、结果公示，分配名额、受助名单公示', ...span(1), note: '' },
    { key: 'archive', label: '整理归档', ...span(1), note: '' },
    { key: 'pay', label: '资金到位后发放，导入银行回单，收齐签领表', ...span(2), note: '' },
    { key: 'education', label: '资助育人活动（感恩、诚信、自强）', ...span(3), note: '' },
    { key: 'summary', label: '学期工作总结和资金使用情况', ...span(4, 1, 20), note: '' },
  ];
}

/** Where an item stands on a day: over, under way, or to come. */
export function calendarState(item: { startsOn: string; endsOn: string }, today: string): 'past' | 'now' | 'next' {
  if (today > item.endsOn) return 'past';
  if (today >= item.startsOn) return 'now';
  return 'next';
}
