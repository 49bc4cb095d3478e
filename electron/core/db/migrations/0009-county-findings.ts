// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

/**
 * 县级核查整改: the county's (or the national system's) findings about students (问题线索: 不在校, 重复资助,
 * 身份证号错误, 疑似双学籍 …), each a correction case the clerk closes with 核查结果, 整改措施, 整改日期 and an
 * attachment. One row per student and problem: importing the same list again opens nothing twice. Audited like
 * 0007's tables (the triggers written out again: landed migrations are frozen).
 */
interface Audited {
  columns: string[];
  masked?: string[];
  key?: string;
  student?: string;
}

const TABLES: Record<string, Audited> = {
  county_finding: {
    columns: ['source', 'received_on', 'student_id', 'category', 'problem', 'status', 'result', 'measure', 'corrected_on', 'attachment_name'],
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
    CREATE TABLE county_finding (
      id INTEGER PRIMARY KEY,
      source TEXT NOT NULL,
      received_on TEXT NOT NULL,
      file_row INTEGER NOT NULL,
      student_id INTEGER NOT NULL REFERENCES student (id),
      category TEXT NOT NULL CHECK (category IN ('notEnrolled', 'duplicateAid', 'idNumber', 'doubleRegistration', 'other')),
      problem TEXT NOT NULL CHECK (length(problem) > 0),
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      result TEXT NOT NULL DEFAULT '',
      measure TEXT NOT NULL DEFAULT '',
      corrected_on TEXT,
      attachment_sha256 TEXT REFERENCES attachment (sha256),
      attachment_name TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (student_id, problem),
      CHECK (status = 'open' OR (length(result) > 0 AND length(measure) > 0 AND corrected_on IS NOT NULL))
    ) STRICT`.execute(db);
  await sql`CREATE INDEX county_finding_status ON county_finding (status, received_on)`.execute(db);
  for (const [name, table] of Object.entries(TABLES)) for (const statement of triggers(name, table)) await sql.raw(statement).execute(db);
}
