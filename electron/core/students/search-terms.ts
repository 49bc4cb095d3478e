import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { pinyin } from 'pinyin-pro';
import { dataStamp } from '../db/query';

/**
 * What the roster's search index (migration 0012, SQLite FTS5 with the trigram tokenizer) holds for one student:
 * the stored search text (name, ID number, 学籍号), the name's pinyin initials (张英志 → zyz, surnames read as
 * surnames: 曾 → z, 单 → s), and one- and two-character grams of the name and the initials padded with a marker to
 * three characters, so that a one- or two-character fragment ("英", "英志", "zy") is a trigram too and is answered by
 * the index instead of a scan. The marker never reaches a query (normalizeSearch drops control characters).
 *
 * A fragment never holds a space (normalizeSearch drops them), so it matches where it is a substring of one
 * space-separated part. That is why a part held inside another is left out (the ID number inside a 学籍号 of
 * G + ID number), and why the grams are packed into one part instead of one part each: the same answers from
 * about 40% fewer trigrams, which is what a county's roster import spends its indexing time on.
 */
export const GRAM_MARKER = '\u001f';
const PAD = GRAM_MARKER + GRAM_MARKER;

/** What the terms take from a name (its initials and grams), worked out once per name during one bulk indexing (indexAfter): a county's roster repeats names (300,000 students, about 150,000 names). */
let bulkNames: Map<string, { initials: string; grams: string }> | null = null;

export function nameInitials(name: string): string {
  return nameParts(name).initials;
}

function nameParts(name: string): { initials: string; grams: string } {
  const known = bulkNames?.get(name);
  if (known) return known;
  const chinese = name.replace(/[^\u3400-\u9fff]/g, '');
  const initials = chinese
    ? pinyin(chinese, { pattern: 'first', toneType: 'none', surname: 'head', type: 'array' })
        .join('')
        .toLowerCase()
        .replace(/[^a-z]/g, '')
    : '';
  const parts = { initials, grams: [gramBlock(name.replace(/\s+/g, '')), gramBlock(initials)].filter(Boolean).join(' ') };
  bulkNames?.set(name, parts);
  return parts;
}

/**
 * The one- and two-character grams of a text in one part: "c₁␟␟", then "cᵢcᵢ₊₁␟␟" for each pair of neighbours
 * (张英志 → 张␟␟张英␟␟英志␟␟). Every character and every pair appears padded to a trigram; no three real
 * characters ever stand together, so nothing longer matches here, and what the packing adds (␟␟英, ␟英志) starts
 * with the marker, which no query does.
 */
export function gramBlock(text: string): string {
  const chars = [...text];
  if (!chars.length) return '';
  let block = chars[0] + PAD;
  for (let i = 0; i + 1 < chars.length; i++) block += chars[i]! + chars[i + 1]! + PAD;
  return block;
}

export function searchTerms(name: string, searchText: string): string {
  const { initials, grams } = nameParts(name);
  const parts = searchText.split(/\s+/);
  if (initials) parts.push(initials);
  // A part inside another adds no substring of its own (of equal parts, the first stays).
  const own = parts.filter((p, i) => p && !parts.some((q, j) => j !== i && q.includes(p) && (q.length > p.length || j < i)));
  if (grams) own.push(grams);
  return own.join(' ');
}

/** The FTS5 query for a normalized fragment: a phrase, padded to a trigram when shorter than three characters. */
export function searchMatch(fragment: string): string {
  const length = [...fragment].length;
  const padded = length >= 3 ? fragment : fragment + GRAM_MARKER.repeat(3 - length);
  return `"${padded.replaceAll('"', '""')}"`;
}

/** Fragments of one or two digits (or X) are not in the index (no grams of numbers): those scan instead. */
export function indexedFragment(fragment: string): boolean {
  return [...fragment].length >= 3 || !/^[0-9X]+$/i.test(fragment);
}

/** The roster's search as a condition on `student` aliased `s`: the index, or a scan for a one- or two-digit fragment. */
export function searchCondition(fragment: string): { sql: string; param: string } {
  return indexedFragment(fragment)
    ? { sql: 's.id IN (SELECT rowid FROM student_search WHERE student_search MATCH ?)', param: searchMatch(fragment) }
    : { sql: 'instr(s.search_text, ?) > 0', param: fragment };
}

const DEFERRED = new WeakMap<SqliteDatabase.Database, number>();

/** Whether the index triggers run (`aid_search_live()`): not while a bulk writer indexes its own rows. */
export function searchLive(sqlite: SqliteDatabase.Database): boolean {
  return !DEFERRED.get(sqlite);
}

/**
 * Runs a bulk write to `student` inside the caller's transaction with the index triggers off, then indexes the
 * students it touched in two statements (still inside that transaction: all or nothing).
 */
export function indexAfter<T>(sqlite: SqliteDatabase.Database, run: () => T, touched: () => readonly number[]): T {
  if (!sqlite.inTransaction) throw new Error('indexAfter runs inside the bulk write’s transaction');
  DEFERRED.set(sqlite, (DEFERRED.get(sqlite) ?? 0) + 1);
  let result: T;
  try {
    result = run();
  } finally {
    DEFERRED.set(sqlite, DEFERRED.get(sqlite)! - 1);
  }
  const ids = JSON.stringify(touched());
  sqlite.prepare(`DELETE FROM student_search WHERE rowid IN (SELECT value FROM json_each(?))`).run(ids);
  bulkNames = new Map();
  try {
    sqlite
      .prepare(
        `INSERT INTO student_search (rowid, terms) SELECT id, aid_search_terms(name, search_text) FROM student WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .run(ids);
  } finally {
    bulkNames = null;
  }
  return result;
}

interface ClassOrder {
  stamp: string;
  order: Map<number, readonly [gradeOrder: number | null, number: number | null]>;
}
const CLASS_ORDER = new WeakMap<SqliteDatabase.Database, ClassOrder>();

/**
 * Each class's place in the roster's order (grade, then number), read again only after a write. A search sorts
 * thousands of matches by it without joining each one to its class.
 */
export function classOrder(sqlite: SqliteDatabase.Database): ClassOrder['order'] {
  const stamp = dataStamp(sqlite);
  const cached = CLASS_ORDER.get(sqlite);
  if (cached?.stamp === stamp) return cached.order;
  const rows = sqlite.prepare(`SELECT id, grade_order, number FROM school_class`).raw().all() as [number, number | null, number | null][];
  const order = new Map(rows.map(([id, gradeOrder, number]) => [id, [gradeOrder, number] as const]));
  CLASS_ORDER.set(sqlite, { stamp, order });
  return order;
}

/** By student id: the school, the class (-1: none) and the status (1 enrolled, 2 left, 0 no such student). */
export interface RosterKeys {
  school: Int32Array;
  cls: Int32Array;
  status: Uint8Array;
}
const ROSTER_KEYS = new WeakMap<SqliteDatabase.Database, { stamp: string; keys: RosterKeys }>();
const REBUILDING = new WeakSet<SqliteDatabase.Database>();
export const STATUS_CODE = { enrolled: 1, left: 2 } as const;
/** Rosters up to this size read their keys at once (a few ms); larger ones after the answer (0.15 s at 300,000). */
export const ROSTER_KEYS_AT_ONCE = { students: 20_000 };
/** The keys, packed by SQLite into one text (a row at a time into JS costs three times as much), from the narrow index of migration 0015. */
export const ROSTER_KEYS_SQL = `SELECT group_concat(id || ',' || school_id || ',' || coalesce(class_id, -1) || ',' || (CASE status WHEN 'enrolled' THEN 1 ELSE 2 END))
  FROM student INDEXED BY student_search_keys`;
/** A search asks the index for its matches only. */
export const MATCHES_SQL = `SELECT rowid FROM student_search WHERE student_search MATCH ?`;

const maxStudentId = (sqlite: SqliteDatabase.Database) =>
  (sqlite.prepare(`SELECT max(id) FROM student`).pluck().get() as number | null) ?? 0;

function readKeys(sqlite: SqliteDatabase.Database, maxId = maxStudentId(sqlite)): void {
  const stamp = dataStamp(sqlite);
  const size = maxId + 1;
  const keys: RosterKeys = { school: new Int32Array(size), cls: new Int32Array(size).fill(-1), status: new Uint8Array(size) };
  const packed = (sqlite.prepare(ROSTER_KEYS_SQL).pluck().get() as string | null) ?? '';
  // Read digit by digit: splitting 1.2 million numbers into strings first would cost 50 MB for a moment.
  const four = [0, 0, 0, 0];
  let field = 0;
  let value = 0;
  let negative = false;
  for (let i = 0; i <= packed.length; i++) {
    const c = i < packed.length ? packed.charCodeAt(i) : 44;
    if (c === 45) negative = true;
    else if (c !== 44) value = value * 10 + (c - 48);
    else {
      four[field] = negative ? -value : value;
      value = 0;
      negative = false;
      if (++field === 4) {
        const id = four[0]!;
        keys.school[id] = four[1]!;
        keys.cls[id] = four[2]!;
        keys.status[id] = four[3]!;
        field = 0;
      }
    }
  }
  ROSTER_KEYS.set(sqlite, { stamp, keys });
}

/**
 * The keys a search filters and sorts its matches by, kept in memory per connection and good until the next write
 * (by this connection or another). A common character matches thousands of a county's 300,000 students: looking
 * each one up in an index took 20 ms, these arrays take well under one (about 9 bytes a student). When a write has
 * made them stale, a small roster reads them again now; a large one answers this search from the index as before
 * (null) and reads them once the answer is sent, so no search waits for them.
 */
export function rosterKeys(sqlite: SqliteDatabase.Database): RosterKeys | null {
  const cached = ROSTER_KEYS.get(sqlite);
  if (cached?.stamp === dataStamp(sqlite)) return cached.keys;
  const maxId = maxStudentId(sqlite);
  if (maxId <= ROSTER_KEYS_AT_ONCE.students) {
    readKeys(sqlite, maxId);
    return ROSTER_KEYS.get(sqlite)!.keys;
  }
  if (!REBUILDING.has(sqlite)) {
    REBUILDING.add(sqlite);
    setTimeout(() => {
      REBUILDING.delete(sqlite);
      if (sqlite.open) readKeys(sqlite);
    }, 0);
  }
  return null;
}
