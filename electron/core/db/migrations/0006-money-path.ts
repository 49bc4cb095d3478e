// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  // Two changes were once made inside landed migrations (0003, 0004); desks made either way end up the same here.
  await sql`CREATE INDEX IF NOT EXISTS identification_student_year ON identification (student_id, school_year, status)`.execute(db);
  const templateColumns = await sql<{ name: string }>`SELECT name FROM pragma_table_info('template')`.execute(db);
  if (!templateColumns.rows.some((c) => c.name === 'value_mapping')) {
    await sql`ALTER TABLE template ADD COLUMN value_mapping TEXT NOT NULL DEFAULT '{}'`.execute(db);
  }

  // What kind of step an event is: an objection's outcome or a payment is not undone like a review step.
  await sql`ALTER TABLE application_event ADD COLUMN kind TEXT NOT NULL DEFAULT 'step'
    CHECK (kind IN ('step', 'publicity', 'objection', 'payment', 'reopen', 'undo'))`.execute(db);
  await sql`UPDATE application_event SET kind = 'objection' WHERE from_status = 'publicity' AND to_status = 'rejected' AND note LIKE '%公示异议复核后取消%'`
    .execute(db);
  await sql`UPDATE application_event SET kind = 'publicity' WHERE to_status = 'publicity'`.execute(db);
  await sql`UPDATE application_event SET kind = 'payment' WHERE from_status = 'submitted' AND to_status = 'paid'`.execute(db);
  // When the tier was decided: a recipient publicity may not start before it.
  await sql`ALTER TABLE application ADD COLUMN allocated_at TEXT`.execute(db);

  // Publicity at class or school level (两级公示), and why a start date lies in the past.
  await sql`ALTER TABLE publicity ADD COLUMN level TEXT NOT NULL DEFAULT 'school' CHECK (level IN ('school', 'class'))`.execute(db);
  await sql`ALTER TABLE publicity ADD COLUMN class_id INTEGER REFERENCES school_class (id)`.execute(db);
  await sql`ALTER TABLE publicity ADD COLUMN backdate_reason TEXT NOT NULL DEFAULT ''`.execute(db);

  // The clerk's corrections to the holiday calendar (the State Council's dates ship with the app).
  await sql`
    CREATE TABLE calendar_day (
      date TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday', 'normal')),
      name TEXT NOT NULL DEFAULT '',
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);

  // 城市 or 农村 for 低保 and 特困: only the rural ones are among the 四类.
  await sql`ALTER TABLE priority_flag ADD COLUMN area TEXT CHECK (area IN ('rural', 'urban'))`.execute(db);
  await sql`ALTER TABLE official_list_entry ADD COLUMN area TEXT CHECK (area IN ('rural', 'urban'))`.execute(db);

  // Whose account the money goes to: the student's own, or a guardian's with a proxy letter (委托书).
  await sql`ALTER TABLE student ADD COLUMN account_holder TEXT NOT NULL DEFAULT 'student' CHECK (account_holder IN ('student', 'guardian'))`
    .execute(db);
  await sql`ALTER TABLE student ADD COLUMN account_holder_name TEXT NOT NULL DEFAULT ''`.execute(db);
  await sql`ALTER TABLE student ADD COLUMN proxy_letter INTEGER NOT NULL DEFAULT 0 CHECK (proxy_letter IN (0, 1))`.execute(db);
  await sql`ALTER TABLE student ADD COLUMN bank_name TEXT NOT NULL DEFAULT ''`.execute(db);

  // A bank file is recorded row by row: rows left unmatched can be recorded from the same file later.
  // NULL (files imported before this) means every row of the file was taken.
  await sql`ALTER TABLE bank_batch ADD COLUMN recorded_rows TEXT`.execute(db);
  await sql`ALTER TABLE payment ADD COLUMN bank_row INTEGER`.execute(db);

  // A finding the clerk has seen and explained (e.g. an eligible student who is not applying).
  await sql`
    CREATE TABLE finding_ack (
      id INTEGER PRIMARY KEY,
      term TEXT NOT NULL,
      programme_id INTEGER NOT NULL REFERENCES programme (id),
      student_id INTEGER NOT NULL REFERENCES student (id),
      code TEXT NOT NULL,
      reason TEXT NOT NULL CHECK (length(reason) >= 2),
      actor TEXT NOT NULL DEFAULT '',
      at TEXT NOT NULL,
      UNIQUE (term, programme_id, student_id, code)
    ) STRICT`.execute(db);

  // The 四类 is a rule of its own (rural 低保/特困, disabled students in hardship, 监测 counted with 脱贫), not four
  // groups that each qualify: programmes that listed exactly those four groups now name the rule.
  await sql`
    UPDATE programme SET definition = json_set(definition,
      '$.eligibility.fourCategories', json('true'),
      '$.eligibility.groups', json((SELECT json_group_array(value) FROM json_each(definition, '$.eligibility.groups')
        WHERE value NOT IN ('povertyAlleviated', 'disabledStudent', 'dibao', 'extremePoverty'))))
    WHERE (SELECT count(*) FROM json_each(definition, '$.eligibility.groups')
      WHERE value IN ('povertyAlleviated', 'disabledStudent', 'dibao', 'extremePoverty')) = 4`.execute(db);
  // 免保育教育费 is for the final kindergarten year (大班) by default.
  await sql`
    UPDATE programme SET definition = json_set(definition, '$.eligibility.grades', json('["大班"]'))
    WHERE code = 'preschool-fee-waiver' AND json_extract(definition, '$.eligibility.grades') IS NULL`.execute(db);
}
