/**
 * What the programmes need to know about students, loaded in bulk (a few queries for any number of
 * students, so ranking 10,000 applications or checking 30,000 stays fast).
 */
import type { DifficultyLevel } from '../../../shared/domain/identification';
import type { PriorityGroup } from '../../../shared/domain/priority-group';
import type { Programme } from '../../../shared/domain/programme';
import type { Stage } from '../../../shared/domain/school';
import type { EligibilityFacts, FlagFact } from '../../../shared/rules/eligibility';
import type { CoreContext } from '../context';

export interface StudentFacts extends EligibilityFacts {
  studentId: number;
  name: string;
  idNumber: string | null;
  birthDate: string | null;
  classId: number | null;
  className: string | null;
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

/** Facts for every student, or (`applicantsOf`) only for those with an application of a programme in a term. */
export function loadFacts(
  ctx: CoreContext,
  schoolYear: string,
  applicantsOf?: { programmeId: number; term: string },
): Map<number, StudentFacts> {
  const sqlite = ctx.store.sqlite;
  const only = applicantsOf ? `WHERE id IN (SELECT student_id FROM application WHERE programme_id = ? AND term = ?)` : '';
  const onlyParams = applicantsOf ? [applicantsOf.programmeId, applicantsOf.term] : [];
  // Plain scans joined in memory: for every student of a school this is several times faster than SQL joins.
  const classes = new Map(
    (
      sqlite.prepare(`SELECT id, name, grade, grade_order, stage FROM school_class`).all() as {
        id: number;
        name: string;
        grade: string;
        grade_order: number;
        stage: Stage;
      }[]
    ).map((c) => [c.id, c]),
  );
  const decided = new Map(
    (
      sqlite
        .prepare(`SELECT id, student_id, level, score, decided_on FROM identification WHERE school_year = ? AND status = 'decided'`)
        .all(schoolYear) as {
        id: number;
        student_id: number;
        level: DifficultyLevel;
        score: number | null;
        decided_on: string | null;
      }[]
    ).map((i) => [i.student_id, i]),
  );
  const income = new Map(
    sqlite
      .prepare(`SELECT student_id, per_capita_income_fen FROM family_survey WHERE school_year = ? AND per_capita_income_fen IS NOT NULL`)
      .raw()
      .all(schoolYear) as [number, number][],
  );
  const rows = sqlite
    .prepare(`SELECT id, name, id_number, birth_date, class_id, status, boarding, bank_card FROM student ${only}`)
    .raw()
    .all(...onlyParams) as [number, string, string | null, string | null, number | null, string, 0 | 1 | null, string | null][];
  const facts = new Map<number, StudentFacts>();
  const byIdNumber = new Map<string, StudentFacts>();
  for (const [id, name, idNumber, birthDate, classId, status, boarding, bankCard] of rows) {
    const c = classId === null ? undefined : classes.get(classId);
    const i = decided.get(id);
    const f: StudentFacts = {
      studentId: id,
      name,
      idNumber,
      birthDate,
      classId,
      className: c?.name ?? null,
      grade: c?.grade ?? null,
      gradeOrder: c?.grade_order ?? null,
      stage: c?.stage ?? null,
      enrolled: status === 'enrolled',
      boarding: boarding === null ? null : boarding === 1,
      bankCard,
      level: i?.level ?? null,
      score: i?.score ?? null,
      identifiedOn: i?.decided_on ?? null,
      identificationId: i?.id ?? null,
      income: income.get(id) ?? null,
      flags: [],
    };
    facts.set(id, f);
    if (idNumber) byIdNumber.set(idNumber, f);
  }
  // A flag is "listed" only while the latest list of some kind still names the student for that group.
  const listed = new Map<string, 'rural' | 'urban' | null>();
  const entries = sqlite
    .prepare(`SELECT id_number, grp, area FROM official_list_entry WHERE list_id IN (SELECT max(id) FROM official_list GROUP BY kind)`)
    .raw()
    .all() as [string, PriorityGroup, 'rural' | 'urban' | null][];
  for (const [idNumber, grp, area] of entries) {
    const f = byIdNumber.get(idNumber);
    if (!f) continue;
    const key = `${f.studentId}:${grp}`;
    listed.set(key, listed.get(key) ?? area);
  }
  const flags = sqlite.prepare(`SELECT student_id, grp, max(area) AS area FROM priority_flag GROUP BY student_id, grp`).all() as {
    student_id: number;
    grp: PriorityGroup;
    area: 'rural' | 'urban' | null;
  }[];
  for (const fl of flags) {
    const key = `${fl.student_id}:${fl.grp}`;
    const onList = listed.has(key);
    facts.get(fl.student_id)?.flags.push({ group: fl.grp, listed: onList, area: (onList ? listed.get(key) : null) ?? fl.area });
  }
  return facts;
}

/** The per-term amount of a tier for the student's stage (null when the standard is not set). */
export function tierAmount(p: Programme, tier: number | null, stage: Stage | null): number | null {
  if (tier === null || !stage) return null;
  return p.tiers.find((t) => t.tier === tier)?.amounts[stage] ?? null;
}
