// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

/**
 * 资金台账 and 营养餐台账.
 * - fund_allocation: the money a document (文号) assigns to a programme's term from one source.
 * - fund_movement: money that moves: received (到账, against an allocation), carried in from or out to another
 *   term (结转, written in pairs), returned (退回). Payments stay in `payment`; the ledger reads both.
 * - meal_day: the clerk's corrections to one serving day (no meals, meals on a non-working day, the count served,
 *   teachers eating with pupils); meal_exclusion: students not served (走读 going home for lunch), with a reason.
 * The nutrition programme becomes kind `meals` (a daily programme, never applied for); any other `recorded`
 * programme (in kind, only registered) is renamed `inKind`, the glossary's word.
 * - in_kind_distribution: what a student was given in kind (免费教科书, 作业本, 鸡蛋牛奶), by programme and term, with its
 *   value; signed for on the distribution roster. The built-in 免费教科书 joins every school year's catalogue.
 * - The archive catalogue of a desk already in use gains 营养餐供货与验收单据 (a term item, not required).
 * - household and household_link: siblings the clerk confirmed as one household (同户), for aid paid per household.
 * Every table is audited like 0007's: the same triggers, written out here because landed migrations are frozen.
 */
interface Audited {
  columns: string[];
  masked?: string[];
  key?: string;
  student?: string;
}

const TABLES: Record<string, Audited> = {
  fund_allocation: { columns: ['programme_id', 'term', 'source', 'document_number', 'document_date', 'amount_fen', 'note'] },
  fund_movement: {
    columns: ['programme_id', 'term', 'source', 'kind', 'allocation_id', 'on_date', 'amount_fen', 'account', 'note', 'backdate_reason', 'linked_id'],
    masked: ['account'],
  },
  meal_day: { columns: ['date', 'closed', 'extra', 'served', 'teachers', 'teacher_names', 'note'], key: 'date' },
  meal_exclusion: { columns: ['student_id', 'school_year', 'reason'], student: 'R.student_id' },
  household: { columns: ['guardian', 'note'] },
  household_link: { columns: ['student_id', 'household_id'], key: 'student_id', student: 'R.student_id' },
  in_kind_distribution: { columns: ['programme_id', 'term', 'student_id', 'value_fen', 'items', 'given_on'], student: 'R.student_id' },
};

/** The built-in 免费教科书 as the catalogue's defaults had it when this migration landed. */
const FREE_TEXTBOOKS = {
  name: '免费教科书',
  stages: ['primary', 'junior'],
  kind: 'inKind',
  tiers: [{ tier: 1, proportion: 100, amounts: {} }],
  boarding: 'any',
  eligibility: { everyone: true, levels: [], groups: [] },
  exclusive: [],
  topTierGroups: [],
  note: '义务教育国家规定课程教科书免费提供（三免一补），按班签领；每生价值按本学期实际书目价格填写',
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

const SOURCES = `('central', 'provincial', 'municipal', 'county', 'school', 'donation')`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE fund_allocation (
      id INTEGER PRIMARY KEY,
      programme_id INTEGER NOT NULL REFERENCES programme (id),
      term TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ${sql.raw(SOURCES)}),
      document_number TEXT NOT NULL,
      document_date TEXT NOT NULL,
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      note TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      UNIQUE (programme_id, term, source, document_number)
    ) STRICT`.execute(db);
  await sql`
    CREATE TABLE fund_movement (
      id INTEGER PRIMARY KEY,
      programme_id INTEGER NOT NULL REFERENCES programme (id),
      term TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ${sql.raw(SOURCES)}),
      kind TEXT NOT NULL CHECK (kind IN ('receipt', 'carryIn', 'carryOut', 'return')),
      allocation_id INTEGER REFERENCES fund_allocation (id),
      on_date TEXT NOT NULL,
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      account TEXT NOT NULL DEFAULT '',
      note TEXT NOT NULL DEFAULT '',
      backdate_reason TEXT,
      linked_id INTEGER REFERENCES fund_movement (id),
      created_at TEXT NOT NULL,
      CHECK ((kind = 'receipt') = (allocation_id IS NOT NULL))
    ) STRICT`.execute(db);
  await sql`CREATE INDEX fund_allocation_term ON fund_allocation (term, programme_id)`.execute(db);
  await sql`CREATE INDEX fund_movement_term ON fund_movement (term, programme_id)`.execute(db);
  await sql`
    CREATE TABLE meal_day (
      date TEXT PRIMARY KEY,
      closed INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
      extra INTEGER NOT NULL DEFAULT 0 CHECK (extra IN (0, 1)),
      served INTEGER CHECK (served >= 0),
      teachers INTEGER NOT NULL DEFAULT 0 CHECK (teachers >= 0),
      teacher_names TEXT NOT NULL DEFAULT '',
      note TEXT NOT NULL DEFAULT '',
      updated_at TEXT NOT NULL,
      CHECK (NOT (closed AND extra))
    ) STRICT`.execute(db);
  await sql`
    CREATE TABLE meal_exclusion (
      id INTEGER PRIMARY KEY,
      student_id INTEGER NOT NULL REFERENCES student (id),
      school_year TEXT NOT NULL,
      reason TEXT NOT NULL CHECK (length(reason) > 0),
      created_at TEXT NOT NULL,
      UNIQUE (student_id, school_year)
    ) STRICT`.execute(db);
  await sql`
    CREATE TABLE in_kind_distribution (
      id INTEGER PRIMARY KEY,
      programme_id INTEGER NOT NULL REFERENCES programme (id),
      term TEXT NOT NULL,
      student_id INTEGER NOT NULL REFERENCES student (id),
      value_fen INTEGER NOT NULL CHECK (value_fen >= 0),
      items TEXT NOT NULL DEFAULT '',
      given_on TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (programme_id, term, student_id)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX in_kind_distribution_student ON in_kind_distribution (student_id)`.execute(db);
  await sql`
    CREATE TABLE household (
      id INTEGER PRIMARY KEY,
      guardian TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`
    CREATE TABLE household_link (
      student_id INTEGER PRIMARY KEY REFERENCES student (id),
      household_id INTEGER NOT NULL REFERENCES household (id),
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE INDEX household_link_household ON household_link (household_id)`.execute(db);
  for (const [name, table] of Object.entries(TABLES)) for (const statement of triggers(name, table)) await sql.raw(statement).execute(db);
  await sql`
    UPDATE programme SET definition = json_set(definition, '$.kind', 'meals')
    WHERE code = 'nutrition' AND json_extract(definition, '$.kind') = 'recorded'`.execute(db);
  await sql`
    UPDATE programme SET definition = json_set(definition, '$.kind', 'inKind')
    WHERE json_extract(definition, '$.kind') = 'recorded'`.execute(db);
  await sql`
    INSERT INTO archive_definition (scope, name, required, produced_by, retention, sort)
    SELECT 'term', '营养餐供货与验收单据', 0, NULL, '10年', 95
    WHERE EXISTS (SELECT 1 FROM archive_definition)
      AND NOT EXISTS (SELECT 1 FROM archive_definition WHERE scope = 'term' AND name = '营养餐供货与验收单据')`.execute(db);
  await sql`
    INSERT INTO programme (school_year, code, name, definition, built_in, created_at, updated_at)
    SELECT DISTINCT school_year, 'free-textbooks', ${FREE_TEXTBOOKS.name}, ${JSON.stringify(FREE_TEXTBOOKS)}, 1, aid_now(), aid_now() FROM programme p
    WHERE NOT EXISTS (SELECT 1 FROM programme q WHERE q.school_year = p.school_year AND q.code = 'free-textbooks')`.execute(db);
}
