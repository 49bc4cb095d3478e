// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE setting (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE family_survey (
      id INTEGER PRIMARY KEY,
      student_id INTEGER NOT NULL REFERENCES student (id),
      school_year TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('draft', 'complete')),
      household_size INTEGER,
      hukou TEXT CHECK (hukou IN ('rural', 'urban')),
      address TEXT NOT NULL DEFAULT '',
      guardian_phone TEXT NOT NULL DEFAULT '',
      factors TEXT NOT NULL DEFAULT '[]',
      other_hardship TEXT NOT NULL DEFAULT '',
      income_source TEXT,
      children_in_school INTEGER,
      commitment_signed INTEGER NOT NULL DEFAULT 0 CHECK (commitment_signed IN (0, 1)),
      commitment_date TEXT,
      entered_by TEXT NOT NULL DEFAULT '',
      note TEXT NOT NULL DEFAULT '',
      per_capita_income_fen INTEGER,
      carried_from TEXT,
      version INTEGER NOT NULL DEFAULT 1,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (student_id, school_year)
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE household_member (
      id INTEGER PRIMARY KEY,
      survey_id INTEGER NOT NULL REFERENCES family_survey (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      name TEXT NOT NULL,
      age INTEGER,
      relation TEXT NOT NULL DEFAULT '',
      workplace TEXT NOT NULL DEFAULT '',
      occupation TEXT NOT NULL DEFAULT '',
      annual_income_fen INTEGER,
      health TEXT
    ) STRICT`.execute(db);
  await sql`CREATE INDEX household_member_survey ON household_member (survey_id, position)`.execute(db);

  await sql`
    CREATE TABLE visit_sample (
      id INTEGER PRIMARY KEY,
      school_year TEXT NOT NULL,
      percent INTEGER NOT NULL CHECK (percent BETWEEN 1 AND 100),
      seed TEXT NOT NULL,
      population INTEGER NOT NULL,
      student_ids TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE home_visit (
      id INTEGER PRIMARY KEY,
      student_id INTEGER NOT NULL REFERENCES student (id),
      school_year TEXT NOT NULL,
      visited_on TEXT NOT NULL,
      visitors TEXT NOT NULL,
      way TEXT NOT NULL CHECK (way IN ('field', 'phone', 'video')),
      findings TEXT NOT NULL DEFAULT '',
      follow_up TEXT NOT NULL DEFAULT '',
      sample_id INTEGER REFERENCES visit_sample (id),
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX home_visit_student ON home_visit (student_id, visited_on)`.execute(db);

  await sql`
    CREATE TABLE panel_review (
      id INTEGER PRIMARY KEY,
      school_year TEXT NOT NULL,
      class_id INTEGER NOT NULL REFERENCES school_class (id),
      held_on TEXT NOT NULL,
      members TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE identification (
      id INTEGER PRIMARY KEY,
      student_id INTEGER NOT NULL REFERENCES student (id),
      school_year TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'decided', 'superseded')),
      score INTEGER,
      suggested_level TEXT CHECK (suggested_level IN ('especially', 'difficult', 'general', 'none')),
      score_lines TEXT NOT NULL DEFAULT '[]',
      direct INTEGER NOT NULL DEFAULT 0 CHECK (direct IN (0, 1)),
      direct_groups TEXT NOT NULL DEFAULT '[]',
      panel_review_id INTEGER REFERENCES panel_review (id),
      votes_agree INTEGER,
      votes_disagree INTEGER,
      votes_abstain INTEGER,
      panel_level TEXT CHECK (panel_level IN ('especially', 'difficult', 'general', 'none')),
      level TEXT CHECK (level IN ('especially', 'difficult', 'general', 'none')),
      reason TEXT NOT NULL DEFAULT '',
      decided_on TEXT,
      decided_by TEXT NOT NULL DEFAULT '',
      snapshot TEXT,
      reopen_reason TEXT NOT NULL DEFAULT '',
      previous_id INTEGER REFERENCES identification (id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK ((status = 'open') OR (level IS NOT NULL AND snapshot IS NOT NULL))
    ) STRICT`.execute(db);
  await sql`CREATE UNIQUE INDEX identification_current ON identification (student_id, school_year) WHERE status <> 'superseded'`.execute(db);

  await sql`
    CREATE TABLE publicity (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('identification', 'programme')),
      subject TEXT NOT NULL,
      title TEXT NOT NULL,
      starts_on TEXT NOT NULL,
      working_days INTEGER NOT NULL CHECK (working_days BETWEEN 1 AND 30),
      ends_on TEXT NOT NULL,
      complaint_phone TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
      closed_on TEXT,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);

  // Only what may be posted is copied here: the notice can never show more than these columns.
  await sql`
    CREATE TABLE publicity_entry (
      id INTEGER PRIMARY KEY,
      publicity_id INTEGER NOT NULL REFERENCES publicity (id),
      position INTEGER NOT NULL,
      student_id INTEGER NOT NULL REFERENCES student (id),
      name TEXT NOT NULL,
      grade TEXT NOT NULL,
      class_name TEXT NOT NULL,
      value TEXT NOT NULL,
      ref_id INTEGER,
      UNIQUE (publicity_id, student_id)
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE objection (
      id INTEGER PRIMARY KEY,
      publicity_id INTEGER NOT NULL REFERENCES publicity (id),
      student_id INTEGER REFERENCES student (id),
      received_on TEXT NOT NULL,
      raised_by TEXT NOT NULL,
      content TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
      outcome TEXT CHECK (outcome IN ('kept', 'changed')),
      review_note TEXT NOT NULL DEFAULT '',
      answer TEXT NOT NULL DEFAULT '',
      resolved_on TEXT,
      created_at TEXT NOT NULL,
      CHECK ((status = 'open') = (outcome IS NULL))
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE official_list (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      file_name TEXT NOT NULL,
      file_sha256 TEXT NOT NULL,
      list_date TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      row_count INTEGER NOT NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE official_list_entry (
      id INTEGER PRIMARY KEY,
      list_id INTEGER NOT NULL REFERENCES official_list (id) ON DELETE CASCADE,
      row INTEGER NOT NULL,
      id_number TEXT NOT NULL,
      name TEXT NOT NULL DEFAULT '',
      grp TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX official_list_entry_id_number ON official_list_entry (id_number)`.execute(db);

  // The values a class workbook went out with, so an import can tell the teacher's edits from the clerk's.
  await sql`
    CREATE TABLE survey_export (
      id TEXT PRIMARY KEY,
      class_id INTEGER NOT NULL REFERENCES school_class (id),
      school_year TEXT NOT NULL,
      exported_at TEXT NOT NULL,
      base TEXT NOT NULL
    ) STRICT`.execute(db);
}
