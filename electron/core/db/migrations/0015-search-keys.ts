// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

/**
 * The roster's search reads the sort keys of every match (a common character finds thousands of students): with
 * this index SQLite reads them from a narrow index instead of each match's whole row (300,000 students: 14 → 9 ms
 * for 7,000 matches warm, and the index stays in the page cache where the rows do not).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX student_search_keys ON student (status, id, school_id, class_id)`.execute(db);
}
