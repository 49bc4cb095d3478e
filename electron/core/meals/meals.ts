/**
 * 营养餐台账: the one writer of meal_day and meal_exclusion. Serving days come from the term's serving period and
 * the holiday calendar, corrected day by day; students served default to everyone covered that day. Days after
 * the core's today are listed as planned and counted only once they have happened.
 */
import type { FileResult } from '../../../shared/api/common';
import type {
  MealDayCorrection,
  MealDayLine,
  MealExclusion,
  MealMonth,
  MealPeriod,
  MealSchoolFigures,
  MealTerm,
} from '../../../shared/domain/meals';
import type { Programme } from '../../../shared/domain/programme';
import { STAGE_TEXT, type SchoolYear, type Term } from '../../../shared/domain/school';
import { AppError, notFound } from '../../../shared/errors';
import { isRealIsoDate } from '../../../shared/rules/dates';
import { datesOfMonth, defaultMealPeriod, isServingDay, monthFigures, weekdayText } from '../../../shared/rules/meals';
import { fenToYuan, formatYuan, type Fen } from '../../../shared/rules/money';
import { schoolYearOfTerm, termOfDate, termText } from '../../../shared/rules/term';
import { nowIso, today, type CoreContext } from '../context';
import { all, first, run } from '../db/query';
import { writePlainList } from '../export/plain-list';
import { ensureCatalogue } from '../programmes/catalogue';
import { loadCalendar } from '../publicity/calendar';
import { requireSchool } from '../school/school';
import { hasMemberSchools, memberSchoolNames, requireMemberSchool } from '../school/member-schools';
import { readSetting, writeSetting } from '../settings';

/** 5 元 per student per day (2025). */
export const DEFAULT_MEAL_STANDARD: Fen = 500;

const periodKey = (term: Term) => `meals.term.${term}`;
const standardKey = (year: SchoolYear) => `meals.standard.${year}`;

export function mealPeriod(ctx: CoreContext, term: Term): MealPeriod {
  const stored = readSetting<{ startsOn: string; endsOn: string }>(ctx, periodKey(term));
  return { term, ...(stored ?? defaultMealPeriod(term)) };
}

export function mealStandard(ctx: CoreContext, year: SchoolYear): Fen {
  return readSetting<number>(ctx, standardKey(year)) ?? DEFAULT_MEAL_STANDARD;
}

/** The year's meals programme (kind `meals`), or a message saying it is missing. */
export function mealsProgramme(ctx: CoreContext, year: SchoolYear): Programme {
  const p = ensureCatalogue(ctx, year).find((x) => x.kind === 'meals');
  if (!p) throw new AppError('not-found', `${year} 学年的资助项目中没有“营养改善计划”（按日登记的营养餐项目），请先在“资助项目”中添加`);
  return p;
}

export function saveMealSettings(ctx: CoreContext, args: { term: Term; startsOn: string; endsOn: string; standard: Fen }): MealTerm {
  if (args.endsOn < args.startsOn) throw new AppError('validation', `供餐结束日期（${args.endsOn}）早于开始日期（${args.startsOn}）`);
  const terms = new Set([termOfDate(args.startsOn), termOfDate(args.endsOn)]);
  if (terms.size > 1 || !terms.has(args.term))
    throw new AppError('validation', `供餐起止日期（${args.startsOn} 至 ${args.endsOn}）应在${termText(args.term)}之内`);
  ctx.store.sqlite
    .transaction(() => {
      writeSetting(ctx, periodKey(args.term), { startsOn: args.startsOn, endsOn: args.endsOn });
      writeSetting(ctx, standardKey(schoolYearOfTerm(args.term)), args.standard);
    })
    .immediate();
  return mealTerm(ctx, args.term);
}

function corrections(ctx: CoreContext, schoolId: number, from: string, to: string): Map<string, MealDayCorrection> {
  const rows = all(
    ctx,
    ctx.store.db.selectFrom('meal_day').selectAll().where('school_id', '=', schoolId).where('date', '>=', from).where('date', '<=', to),
  );
  return new Map(
    rows.map((r) => [
      r.date,
      {
        date: r.date,
        closed: r.closed === 1,
        extra: r.extra === 1,
        served: r.served,
        teachers: r.teachers,
        teacherNames: r.teacher_names,
        note: r.note,
      },
    ]),
  );
}

/**
 * Who is covered on a day at a school: students of the programme's stages, enrolled that day (still enrolled, or
 * left after it), not excluded for the school year. Returns a counter by date.
 */
function coverage(ctx: CoreContext, year: SchoolYear, schoolId: number): (date: string) => number {
  const p = mealsProgramme(ctx, year);
  // Counted by SQLite from the indexes (a county desk has 300,000 students): the enrolled of the stages less the
  // excluded among them, and the few who left as dates.
  const db = ctx.store.db;
  const inStages = db
    .selectFrom('student as s')
    .innerJoin('school_class as c', 'c.id', 's.class_id')
    .where('c.stage', 'in', p.stages)
    .where('c.school_id', '=', schoolId);
  const count = (q: typeof inStages) =>
    first(
      ctx,
      q.select((eb) => eb.fn.countAll<number>().as('n')),
    )?.n ?? 0;
  // One exclusion per student and year (unique): counted from the exclusions, not by a probe per student.
  const enrolled =
    count(inStages.where('s.status', '=', 'enrolled')) -
    count(
      inStages
        .innerJoin('meal_exclusion as x', 'x.student_id', 's.id')
        .where('x.school_year', '=', year)
        .where('s.status', '=', 'enrolled'),
    );
  const leftOn = all(
    ctx,
    inStages
      .select('s.left_on')
      .where('s.status', '=', 'left')
      .where('s.left_on', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('meal_exclusion as x').select('x.id').whereRef('x.student_id', '=', 's.id').where('x.school_year', '=', year),
          ),
        ),
      ),
  ).map((r) => r.left_on!);
  return (date) => enrolled + leftOn.filter((d) => d > date).length;
}

function dayLines(
  ctx: CoreContext,
  schoolId: number,
  dates: string[],
  period: MealPeriod,
  covered: (date: string) => number,
): { lines: MealDayLine[]; closed: { date: string; note: string }[] } {
  if (dates.length === 0) return { lines: [], closed: [] };
  const calendar = loadCalendar(ctx);
  const fixes = corrections(ctx, schoolId, dates[0]!, dates[dates.length - 1]!);
  const now = today(ctx);
  const lines: MealDayLine[] = [];
  const closed: { date: string; note: string }[] = [];
  for (const date of dates) {
    const c = fixes.get(date);
    if (c?.closed && date >= period.startsOn && date <= period.endsOn) closed.push({ date, note: c.note });
    if (!isServingDay(date, period, calendar, c)) continue;
    const n = covered(date);
    lines.push({
      date,
      weekday: weekdayText(date),
      covered: n,
      served: date > now ? null : (c?.served ?? n),
      teachers: c?.teachers ?? 0,
      teacherNames: c?.teacherNames ?? '',
      note: c?.note ?? '',
      extra: c?.extra ?? false,
      corrected: c !== undefined && (c.served !== null || c.extra),
    });
  }
  return { lines, closed };
}

function checkMonth(month: string): void {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new AppError('validation', `月份“${month}”格式应为 2026-10`);
}

/**
 * A month's serving days at one school, or at all of them (null): then each day adds up the schools that serve
 * it, and `bySchool` gives each school's figures. `covered` is the term's coverage when the caller counts several
 * months of one school.
 */
export function mealMonth(ctx: CoreContext, month: string, schoolId: number | null = null, covered?: (date: string) => number): MealMonth {
  checkMonth(month);
  const schools = schoolsOf(ctx, schoolId);
  if (schools.length > 1)
    return combined(
      month,
      schools.map((sc) => ({ ...sc, month: mealMonth(ctx, month, sc.id) })),
    );
  const only = schools[0]!.id;
  const term = termOfDate(`${month}-01`);
  const period = mealPeriod(ctx, term);
  const standard = mealStandard(ctx, schoolYearOfTerm(term));
  const { lines, closed } = dayLines(ctx, only, datesOfMonth(month), period, covered ?? coverage(ctx, schoolYearOfTerm(term), only));
  const f = monthFigures(lines, standard);
  const counted = lines.filter((d) => d.served !== null);
  return { month, standard, days: lines, closedDays: closed, ...f, students: counted.at(-1)?.covered ?? lines.at(-1)?.covered ?? 0 };
}

/** The schools a view covers: the one asked for, or every school of the desk (a one-school desk: its own). */
function schoolsOf(ctx: CoreContext, schoolId: number | null): { id: number; name: string }[] {
  if (schoolId !== null) return [{ id: schoolId, name: requireMemberSchool(ctx, schoolId).name }];
  return [...memberSchoolNames(ctx)].map(([id, name]) => ({ id, name }));
}

const figuresOf = (schoolId: number, name: string, m: MealMonth): MealSchoolFigures => ({
  schoolId,
  name,
  servingDays: m.servingDays,
  students: m.students,
  personDays: m.personDays,
  teacherMeals: m.teacherMeals,
  amount: m.amount,
});

/** The schools' months as one: a day served anywhere, its counts added; the money is each school's added up. */
function combined(month: string, parts: { id: number; name: string; month: MealMonth }[]): MealMonth {
  const byDate = new Map<string, MealDayLine>();
  for (const { name, month: m } of parts)
    for (const d of m.days) {
      const line = byDate.get(d.date);
      const names = d.teacherNames ? `${name}：${d.teacherNames}` : '';
      const note = d.note ? `${name}：${d.note}` : '';
      if (!line) {
        byDate.set(d.date, { ...d, teacherNames: names, note });
        continue;
      }
      line.covered += d.covered;
      line.served = line.served === null || d.served === null ? (line.served ?? d.served) : line.served + d.served;
      line.teachers += d.teachers;
      line.teacherNames = [line.teacherNames, names].filter(Boolean).join('；');
      line.note = [line.note, note].filter(Boolean).join('；');
      line.extra ||= d.extra;
      line.corrected ||= d.corrected;
    }
  const days = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  const sum = (k: 'personDays' | 'teacherMeals' | 'amount' | 'students') => parts.reduce((n, p) => n + p.month[k], 0);
  return {
    month,
    standard: parts[0]!.month.standard,
    days,
    // A day closed at one school is listed with the school's name.
    closedDays: parts.flatMap((p) => p.month.closedDays.map((c) => ({ date: c.date, note: `${p.name}${c.note ? `：${c.note}` : ''}` }))),
    servingDays: days.filter((d) => d.served !== null).length,
    daysToCome: days.filter((d) => d.served === null).length,
    students: sum('students'),
    personDays: sum('personDays'),
    teacherMeals: sum('teacherMeals'),
    amount: sum('amount'),
    bySchool: parts.map((p) => figuresOf(p.id, p.name, p.month)),
  };
}

/** The months a period touches, in order. */
function monthsOf(period: MealPeriod): string[] {
  const out: string[] = [];
  for (let m = period.startsOn.slice(0, 7); m <= period.endsOn.slice(0, 7);) {
    out.push(m);
    const [y, mm] = m.split('-').map(Number) as [number, number];
    m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
  }
  return out;
}

/** The term at one school, or at all of them (null): a desk's figures are its schools' added up. */
export function mealTerm(ctx: CoreContext, term: Term, schoolId: number | null = null): MealTerm {
  const period = mealPeriod(ctx, term);
  const year = schoolYearOfTerm(term);
  const standard = mealStandard(ctx, year);
  const schools = schoolsOf(ctx, schoolId).map((sc) => ({ ...sc, months: schoolMonths(ctx, period, sc.id) }));
  const months = monthsOf(period).map((m, i) => {
    const whole =
      schools.length > 1
        ? combined(
            m,
            schools.map((sc) => ({ id: sc.id, name: sc.name, month: sc.months[i]! })),
          )
        : schools[0]!.months[i]!;
    const { days: _d, closedDays: _c, bySchool: _b, ...figures } = whole;
    return figures;
  });
  const add = (k: 'servingDays' | 'personDays' | 'teacherMeals' | 'amount') => months.reduce((s, m) => s + m[k], 0);
  const total = (ms: MealMonth[], k: 'servingDays' | 'personDays' | 'teacherMeals' | 'amount') => ms.reduce((s, m) => s + m[k], 0);
  return {
    period,
    standard,
    months,
    servingDays: add('servingDays'),
    personDays: add('personDays'),
    teacherMeals: add('teacherMeals'),
    amount: add('amount'),
    excluded: exclusions(ctx, year, schoolId),
    ...(schools.length > 1
      ? {
          bySchool: schools.map((sc) => ({
            schoolId: sc.id,
            name: sc.name,
            servingDays: total(sc.months, 'servingDays'),
            students: sc.months.at(-1)?.students ?? 0,
            personDays: total(sc.months, 'personDays'),
            teacherMeals: total(sc.months, 'teacherMeals'),
            amount: total(sc.months, 'amount'),
          })),
        }
      : {}),
  };
}

/** One school's months of the term, its coverage counted once. */
function schoolMonths(ctx: CoreContext, period: MealPeriod, schoolId: number): MealMonth[] {
  const covered = coverage(ctx, schoolYearOfTerm(period.term), schoolId);
  return monthsOf(period).map((m) => mealMonth(ctx, m, schoolId, covered));
}

/** What the meals of a term cost at every school, and each school's part (empty on a one-school desk). */
export interface MealSpending {
  amount: Fen;
  personDays: number;
  bySchool: MealSchoolFigures[];
}

/** The money the meals of a term cost (the funds ledger draws it from the meals programme). */
export function mealSpending(ctx: CoreContext, term: Term): MealSpending {
  const t = mealTerm(ctx, term);
  return { amount: t.amount, personDays: t.personDays, bySchool: t.bySchool ?? [] };
}

/** The students not served in a school year, of one school or all (then each class is named with its school). */
export function exclusions(ctx: CoreContext, year: SchoolYear, schoolId: number | null = null): MealExclusion[] {
  const names = schoolId === null && hasMemberSchools(ctx) ? memberSchoolNames(ctx) : null;
  return all(
    ctx,
    ctx.store.db
      .selectFrom('meal_exclusion as x')
      .innerJoin('student as s', 's.id', 'x.student_id')
      .leftJoin('school_class as c', 'c.id', 's.class_id')
      .select(['x.student_id', 's.name', 's.school_id', 'c.name as class_name', 'x.reason'])
      .where('x.school_year', '=', year)
      .$if(schoolId !== null, (q) => q.where('s.school_id', '=', schoolId!))
      .orderBy('s.school_id')
      .orderBy('c.grade_order')
      .orderBy('c.number')
      .orderBy('s.id'),
  ).map((r) => ({
    studentId: r.student_id,
    name: r.name,
    className: names ? `${names.get(r.school_id) ?? ''} ${r.class_name ?? ''}`.trim() : (r.class_name ?? ''),
    reason: r.reason,
  }));
}

export interface DayArgs {
  /** The school that served (or closed) that day. */
  schoolId: number;
  date: string;
  closed: boolean;
  extra: boolean;
  served: number | null;
  teachers: number;
  teacherNames: string;
  note: string;
}

/** One day's correction; a day set back to the default is removed. */
export function setMealDay(ctx: CoreContext, args: DayArgs): MealMonth {
  if (!isRealIsoDate(args.date)) throw new AppError('validation', `日期“${args.date}”不是有效日期`);
  const school = requireMemberSchool(ctx, args.schoolId);
  if (args.closed && args.extra) throw new AppError('validation', `${args.date} 不能既停餐又加餐`);
  const term = termOfDate(args.date);
  const period = mealPeriod(ctx, term);
  if (args.date < period.startsOn || args.date > period.endsOn)
    throw new AppError(
      'validation',
      `${args.date} 不在${termText(term)}的供餐期（${period.startsOn} 至 ${period.endsOn}）内，请先修改供餐起止日期`,
    );
  const now = today(ctx);
  if (args.date > now && (args.served !== null || args.teachers > 0))
    throw new AppError('validation', `${args.date} 还没有到（今天是 ${now}），只能预先设置停餐或加餐，就餐和陪餐人数要当天或之后登记`);
  if (args.closed && (args.served !== null || args.teachers > 0))
    throw new AppError('validation', `${args.date} 设为停餐时不能填写就餐或陪餐人数`);
  if (args.served !== null) {
    const covered = coverage(ctx, schoolYearOfTerm(term), args.schoolId)(args.date);
    if (args.served > covered)
      throw new AppError('validation', `${school.name}${args.date} 就餐人数 ${args.served} 超过当天应供餐的在校学生 ${covered} 人`);
  }
  if (args.teachers > 0 && args.teacherNames.trim() === '')
    throw new AppError('validation', `${args.date} 有 ${args.teachers} 位教师陪餐，请填写陪餐教师姓名`);
  const isDefault = !args.closed && !args.extra && args.served === null && args.teachers === 0 && args.note.trim() === '';
  ctx.store.sqlite
    .transaction(() => {
      run(ctx, ctx.store.db.deleteFrom('meal_day').where('school_id', '=', args.schoolId).where('date', '=', args.date));
      if (!isDefault)
        run(
          ctx,
          ctx.store.db.insertInto('meal_day').values({
            school_id: args.schoolId,
            date: args.date,
            closed: args.closed ? 1 : 0,
            extra: args.extra ? 1 : 0,
            served: args.served,
            teachers: args.teachers,
            teacher_names: args.teacherNames.trim(),
            note: args.note.trim(),
            updated_at: nowIso(ctx),
          }),
        );
    })
    .immediate();
  return mealMonth(ctx, args.date.slice(0, 7), args.schoolId);
}

export function excludeFromMeals(
  ctx: CoreContext,
  args: { studentIds: number[]; schoolYear: SchoolYear; reason: string },
): MealExclusion[] {
  const reason = args.reason.trim();
  if (!reason) throw new AppError('validation', '请写明不就餐的原因（如：走读，中午回家就餐）');
  const p = mealsProgramme(ctx, args.schoolYear);
  ctx.store.sqlite
    .transaction(() => {
      for (const id of args.studentIds) {
        const s = first(
          ctx,
          ctx.store.db
            .selectFrom('student as s')
            .leftJoin('school_class as c', 'c.id', 's.class_id')
            .select(['s.name', 'c.stage'])
            .where('s.id', '=', id),
        );
        if (!s) throw notFound('该学生');
        if (!s.stage || !p.stages.includes(s.stage))
          throw new AppError('validation', `${s.name}不在营养改善计划覆盖的学段（${p.stages.map((x) => STAGE_TEXT[x]).join('、')}）`);
        run(
          ctx,
          ctx.store.db
            .insertInto('meal_exclusion')
            .values({ student_id: id, school_year: args.schoolYear, reason, created_at: nowIso(ctx) })
            .onConflict((oc) => oc.columns(['student_id', 'school_year']).doUpdateSet({ reason })),
        );
      }
    })
    .immediate();
  return exclusions(ctx, args.schoolYear);
}

export function includeInMeals(ctx: CoreContext, args: { studentId: number; schoolYear: SchoolYear }): MealExclusion[] {
  run(ctx, ctx.store.db.deleteFrom('meal_exclusion').where('student_id', '=', args.studentId).where('school_year', '=', args.schoolYear));
  return exclusions(ctx, args.schoolYear);
}

const yuan = (fen: Fen) => fenToYuan(fen);

/** Whose ledger: the school picked, the desk's school with its member schools, or the one school of the desk. */
async function ledgerName(ctx: CoreContext, schoolId: number | null, several: boolean): Promise<string> {
  if (schoolId !== null) return requireMemberSchool(ctx, schoolId).name;
  const school = await requireSchool(ctx);
  return several ? `${school.name}（含各校点）` : school.name;
}

/** Each school's figures under the desk's month, when the schools are shown together. */
function schoolRows(rows: (string | number | null)[][], bySchool: MealSchoolFigures[] | undefined): void {
  if (!bySchool) return;
  rows.push([], ['各校', null, '供餐天数', '受益学生数', '就餐人天数', '陪餐人次', '金额（元）']);
  for (const sc of bySchool) rows.push([sc.name, null, sc.servingDays, sc.students, sc.personDays, sc.teacherMeals, yuan(sc.amount)]);
}

/** The month's ledger as the county asks for it: each serving day, then 供餐天数, 受益学生数, 人天数 and 金额. */
export async function exportMealMonth(ctx: CoreContext, month: string, schoolId: number | null = null): Promise<FileResult> {
  const m = mealMonth(ctx, month, schoolId);
  const [y, mm] = month.split('-');
  const title = `${await ledgerName(ctx, schoolId, !!m.bySchool)}${y}年${Number(mm)}月营养改善计划供餐台账`;
  const rows: (string | number | null)[][] = m.days.map((d) => [
    d.date,
    `星期${d.weekday}`,
    d.covered,
    d.served,
    d.teachers,
    d.teacherNames,
    d.served === null ? '（未到）' : d.note,
  ]);
  rows.push([]);
  rows.push(['供餐天数', null, null, m.servingDays]);
  rows.push(['受益学生数', null, null, m.students]);
  rows.push(['就餐人天数', null, null, m.personDays]);
  rows.push(['陪餐人次', null, null, m.teacherMeals]);
  rows.push(['补助标准（元/生/天）', null, null, yuan(m.standard)]);
  rows.push(['金额（元）', null, null, yuan(m.amount)]);
  schoolRows(rows, m.bySchool);
  const { data } = await writePlainList({
    sheetName: `${y}年${Number(mm)}月`,
    title,
    headers: [
      ['日期', 12],
      ['星期', 8],
      ['应供餐人数', 12],
      ['就餐人数', 12],
      ['陪餐教师人数', 14],
      ['陪餐教师', 24],
      ['备注', 30],
    ].map(([text, width]) => ({ text: text as string, width: width as number })),
    textColumns: [0],
    rows,
  });
  return { fileName: `${title}.xlsx`, dataBase64: data.toString('base64') };
}

/** The term's summary, a row per month (月份, 受益学生数, 供餐天数, 人天数, 标准, 金额, 陪餐人次) and the total. */
export async function exportMealTerm(ctx: CoreContext, term: Term, schoolId: number | null = null): Promise<FileResult> {
  const t = mealTerm(ctx, term, schoolId);
  const title = `${await ledgerName(ctx, schoolId, !!t.bySchool)}${termText(term)}营养改善计划供餐汇总`;
  const rows: (string | number | null)[][] = t.months.map((m) => [
    `${m.month.slice(0, 4)}年${Number(m.month.slice(5))}月`,
    m.students,
    m.servingDays,
    m.personDays,
    yuan(m.standard),
    yuan(m.amount),
    m.teacherMeals,
  ]);
  rows.push(['合计', null, t.servingDays, t.personDays, yuan(t.standard), yuan(t.amount), t.teacherMeals]);
  if (t.bySchool) {
    rows.push([], ['各校', '受益学生数', '供餐天数', '就餐人天数', '标准（元/生/天）', '金额（元）', '陪餐人次']);
    for (const sc of t.bySchool)
      rows.push([sc.name, sc.students, sc.servingDays, sc.personDays, yuan(t.standard), yuan(sc.amount), sc.teacherMeals]);
  }
  const { data } = await writePlainList({
    sheetName: '供餐汇总',
    title: `${title}（${t.period.startsOn} 至 ${t.period.endsOn}，标准 ${formatYuan(t.standard)}/生/天）`,
    headers: [
      ['月份', 12],
      ['受益学生数', 12],
      ['供餐天数', 10],
      ['就餐人天数', 12],
      ['标准（元/生/天）', 16],
      ['金额（元）', 14],
      ['陪餐人次', 10],
    ].map(([text, width]) => ({ text: text as string, width: width as number })),
    textColumns: [0],
    rows,
  });
  return { fileName: `${title}.xlsx`, dataBase64: data.toString('base64') };
}
