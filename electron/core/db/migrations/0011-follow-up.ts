// Frozen once landed: never edit, add a new migration instead. Imports no app code (its trigger helper is frozen too).
import { sql, type Kysely } from 'kysely';
import { auditTriggers, type Audited } from './audit-triggers';

/**
 * Following aided students (资助育人): return visits (回访), questionnaires, a teacher paired with the student (结对帮扶),
 * model students (资助之星, with what they did),
 * notes of grades or wellbeing, and for graduating 高三 students from 脱贫/低保 families the 生源地信用助学贷款
 * pre-application (预申请). One table of dated entries per student; audited like 0007's tables.
 */
const TABLES: Record<string, Audited> = {
  follow_up: { columns: ['student_id', 'kind', 'on_date', 'by_whom', 'content'], student: 'R.student_id' },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE follow_up (
      id INTEGER PRIMARY KEY,
      student_id INTEGER NOT NULL REFERENCES student (id),
      kind TEXT NOT NULL CHECK (kind IN ('visit', 'questionnaire', 'pairing', 'note', 'preApplication', 'star')),
      on_date TEXT NOT NULL,
      by_whom TEXT NOT NULL DEFAULT '',
      content TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX follow_up_student ON follow_up (student_id, kind, on_date)`.execute(db);
  for (const [name, table] of Object.entries(TABLES)) for (const statement of auditTriggers(name, table)) await sql.raw(statement).execute(db);
}
