// Frozen once landed: never edit, add a new migration instead. Imports no app code (its trigger helper is frozen too).
import { sql, type Kysely } from 'kysely';
import { auditTriggers, type Audited } from './audit-triggers';

/**
 * Several schools in one desk: a central school (中心校, always row 1, the desk's own school) and its member
 * schools (校点, 教学点). Every class and every student belongs to one of them; applications, payments and
 * publicity entries belong to the student's school. A class name is unique within its school only, so
 * `school_class` is rebuilt (SQLite cannot drop a UNIQUE constraint) with foreign keys off, in one transaction,
 * checked before commit. A trigger keeps a student in the school of their class. Term and programme archive items
 * are kept per school (`archive_item.school_id`, in its unique key: rebuilt the same way, with 0007's audit triggers
 * put back with the new column; a student's items stay under school 1, the student says the school). `dual_enrolment` holds the
 * students a member school's roster also lists while another school has them (疑似双学籍), until the clerk
 * decides.
 */
const TABLES: Record<string, Audited> = {
  archive_item: {
    columns: ['definition_id', 'period', 'programme_id', 'student_id', 'school_id', 'status', 'note'],
    student: 'R.student_id',
  },
  member_school: { columns: ['name', 'kind', 'position'] },
  dual_enrolment: { columns: ['student_id', 'school_id', 'class_name', 'resolution', 'note'], student: 'R.student_id' },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  const before = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db);
  const keysWereOn = before.rows[0]?.foreign_keys === 1;
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN IMMEDIATE`.execute(db);
    try {
      await steps(db);
      const broken = await sql`PRAGMA foreign_key_check`.execute(db);
      if (broken.rows.length) throw new Error(`外键检查未通过（${broken.rows.length} 处）`);
      await sql`COMMIT`.execute(db);
    } catch (e) {
      await sql`ROLLBACK`.execute(db);
      throw e;
    }
  } finally {
    if (keysWereOn) await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
async function steps(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE member_school (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE CHECK (name <> ''),
      kind TEXT NOT NULL CHECK (kind IN ('central', 'member', 'teachingPoint')),
      position INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      CHECK ((id = 1) = (kind = 'central'))
    ) STRICT`.execute(db);
  // Row 1 exists from the start (named when the school is set up), so every student and class has a school.
  await sql`
    INSERT INTO member_school (id, name, kind, position, created_at)
    VALUES (1, coalesce((SELECT name FROM school WHERE id = 1), '本校'), 'central', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`.execute(db);

  await sql`
    CREATE TABLE school_class_new (
      id INTEGER PRIMARY KEY,
      school_id INTEGER NOT NULL DEFAULT 1 REFERENCES member_school (id),
      stage TEXT NOT NULL CHECK (stage IN ('preschool', 'primary', 'junior', 'senior', 'vocational')),
      grade TEXT NOT NULL,
      grade_order INTEGER NOT NULL,
      number INTEGER,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (school_id, name)
    ) STRICT`.execute(db);
  await sql`
    INSERT INTO school_class_new (id, school_id, stage, grade, grade_order, number, name, created_at)
    SELECT id, 1, stage, grade, grade_order, number, name, created_at FROM school_class`.execute(db);
  await sql`DROP TABLE school_class`.execute(db);
  await sql`ALTER TABLE school_class_new RENAME TO school_class`.execute(db);

  await sql`ALTER TABLE student ADD COLUMN school_id INTEGER NOT NULL DEFAULT 1 REFERENCES member_school (id)`.execute(db);
  await sql`CREATE INDEX student_school ON student (school_id, status)`.execute(db);
  for (const event of ['INSERT', 'UPDATE OF class_id, school_id']) {
    const name = event === 'INSERT' ? 'insert' : 'update';
    await sql
      .raw(
        `CREATE TRIGGER student_class_school_${name} BEFORE ${event} ON student
         WHEN NEW.class_id IS NOT NULL AND NEW.school_id IS NOT (SELECT school_id FROM school_class WHERE id = NEW.class_id)
         BEGIN SELECT RAISE(ABORT, '学生与所在班级不属于同一所学校'); END`,
      )
      .execute(db);
  }
  // A move between schools is in the trail like any change of the roster (0007's student triggers predate the column).
  await sql`
    CREATE TRIGGER audit_student_school AFTER UPDATE OF school_id ON student WHEN aid_audit_rows() AND OLD.school_id IS NOT NEW.school_id
    BEGIN
      INSERT INTO audit_entry (at, operator, action, entity, entity_key, student_id, before, after)
      VALUES (aid_now(), aid_operator(), 'update', 'student', CAST(NEW.id AS TEXT), NEW.id,
              json_object('school_id', OLD.school_id), json_object('school_id', NEW.school_id));
    END`.execute(db);

  await sql`
    CREATE TABLE archive_item_new (
      id INTEGER PRIMARY KEY,
      definition_id INTEGER NOT NULL REFERENCES archive_definition (id),
      period TEXT NOT NULL,
      programme_id INTEGER NOT NULL DEFAULT 0,
      student_id INTEGER NOT NULL DEFAULT 0,
      school_id INTEGER NOT NULL DEFAULT 1 REFERENCES member_school (id),
      status TEXT NOT NULL CHECK (status IN ('missing', 'partial', 'complete')),
      note TEXT NOT NULL DEFAULT '',
      updated_at TEXT NOT NULL,
      UNIQUE (definition_id, period, programme_id, student_id, school_id)
    ) STRICT`.execute(db);
  await sql`
    INSERT INTO archive_item_new (id, definition_id, period, programme_id, student_id, school_id, status, note, updated_at)
    SELECT id, definition_id, period, programme_id, student_id, 1, status, note, updated_at FROM archive_item`.execute(db);
  await sql`DROP TABLE archive_item`.execute(db);
  await sql`ALTER TABLE archive_item_new RENAME TO archive_item`.execute(db);
  await sql`CREATE INDEX archive_item_period ON archive_item (period, definition_id)`.execute(db);

  await sql`
    CREATE TABLE dual_enrolment (
      id INTEGER PRIMARY KEY,
      student_id INTEGER NOT NULL REFERENCES student (id),
      school_id INTEGER NOT NULL REFERENCES member_school (id),
      class_name TEXT NOT NULL DEFAULT '',
      batch_id INTEGER REFERENCES import_batch (id),
      sheet_row INTEGER,
      found_on TEXT NOT NULL,
      resolved_on TEXT,
      resolution TEXT CHECK (resolution IN ('moved', 'kept')),
      note TEXT NOT NULL DEFAULT '',
      CHECK ((resolved_on IS NULL) = (resolution IS NULL))
    ) STRICT`.execute(db);
  await sql`CREATE UNIQUE INDEX dual_enrolment_open ON dual_enrolment (student_id, school_id) WHERE resolved_on IS NULL`.execute(db);
  for (const [name, table] of Object.entries(TABLES)) for (const statement of auditTriggers(name, table)) await sql.raw(statement).execute(db);
}
