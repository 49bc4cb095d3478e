// Frozen once landed: never edit, add a new migration instead. Imports no app code (its trigger helper is frozen too).
import { sql, type Kysely } from 'kysely';
import { auditTriggers } from './audit-triggers';

/**
 * Meals are served school by school: a teaching point closes for a day the central school serves, and each school
 * counts its own pupils and teachers (陪餐). `meal_day` (the clerk's corrections of a serving day, one per date) is
 * rebuilt with the school in its key; the corrections kept so far are the central school's. 0008's audit triggers
 * go with the old table and are put back with the new column (still keyed by the date; the school is in the entry).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`BEGIN IMMEDIATE`.execute(db);
  try {
    await sql`
      CREATE TABLE meal_day_new (
        school_id INTEGER NOT NULL DEFAULT 1 REFERENCES member_school (id),
        date TEXT NOT NULL,
        closed INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
        extra INTEGER NOT NULL DEFAULT 0 CHECK (extra IN (0, 1)),
        served INTEGER CHECK (served >= 0),
        teachers INTEGER NOT NULL DEFAULT 0 CHECK (teachers >= 0),
        teacher_names TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        CHECK (NOT (closed AND extra)),
        PRIMARY KEY (school_id, date)
      ) STRICT`.execute(db);
    await sql`
      INSERT INTO meal_day_new (school_id, date, closed, extra, served, teachers, teacher_names, note, updated_at)
      SELECT 1, date, closed, extra, served, teachers, teacher_names, note, updated_at FROM meal_day`.execute(db);
    await sql`DROP TABLE meal_day`.execute(db);
    await sql`ALTER TABLE meal_day_new RENAME TO meal_day`.execute(db);
    await sql`CREATE INDEX meal_day_date ON meal_day (date)`.execute(db);
    const columns = ['school_id', 'date', 'closed', 'extra', 'served', 'teachers', 'teacher_names', 'note'];
    for (const statement of auditTriggers('meal_day', { columns, key: 'date' })) await sql.raw(statement).execute(db);
    await sql`COMMIT`.execute(db);
  } catch (e) {
    await sql`ROLLBACK`.execute(db);
    throw e;
  }
}
