/**
 * Backups: a folder holding a consistent copy of the encrypted database (VACUUM INTO, safe while the app
 * runs; SQLite's online backup refuses an encrypted source), every attachment the copy refers to (sealed as
 * they are stored), a copy of the key file (the data key wrapped under the password of the day), and a
 * manifest written last, with the hashes of all of it and a seal made with the data key: a backup altered
 * by hand, or cut short, is refused. A folder without its manifest is an unfinished backup and is never
 * restored. Restoring a backup made under the desk's own key puts the very same bytes back, bit for bit; a
 * backup from another desk (its password is asked) or from before encryption is re-encrypted on the way in.
 */
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BackupInfo } from '../../shared/domain/backup';
import { AppError } from '../../shared/errors';
import type { CoreContext } from './context';
import { DATABASE_FILE } from './data-dir';
import { openStore } from './db/open';
import { migrations } from './db/migrations';
import { appVersion } from './app-root';
import { backupsToPrune } from '../../shared/rules/backup-retention';
import { sweepAttachments } from './archive/attachments';
import { BACKUP_FILE_EXTENSION, packBackup, readBackupHeader, unpackBackup } from './backup-file';
import { encryptDatabaseFile, keyFilePath, rekeyDatabaseFile } from './desk/desk';
import {
  databaseKeyPragma,
  KEY_FILE,
  keyIdOf,
  openSealed,
  readKeyFile,
  sealBytes,
  sealDigest,
  sha256,
  unlockWithPassword,
} from './desk/keys';

const MANIFEST = 'manifest.json';

interface Manifest {
  app: 'AidDesk';
  appVersion?: string;
  createdAt: string;
  schema: string;
  school?: string;
  /** The data key's id (absent in backups from before encryption). */
  keyId?: string;
  database: { file: string; size: number; sha256: string };
  /** `sha256` names the content; `stored` is the hash of the sealed file as kept. */
  attachments: { sha256: string; size: number; stored?: string }[];
  students: number;
  payments: number;
  /** HMAC of everything above under the data key. */
  seal?: string;
}

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const sealOf = (key: Buffer, m: Manifest) => sealDigest(key, JSON.stringify({ ...m, seal: undefined }));
const attachmentFile = (root: string, sha: string) => join(root, 'attachments', sha.slice(0, 2), sha);

export function dataDirOf(ctx: CoreContext): string {
  const file = ctx.store.sqlite.name;
  if (!file || file === ':memory:') throw new AppError('no-data-folder', '内存数据库不能备份');
  return dirname(resolve(file));
}

export function backupsDir(ctx: CoreContext): string {
  return join(dataDirOf(ctx), 'backups');
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function infoOf(dir: string, m: Manifest): BackupInfo {
  return {
    name: basename(dir),
    path: dir,
    createdAt: m.createdAt,
    schema: m.schema,
    school: m.school ?? null,
    appVersion: m.appVersion ?? null,
    encrypted: m.keyId !== undefined,
    databaseBytes: m.database.size,
    attachments: m.attachments.length,
    attachmentBytes: m.attachments.reduce((n, a) => n + a.size, 0),
    students: m.students,
    payments: m.payments,
    automatic: false,
  };
}

/**
 * Where backups go and are looked for: a folder the clerk named (a USB stick), which must exist and be a
 * folder, or the data folder's backups/.
 */
export function backupFolder(ctx: CoreContext, folder: string | undefined): string {
  if (folder === undefined || folder === '') return backupsDir(ctx);
  const dir = resolve(folder);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new AppError('folder-missing', `找不到文件夹“${dir}”：U 盘是否已插好？路径是否写对？`);
  }
  if (!isDir) throw new AppError('folder-missing', `“${dir}”不是文件夹`);
  return dir;
}

/** Makes a backup into `target`, or into a new time-stamped folder in `root` (default: the data folder's backups/). */
/**
 * Makes a backup into `target`, or into a new time-stamped folder in `root` (default: the data folder's
 * backups/); `asFile` makes it one .aidbackup file in `root` instead (a folder the clerk named: a USB stick).
 */
export async function createBackup(ctx: CoreContext, target?: string, root?: string, asFile = false): Promise<BackupInfo> {
  const name = `aid-desk-${stamp(ctx.now())}`;
  const file = asFile ? resolve(join(root ?? backupsDir(ctx), `${name}${BACKUP_FILE_EXTENSION}`)) : null;
  // A file is assembled from a hidden folder beside it, removed afterwards.
  const dir = resolve(file ? `${file}.parts` : (target ?? join(root ?? backupsDir(ctx), name)));
  if (file && existsSync(file)) throw new AppError('backup-exists', `“${file}”已经存在，请稍后再备份`);
  if (existsSync(join(dir, MANIFEST))) throw new AppError('backup-exists', `“${dir}”中已有一份备份，请换一个文件夹`);
  const fresh = !existsSync(dir);
  // What nothing refers to (a replaced print, a removed photo) does not go into the backup.
  sweepAttachments(ctx);
  try {
    mkdirSync(dir, { recursive: true });
    const info = await writeBackup(ctx, dir);
    if (!file) return info;
    packBackup(dir, file, JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')));
    rmSync(dir, { recursive: true, force: true });
    return { ...info, name: basename(file), path: file };
  } catch (e) {
    // An unfinished backup is removed rather than left looking like one.
    if (fresh || file) rmSync(dir, { recursive: true, force: true });
    if (file) rmSync(`${file}.partial`, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof AppError || !code) throw e;
    const where = file ?? dir;
    throw new AppError(
      'backup-write',
      code === 'ENOSPC'
        ? `“${where}”所在的磁盘或 U 盘空间不足，备份未完成`
        : `无法写入“${where}”（${code}）：U 盘是否写保护或已拔出？备份未完成`,
    );
  }
}

async function writeBackup(ctx: CoreContext, dir: string): Promise<BackupInfo> {
  const key = deskKey(ctx);
  const dbFile = join(dir, DATABASE_FILE);
  ctx.store.sqlite.prepare(`VACUUM INTO ?`).run(dbFile);
  // What the copy refers to, read from the copy itself: attachments added meanwhile belong to the next backup.
  const copy = new SqliteDatabase(dbFile);
  copy.pragma(databaseKeyPragma(key));
  // VACUUM INTO writes a rollback-journal file; the desk opens it in WAL mode, which rewrites the header.
  // Set here, before the hash, the restored file stays the backup's file bit for bit when opened.
  copy.pragma('journal_mode = WAL');
  let manifest: Manifest;
  try {
    const shas = copy.prepare(`SELECT sha256 FROM attachment ORDER BY sha256`).pluck().all() as string[];
    const source = dataDirOf(ctx);
    const attachments = shas.map((sha) => {
      const from = attachmentFile(source, sha);
      if (!existsSync(from)) throw new AppError('attachment-missing', `附件 ${sha.slice(0, 12)}… 在数据文件夹中找不到，备份未完成`);
      const to = attachmentFile(dir, sha);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
      const stored = readFileSync(to);
      const plain = openSealed(key, stored, sha);
      if (!plain || sha256(plain) !== sha)
        throw new AppError('attachment-corrupt', `附件 ${sha.slice(0, 12)}… 内容与记录不符（文件已损坏），备份未完成`);
      return { sha256: sha, size: plain.length, stored: sha256(stored) };
    });
    manifest = {
      app: 'AidDesk',
      appVersion: appVersion(),
      createdAt: ctx.now().toISOString(),
      schema: (copy.prepare(`SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1`).pluck().get() as string | undefined) ?? '',
      school: (copy.prepare(`SELECT name FROM school LIMIT 1`).pluck().get() as string | undefined) ?? '',
      keyId: keyIdOf(key),
      database: { file: DATABASE_FILE, size: statSync(dbFile).size, sha256: sha256Of(dbFile) },
      attachments,
      students: copy.prepare(`SELECT count(*) FROM student`).pluck().get() as number,
      payments: copy.prepare(`SELECT count(*) FROM payment WHERE outcome = 'paid'`).pluck().get() as number,
    };
  } finally {
    copy.close();
    // Reading the copy leaves an empty -wal and its -shm beside it: outside the manifest, they are removed.
    if (existsSync(`${dbFile}-wal`) && statSync(`${dbFile}-wal`).size === 0) rmSync(`${dbFile}-wal`);
    rmSync(`${dbFile}-shm`, { force: true });
  }
  // The key file of the day: on another computer the backup opens with the password it was made under.
  copyFileSync(keyFilePath(dataDirOf(ctx)), join(dir, KEY_FILE));
  manifest.seal = sealOf(key, manifest);
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest, null, 2), { flush: true });
  return infoOf(dir, manifest);
}

function deskKey(ctx: CoreContext): Buffer {
  const key = ctx.store.key;
  if (!key) throw new AppError('no-data-folder', '内存数据库不能备份');
  return key;
}

export interface VerifiedBackup {
  info: BackupInfo;
  manifest: Manifest;
  /** The key the backup is encrypted with; null for a backup from before encryption. */
  key: Buffer | null;
}

/**
 * Reads and checks a backup folder: the manifest and its seal, the database's hash and integrity, every
 * attachment's hash. `deskKey` is the current desk's key; a backup under another key needs `password`, the
 * password it was made under.
 */
export function verifyBackup(dir: string, deskKey: Buffer, password?: string): VerifiedBackup {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) throw new AppError('backup-invalid', `“${dir}”不是完整的 AidDesk 备份（没有 ${MANIFEST}，可能是中断的备份）`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    throw new AppError('backup-invalid', `备份说明文件 ${MANIFEST} 已损坏`);
  }
  if (manifest.app !== 'AidDesk') throw new AppError('backup-invalid', `“${dir}”不是 AidDesk 的备份`);
  if (manifest.schema && !(manifest.schema in migrations))
    throw new AppError('backup-newer', `这份备份来自更新版本的 AidDesk（${manifest.appVersion ?? '版本未知'}），请先升级程序再恢复`);
  const key = manifest.keyId === undefined ? null : backupKey(dir, manifest, deskKey, password);
  if (key && manifest.seal !== sealOf(key, manifest))
    throw new AppError('backup-tampered', '备份说明文件被改动过（密钥签名不符），这份备份不可信，不能恢复');
  const db = join(dir, manifest.database.file);
  if (!existsSync(db) || sha256Of(db) !== manifest.database.sha256)
    throw new AppError('backup-corrupt', '备份中的数据库文件缺失或已损坏（校验值不符），不能恢复');
  const check = new SqliteDatabase(db, { readonly: true });
  try {
    if (key) check.pragma(databaseKeyPragma(key));
    const ok = check.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new AppError('backup-corrupt', `备份中的数据库未通过完整性检查：${String(ok)}`);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('backup-corrupt', '备份中的数据库无法读取（文件已损坏），不能恢复');
  } finally {
    check.close();
  }
  for (const a of manifest.attachments) {
    const f = attachmentFile(dir, a.sha256);
    if (!existsSync(f) || sha256Of(f) !== (a.stored ?? a.sha256))
      throw new AppError('backup-corrupt', `备份中的附件 ${a.sha256.slice(0, 12)}… 缺失或已损坏，不能恢复`);
  }
  return { info: infoOf(dir, manifest), manifest, key };
}

/** The desk's own key, or the backup's own (from its key file and the password it was made under). */
function backupKey(dir: string, manifest: Manifest, deskKey: Buffer, password: string | undefined): Buffer {
  if (manifest.keyId === keyIdOf(deskKey)) return deskKey;
  const keyFile = readKeyFile(join(dir, KEY_FILE));
  if (!keyFile || keyFile.keyId !== manifest.keyId) throw new AppError('backup-corrupt', `备份中缺少它的密钥文件 ${KEY_FILE}，不能恢复`);
  if (!password)
    throw new AppError(
      'backup-password',
      '这份备份用另一把密钥加密（另一台电脑、重新安装之前，或修改密码之前做的备份）：请输入做这份备份时的密码',
    );
  try {
    return unlockWithPassword(keyFile, password);
  } catch {
    throw new AppError('wrong-password', '备份的密码不正确，没有恢复，当前数据未改动');
  }
}

/** The backups in a folder, and in its auto/ folder (the rolling ones), newest first. */
export function listBackups(ctx: CoreContext, root = backupsDir(ctx)): BackupInfo[] {
  return [...backupsIn(root, false), ...backupsIn(join(root, AUTO_FOLDER), true)].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

function backupsIn(root: string, automatic: boolean): BackupInfo[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true }).flatMap((e) => {
    const path = join(root, e.name);
    try {
      if (e.isDirectory() && existsSync(join(path, MANIFEST)))
        return [{ ...infoOf(path, JSON.parse(readFileSync(join(path, MANIFEST), 'utf8')) as Manifest), automatic }];
      if (e.isFile() && e.name.endsWith(BACKUP_FILE_EXTENSION))
        return [{ ...infoOf(path, readBackupHeader(path).manifest as Manifest), automatic }];
    } catch {
      // Not a backup, or one whose header is unreadable: not offered for a restore.
    }
    return [];
  });
}

export const AUTO_FOLDER = 'auto';
/** While the clerk edits, a rolling backup at most this often. */
export const AUTO_INTERVAL_MS = 15 * 60_000;

/**
 * A rolling backup into backups/auto/ when the desk changed since the last one: while editing at most every
 * 15 minutes (by the core's clock), on lock and close always. Old ones are pruned (rules/backup-retention).
 */
export async function autoBackup(ctx: CoreContext, when: 'editing' | 'closing'): Promise<BackupInfo | null> {
  const desk = ctx.desk;
  if (!desk?.autoBackups || !desk.open) return null;
  const changes = () => ctx.store.sqlite.prepare(`SELECT total_changes()`).pluck().get() as number;
  if (changes() === (desk.backedUpChanges ?? 0)) return null;
  const now = ctx.now().getTime();
  if (when === 'editing' && desk.lastAutoBackup !== undefined && now - desk.lastAutoBackup < AUTO_INTERVAL_MS) return null;
  const root = join(backupsDir(ctx), AUTO_FOLDER);
  const info = await createBackup(ctx, undefined, root);
  desk.lastAutoBackup = now;
  desk.backedUpChanges = changes();
  const kept = backupsIn(root, true).map((b) => ({ name: b.name, createdAt: b.createdAt, bytes: b.databaseBytes + b.attachmentBytes }));
  for (const name of backupsToPrune(kept, ctx.now())) rmSync(join(root, name), { recursive: true, force: true });
  return info;
}

export type RestoreStep = 'copied' | 'checked' | 'attachments' | 'aside' | 'wal-removed' | 'renamed';
export const RESTORE_STEPS: RestoreStep[] = ['copied', 'checked', 'attachments', 'aside', 'wal-removed', 'renamed'];

/** Flushes a file (or, where the system allows it, a folder's entries) to the disk. */
function flush(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch (e) {
    // Windows cannot open a folder to flush it; a file that cannot be flushed is an error.
    if (!statSync(path).isDirectory()) throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Other processes with the database open (the app, the browser mode): a restore under them would be lost. */
export function openElsewhere(dataDir: string): number[] {
  const name = DATABASE_FILE.replace(/\./g, '\\.');
  const pattern = new RegExp(`^${name}\\.(\\d+)\\.lock$`);
  const pids: number[] = [];
  for (const entry of existsSync(dataDir) ? readdirSync(dataDir) : []) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (!pid || pid === process.pid) continue;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch (e) {
      alive = (e as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (alive) pids.push(pid);
    else rmSync(join(dataDir, entry), { force: true }); // left by a process that was killed
  }
  return pids;
}

/**
 * Puts a backup in place of the data folder's database and attachments (this process's connection must be
 * closed). At every moment there is a whole database in place, the old one or the restored one:
 * 1. the backup's database is copied beside the live one (`.restoring`) and flushed; a second copy is opened
 *    and migrated as the app would, so a backup that cannot be opened is refused before anything is touched;
 * 2. the attachments are added (content-addressed: adding never harms) and flushed;
 * 3. the live database is checkpointed and copied to before-restore-<time>/ (never deleted), flushed;
 * 4. its emptied -wal/-shm are removed, and the copy is renamed over it in one atomic step, then the folder flushed.
 * Refused while another process has the database open.
 */
export async function restoreFiles(
  dataDir: string,
  backupDir: string,
  now: Date,
  /** The desk's data key: the restored database and attachments end up under it. */
  deskKey: Buffer,
  options: {
    /** The password of a backup made under another key. */
    password?: string;
    /** Called after each step: tests stop the restore there, as a power cut would. */
    reached?: (step: RestoreStep) => void;
    /** The backup as the caller verified it just before (a county database takes six seconds to check). */
    verified?: VerifiedBackup;
  } = {},
): Promise<BackupInfo> {
  const reached = options.reached ?? (() => {});
  const { info, manifest, key } = options.verified ?? verifyBackup(resolve(backupDir), deskKey, options.password);
  const others = openElsewhere(dataDir);
  if (others.length)
    throw new AppError(
      'desk-open',
      `AidDesk 正在使用这个数据文件夹（进程 ${others.join('、')}，桌面程序或浏览器模式）：请先关闭它再恢复，否则之后在那里做的修改会写进被替换的文件而丢失`,
    );
  const dbFile = join(dataDir, DATABASE_FILE);
  const temp = `${dbFile}.restoring`;
  const trial = `${dbFile}.restore-check`;
  const removeTrial = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(trial + suffix, { force: true });
  };
  for (const suffix of ['', '-journal', '-wal', '-shm', '.encrypting']) rmSync(temp + suffix, { force: true });
  copyFileSync(join(backupDir, manifest.database.file), temp);
  // The copy is the file that was verified, bit for bit (whatever happened to the folder since).
  if (sha256Of(temp) !== manifest.database.sha256) {
    rmSync(temp, { force: true });
    throw new AppError('backup-corrupt', '备份中的数据库文件在核对后被改动或读取出错（校验值不符），没有恢复，当前数据未改动');
  }
  try {
    // Under the desk's key: as it is (bit for bit), or re-encrypted from the backup's own key or from clear.
    if (!key) encryptDatabaseFile(temp, deskKey);
    else if (!key.equals(deskKey)) rekeyDatabaseFile(temp, key, deskKey);
  } catch (e) {
    for (const suffix of ['', '-journal', '-wal', '-shm', '.encrypting']) rmSync(temp + suffix, { force: true });
    throw new AppError('backup-corrupt', `备份中的数据库无法转换为本机的密钥，没有恢复，当前数据未改动：${(e as Error).message}`);
  }
  flush(temp);
  reached('copied');
  try {
    copyFileSync(temp, trial);
    const store = await openStore(trial, deskKey);
    await store.close();
  } catch (e) {
    rmSync(temp, { force: true });
    throw new AppError('backup-corrupt', `备份中的数据库无法打开，没有恢复，当前数据未改动：${(e as Error).message}`);
  } finally {
    removeTrial();
  }
  reached('checked');
  for (const a of manifest.attachments) {
    const to = attachmentFile(dataDir, a.sha256);
    if (existsSync(to) && sha256(openSealed(deskKey, readFileSync(to), a.sha256) ?? '') === a.sha256) continue;
    mkdirSync(dirname(to), { recursive: true });
    const from = attachmentFile(backupDir, a.sha256);
    if (key?.equals(deskKey)) copyFileSync(from, `${to}.restoring`);
    else {
      const stored = readFileSync(from);
      const plain = key ? openSealed(key, stored, a.sha256) : stored;
      if (!plain || sha256(plain) !== a.sha256)
        throw new AppError('backup-corrupt', `备份中的附件 ${a.sha256.slice(0, 12)}… 无法解密，没有恢复，当前数据未改动`);
      writeFileSync(`${to}.restoring`, sealBytes(deskKey, plain, a.sha256));
    }
    flush(`${to}.restoring`);
    renameSync(`${to}.restoring`, to);
  }
  reached('attachments');
  if (existsSync(dbFile)) {
    try {
      // Whatever the live database's WAL holds goes into the file first, so the copy set aside is whole.
      const live = new SqliteDatabase(dbFile);
      live.pragma(databaseKeyPragma(deskKey));
      live.pragma('wal_checkpoint(TRUNCATE)');
      live.close();
    } catch {
      // A damaged live database is set aside as it is.
    }
  }
  const aside = join(dataDir, `before-restore-${stamp(now)}`);
  mkdirSync(aside, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(dbFile + suffix)) continue;
    copyFileSync(dbFile + suffix, join(aside, DATABASE_FILE + suffix));
    flush(join(aside, DATABASE_FILE + suffix));
  }
  flush(aside);
  reached('aside');
  for (const suffix of ['-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
  reached('wal-removed');
  renameSync(temp, dbFile);
  flush(dataDir);
  reached('renamed');
  return info;
}

/** Restores into the running desk: closes its database, puts the backup in place and opens it again. */
export async function restoreBackup(ctx: CoreContext, backupPath: string, password?: string): Promise<BackupInfo> {
  const dataDir = dataDirOf(ctx);
  if (!statSync(backupPath).isFile()) return restoreFolder(ctx, backupPath, password);
  // A backup file is unpacked inside the data folder (never onto the stick), restored as a folder, then removed.
  const unpacked = join(dataDir, `restore-unpacked-${process.pid}`);
  try {
    unpackBackup(backupPath, unpacked);
    // What the list showed (the header) must be the sealed manifest inside, word for word.
    const shown = JSON.stringify(readBackupHeader(backupPath).manifest);
    if (shown !== JSON.stringify(JSON.parse(readFileSync(join(unpacked, MANIFEST), 'utf8'))))
      throw new AppError('backup-tampered', '备份文件的说明被改动过（与其中签名的清单不符），这份备份不可信，不能恢复');
    return { ...(await restoreFolder(ctx, unpacked, password)), name: basename(backupPath), path: backupPath };
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
}

async function restoreFolder(ctx: CoreContext, backupDir: string, password?: string): Promise<BackupInfo> {
  const dataDir = dataDirOf(ctx);
  const key = deskKey(ctx);
  // Checked before the desk closes (a bad backup leaves it open), and once: restoreFiles takes the result.
  const verified = verifyBackup(resolve(backupDir), key, password);
  await ctx.store.close();
  let info: BackupInfo;
  try {
    info = await restoreFiles(dataDir, backupDir, ctx.now(), key, { password, verified });
  } finally {
    ctx.store = await openStore(join(dataDir, DATABASE_FILE), key);
  }
  ctx.uploads.clear();
  return info;
}
