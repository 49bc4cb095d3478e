// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

/**
 * The audit trail (操作记录): every change to the tables below, written by triggers so no writer can forget
 * it. Who and when come from functions each connection registers (db/open.ts: aid_operator, aid_now — the
 * core's clock), and aid_audit_rows() is 0 while an import writes its rows (the import is one entry with its
 * counts). Updates record only the columns that changed. ID numbers, 学籍号, phones and bank cards keep
 * their last four characters, addresses none: the trail is a log, and logs hold no full numbers.
 * Entries cannot be changed or deleted.
 */
type Mask = 'last4' | 'hidden';
interface Audited {
  columns: string[];
  masked?: Record<string, Mask>;
  /** The row's key (default id). */
  key?: string;
  /** SQL giving the student the row belongs to, with R standing for OLD or NEW. */
  student?: string;
  /** Rows not audited (SQL on R). */
  skip?: string;
}

const TABLES: Record<string, Audited> = {
  school: { columns: ['name', 'county', 'township', 'stages', 'school_year', 'term'] },
  student: {
    columns: [
      'name',
      'id_number',
      'student_number',
      'sex',
      'birth_date',
      'ethnicity',
      'hukou',
      'address',
      'guardian_name',
      'guardian_phone',
      'boarding',
      'bank_card',
      'bank_name',
      'account_holder',
      'account_holder_name',
      'proxy_letter',
      'class_id',
      'status',
      'left_reason',
      'left_on',
    ],
    masked: { id_number: 'last4', student_number: 'last4', address: 'hidden', guardian_phone: 'last4', bank_card: 'last4' },
    student: 'R.id',
  },
  priority_flag: { columns: ['student_id', 'grp', 'area', 'source', 'source_date', 'note'], student: 'R.student_id' },
  family_survey: {
    columns: [
      'student_id',
      'school_year',
      'status',
      'household_size',
      'hukou',
      'address',
      'guardian_phone',
      'factors',
      'other_hardship',
      'income_source',
      'children_in_school',
      'commitment_signed',
      'commitment_date',
      'entered_by',
      'note',
      'per_capita_income_fen',
    ],
    masked: { address: 'hidden', guardian_phone: 'last4' },
    student: 'R.student_id',
  },
  household_member: {
    columns: ['survey_id', 'position', 'name', 'age', 'relation', 'workplace', 'occupation', 'annual_income_fen', 'health'],
    student: '(SELECT student_id FROM family_survey WHERE id = R.survey_id)',
  },
  identification: {
    columns: [
      'student_id',
      'school_year',
      'status',
      'score',
      'suggested_level',
      'direct',
      'direct_groups',
      'votes_agree',
      'votes_disagree',
      'votes_abstain',
      'panel_level',
      'level',
      'reason',
      'decided_on',
      'decided_by',
      'reopen_reason',
    ],
    student: 'R.student_id',
  },
  home_visit: {
    columns: ['student_id', 'school_year', 'visited_on', 'visitors', 'way', 'findings', 'follow_up'],
    student: 'R.student_id',
  },
  publicity: {
    columns: ['kind', 'subject', 'title', 'level', 'class_id', 'starts_on', 'working_days', 'ends_on', 'complaint_phone', 'status', 'closed_on', 'backdate_reason'],
  },
  objection: {
    columns: ['publicity_id', 'student_id', 'received_on', 'raised_by', 'content', 'status', 'outcome', 'review_note', 'answer', 'resolved_on'],
    student: 'R.student_id',
  },
  programme: { columns: ['school_year', 'code', 'name', 'definition', 'built_in'] },
  quota: { columns: ['programme_id', 'term', 'count', 'tier_counts', 'budget_fen', 'distribution', 'basis'] },
  application: {
    columns: [
      'student_id',
      'programme_id',
      'term',
      'status',
      'applicant_name',
      'applicant_id_number',
      'rank',
      'rank_reason',
      'funded',
      'tier',
      'amount_fen',
      'tier_reason',
    ],
    masked: { applicant_id_number: 'last4' },
    student: 'R.student_id',
  },
  payment: {
    columns: [
      'application_id',
      'outcome',
      'amount_fen',
      'paid_on',
      'channel',
      'account',
      'holder',
      'holder_name',
      'proxy_letter',
      'reference',
      'failure_reason',
      'bank_batch_id',
      'actor',
    ],
    masked: { account: 'last4' },
    student: '(SELECT student_id FROM application WHERE id = R.application_id)',
  },
  archive_item: { columns: ['definition_id', 'period', 'programme_id', 'student_id', 'status', 'note'], student: 'R.student_id' },
  archive_attachment: { columns: ['item_id', 'sha256', 'name', 'source'] },
  finding_ack: { columns: ['term', 'programme_id', 'student_id', 'code', 'reason', 'actor'], student: 'R.student_id' },
  calendar_day: { columns: ['date', 'kind', 'name'], key: 'date' },
  // Screen preferences and surveys held while typing are not changes to the desk's data.
  setting: { columns: ['key', 'value'], key: 'key', skip: `R.key LIKE 'ui.%' OR R.key LIKE 'held.%'` },
};

function value(table: Audited, column: string, row: 'OLD' | 'NEW'): string {
  const ref = `${row}.${column}`;
  const mask = table.masked?.[column];
  if (mask === 'last4') return `CASE WHEN ${ref} IS NULL OR ${ref} = '' THEN ${ref} ELSE '…' || substr(${ref}, -4) END`;
  if (mask === 'hidden') return `CASE WHEN ${ref} IS NULL OR ${ref} = '' THEN ${ref} ELSE '（已隐去）' END`;
  return ref;
}

/** A JSON object of the columns (all, or only those that changed) of one side of the row. */
function objectOf(table: Audited, row: 'OLD' | 'NEW', changedOnly: boolean): string {
  const parts = table.columns.map(
    (c) => `SELECT '${c}' AS k, ${value(table, c, row)} AS v, ${changedOnly ? `OLD.${c} IS NOT NEW.${c}` : `${row}.${c} IS NOT NULL`} AS c`,
  );
  return `(SELECT json_group_object(k, v) FROM (${parts.join(' UNION ALL ')}) WHERE c)`;
}

function triggers(name: string, table: Audited): string[] {
  const key = table.key ?? 'id';
  const student = (row: 'OLD' | 'NEW') => (table.student ? table.student.replace(/\bR\./g, `${row}.`) : 'NULL');
  const skip = (row: 'OLD' | 'NEW') => (table.skip ? ` AND NOT (${table.skip.replace(/\bR\./g, `${row}.`)})` : '');
  const insert = (action: string, row: 'OLD' | 'NEW', before: string, after: string) =>
    `INSERT INTO audit_entry (at, operator, action, entity, entity_key, student_id, before, after)
     VALUES (aid_now(), aid_operator(), '${action}', '${name}', CAST(${row}.${key} AS TEXT), ${student(row)}, ${before}, ${after});`;
  const changed = table.columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  return [
    `CREATE TRIGGER audit_${name}_insert AFTER INSERT ON ${name} WHEN aid_audit_rows()${skip('NEW')}
     BEGIN ${insert('insert', 'NEW', 'NULL', objectOf(table, 'NEW', false))} END`,
    `CREATE TRIGGER audit_${name}_update AFTER UPDATE ON ${name} WHEN aid_audit_rows()${skip('NEW')} AND (${changed})
     BEGIN ${insert('update', 'NEW', objectOf(table, 'OLD', true), objectOf(table, 'NEW', true))} END`,
    `CREATE TRIGGER audit_${name}_delete AFTER DELETE ON ${name} WHEN aid_audit_rows()${skip('OLD')}
     BEGIN ${insert('delete', 'OLD', objectOf(table, 'OLD', false), 'NULL')} END`,
  ];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_entry (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      operator TEXT NOT NULL,
      action TEXT NOT NULL,
      entity TEXT NOT NULL,
      entity_key TEXT,
      student_id INTEGER,
      summary TEXT,
      before TEXT,
      after TEXT
    ) STRICT`.execute(db);
  await sql`CREATE INDEX audit_entry_at ON audit_entry (at)`.execute(db);
  await sql`CREATE INDEX audit_entry_student ON audit_entry (student_id, at) WHERE student_id IS NOT NULL`.execute(db);
  await sql`CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN SELECT RAISE(ABORT, '操作记录不能修改'); END`.execute(db);
  await sql`CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN SELECT RAISE(ABORT, '操作记录不能删除'); END`.execute(db);
  for (const [name, table] of Object.entries(TABLES)) for (const statement of triggers(name, table)) await sql.raw(statement).execute(db);
}
