// Frozen once landed: never edit, add a new migration instead. Imports no app code.
import { sql, type Kysely } from 'kysely';

/**
 * The roster's search index: SQLite FTS5 with the trigram tokenizer, contentless (the text lives in `student`),
 * one row per student under the student's id. What is indexed comes from `aid_search_terms(name, search_text)`,
 * a function every connection that writes to the desk registers (db/open.ts: name, ID number, 学籍号, pinyin
 * initials and padded short grams). Triggers keep it in step with every write to `student`, so no writer can
 * forget it; existing students are indexed here. A bulk write (a roster import) turns the insert and update
 * triggers off with `aid_search_live()` and indexes its students in two statements before its transaction ends:
 * FTS5 flushes at each statement's savepoint, which made a row-by-row index of 300,000 students take 20 s.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE VIRTUAL TABLE student_search USING fts5(terms, tokenize = 'trigram', content = '', contentless_delete = 1)`.execute(db);
  await sql`
    CREATE TRIGGER student_search_insert AFTER INSERT ON student WHEN aid_search_live() BEGIN
      INSERT INTO student_search (rowid, terms) VALUES (NEW.id, aid_search_terms(NEW.name, NEW.search_text));
    END`.execute(db);
  await sql`
    CREATE TRIGGER student_search_update AFTER UPDATE OF name, search_text ON student WHEN aid_search_live() BEGIN
      DELETE FROM student_search WHERE rowid = OLD.id;
      INSERT INTO student_search (rowid, terms) VALUES (NEW.id, aid_search_terms(NEW.name, NEW.search_text));
    END`.execute(db);
  await sql`
    CREATE TRIGGER student_search_delete AFTER DELETE ON student BEGIN
      DELETE FROM student_search WHERE rowid = OLD.id;
    END`.execute(db);
  await sql`INSERT INTO student_search (rowid, terms) SELECT id, aid_search_terms(name, search_text) FROM student`.execute(db);
}
