// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

/**
 * 资助育人 and complaints outside a publicity period.
 * - education_activity: an activity held (诚信 / 感恩 / 自强 / 政策宣传课 …), its classes (JSON ids; [] the whole school),
 *   attendance and photos (JSON [{sha256, name}] in the attachment store).
 * - complaint: an objection or complaint received by the 监督电话, the 信箱 or in person, tracked to closure with how it
 *   was handled and when the answer was given.
 * Audited like 0007's tables (the triggers written out again: landed migrations are frozen).
 */
interface Audited {
  columns: string[];
  masked?: string[];
  key?: string;
  student?: string;
}

const TABLES: Record<string, Audited> = {
  education_activity: { columns: ['held_on', 'theme', 'title', 'classes', 'attendance', 'note', 'photos'] },
  complaint: {
    columns: ['received_on', 'channel', 'raised_by', 'content', 'student_id', 'status', 'handling', 'answered_on'],
    student: 'R.student_id',
  },
};

function value(table: Audited, column: string, row: 'OLD' | 'NEW'): string {
  const ref = `${row}.${column}`;
  return table.masked?.includes(column) ? `CASE WHEN ${ref} IS NULL OR ${ref} = '' THEN ${ref} ELSE '…' || substr(${ref}, -4) END` : ref;
}

function objectOf(table: Audited, row: 'OLD' | 'NEW', changedOnly: boolean): string {
  const parts = table.columns.map(
    (c) => `SELECT '${c}' AS k, ${value(table, c, row)} AS v, ${changedOnly ? `OLD.${c} IS NOT NEW.${c}` : `${row}.${c} IS NOT NULL`} AS c`,
  );
  return `(SELECT json_group_object(k, v) FROM (${parts.join(' UNION ALL ')}) WHERE c)`;
}

function triggers(name: string, table: Audited): string[] {
  const key = table.key ?? 'id';
  const student = (row: 'OLD' | 'NEW') => (table.student ? table.student.replace(/\bR\./g, `${row}.`) : 'NULL');
  const insert = (action: string, row: 'OLD' | 'NEW', before: string, after: string) =>
    `INSERT INTO audit_entry (at, operator, action, entity, entity_key, student_id, before, after)
     VALUES (aid_now(), aid_operator(), '${action}', '${name}', CAST(${row}.${key} AS TEXT), ${student(row)}, ${before}, ${after});`;
  const changed = table.columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  return [
    `CREATE TRIGGER audit_${name}_insert AFTER INSERT ON ${name} WHEN aid_audit_rows()
     BEGIN ${insert('insert', 'NEW', 'NULL', objectOf(table, 'NEW', false))} END`,
    `CREATE TRIGGER audit_${name}_update AFTER UPDATE ON ${name} WHEN aid_audit_rows() AND (${changed})
     BEGIN ${insert('update', 'NEW', objectOf(table, 'OLD', true), objectOf(table, 'NEW', true))} END`,
    `CREATE TRIGGER audit_${name}_delete AFTER DELETE ON ${name} WHEN aid_audit_rows()
     BEGIN ${insert('delete', 'OLD', objectOf(table, 'OLD', false), 'NULL')} END`,
  ];
}

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
  for (const [name, table] of Object.entries(TABLES)) for (const statement of triggers(name, table)) await sql.raw(statement).execute(db);
}
