/**
 * What the programmes need to know about students, loaded in bulk (a few queries for any number of
 * students, so ranking 10,000 applications or checking 30,000 stays fast).
 */
import type { DifficultyLevel } from '../../../shared/domain/identification';
import type { PriorityGroup } from '../../../shared/domain/priority-group';
import type { Programme } from '../../../shared/domain/programme';
import type { Stage } from '../../../shared/domain/school';
import type { CoreContext } from '../context';

export interface StudentFacts {
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
  flags: { group: PriorityGroup; listed: boolean }[];
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
        .prepare(`SELECT student_id, level, score FROM identification WHERE school_year = ? AND status = 'decided'`)
        .all(schoolYear) as {
        student_id: number;
        level: DifficultyLevel;
        score: number | null;
      }[]
    ).map((i) => [i.student_id, i]),
  );
  const rows = sqlite
    .prepare(`SELECT id, name, id_number, birth_date, class_id, status, boarding, bank_card FROM student ${only}`)
    .raw()
    .all(...onlyParams) as [number, string, string | null, string | null, number | null, string, 0 | 1 | null, string | null][];
  const facts = new Map<number, StudentFacts>();
  for (const [id, name, idNumber, birthDate, classId, status, boarding, bankCard] of rows) {
    const c = classId === null ? undefined : classes.get(classId);
    const i = decided.get(id);
    facts.set(id, {
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
      flags: [],
    });
  }
  const flags = sqlite
    .prepare(`SELECT student_id, grp, max(source = 'countyList') AS listed FROM priority_flag GROUP BY student_id, grp`)
    .all() as { student_id: number; grp: PriorityGroup; listed: number }[];
  for (const f of flags) facts.get(f.student_id)?.flags.push({ group: f.grp, listed: f.listed === 1 });
  return facts;
}

/** Why a student cannot hold a programme, or null when eligible. */
export function ineligibility(p: Programme, f: StudentFacts): string | null {
  if (!f.stage || !p.stages.includes(f.stage)) return '不在该项目的学段';
  if (p.boarding === 'boarder' && f.boarding === false) return '是走读生，该项目只资助寄宿生';
  if (p.boarding === 'day' && f.boarding === true) return '是寄宿生，该项目只资助走读生';
  if (p.eligibility.everyone) return null;
  if (f.level && p.eligibility.levels.includes(f.level)) return null;
  if (f.flags.some((x) => p.eligibility.groups.includes(x.group))) return null;
  const need = [p.eligibility.levels.length ? '认定为家庭经济困难' : '', p.eligibility.groups.length ? '属于规定的特殊群体' : ''].filter(
    Boolean,
  );
  return `不符合申请条件（须${need.join('或')}）`;
}

/** The per-term amount of a tier for the student's stage (null when the standard is not set). */
export function tierAmount(p: Programme, tier: number | null, stage: Stage | null): number | null {
  if (tier === null || !stage) return null;
  return p.tiers.find((t) => t.tier === tier)?.amounts[stage] ?? null;
}
