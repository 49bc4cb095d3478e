import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrationProvider } from './migrations';
import type { Database } from './schema';
import { AppError } from '../../../shared/errors';
import { databaseKeyPragma } from '../desk/keys';
import { searchLive, searchTerms } from '../students/search-terms';
/** The page cache's size (negative: KiB), 128 MB. */
const PAGE_CACHE_KIB = -131_072;
/** While a one-pass read runs (an export of every student), 8 MB: the pages it reads once are not kept. */
const ONE_PASS_CACHE_KIB = -8_192;
/** While a county-sized roster is written, 32 MB (its indexes' pages stay in it; 16 MB was 8 s slower). */
const BULK_WRITE_CACHE_KIB = -32_768;

export interface Store {
  /** The raw connection: prepared statements and synchronous transactions for bulk writes. */
  sqlite: SqliteDatabase.Database;
  /** The data key the file is encrypted with (attachments and backups use it too); null for `:memory:`. */
  key: Buffer | null;
  db: Kysely<Database>;
  /** Who and when for the audit trail's triggers (0007-audit), set by the core before each call. */
  audit: AuditState;
  close(): Promise<void>;
}

export interface AuditState {
  operator: string;
  now(): Date;
  /** Above 0 while an import writes its rows (imports nest in the demo): the import is one entry. */
  quiet: number;
}

/** The functions the triggers call (audit: 0007; search index: 0012); every connection that writes to the desk registers them. */
export function registerAuditFunctions(sqlite: SqliteDatabase.Database, audit: () => AuditState): void {
  sqlite.function('aid_search_terms', { deterministic: true }, (name, searchText) =>
    searchTerms(String(name ?? ''), String(searchText ?? '')),
  );
  sqlite.function('aid_search_live', { deterministic: false }, () => (searchLive(sqlite) ? 1 : 0));
  sqlite.function('aid_operator', { deterministic: false }, () => audit().operator);
  sqlite.function('aid_now', { deterministic: false }, () => audit().now().toISOString());
  sqlite.function('aid_audit_rows', { deterministic: false }, () => (audit().quiet > 0 ? 0 : 1));
}

/**
 * Opens (creating if needed) the desk's SQLite file, encrypted with the data key, and migrates it to the
 * latest schema. `:memory:` gives a throwaway database for tests (nothing at rest, no key).
 */
export async function openStore(file: string, key: Buffer | null, options: { now?: () => Date } = {}): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  if (file !== ':memory:' && !key) throw new Error('A desk on disk is always encrypted: openStore needs its key');
  const sqlite = new SqliteDatabase(file);
  if (key) {
    sqlite.pragma(databaseKeyPragma(key));
    try {
      sqlite.prepare(`SELECT count(*) FROM sqlite_master`).get();
    } catch (e) {
      sqlite.close();
      if ((e as { code?: string }).code === 'SQLITE_NOTADB')
        throw new AppError('wrong-key', '数据库文件无法用这把密钥打开：它属于另一个数据文件夹，或已损坏');
      throw e;
    }
  }
  // WAL + FULL: a power cut in a rural school must not lose a committed import.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Every page read from the encrypted file is decrypted: a 128 MB page cache (the default is 2 MB) keeps a county's
  // roster and its search index decrypted in memory, and a search at 300,000 students within 20 ms once warm.
  sqlite.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
  const now = options.now ?? (() => new Date());
  const audit: AuditState = { operator: '系统', now, quiet: 0 };
  const store = { audit } as { audit: AuditState };
  registerAuditFunctions(sqlite, () => store.audit);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  // An upgrade is one moment: every row it writes gets the same aid_now(). 0008 adds 免费教科书 with
  // `SELECT DISTINCT school_year, …, aid_now()`: a clock that moved on between two programmes of one school year made
  // two rows of it, and the upgrade failed on UNIQUE (school_year, code) (a landed migration: its text stays).
  const upgradeAt = now();
  store.audit = { ...audit, now: () => upgradeAt };
  try {
    await migrateToLatest(db);
  } catch (e) {
    await db.destroy();
    throw e;
  } finally {
    store.audit = audit;
  }
  // While this process has the file open, a lock file names it: a restore by another process (the CLI while
  // the app runs) is refused instead of replacing the file under the app's feet (backup.ts).
  const lock = file === ':memory:' ? null : lockFileOf(file, process.pid);
  if (lock) writeFileSync(lock, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
  return Object.assign(store, {
    sqlite,
    key,
    db,
    close: async () => {
      await db.destroy();
      if (lock) rmSync(lock, { force: true });
    },
  });
}

/** `aid-desk.sqlite.<pid>.lock` beside the database. */
export function lockFileOf(file: string, pid: number): string {
  return `${file}.${pid}.lock`;
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '未知';
    throw new Error(`数据库升级失败（迁移 ${failed}）：${String(error)}`);
  }
}

const SMALL_CACHE = new WeakMap<SqliteDatabase.Database, number>();

/** A smaller page cache while `run` runs; the 128 MB come back when the last such job ends (jobs may overlap). */
function withSmallCache<T>(sqlite: SqliteDatabase.Database, kib: number, run: () => T): T {
  const running = SMALL_CACHE.get(sqlite) ?? 0;
  SMALL_CACHE.set(sqlite, running + 1);
  if (running === 0) sqlite.pragma(`cache_size = ${kib}`);
  const end = () => {
    const left = SMALL_CACHE.get(sqlite)! - 1;
    SMALL_CACHE.set(sqlite, left);
    if (left === 0 && sqlite.open) sqlite.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
  };
  let result: T;
  try {
    result = run();
  } catch (e) {
    end();
    throw e;
  }
  if (result instanceof Promise) return result.finally(end) as T;
  end();
  return result;
}

/**
 * Runs a read that passes once over most of the database (a plain export of 300,000 students) with a small page
 * cache, so that it does not fill 128 MB with pages read once; the cache is set back when the last such read ends
 * (two exports may overlap). The cache empties as it shrinks: searches after are slower until it warms again.
 */
export async function onePass<T>(sqlite: SqliteDatabase.Database, read: () => Promise<T>): Promise<T> {
  return withSmallCache(sqlite, ONE_PASS_CACHE_KIB, read);
}

/**
 * Runs a bulk write of a county-sized roster with a 32 MB page cache: the pages it writes are not read again, and
 * 128 MB of them would sit beside the import's own memory (300,000 rows: peak 660 → 565 MB, no slower).
 */
export function bulkWriteCache<T>(sqlite: SqliteDatabase.Database, write: () => T): T {
  return withSmallCache(sqlite, BULK_WRITE_CACHE_KIB, write);
}
