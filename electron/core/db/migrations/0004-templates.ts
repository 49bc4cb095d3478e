// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  // The county's file as it was sent, and the clerk's corrections to the proposed column fields.
  await sql`
    CREATE TABLE template (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      file_name TEXT NOT NULL,
      data BLOB NOT NULL,
      mapping TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
}
