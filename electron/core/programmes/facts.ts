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

export function loadFacts(ctx: CoreContext, schoolYear: string): Map<number, StudentFacts> {
  const sqlite = ctx.store.sqlite;
  const rows = sqlite
    .prepare(
      `SELECT s.id, s.name, s.id_number, s.birth_date, s.class_id, c.name AS class_name, c.grade, c.grade_order, c.stage, s.status, s.boarding, s.bank_card,
              i.level, i.score
       FROM student s LEFT JOIN school_class c ON c.id = s.class_id
       LEFT JOIN identification i ON i.student_id = s.id AND i.school_year = ? AND i.status = 'decided'`,
    )
    .all(schoolYear) as {
    id: number; name: string; id_number: string | null; birth_date: string | null; class_id: number | null; class_name: string | null; grade: string | null;
    grade_order: number | null; stage: Stage | null; status: string; boarding: 0 | 1 | null; bank_card: string | null; level: DifficultyLevel | null; score: number | null;
  }[];
  const facts = new Map<number, StudentFacts>();
  for (const r of rows) {
    facts.set(r.id, {
      studentId: r.id, name: r.name, idNumber: r.id_number, birthDate: r.birth_date, classId: r.class_id, className: r.class_name, grade: r.grade,
      gradeOrder: r.grade_order, stage: r.stage, enrolled: r.status === 'enrolled', boarding: r.boarding === null ? null : r.boarding === 1,
      bankCard: r.bank_card, level: r.level, score: r.score, flags: [],
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
  const need = [p.eligibility.levels.length ? '认定为家庭经济困难' : '', p.eligibility.groups.length ? '属于规定的特殊群体' : ''].filter(Boolean);
  return `不符合申请条件（须${need.join('或')}）`;
}

/** The per-term amount of a tier for the student's stage (null when the standard is not set). */
export function tierAmount(p: Programme, tier: number | null, stage: Stage | null): number | null {
  if (tier === null || !stage) return null;
  return p.tiers.find((t) => t.tier === tier)?.amounts[stage] ?? null;
}
