import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiClient } from '../../shared/api';
import { createContext, type CoreContext } from '../../electron/core/context';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { registerAuditFunctions } from '../../electron/core/db/open';
import { keyFilePath, setUpDesk } from '../../electron/core/desk/desk';
import { databaseKeyPragma, readKeyFile, unlockWithPassword } from '../../electron/core/desk/keys';
import type { ScryptParams } from '../../electron/core/desk/keys';
import { directClient } from '../../electron/core/dispatch';

export const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');
export const fixture = (name: string) => join(FIXTURES, name);

/** A fixed clock: 2026-11-22 10:00 in China. */
export const NOW = new Date('2026-11-22T02:00:00Z');

export interface TestCore {
  ctx: CoreContext;
  client: ApiClient;
  dir: string;
  file: string;
  /** Moves the core's clock to 10:00 (China) on a day; `null` back to NOW. The core owns the clock: tests move it. */
  setToday(date: string | null): void;
  close(): Promise<void>;
}

/** 10:00 in China on a day, as the core's clock. */
export const at = (date: string) => new Date(`${date}T02:00:00Z`);

/** The test desks' password (vitest.config.ts gives the CLI the same one through AID_DESK_PASSWORD). */
export const TEST_PASSWORD = 'qingshan-2026';
/** Key derivation made cheap: tests open many desks. */
export const FAST_KDF: ScryptParams = { N: 1024, r: 8, p: 1 };

/** A real (encrypted) SQLite file in a fresh temp folder, with the school set up unless told otherwise. */
export async function testCore(options: { school?: boolean } = {}): Promise<TestCore> {
  const dir = mkdtempSync(join(tmpdir(), 'aid-desk-test-'));
  const file = join(dir, 'aid-desk.sqlite');
  let now = NOW;
  const ctx = createContext((await setUpDesk(dir, TEST_PASSWORD, NOW, FAST_KDF)).store, { now: () => now });
  const client = directClient(ctx);
  if (options.school !== false) {
    await client.invoke('school.setup', {
      name: '青山县青山镇中心学校',
      county: '青山县',
      township: '青山镇',
      stages: ['preschool', 'primary', 'junior'],
      schoolYear: '2026-2027',
      term: '2026-autumn',
    });
  }
  return {
    ctx,
    client,
    dir,
    file,
    setToday: (date) => {
      now = date === null ? NOW : at(date);
    },
    close: async () => {
      await ctx.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A second, raw connection to a desk's encrypted database (a desk the CLI set up with TEST_PASSWORD). */
export function rawDatabase(dir: string, options: SqliteDatabase.Options = {}): SqliteDatabase.Database {
  const key = unlockWithPassword(readKeyFile(keyFilePath(dir))!, TEST_PASSWORD);
  const db = new SqliteDatabase(join(dir, 'aid-desk.sqlite'), options);
  db.pragma(databaseKeyPragma(key));
  registerAuditFunctions(db, () => ({ operator: '测试', now: () => new Date(), quiet: 0 }));
  return db;
}
