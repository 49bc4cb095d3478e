// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  // A bank's result file as imported: the file itself is kept as an attachment (银行回单).
  await sql`
    CREATE TABLE bank_batch (
      id INTEGER PRIMARY KEY,
      programme_id INTEGER NOT NULL REFERENCES programme (id),
      term TEXT NOT NULL,
      file_name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      paid_on TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      paid INTEGER NOT NULL,
      failed INTEGER NOT NULL,
      unmatched TEXT NOT NULL DEFAULT '[]',
      imported_at TEXT NOT NULL
    ) STRICT`.execute(db);

  // Every attempt to pay an application: a success at most once (the partial unique index), failures kept.
  await sql`
    CREATE TABLE payment (
      id INTEGER PRIMARY KEY,
      application_id INTEGER NOT NULL REFERENCES application (id),
      outcome TEXT NOT NULL CHECK (outcome IN ('paid', 'failed')),
      amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
      paid_on TEXT NOT NULL,
      channel TEXT NOT NULL CHECK (channel IN ('bankCard', 'socialCard', 'mealCard', 'waiver')),
      account TEXT NOT NULL DEFAULT '',
      holder TEXT NOT NULL CHECK (holder IN ('student', 'guardian', 'none')),
      holder_name TEXT NOT NULL DEFAULT '',
      proxy_letter INTEGER NOT NULL DEFAULT 0 CHECK (proxy_letter IN (0, 1)),
      reference TEXT NOT NULL DEFAULT '',
      failure_reason TEXT NOT NULL DEFAULT '',
      bank_batch_id INTEGER REFERENCES bank_batch (id),
      actor TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);
  await sql`CREATE UNIQUE INDEX payment_paid_once ON payment (application_id) WHERE outcome = 'paid'`.execute(db);
  await sql`CREATE INDEX payment_application ON payment (application_id, id)`.execute(db);

  // The archive catalogue the school edits: what is kept per term, per programme and term, per student and year.
  await sql`
    CREATE TABLE archive_definition (
      id INTEGER PRIMARY KEY,
      scope TEXT NOT NULL CHECK (scope IN ('term', 'programme', 'student')),
      name TEXT NOT NULL CHECK (name <> ''),
      required INTEGER NOT NULL CHECK (required IN (0, 1)),
      produced_by TEXT,
      retention TEXT NOT NULL DEFAULT '',
      sort INTEGER NOT NULL,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      UNIQUE (scope, name)
    ) STRICT`.execute(db);

  // One item of the archive: a definition for a term (or school year for students), programme and student (0 = none).
  await sql`
    CREATE TABLE archive_item (
      id INTEGER PRIMARY KEY,
      definition_id INTEGER NOT NULL REFERENCES archive_definition (id),
      period TEXT NOT NULL,
      programme_id INTEGER NOT NULL DEFAULT 0,
      student_id INTEGER NOT NULL DEFAULT 0,
      status TEXT NOT NULL CHECK (status IN ('missing', 'partial', 'complete')),
      note TEXT NOT NULL DEFAULT '',
      updated_at TEXT NOT NULL,
      UNIQUE (definition_id, period, programme_id, student_id)
    ) STRICT`.execute(db);
  await sql`CREATE INDEX archive_item_period ON archive_item (period, definition_id)`.execute(db);

  // A stored file, named by its content: the bytes live in the data folder's attachments/, once.
  await sql`
    CREATE TABLE attachment (
      sha256 TEXT PRIMARY KEY,
      size INTEGER NOT NULL,
      mime TEXT NOT NULL,
      thumbnail BLOB,
      created_at TEXT NOT NULL
    ) STRICT`.execute(db);

  await sql`
    CREATE TABLE archive_attachment (
      id INTEGER PRIMARY KEY,
      item_id INTEGER NOT NULL REFERENCES archive_item (id),
      sha256 TEXT NOT NULL REFERENCES attachment (sha256),
      name TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('upload', 'generated')),
      added_at TEXT NOT NULL,
      UNIQUE (item_id, sha256)
    ) STRICT`.execute(db);
}
