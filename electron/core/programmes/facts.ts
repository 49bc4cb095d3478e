/**
 * What the programmes need to know about students, loaded in bulk (a few queries for any number of
 * students, so ranking 10,000 applications or checking 30,000 stays fast).
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { ApplicationStatus } from '../../../shared/domain/application';
import type { DifficultyLevel } from '../../../shared/domain/identification';
import type { Programme, TierNumber } from '../../../shared/domain/programme';
import type { Database } from '../db/schema';
import type { Stage, Term } from '../../../shared/domain/school';
import type { EligibilityFacts, FlagFact } from '../../../shared/rules/eligibility';
import type { CoreContext } from '../context';
import { all, first, tuples } from '../db/query';

/** What ranking and eligibility need of a student: no name, ID number or card (an allocation reads 10,000 of these). */
export interface RankingFacts extends EligibilityFacts {
  studentId: number;
  classId: number | null;
  /** The school of the desk (1: the central school). */
  schoolId: number;
  enrolled: boolean;
  /** The school year's decided identification (不困难 included), or null. */
  level: DifficultyLevel | null;
  score: number | null;
  /** When it was decided, and its number: the allocation's second tie-break. */
  identifiedOn: string | null;
  identificationId: number | null;
  /** 家庭人均年收入 (fen) from the year's survey: the first tie-break. */
  income: number | null;
}

export interface StudentFacts extends RankingFacts {
  name: string;
  idNumber: string | null;
  birthDate: string | null;
  className: string | null;
  schoolName: string;
  gradeOrder: number | null;
  bankCard: string | null;
}

/** An application of a programme in a term with its student's ranking facts. */
export interface Applicant extends RankingFacts {
  /** The application's. */
  id: number;
  status: ApplicationStatus;
  funded: number | null;
  tier: TierNumber | null;
}

/**
 * Whose facts to load: the applicants of a programme in a term, or a few students by id (one application's: a
 * county desk has 300,000). The students, their identifications, surveys and flags are narrowed either way: the
 * year's rows of a desk of 100,000 read whole made an allocation of 10,000 applicants three times slower than in a
 * school of 12,000 (benchmarks.md).
 */
export type FactsOf = { programmeId: number; term: Term } | { studentIds: readonly number[] };

/**
 * The students, each with the school year's decided identification and survey: at most one of each (both are unique
 * per student and year), so the joins never repeat a student. The one definition of which identification and
 * survey count, for every reader below.
 */
function withYear(ctx: CoreContext, schoolYear: string) {
  return ctx.store.db
    .selectFrom('student as s')
    .leftJoin('identification as i', (j) =>
      j.onRef('i.student_id', '=', 's.id').on('i.school_year', '=', schoolYear).on('i.status', '=', 'decided'),
    )
    .leftJoin('family_survey as v', (j) => j.onRef('v.student_id', '=', 's.id').on('v.school_year', '=', schoolYear));
}

function classesOf(ctx: CoreContext) {
  return new Map(
    all(ctx, ctx.store.db.selectFrom('school_class').select(['id', 'name', 'grade', 'grade_order', 'stage'])).map((c) => [c.id, c]),
  );
}

function applicantsOf(ctx: CoreContext, programmeId: number, term: Term) {
  return ctx.store.db.selectFrom('application').select('student_id').where('programme_id', '=', programmeId).where('term', '=', term);
}

/** Facts for every student, or only for those `of` names. */
export function loadFacts(ctx: CoreContext, schoolYear: string, of?: FactsOf): Map<number, StudentFacts> {
  const db = ctx.store.db;
  const few = of && 'studentIds' in of ? of.studentIds : null;
  // The ids as one JSON parameter, not one parameter each: a batch of 40,000 applications is over SQLite's limit.
  const among = few
    ? db.selectFrom(sql<{ value: number }>`json_each(${JSON.stringify(few)})`.as('j')).select('j.value')
    : of && 'programmeId' in of
      ? applicantsOf(ctx, of.programmeId, of.term)
      : null;
  const classes = classesOf(ctx);
  const schools = new Map(all(ctx, db.selectFrom('member_school').select(['id', 'name'])).map((m) => [m.id, m.name]));
  const flags = loadFlags(ctx, among);
  const students = withYear(ctx, schoolYear)
    .select((eb) => [
      's.id',
      's.name',
      's.id_number',
      's.birth_date',
      's.class_id',
      's.school_id',
      eb('s.status', '=', 'enrolled').as('enrolled'),
      's.boarding',
      's.bank_card',
      'i.id as identification_id',
      'i.level',
      'i.score',
      'i.decided_on',
      'v.per_capita_income_fen',
    ])
    .$if(among !== null, (q) => q.where('s.id', 'in', among!));
  const columns = [
    'id',
    'name',
    'id_number',
    'birth_date',
    'class_id',
    'school_id',
    'enrolled',
    'boarding',
    'bank_card',
    'identification_id',
    'level',
    'score',
    'decided_on',
    'per_capita_income_fen',
  ] as const;
  const facts = new Map<number, StudentFacts>();
  // Read by position, in the order of `columns`: destructuring fourteen values a row made 10,000 rows 15 ms slower.
  for (const r of tuples(ctx, students, columns)) {
    const classId = r[4];
    const c = classId === null ? undefined : classes.get(classId);
    const boarding = r[7];
    facts.set(r[0], {
      studentId: r[0],
      name: r[1],
      idNumber: r[2],
      birthDate: r[3],
      classId,
      className: c?.name ?? null,
      schoolId: r[5],
      schoolName: schools.get(r[5]) ?? '',
      grade: c?.grade ?? null,
      gradeOrder: c?.grade_order ?? null,
      stage: c?.stage ?? null,
      enrolled: r[6] === 1,
      boarding: boarding === null ? null : boarding === 1,
      bankCard: r[8],
      level: r[10],
      score: r[11],
      identifiedOn: r[12],
      identificationId: r[9],
      income: r[13],
      flags: flags.get(r[0]) ?? [],
    });
  }
  return facts;
}

/**
 * Every application of a programme in a term with its student's ranking facts (one statement, the flags beside):
 * what an allocation reads. Names, ID numbers and cards are left out (a few are read for the unfunded it lists).
 */
export function loadApplicants(ctx: CoreContext, schoolYear: string, programmeId: number, term: Term): Applicant[] {
  const classes = classesOf(ctx);
  const flags = loadFlags(ctx, applicantsOf(ctx, programmeId, term));
  const rows = withYear(ctx, schoolYear)
    .innerJoin('application as a', 'a.student_id', 's.id')
    .select((eb) => [
      'a.id',
      'a.student_id',
      'a.status',
      'a.funded',
      'a.tier',
      's.class_id',
      's.school_id',
      eb('s.status', '=', 'enrolled').as('enrolled'),
      's.boarding',
      'i.id as identification_id',
      'i.level',
      'i.score',
      'i.decided_on',
      'v.per_capita_income_fen',
    ])
    .where('a.programme_id', '=', programmeId)
    .where('a.term', '=', term);
  const columns = [
    'id',
    'student_id',
    'status',
    'funded',
    'tier',
    'class_id',
    'school_id',
    'enrolled',
    'boarding',
    'identification_id',
    'level',
    'score',
    'decided_on',
    'per_capita_income_fen',
  ] as const;
  return tuples(ctx, rows, columns).map((r) => {
    const c = r[5] === null ? undefined : classes.get(r[5]);
    const boarding = r[8];
    return {
      id: r[0],
      studentId: r[1],
      status: r[2],
      funded: r[3],
      tier: r[4],
      classId: r[5],
      schoolId: r[6],
      grade: c?.grade ?? null,
      stage: c?.stage ?? null,
      enrolled: r[7] === 1,
      boarding: boarding === null ? null : boarding === 1,
      level: r[10],
      score: r[11],
      identifiedOn: r[12],
      identificationId: r[9],
      income: r[13],
      flags: flags.get(r[1]) ?? [],
    };
  });
}

/**
 * The priority flags of every student, or of those `among` selects. A flag is "listed" only while the latest list
 * of some kind still names the student (by ID number) for that group; the list's 城乡 then wins over the flag's.
 */
function loadFlags(ctx: CoreContext, among: SelectQueryBuilder<Database, never, { value: number } | { student_id: number }> | null) {
  const db = ctx.store.db;
  // The students' entries in the latest list of each kind (most desks of a term have no list yet: none read).
  const anyList = first(ctx, db.selectFrom('official_list').select('id').limit(1)) !== undefined;
  const entries = !anyList
    ? []
    : all(
        ctx,
        db
          .selectFrom('official_list_entry as e')
          .innerJoin('student as s', 's.id_number', 'e.id_number')
          .select(['s.id', 'e.grp', 'e.area'])
          .where('e.list_id', 'in', (sub) =>
            sub
              .selectFrom('official_list')
              .select((eb) => eb.fn.max('id').as('id'))
              .groupBy('kind'),
          )
          .$if(among !== null, (q) => q.where('s.id', 'in', among!))
          .orderBy('e.id'),
      );
  // The first entry that says 城乡 gives it.
  const listed = new Map<string, 'rural' | 'urban' | null>();
  for (const e of entries) {
    const key = `${e.id}:${e.grp}`;
    listed.set(key, listed.get(key) ?? e.area);
  }
  const rows = all(
    ctx,
    db
      .selectFrom('priority_flag')
      .select((eb) => ['student_id', 'grp', eb.fn.max('area').as('area')])
      .$if(among !== null, (q) => q.where('student_id', 'in', among!))
      .groupBy(['student_id', 'grp']),
  );
  const flags = new Map<number, FlagFact[]>();
  for (const r of rows) {
    const key = `${r.student_id}:${r.grp}`;
    const onList = listed.has(key);
    const fact: FlagFact = { group: r.grp, listed: onList, area: (onList ? listed.get(key) : null) ?? r.area };
    const own = flags.get(r.student_id);
    if (own) own.push(fact);
    else flags.set(r.student_id, [fact]);
  }
  return flags;
}

/** One student's facts (one application's: opened, re-tiered), reading that student only. */
export function studentFacts(ctx: CoreContext, schoolYear: string, studentId: number): StudentFacts | undefined {
  return loadFacts(ctx, schoolYear, { studentIds: [studentId] }).get(studentId);
}

/** The per-term amount of a tier for the student's stage (null when the standard is not set). */
export function tierAmount(p: Programme, tier: number | null, stage: Stage | null): number | null {
  if (tier === null || !stage) return null;
  return p.tiers.find((t) => t.tier === tier)?.amounts[stage] ?? null;
}
