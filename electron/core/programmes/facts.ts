/**
 * What the programmes need to know about students, loaded in bulk (a few queries for any number of
 * students, so ranking 10,000 applications or checking 30,000 stays fast).
 */
import { sql } from 'kysely';
import type { DifficultyLevel } from '../../../shared/domain/identification';
import type { Programme } from '../../../shared/domain/programme';
import type { Stage, Term } from '../../../shared/domain/school';
import type { EligibilityFacts, FlagFact } from '../../../shared/rules/eligibility';
import type { CoreContext } from '../context';
import { all, tuples } from '../db/query';

export interface StudentFacts extends EligibilityFacts {
  studentId: number;
  name: string;
  idNumber: string | null;
  birthDate: string | null;
  classId: number | null;
  className: string | null;
  /** The school of the desk (1: the central school) and its name. */
  schoolId: number;
  schoolName: string;
  grade: string | null;
  gradeOrder: number | null;
  stage: Stage | null;
  enrolled: boolean;
  boarding: boolean | null;
  bankCard: string | null;
  /** The school year's decided identification (不困难 included), or null. */
  level: DifficultyLevel | null;
  score: number | null;
  /** When it was decided, and its number: the allocation's second tie-break. */
  identifiedOn: string | null;
  identificationId: number | null;
  /** 家庭人均年收入 (fen) from the year's survey: the first tie-break. */
  income: number | null;
  flags: FlagFact[];
}

/**
 * Whose facts to load: the applicants of a programme in a term, or a few students by id (one application's: a
 * county desk has 300,000). The students, their identifications, surveys and flags are narrowed either way: the
 * year's rows of a desk of 100,000 read whole made an allocation of 10,000 applicants three times slower than in a
 * school of 12,000 (benchmarks.md).
 */
export type FactsOf = { programmeId: number; term: Term } | { studentIds: readonly number[] };

/** Facts for every student, or only for those `of` names. */
export function loadFacts(ctx: CoreContext, schoolYear: string, of?: FactsOf): Map<number, StudentFacts> {
  const db = ctx.store.db;
  const few = of && 'studentIds' in of ? of.studentIds : null;
  // The ids as one JSON parameter, not one parameter each: a batch of 40,000 applications is over SQLite's limit.
  const among = few
    ? db.selectFrom(sql<{ value: number }>`json_each(${JSON.stringify(few)})`.as('j')).select('j.value')
    : of && 'programmeId' in of
      ? db.selectFrom('application').select('student_id').where('programme_id', '=', of.programmeId).where('term', '=', of.term)
      : null;
  const classes = new Map(
    all(ctx, db.selectFrom('school_class').select(['id', 'name', 'grade', 'grade_order', 'stage'])).map((c) => [c.id, c]),
  );
  const schools = new Map(all(ctx, db.selectFrom('member_school').select(['id', 'name'])).map((m) => [m.id, m.name]));
  // One statement: each student with the year's decided identification and survey (at most one of each: both are
  // unique per student and year). Read as tuples and built into facts in one pass, without a map per table between.
  const students = db
    .selectFrom('student as s')
    .leftJoin('identification as i', (j) =>
      j.onRef('i.student_id', '=', 's.id').on('i.school_year', '=', schoolYear).on('i.status', '=', 'decided'),
    )
    .leftJoin('family_survey as v', (j) => j.onRef('v.student_id', '=', 's.id').on('v.school_year', '=', schoolYear))
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
      flags: [],
    });
  }
  // A flag is "listed" only while the latest list of some kind still names the student for that group.
  const listed = new Map<string, 'rural' | 'urban' | null>();
  const entries = all(
    ctx,
    db
      .selectFrom('official_list_entry')
      .select(['id_number', 'grp', 'area'])
      .where('list_id', 'in', (sub) =>
        sub
          .selectFrom('official_list')
          .select((eb) => eb.fn.max('id').as('id'))
          .groupBy('kind'),
      ),
  );
  // Students by ID number only when some county list is kept (most desks of a term have none yet).
  const byIdNumber = new Map<string, StudentFacts>();
  if (entries.length) for (const f of facts.values()) if (f.idNumber) byIdNumber.set(f.idNumber, f);
  for (const { id_number: idNumber, grp, area } of entries) {
    const f = byIdNumber.get(idNumber);
    if (!f) continue;
    const key = `${f.studentId}:${grp}`;
    listed.set(key, listed.get(key) ?? area);
  }
  const flags = all(
    ctx,
    db
      .selectFrom('priority_flag')
      .select((eb) => ['student_id', 'grp', eb.fn.max('area').as('area')])
      .$if(among !== null, (q) => q.where('student_id', 'in', among!))
      .groupBy(['student_id', 'grp']),
  );
  for (const fl of flags) {
    const key = `${fl.student_id}:${fl.grp}`;
    const onList = listed.has(key);
    facts.get(fl.student_id)?.flags.push({ group: fl.grp, listed: onList, area: (onList ? listed.get(key) : null) ?? fl.area });
  }
  return facts;
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
