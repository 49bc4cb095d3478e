/**
 * The crash harness: a desk is prepared once; for each kill a copy of it is given to the built command line
 * (dist/node/cli.cjs, the program as installed) doing one operation, which is killed with SIGKILL after a
 * random delay within the time the operation takes. Afterwards the copy must open, pass integrity_check and
 * hold either the state before the operation or the state after it — never a mix. Used by
 * tests/electron/core/crash.test.ts (a few kills per operation, in CI time) and electron/scripts/crash.ts
 * (as many as asked, with figures).
 */
import ExcelJS from 'exceljs';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBackup } from '../../electron/core/backup';
import { createContext } from '../../electron/core/context';
import { isPlainDatabase, keyFilePath, unlockDesk } from '../../electron/core/desk/desk';
import { readStoredFile } from '../../electron/core/archive/attachments';
import { databaseKeyPragma, readKeyFile, unlockWithPassword } from '../../electron/core/desk/keys';
import { demoRoster } from '../../electron/core/school/demo';
import { seededRandom } from '../../shared/rules/sample';
import { fixture, TEST_PASSWORD, testCore, type TestCore } from './core';
import { importCentralRoster } from './fixtures';
import { applyAndReview, identify } from './scenario';
import { reportedDaySubsidyTerm } from './terms';

export const BUILT_CLI = join(import.meta.dirname, '..', '..', 'dist', 'node', 'cli.cjs');

export type Operation = 'roster' | 'allocate' | 'bank' | 'surveys' | 'backup' | 'restore' | 'encrypt' | 'rekey';
export const OPERATIONS: Operation[] = ['roster', 'allocate', 'bank', 'surveys', 'backup', 'restore', 'encrypt', 'rekey'];
const NEW_PASSWORD = 'rekeyed-2027';
const ENV = { AID_DESK_PASSWORD: TEST_PASSWORD, AID_DESK_BACKUP_PASSWORD: TEST_PASSWORD, AID_DESK_NEW_PASSWORD: NEW_PASSWORD };

/** What must be all-or-nothing: row counts and the sum of what changes, over the tables the operations write. */
function fingerprint(db: SqliteDatabase.Database): string {
  const q = (sql: string) => db.prepare(sql).pluck().get();
  return JSON.stringify({
    students: q(`SELECT count(*) FROM student`),
    studentText: q(`SELECT sum(length(coalesce(guardian_name, '')) + length(coalesce(address, ''))) FROM student`),
    surveys: q(`SELECT count(*) || '/' || coalesce(sum(version), 0) FROM family_survey`),
    members: q(`SELECT count(*) FROM household_member`),
    payments: q(`SELECT count(*) || '/' || coalesce(sum(amount_fen), 0) FROM payment`),
    batches: q(`SELECT count(*) FROM bank_batch`),
    changes: q(`SELECT count(*) FROM student_change`),
    ranks: q(`SELECT count(rank) || '/' || coalesce(sum(funded), 0) || '/' || coalesce(sum(amount_fen), 0) FROM application`),
    // A roster import and an allocation set row triggers aside while they write (db/bulk.ts): never a desk without them.
    triggers: q(
      `SELECT group_concat(name || ':' || sql, char(10)) FROM (SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name)`,
    ),
  });
}

interface Prepared {
  base: string;
  args: string[];
  before: string;
  after: string;
  /** How long the whole command took when not killed (ms): kills land within it. */
  duration: number;
}

function openDesk(dir: string): SqliteDatabase.Database {
  const file = join(dir, 'aid-desk.sqlite');
  const db = new SqliteDatabase(file, { readonly: false });
  if (!isPlainDatabase(file)) db.pragma(databaseKeyPragma(unlockWithPassword(readKeyFile(keyFilePath(dir))!, TEST_PASSWORD)));
  return db;
}

/**
 * A desk after a password change was killed: the next unlock (with the old password, or the new one if the
 * change had finished) opens it, finishing the change; every attachment must still open.
 */
async function inspectRekeyed(dir: string): Promise<{ integrity: string; fingerprint: string; state: 'before' | 'after' }> {
  const finishedBefore = readKeyFile(keyFilePath(dir))!.rekey === undefined && !opensWithOld(dir);
  const opened = await unlockDesk(dir, TEST_PASSWORD, new Date()).catch(() => unlockDesk(dir, NEW_PASSWORD, new Date()));
  try {
    const ctx = createContext(opened.store);
    for (const sha of opened.store.sqlite.prepare(`SELECT sha256 FROM attachment`).pluck().all() as string[]) readStoredFile(ctx, sha);
    return {
      integrity: String(opened.store.sqlite.pragma('integrity_check', { simple: true })),
      fingerprint: fingerprint(opened.store.sqlite),
      state: finishedBefore || opened.recoveryCode ? 'after' : 'before',
    };
  } finally {
    await opened.store.close();
  }
}

function opensWithOld(dir: string): boolean {
  try {
    unlockWithPassword(readKeyFile(keyFilePath(dir))!, TEST_PASSWORD);
    return true;
  } catch {
    return false;
  }
}

/** Integrity and the fingerprint of a desk folder as the next start would find it. */
export function inspect(dir: string): { integrity: string; fingerprint: string } {
  const db = openDesk(dir);
  try {
    return { integrity: String(db.pragma('integrity_check', { simple: true })), fingerprint: fingerprint(db) };
  } finally {
    db.close();
  }
}

/** The built command line on a desk folder; `kill` ends it with SIGKILL, `exited` gives its code and time. */
function start(args: string[], dir: string): { kill(): void; exited: Promise<{ code: number | null; ms: number }> } {
  const started = Date.now();
  const child = spawn(process.execPath, [BUILT_CLI, ...args, '--data-dir', dir], { stdio: 'ignore', env: { ...process.env, ...ENV } });
  return {
    kill: () => child.kill('SIGKILL'),
    exited: new Promise((resolve) => child.on('exit', (code) => resolve({ code, ms: Date.now() - started }))),
  };
}

/** Builds the base desk for an operation in `root`, runs the operation once to the end to learn the state after. */
export async function prepare(root: string, op: Operation, core: () => Promise<TestCore>): Promise<Prepared> {
  const base = join(root, `${op}-base`);
  const c = await core();
  let args: string[];
  const client = c.client;
  if (op === 'roster') {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名单').addRows(demoRoster(3000, 2026));
    await wb.xlsx.writeFile(join(root, 'big.xlsx'));
    args = ['import', 'roster', join(root, 'big.xlsx')];
  } else if (op === 'allocate') {
    // Every pupil of the roster identified and applying for the school's own aid, in school review; ten places.
    const ids = c.ctx.store.sqlite.prepare(`SELECT id FROM student ORDER BY id`).pluck().all() as number[];
    await identify(c, ids, 'difficult');
    const p = (await client.invoke('programmes.list', {})).find((x) => x.code === 'school-aid')!;
    await applyAndReview(c, p.id, '2026-autumn', ids);
    await client.invoke('quotas.save', { programmeId: p.id, term: '2026-autumn', count: 10 });
    args = ['allocate', '--programme', 'school-aid', '--term', '2026-autumn'];
  } else if (op === 'bank') {
    await reportedDaySubsidyTerm(c);
    args = [
      'payments',
      'import-bank',
      fixture('bank-return-2026-autumn.xlsx'),
      '--programme',
      'day-subsidy',
      '--term',
      '2026-autumn',
      '--paid-on',
      '2026-11-20',
    ];
  } else if (op === 'surveys') {
    const classes = await client.invoke('classes.list', {});
    const classId = classes.find((k) => k.name === '一年级（1）班')?.id ?? classes[0]!.id;
    const exported = await client.invoke('surveys.exportClass', { classId, schoolYear: '2026-2027' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(exported.dataBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('家庭情况')!;
    const col = (h: string) => {
      let n = 0;
      ws.getRow(1).eachCell((cell, i) => (cell.value === h ? (n = i) : null));
      return n;
    };
    for (let r = 2; r <= ws.rowCount; r++) {
      ws.getCell(r, col('户口性质')).value = '农村';
      ws.getCell(r, col('家庭人口数')).value = 4 + (r % 3);
      ws.getCell(r, col('详细地址')).value = `青山镇石门村${r}组`;
    }
    await wb.xlsx.writeFile(join(root, 'surveys.xlsx'));
    args = ['surveys', 'import', join(root, 'surveys.xlsx')];
  } else if (op === 'backup') {
    await reportedDaySubsidyTerm(c);
    args = ['backup', '--out', join(root, 'unused')];
  } else if (op === 'restore') {
    const backup = await client.invoke('backup.create', {});
    cpSync(backup.path, join(root, 'restore-from'), { recursive: true });
    // After the backup the desk changes, so the restored state differs from the state before.
    await client.invoke('students.update', {
      id: (await client.invoke('students.list', {})).rows[0]!.id,
      fields: { guardianName: '改过' },
    });
    args = ['restore', join(root, 'restore-from')];
  } else if (op === 'rekey') {
    const items = await client.invoke('archive.items', { term: '2026-autumn', scope: 'term' });
    await client.invoke('archive.attach', {
      key: items[0]!,
      fileName: '照片.png',
      dataBase64: Buffer.from('照片'.repeat(500)).toString('base64'),
    });
    args = ['password'];
  } else {
    args = ['students', 'list'];
  }
  await c.ctx.store.close();
  cpSync(c.dir, base, { recursive: true });
  rmSync(join(base, 'backups'), { recursive: true, force: true });
  for (const lock of readdirSync(base).filter((n) => n.endsWith('.lock'))) rmSync(join(base, lock));
  if (op === 'encrypt') decryptDesk(base);
  rmSync(c.dir, { recursive: true, force: true });

  const before = inspect(base).fingerprint;
  const trial = join(root, `${op}-trial`);
  cpSync(base, trial, { recursive: true });
  const done = await start(op === 'backup' ? args.map((a) => a.replace('unused', 'trial-backup')) : args, trial).exited;
  if (done.code !== 0 && done.code !== 1) throw new Error(`${op}: 命令未能完成（退出码 ${done.code}）`);
  const after = op === 'rekey' ? (await inspectRekeyed(trial)).fingerprint : inspect(trial).fingerprint;
  rmSync(trial, { recursive: true, force: true });
  if (!['backup', 'encrypt', 'rekey'].includes(op) && after === before) throw new Error(`${op}: 操作没有改变数据，无法检验“全有或全无”`);
  return { base, args, before, after, duration: done.ms };
}

/** A desk from before encryption: the database back in the clear, no key file (the encrypt operation's start). */
function decryptDesk(dir: string): void {
  const db = openDesk(dir);
  db.pragma('journal_mode = DELETE');
  db.pragma(`rekey = ''`);
  db.pragma('journal_mode = WAL');
  db.close();
  rmSync(join(dir, 'attachments'), { recursive: true, force: true });
  rmSync(keyFilePath(dir));
}

export interface KillResult {
  op: Operation;
  delay: number;
  exited: number | null;
  state: 'before' | 'after';
}

/** One kill: a copy of the base, the command, SIGKILL after `delay` ms; throws when the desk is not whole. */
export async function killOnce(root: string, p: Prepared, op: Operation, delay: number, n: number): Promise<KillResult> {
  const dir = join(root, `${op}-kill-${n}`);
  cpSync(p.base, dir, { recursive: true });
  const out = join(root, `${op}-out-${n}`);
  const args = p.args.map((a) => a.replace(/unused$/, out));
  const command = start(args, dir);
  await new Promise((r) => setTimeout(r, delay));
  command.kill();
  const { code } = await command.exited;
  try {
    if (op === 'rekey') {
      const found = await inspectRekeyed(dir);
      if (found.integrity !== 'ok' || found.fingerprint !== p.before)
        throw new Error(
          `rekey 第 ${n} 次（${delay} ms）：换密钥后数据不完整：${found.integrity}\n  前 ${p.before}\n  现 ${found.fingerprint}`,
        );
      return { op, delay, exited: code, state: found.state };
    }
    const { integrity, fingerprint: now } = inspect(dir);
    if (integrity !== 'ok') throw new Error(`${op} 第 ${n} 次（${delay} ms）：数据库完整性检查失败：${integrity}`);
    if (now !== p.before && now !== p.after)
      throw new Error(`${op} 第 ${n} 次（${delay} ms）：数据既不是操作前也不是操作后：\n  前 ${p.before}\n  后 ${p.after}\n  现 ${now}`);
    // A backup folder is either whole (its manifest verifies) or has no manifest (an unfinished backup).
    if (op === 'backup' && existsSync(join(out, 'manifest.json')))
      verifyBackup(out, unlockWithPassword(readKeyFile(keyFilePath(dir))!, TEST_PASSWORD));
    return { op, delay, exited: code, state: now === p.before ? 'before' : 'after' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

/** Kills per operation with delays spread over the operation's own duration (seeded). */
export async function crashRun(
  ops: Operation[],
  killsPerOp: number,
  core: () => Promise<TestCore>,
  seed = 20261202,
): Promise<KillResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'aid-desk-crash-'));
  const random = seededRandom(seed);
  const results: KillResult[] = [];
  try {
    for (const op of ops) {
      const p = await prepare(root, op, core);
      // Most of a command's time is starting up: the kills are spread over its later two thirds, where it writes.
      for (let n = 0; n < killsPerOp; n++) results.push(await killOnce(root, p, op, Math.floor(p.duration * (0.35 + 0.65 * random())), n));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return results;
}

/** The desk every operation starts from: the test desk (under TEST_PASSWORD) with the central school's roster. */
export async function crashCore(): Promise<TestCore> {
  const core = await testCore();
  await importCentralRoster(core);
  return core;
}
