// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE school (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      name TEXT NOT NULL,
      county TEXT NOT NULL DEFAULT '',
      township TEXT NOT NULL DEFAULT '',
      stages TEXT NOT NULL DEFAULT '[]',
      school_year TEXT NOT NULL,
      term TEXT NOT NULL,
      is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE school_class (
      id INTEGER PRIMARY KEY,
      stage TEXT NOT NULL CHECK (stage IN ('preschool', 'primary', 'junior', 'senior', 'vocational')),
      grade TEXT NOT NULL,
      grade_order INTEGER NOT NULL,
      number INTEGER,
      name TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE student (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL CHECK (name <> ''),
      id_number TEXT UNIQUE,
      student_number TEXT UNIQUE,
      sex TEXT CHECK (sex IN ('male', 'female')),
      birth_date TEXT,
      ethnicity TEXT NOT NULL DEFAULT '',
      hukou TEXT CHECK (hukou IN ('rural', 'urban')),
      address TEXT NOT NULL DEFAULT '',
      guardian_name TEXT NOT NULL DEFAULT '',
      guardian_phone TEXT NOT NULL DEFAULT '',
      boarding INTEGER CHECK (boarding IN (0, 1)),
      bank_card TEXT,
      class_id INTEGER REFERENCES school_class (id),
      status TEXT NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'left')),
      left_reason TEXT CHECK (left_reason IN ('transferred', 'graduated', 'dropped')),
      left_on TEXT,
      search_text TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK ((status = 'left') = (left_reason IS NOT NULL))
    ) STRICT`.execute(db);
  await sql`CREATE INDEX student_class ON student (class_id, status)`.execute(db);
  await sql`CREATE INDEX student_name_birth ON student (name, birth_date)`.execute(db);

  await sql`
    CREATE TABLE priority_flag (
      id INTEGER PRIMARY KEY,
      student_id INTEGER NOT NULL REFERENCES student (id),
      grp TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('roster', 'selfDeclared', 'countyList', 'certificate')),
      source_date TEXT,
      note TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      UNIQUE (student_id, grp, source)
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE import_batch (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      file_name TEXT NOT NULL,
      file_sha256 TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      added INTEGER NOT NULL,
      updated INTEGER NOT NULL,
      unchanged INTEGER NOT NULL,
      rejected INTEGER NOT NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE student_change (
      id INTEGER PRIMARY KEY,
      student_id INTEGER NOT NULL REFERENCES student (id),
      changed_at TEXT NOT NULL,
      field TEXT NOT NULL,
      old_value TEXT,
      new_value TEXT,
      source TEXT NOT NULL CHECK (source IN ('import', 'edit', 'status')),
      batch_id INTEGER REFERENCES import_batch (id)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX student_change_student ON student_change (student_id, id)`.execute(db);
}
