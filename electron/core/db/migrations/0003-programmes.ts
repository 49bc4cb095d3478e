// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE programme (
      id INTEGER PRIMARY KEY,
      school_year TEXT NOT NULL,
      code TEXT NOT NULL,
      name TEXT NOT NULL,
      definition TEXT NOT NULL,
      built_in INTEGER NOT NULL CHECK (built_in IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (school_year, code)
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE quota (
      id INTEGER PRIMARY KEY,
      programme_id INTEGER NOT NULL REFERENCES programme (id),
      term TEXT NOT NULL,
      count INTEGER NOT NULL CHECK (count >= 0),
      tier_counts TEXT,
      budget_fen INTEGER CHECK (budget_fen IS NULL OR budget_fen >= 0),
      distribution TEXT NOT NULL DEFAULT 'none' CHECK (distribution IN ('none', 'grade', 'class')),
      basis TEXT NOT NULL DEFAULT 'enrolment' CHECK (basis IN ('enrolment', 'applicants')),
      updated_at TEXT NOT NULL,
      UNIQUE (programme_id, term)
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE application (
      id INTEGER PRIMARY KEY,
      student_id INTEGER NOT NULL REFERENCES student (id),
      programme_id INTEGER NOT NULL REFERENCES programme (id),
      term TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('draft', 'applied', 'classReview', 'schoolReview', 'publicity', 'approved', 'rejected',
        'submitted', 'paid', 'archived', 'returned', 'withdrawn')),
      applicant_name TEXT NOT NULL,
      applicant_id_number TEXT,
      rank INTEGER,
      rank_reason TEXT NOT NULL DEFAULT '',
      funded INTEGER CHECK (funded IN (0, 1)),
      tier INTEGER CHECK (tier IN (1, 2, 3)),
      amount_fen INTEGER CHECK (amount_fen IS NULL OR amount_fen >= 0),
      tier_reason TEXT NOT NULL DEFAULT '',
      snapshot TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (student_id, programme_id, term)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX application_programme_term ON application (programme_id, term, status)`.execute(db);
  await sql`CREATE INDEX application_term ON application (term, student_id)`.execute(db);

  await sql`
    CREATE TABLE application_event (
      id INTEGER PRIMARY KEY,
      application_id INTEGER NOT NULL REFERENCES application (id),
      at TEXT NOT NULL,
      from_status TEXT,
      to_status TEXT NOT NULL,
      actor TEXT NOT NULL DEFAULT '',
      note TEXT NOT NULL DEFAULT '',
      undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
    ) STRICT`.execute(db);
  await sql`CREATE INDEX application_event_application ON application_event (application_id, id)`.execute(db);
}
