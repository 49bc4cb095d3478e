/**
 * Public holidays (放假) and swapped working days (调休上班) as the State Council published them
 * (国务院办公厅关于部分节假日安排的通知). Only published years are here: a year not yet published has no
 * entries, and the clerk adds its dates in 设置 → 节假日 (the clerk's entries also override these).
 */
export type CalendarKind = 'holiday' | 'workday';

export interface ShippedDay {
  date: string;
  kind: CalendarKind;
  name: string;
}

/** Expands `from`–`to` (inclusive) into holiday entries. */
function holidays(name: string, from: string, to: string): ShippedDay[] {
  const out: ShippedDay[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (d <= end) {
    out.push({ date: d.toISOString().slice(0, 10), kind: 'holiday', name });
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

const workdays = (name: string, ...dates: string[]): ShippedDay[] =>
  dates.map((date) => ({ date, kind: 'workday', name: `${name}调休上班` }));

/** 国办发明电〔2024〕12号, 2024-11-12. */
const Y2025: ShippedDay[] = [
  ...holidays('元旦', '2025-01-01', '2025-01-01'),
  ...holidays('春节', '2025-01-28', '2025-02-04'),
  ...workdays('春节', '2025-01-26', '2025-02-08'),
  ...holidays('清明节', '2025-04-04', '2025-04-06'),
  ...holidays('劳动节', '2025-05-01', '2025-05-05'),
  ...workdays('劳动节', '2025-04-27'),
  ...holidays('端午节', '2025-05-31', '2025-06-02'),
  ...holidays('国庆节、中秋节', '2025-10-01', '2025-10-08'),
  ...workdays('国庆节', '2025-09-28', '2025-10-11'),
];

/** 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04. */
const Y2026: ShippedDay[] = [
  ...holidays('元旦', '2026-01-01', '2026-01-03'),
  ...workdays('元旦', '2026-01-04'),
  ...holidays('春节', '2026-02-15', '2026-02-23'),
  ...workdays('春节', '2026-02-14', '2026-02-28'),
  ...holidays('清明节', '2026-04-04', '2026-04-06'),
  ...holidays('劳动节', '2026-05-01', '2026-05-05'),
  ...workdays('劳动节', '2026-05-09'),
  ...holidays('端午节', '2026-06-19', '2026-06-21'),
  ...holidays('中秋节', '2026-09-25', '2026-09-27'),
  ...holidays('国庆节', '2026-10-01', '2026-10-07'),
  ...workdays('国庆节', '2026-09-20', '2026-10-10'),
];

export const SHIPPED_CALENDAR: readonly ShippedDay[] = [...Y2025, ...Y2026];
/** Years whose arrangement the app ships; other years need the clerk's dates. */
export const SHIPPED_YEARS: readonly number[] = [2025, 2026];
