// Frozen once landed: never edit, add a new migration instead. Imports no app code (its trigger helper is frozen too).
import { sql, type Kysely } from 'kysely';
import { auditTriggers } from './audit-triggers';

/**
 * A central school divides the quota the county gave the desk among its schools (名额分到校): each school's part,
 * with its tier counts when the county fixed them. With parts, each school ranks its own applicants for its own
 * places; without, the desk ranks everybody together as before.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE school_quota (
      id INTEGER PRIMARY KEY,
      programme_id INTEGER NOT NULL REFERENCES programme (id),
      term TEXT NOT NULL,
      school_id INTEGER NOT NULL REFERENCES member_school (id),
      count INTEGER NOT NULL CHECK (count >= 0),
      tier_counts TEXT,
      updated_at TEXT NOT NULL,
      UNIQUE (programme_id, term, school_id)
    ) STRICT`.execute(db);
  for (const statement of auditTriggers('school_quota', { columns: ['programme_id', 'term', 'school_id', 'count', 'tier_counts'] }))
    await sql.raw(statement).execute(db);
}
