/**
 * A roster import writes 300,000 students in one transaction, and each row fired `student`'s triggers: the
 * audit (quiet during an import: the import is one entry), the search index (deferred: indexAfter builds it
 * at the end) and the class-and-school check (0013). Firing them to do nothing cost more than the inserts
 * themselves (16 s against 7 s at 300,000); an allocation's 10,000 updates fired `application`'s audit triggers to
 * the same end. Here they are set aside for the write and put back, word for word, in the same transaction: a
 * failure or a killed process rolls back to the triggers as they were.
 */
import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';

const QUIET = 'audit rows are quiet during a bulk write';

/**
 * The row triggers a bulk writer may set aside, per table, and why each may: a trigger not listed here (a later
 * migration's) keeps the bulk writer from running at all until it is listed, so nothing is skipped unseen.
 */
export const BULK_TRIGGERS = {
  student: {
    audit_student_insert: QUIET,
    audit_student_update: QUIET,
    audit_student_delete: QUIET,
    audit_student_school: QUIET,
    student_search_insert: 'indexAfter indexes the students written',
    student_search_update: 'indexAfter indexes the students written',
    student_search_delete: 'a bulk writer does not delete students',
    student_class_school_insert: 'checked once for the students written (classAndSchoolCheck)',
    student_class_school_update: 'checked once for the students written (classAndSchoolCheck)',
  },
  // An allocation writes 10,000 ranks and tiers with the rows' audit quiet (the allocation is one entry).
  application: {
    audit_application_insert: QUIET,
    audit_application_update: QUIET,
    audit_application_delete: QUIET,
  },
} satisfies Record<string, Record<string, string>>;

/**
 * Runs a bulk write to `table` with its row triggers set aside, then `check`s what the set-aside triggers would
 * have refused, and puts them back word for word, in the caller's transaction (a failure or a killed process rolls
 * back to the triggers as they were). Runs with the triggers when the audit rows are not quiet (a direct call
 * outside the contract: every row is then in the trail).
 */
export function withoutTriggers<T>(
  sqlite: SqliteDatabase.Database,
  table: keyof typeof BULK_TRIGGERS,
  run: () => T,
  check?: () => void,
): T {
  if (!sqlite.inTransaction) throw new Error('withoutTriggers runs inside the bulk write’s transaction');
  if (sqlite.prepare(`SELECT aid_audit_rows()`).pluck().get() !== 0) return run();
  const allowed: Record<string, string> = BULK_TRIGGERS[table];
  const triggers = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY rowid`)
    .all(table) as { name: string; sql: string }[];
  const unknown = triggers.find((t) => !(t.name in allowed));
  if (unknown) throw new Error(`trigger ${unknown.name} on ${table} is not in BULK_TRIGGERS`);
  for (const t of triggers) sqlite.exec(`DROP TRIGGER "${t.name}"`);
  const result = run();
  check?.();
  for (const t of triggers) sqlite.exec(t.sql);
  return result;
}

/** A bulk write to `student` (a roster import): its triggers set aside, 0013's class-and-school rule checked once for the students `touched` returns. */
export function withoutStudentTriggers<T>(sqlite: SqliteDatabase.Database, run: () => T, touched: () => readonly number[]): T {
  return withoutTriggers(sqlite, 'student', run, () => classAndSchoolCheck(sqlite, touched()));
}

/** 0013's student_class_school triggers, for many students in one query. */
function classAndSchoolCheck(sqlite: SqliteDatabase.Database, ids: readonly number[]): void {
  const wrong = sqlite
    .prepare(
      `SELECT s.id FROM student s JOIN school_class c ON c.id = s.class_id
       WHERE s.id IN (SELECT value FROM json_each(?)) AND s.school_id IS NOT c.school_id LIMIT 1`,
    )
    .get(JSON.stringify(ids));
  if (wrong) throw new Error('学生与所在班级不属于同一所学校');
}
