// Frozen once landed (as the migrations that import it): never edit. Imports no app code.
/**
 * The audit triggers of 0007-audit, for the tables later migrations add (0010 on; 0008 and 0009 landed with their own copies): the same entries, written by
 * the same SQL. 0007 keeps its own copy (landed before this file existed).
 */
export interface Audited {
  columns: string[];
  masked?: string[];
  key?: string;
  student?: string;
}

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

export function auditTriggers(name: string, table: Audited): string[] {
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
