// Frozen once landed: never edit, add a new migration instead. Imports no app code (its trigger helper is frozen too).
import { sql, type Kysely } from 'kysely';
import { auditTriggers, type Audited } from './audit-triggers';

/**
 * 资助育人 and complaints outside a publicity period.
 * - education_activity: an activity held (诚信 / 感恩 / 自强 / 政策宣传课 …), its classes (JSON ids; [] the whole school),
 *   attendance and photos (JSON [{sha256, name}] in the attachment store).
 * - complaint: an objection or complaint received by the 监督电话, the 信箱 or in person, tracked to closure with how it
 *   was handled and when the answer was given.
 * Audited like 0007's tables (the triggers written out again: landed migrations are frozen).
 */
const TABLES: Record<string, Audited> = {
  education_activity: { columns: ['held_on', 'theme', 'title', 'classes', 'attendance', 'note', 'photos'] },
  complaint: {
    columns: ['received_on', 'channel', 'raised_by', 'content', 'student_id', 'status', 'handling', 'answered_on'],
    student: 'R.student_id',
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE education_activity (
      id INTEGER PRIMARY KEY,
      held_on TEXT NOT NULL,
      theme TEXT NOT NULL CHECK (theme IN ('policyLesson', 'integrity', 'gratitude', 'selfReliance', 'other')),
      title TEXT NOT NULL CHECK (length(title) > 0),
      classes TEXT NOT NULL DEFAULT '[]',
      attendance INTEGER NOT NULL DEFAULT 0 CHECK (attendance >= 0),
      note TEXT NOT NULL DEFAULT '',
      photos TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX education_activity_held ON education_activity (held_on)`.execute(db);
  await sql`
    CREATE TABLE complaint (
      id INTEGER PRIMARY KEY,
      received_on TEXT NOT NULL,
      channel TEXT NOT NULL CHECK (channel IN ('phone', 'mailbox', 'visit', 'other')),
      raised_by TEXT NOT NULL DEFAULT '',
      content TEXT NOT NULL CHECK (length(content) > 0),
      student_id INTEGER REFERENCES student (id),
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      handling TEXT NOT NULL DEFAULT '',
      answered_on TEXT,
      backdate_reason TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (status = 'open' OR (length(handling) > 0 AND answered_on IS NOT NULL))
    ) STRICT`.execute(db);
  for (const [name, table] of Object.entries(TABLES)) for (const statement of auditTriggers(name, table)) await sql.raw(statement).execute(db);
}
