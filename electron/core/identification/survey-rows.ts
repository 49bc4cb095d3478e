/** The one place family-survey rows turn into domain values and back, and are written. */
import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import type { SchoolYear } from '../../../shared/domain/school';
import type {
  FamilySurvey,
  FamilySurveyFields,
  HardshipFactor,
  Health,
  HouseholdMember,
  IncomeSource,
} from '../../../shared/domain/survey';
import { perCapitaIncome } from '../../../shared/rules/scoring';
import type { FamilySurveyRow, HouseholdMemberRow } from '../db/schema';

type Stored<T> = Omit<T, 'id'> & { id: number };

export function rowToMember(
  m: Pick<HouseholdMemberRow, 'name' | 'age' | 'relation' | 'workplace' | 'occupation' | 'annual_income_fen' | 'health'>,
): HouseholdMember {
  return {
    name: m.name,
    age: m.age,
    relation: m.relation,
    workplace: m.workplace,
    occupation: m.occupation,
    annualIncome: m.annual_income_fen,
    health: m.health as Health | null,
  };
}

export function rowToSurvey(r: Stored<FamilySurveyRow>, members: HouseholdMember[]): FamilySurvey {
  return {
    id: r.id,
    studentId: r.student_id,
    schoolYear: r.school_year as SchoolYear,
    status: r.status,
    householdSize: r.household_size,
    hukou: r.hukou,
    address: r.address,
    guardianPhone: r.guardian_phone,
    members,
    factors: JSON.parse(r.factors) as HardshipFactor[],
    otherHardship: r.other_hardship,
    incomeSource: r.income_source as IncomeSource | null,
    childrenInSchool: r.children_in_school,
    commitmentSigned: r.commitment_signed === 1,
    commitmentDate: r.commitment_date,
    enteredBy: r.entered_by,
    note: r.note,
    perCapitaIncome: r.per_capita_income_fen,
    carriedFrom: r.carried_from as SchoolYear | null,
    version: r.version,
    updatedAt: r.updated_at,
  };
}

/** The year's survey of a student, or null. */
export function loadSurvey(sqlite: SqliteDatabase.Database, studentId: number, schoolYear: string): FamilySurvey | null {
  const row = sqlite.prepare(`SELECT * FROM family_survey WHERE student_id = ? AND school_year = ?`).get(studentId, schoolYear) as
    Stored<FamilySurveyRow> | undefined;
  if (!row) return null;
  const members = sqlite
    .prepare(`SELECT * FROM household_member WHERE survey_id = ? ORDER BY position`)
    .all(row.id) as HouseholdMemberRow[];
  return rowToSurvey(row, members.map(rowToMember));
}

export interface SurveyWrite {
  studentId: number;
  schoolYear: string;
  status: 'draft' | 'complete';
  fields: FamilySurveyFields;
  carriedFrom?: string | null;
  at: string;
}

/**
 * Inserts or replaces the year's survey and its members; the version goes up by one. Call inside a
 * transaction when writing more than one survey.
 */
export function writeSurvey(sqlite: SqliteDatabase.Database, w: SurveyWrite): number {
  const f = w.fields;
  const values = [
    w.status,
    f.householdSize,
    f.hukou,
    f.address,
    f.guardianPhone,
    JSON.stringify(f.factors),
    f.otherHardship,
    f.incomeSource,
    f.childrenInSchool,
    f.commitmentSigned ? 1 : 0,
    f.commitmentDate,
    f.enteredBy,
    f.note,
    perCapitaIncome(f),
  ];
  const existing = sqlite
    .prepare(`SELECT id FROM family_survey WHERE student_id = ? AND school_year = ?`)
    .pluck()
    .get(w.studentId, w.schoolYear) as number | undefined;
  let surveyId: number;
  if (existing !== undefined) {
    sqlite
      .prepare(
        `UPDATE family_survey SET (status, household_size, hukou, address, guardian_phone, factors, other_hardship, income_source,
           children_in_school, commitment_signed, commitment_date, entered_by, note, per_capita_income_fen, version, updated_at)
         = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, version + 1, ?) WHERE id = ?`,
      )
      .run(...values, w.at, existing);
    surveyId = existing;
    sqlite.prepare(`DELETE FROM household_member WHERE survey_id = ?`).run(surveyId);
  } else {
    surveyId = Number(
      sqlite
        .prepare(
          `INSERT INTO family_survey (status, household_size, hukou, address, guardian_phone, factors, other_hardship, income_source,
             children_in_school, commitment_signed, commitment_date, entered_by, note, per_capita_income_fen, student_id, school_year,
             carried_from, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...values, w.studentId, w.schoolYear, w.carriedFrom ?? null, w.at, w.at).lastInsertRowid,
    );
  }
  const insert = sqlite.prepare(
    `INSERT INTO household_member (survey_id, position, name, age, relation, workplace, occupation, annual_income_fen, health) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  f.members.forEach((m, i) => insert.run(surveyId, i + 1, m.name, m.age, m.relation, m.workplace, m.occupation, m.annualIncome, m.health));
  return surveyId;
}

export function surveyFields(s: FamilySurvey): FamilySurveyFields {
  return {
    householdSize: s.householdSize,
    hukou: s.hukou,
    address: s.address,
    guardianPhone: s.guardianPhone,
    members: s.members,
    factors: s.factors,
    otherHardship: s.otherHardship,
    incomeSource: s.incomeSource,
    childrenInSchool: s.childrenInSchool,
    commitmentSigned: s.commitmentSigned,
    commitmentDate: s.commitmentDate,
    enteredBy: s.enteredBy,
    note: s.note,
  };
}
