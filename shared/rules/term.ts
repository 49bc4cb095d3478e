import type { SchoolYear, Term } from '../domain/school';

const TERM_RE = /^(\d{4})-(autumn|spring)$/;
const YEAR_RE = /^(\d{4})-(\d{4})$/;

export function isTerm(value: string): value is Term {
  return TERM_RE.test(value);
}

export function isSchoolYear(value: string): value is SchoolYear {
  const m = YEAR_RE.exec(value);
  return !!m && Number(m[2]) === Number(m[1]) + 1;
}

/** The school year a term belongs to: 2026-autumn and 2027-spring are both in 2026-2027. */
export function schoolYearOfTerm(term: Term): SchoolYear {
  const m = TERM_RE.exec(term)!;
  const year = Number(m[1]);
  const start = m[2] === 'autumn' ? year : year - 1;
  return `${start}-${start + 1}`;
}

/** The first year of a school year: 2026 for 2026-2027. */
export function schoolYearStart(year: SchoolYear): number {
  return Number(year.slice(0, 4));
}

/** `2026-autumn` → `2026年秋季学期` */
export function termText(term: Term): string {
  const m = TERM_RE.exec(term)!;
  return `${m[1]}年${m[2] === 'autumn' ? '秋季' : '春季'}学期`;
}

/** The term a date falls in: September–January is autumn, February–August spring. */
export function termOfDate(isoDate: string): Term {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  if (month >= 9) return `${year}-autumn`;
  if (month === 1) return `${year - 1}-autumn`;
  return `${year}-spring`;
}

/** The term before: 2026-autumn → 2026-spring, 2027-spring → 2026-autumn. */
export function previousTerm(term: Term): Term {
  const m = TERM_RE.exec(term)!;
  return m[2] === 'autumn' ? (`${m[1]}-spring` as Term) : (`${Number(m[1]) - 1}-autumn` as Term);
}

/** The term after: 2026-autumn → 2027-spring. */
export function nextTerm(term: Term): Term {
  const m = TERM_RE.exec(term)!;
  return m[2] === 'autumn' ? (`${Number(m[1]) + 1}-spring` as Term) : (`${m[1]}-autumn` as Term);
}

/** The school year before: 2026-2027 → 2025-2026. */
export function previousSchoolYear(year: SchoolYear): SchoolYear {
  const start = schoolYearStart(year) - 1;
  return `${start}-${start + 1}`;
}

/** The two terms of a school year: 2026-2027 → [2026-autumn, 2027-spring]. */
export function termsOfSchoolYear(year: SchoolYear): [Term, Term] {
  const start = schoolYearStart(year);
  return [`${start}-autumn`, `${start + 1}-spring`];
}
