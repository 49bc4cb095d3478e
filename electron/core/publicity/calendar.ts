/**
 * The holiday calendar publicity periods (and meal days) count with: the State Council's published dates,
 * corrected by the clerk. The clerk's rows are the only ones written; shipped dates live in shared/rules.
 */
import type { CalendarDay, CalendarView } from '../../../shared/domain/calendar';
import { AppError } from '../../../shared/errors';
import { isRealIsoDate } from '../../../shared/rules/dates';
import { SHIPPED_CALENDAR, SHIPPED_YEARS } from '../../../shared/rules/holidays';
import type { Calendar } from '../../../shared/rules/working-days';
import { nowIso, type CoreContext } from '../context';
import { all, run } from '../db/query';

/** The calendar in force: shipped dates, then the clerk's corrections (`normal` removes a shipped day). */
export function loadCalendar(ctx: CoreContext): Calendar {
  const map = new Map<string, 'holiday' | 'workday'>(SHIPPED_CALENDAR.map((d) => [d.date, d.kind]));
  const rows = ctx.store.sqlite.prepare(`SELECT date, kind FROM calendar_day`).all() as {
    date: string;
    kind: 'holiday' | 'workday' | 'normal';
  }[];
  for (const r of rows) {
    if (r.kind === 'normal') map.delete(r.date);
    else map.set(r.date, r.kind);
  }
  return map;
}

/** A year's special days as the clerk sees them, each saying where it came from. */
export function calendarYear(ctx: CoreContext, year: number): CalendarView {
  const days = new Map<string, CalendarDay>();
  for (const d of SHIPPED_CALENDAR) if (d.date.startsWith(`${year}-`)) days.set(d.date, { ...d, source: 'stateCouncil' });
  const rows = all(
    ctx,
    ctx.store.db.selectFrom('calendar_day').select(['date', 'kind', 'name']).where('date', 'like', `${year}-%`).orderBy('date'),
  );
  for (const r of rows) {
    if (r.kind === 'normal') days.delete(r.date);
    else days.set(r.date, { date: r.date, kind: r.kind, name: r.name, source: 'clerk' });
  }
  return { year, shipped: SHIPPED_YEARS.includes(year), days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}

/** Sets days as holidays, worked weekend days, or back to normal (which also cancels a shipped entry). */
export function setCalendarDays(ctx: CoreContext, days: { date: string; kind: 'holiday' | 'workday' | 'normal'; name: string }[]): void {
  for (const d of days) if (!isRealIsoDate(d.date)) throw new AppError('validation', `日期“${d.date}”不存在`);
  const at = nowIso(ctx);
  ctx.store.sqlite
    .transaction(() => {
      for (const d of days) {
        run(
          ctx,
          ctx.store.db
            .insertInto('calendar_day')
            .values({ date: d.date, kind: d.kind, name: d.name, updated_at: at })
            .onConflict((oc) => oc.column('date').doUpdateSet({ kind: d.kind, name: d.name, updated_at: at })),
        );
      }
    })
    .immediate();
}
