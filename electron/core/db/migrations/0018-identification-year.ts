// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

/**
 * The programmes read every decided identification of a school year (facts.ts: the allocation, the checks, the
 * lists). Each row keeps the survey it was decided on (a kilobyte or more), so reading them meant reading the whole
 * table, every year's. With this index SQLite reads the year's decisions from a narrow index instead (100,000
 * decisions: a few MB against 150 MB of rows).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX identification_decided ON identification (school_year, status, student_id, id, level, score, decided_on)`.execute(db);
}
