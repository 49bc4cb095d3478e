/**
 * The desk at rest: a data folder whose database and attachments are encrypted under the key in
 * aid-desk.key.json. Its states, as the files show them:
 * - new: no database and no key file (the first start): the clerk chooses a password;
 * - unencrypted: a database from before encryption, no key file: the clerk chooses a password and it is
 *   encrypted;
 * - locked: a key file: the password (or the recovery code) opens it.
 * Encrypting an existing desk writes the key file first, then the encrypted copy of the database replaces
 * the plain one in one rename, then each attachment is sealed in place; a desk found half-way (a key file
 * beside a plain database or plain attachments) is finished by the next unlock, so a power cut never
 * leaves data that no key opens.
 */
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { DATABASE_FILE } from '../data-dir';
import { openStore, type Store } from '../db/open';
import {
  createKeys,
  databaseKeyPragma,
  isSealed,
  KEY_FILE,
  readKeyFile,
  rewrapPassword,
  sealBytes,
  sha256,
  unlockWithPassword,
  writeKeyFile,
  finishRekey,
  openSealed,
  startRekey,
  unlockKeys,
  type KeyFile,
  type ScryptParams,
} from './keys';
import { checkNewPassword } from '../../../shared/rules/password';

export type DeskFileState = 'new' | 'unencrypted' | 'locked';

export const keyFilePath = (dataDir: string) => join(dataDir, KEY_FILE);
const databaseFile = (dataDir: string) => join(dataDir, DATABASE_FILE);

export function deskFileState(dataDir: string): DeskFileState {
  if (existsSync(keyFilePath(dataDir))) return 'locked';
  return existsSync(databaseFile(dataDir)) ? 'unencrypted' : 'new';
}

/** A plain SQLite file starts with these 16 bytes; an encrypted one does not. */
export function isPlainDatabase(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

function flush(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder to flush it.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Encrypts a plain database file (a desk or a backup from before encryption): rekeyDatabaseFile from the clear. */
export function encryptDatabaseFile(file: string, dataKey: Buffer): void {
  rekeyDatabaseFile(file, null, dataKey);
}

/**
 * Seals each attachment under `to`: from the clear (`from` null: a desk from before encryption, or one cut
 * short), or from the old key of a re-key. Each file is replaced by an atomic rename, so a cut leaves every
 * file under one key or the other; leftovers of killed writes (never referenced, possibly personal) go.
 * From the clear only a file's first bytes are read unless it needs sealing: this runs at every unlock.
 */
export function sealAttachments(dataDir: string, from: Buffer | null, to: Buffer): number {
  const root = join(dataDir, 'attachments');
  if (!existsSync(root)) return 0;
  let sealed = 0;
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const name of readdirSync(join(root, dir.name))) {
      const path = join(root, dir.name, name);
      if (!/^[0-9a-f]{64}$/.test(name)) {
        if (/\.tmp$|\.restoring$|\.sealing$/.test(name)) rmSync(path, { force: true });
        continue;
      }
      if (!from && startsSealed(path)) continue;
      const data = readFileSync(path);
      if (from && openSealed(to, data, name)) continue;
      const plain = (from && openSealed(from, data, name)) ?? (sha256(data) === name ? data : null);
      if (!plain) continue; // damaged: left for the backup check to name
      writeFileSync(`${path}.sealing`, sealBytes(to, plain, name), { flush: true });
      renameSync(`${path}.sealing`, path);
      sealed++;
    }
  }
  return sealed;
}

function startsSealed(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(32);
    return isSealed(head.subarray(0, readSync(fd, head, 0, 32, 0)));
  } finally {
    closeSync(fd);
  }
}

export interface OpenedDesk {
  store: Store;
  /** Shown once (at setup, after a password change): the only way back in without the password. */
  recoveryCode?: string;
}

/**
 * Sets the password of a new desk, or of a desk from before encryption (which is then encrypted), and opens
 * it. Refused when the desk already has a password.
 */
export async function setUpDesk(dataDir: string, password: string, now: Date, kdf?: ScryptParams): Promise<OpenedDesk> {
  if (deskFileState(dataDir) === 'locked') throw new AppError('desk-has-password', '这个数据文件夹已经设置过密码：请用密码解锁');
  const { keyFile, dataKey, recoveryCode } = createKeys(password, now, kdf);
  // A first start: the data folder itself may not exist yet.
  mkdirSync(dataDir, { recursive: true });
  writeKeyFile(keyFilePath(dataDir), keyFile);
  return { store: await openUnlocked(dataDir, dataKey), recoveryCode };
}

/** `now`: the core's clock, for the key file's dates when a password change cut short is finished here. */
export async function unlockDesk(dataDir: string, password: string, now: Date): Promise<OpenedDesk> {
  const keyFile = readKeyFile(keyFilePath(dataDir));
  if (!keyFile) throw new AppError('desk-no-password', '这个数据文件夹还没有设置密码');
  const unlocked = unlockKeys(keyFile, password, 'password');
  // A password change cut short: finished now, and its new recovery code shown (the old one no longer opens).
  if (unlocked.rekey) return completeRekey(dataDir, keyFile, unlocked.rekey, now);
  return { store: await openUnlocked(dataDir, unlocked.key) };
}

/** The recovery code opens the desk and sets a new password. */
export async function recoverDesk(dataDir: string, code: string, newPassword: string, now: Date): Promise<OpenedDesk> {
  const path = keyFilePath(dataDir);
  let keyFile = readKeyFile(path);
  if (!keyFile) throw new AppError('desk-no-password', '这个数据文件夹还没有设置密码');
  checkNewPassword(newPassword);
  const unlocked = unlockKeys(keyFile, code, 'recovery');
  let recoveryCode: string | undefined;
  let store: Store;
  if (unlocked.rekey) {
    ({ store, recoveryCode } = await completeRekey(dataDir, keyFile, unlocked.rekey, now));
    keyFile = readKeyFile(path)!;
  } else store = await openUnlocked(dataDir, unlocked.key);
  writeKeyFile(path, rewrapPassword(keyFile, unlocked.key, newPassword, now));
  return { store, recoveryCode };
}

/**
 * Changes the password by re-keying the desk: a new data key encrypts the database (an encrypted copy,
 * renamed over the file) and every attachment, under the new password and a new recovery code. The journal
 * is the key file itself: it holds both keys, each sealed under the other, from before the first byte is
 * rewritten until the last, so a power cut anywhere leaves a desk that either password opens and the next
 * unlock finishes. The store must be closed by the caller first.
 */
export async function rekeyDesk(dataDir: string, oldPassword: string, newPassword: string, now: Date): Promise<OpenedDesk> {
  const path = keyFilePath(dataDir);
  const oldKey = checkPasswordChange(dataDir, oldPassword, newPassword);
  const keyFile = readKeyFile(path)!;
  const started = startRekey(keyFile, oldKey, newPassword);
  writeKeyFile(path, started.keyFile);
  return completeRekey(dataDir, started.keyFile, { old: oldKey, next: started.newKey }, now);
}

/** The old key, when the old password is right and the new one will do; refused before anything changes. */
export function checkPasswordChange(dataDir: string, oldPassword: string, newPassword: string): Buffer {
  const keyFile = readKeyFile(keyFilePath(dataDir));
  if (!keyFile) throw new AppError('desk-no-password', '这个数据文件夹还没有设置密码');
  if (keyFile.rekey) throw new AppError('rekey-pending', '上次修改密码没有完成：请先锁定再解锁，完成后再修改');
  let oldKey: Buffer;
  try {
    oldKey = unlockWithPassword(keyFile, oldPassword);
  } catch {
    throw new AppError('wrong-password', '原密码不正确，密码没有修改');
  }
  if (oldPassword === newPassword) throw new AppError('validation', '新密码与原密码相同');
  checkNewPassword(newPassword);
  return oldKey;
}

async function completeRekey(dataDir: string, keyFile: KeyFile, keys: { old: Buffer; next: Buffer }, now: Date): Promise<OpenedDesk> {
  const file = databaseFile(dataDir);
  rekeyDatabaseFile(file, keys.old, keys.next);
  sealAttachments(dataDir, keys.old, keys.next);
  const done = finishRekey(keyFile, keys.next, now);
  writeKeyFile(keyFilePath(dataDir), done.keyFile);
  return { store: await openStore(file, keys.next), recoveryCode: done.recoveryCode };
}

/**
 * Moves a database file to the key `to`, from another key or (`from` null) from the clear, through a copy
 * renamed over it, never rewritten in place: its WAL is folded in first, the copy leaves WAL mode for the
 * rekey (which needs a rollback journal) and returns to it, and is checked and flushed before the rename.
 * A file already under `to` is left as it is.
 */
export function rekeyDatabaseFile(file: string, from: Buffer | null, to: Buffer): void {
  if (opensWith(file, to)) return;
  const db = new SqliteDatabase(file);
  try {
    if (from) db.pragma(databaseKeyPragma(from));
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  const temp = `${file}${from ? '.rekeying' : '.encrypting'}`;
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(temp + suffix, { force: true });
  copyFileSync(file, temp);
  const copy = new SqliteDatabase(temp);
  try {
    if (from) copy.pragma(databaseKeyPragma(from));
    copy.pragma('journal_mode = DELETE');
    copy.pragma(databaseKeyPragma(to).replace(/^key/, 'rekey'));
    copy.pragma('journal_mode = WAL');
    copy.pragma('wal_checkpoint(TRUNCATE)');
    const ok = copy.pragma('integrity_check', { simple: true });
    if (ok !== 'ok')
      throw new AppError('rekey-failed', `${from ? '换密钥' : '加密'}后的数据库未通过完整性检查（${String(ok)}），原数据未改动`);
  } finally {
    copy.close();
  }
  for (const suffix of ['-wal', '-shm']) rmSync(temp + suffix, { force: true });
  flush(temp);
  for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
  renameSync(temp, file);
  flush(join(file, '..'));
}

function opensWith(file: string, key: Buffer): boolean {
  if (!existsSync(file)) return false;
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    db.pragma(databaseKeyPragma(key));
    db.prepare(`SELECT count(*) FROM sqlite_master`).get();
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/** Finishes an encryption cut short, then opens the database with the key. */
async function openUnlocked(dataDir: string, dataKey: Buffer): Promise<Store> {
  const file = databaseFile(dataDir);
  if (isPlainDatabase(file)) encryptDatabaseFile(file, dataKey);
  for (const leftover of ['.encrypting', '.rekeying']) rmSync(`${file}${leftover}`, { force: true });
  sealAttachments(dataDir, null, dataKey);
  return openStore(file, dataKey);
}
