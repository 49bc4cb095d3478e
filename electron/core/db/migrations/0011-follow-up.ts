// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

/**
 * Following aided students (资助育人): return visits (回访), questionnaires, a teacher paired with the student (结对帮扶),
 * model students (资助之星, with what they did),
 * notes of grades or wellbeing, and for graduating 高三 students from 脱贫/低保 families the 生源地信用助学贷款
 * pre-application (预申请). One table of dated entries per student; audited like 0007's tables.
 */
interface Audited {
  columns: string[];
  masked?: string[];
  key?: string;
  student?: string;
}

const TABLES: Record<string, Audited> = {
  follow_up: { columns: ['student_id', 'kind', 'on_date', 'by_whom', 'content'], student: 'R.student_id' },
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
  for (const [name, table] of Object.entries(TABLES)) for (const statement of triggers(name, table)) await sql.raw(statement).execute(db);
}
