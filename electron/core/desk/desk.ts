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
  unlockWithRecoveryCode,
  writeKeyFile,
  type ScryptParams,
} from './keys';

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

/**
 * Encrypts a plain database file in place: its WAL is folded in, an encrypted copy is made beside it
 * (rekey needs a rollback journal, so the copy leaves WAL mode for the rekey and returns to it), checked,
 * flushed and renamed over the plain file. The plain -wal/-shm are removed first: after the checkpoint
 * they are empty.
 */
export function encryptDatabaseFile(file: string, dataKey: Buffer): void {
  const plain = new SqliteDatabase(file);
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    plain.close();
  }
  const temp = `${file}.encrypting`;
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(temp + suffix, { force: true });
  copyFileSync(file, temp);
  const copy = new SqliteDatabase(temp);
  try {
    copy.pragma('journal_mode = DELETE');
    copy.pragma(databaseKeyPragma(dataKey).replace(/^key/, 'rekey'));
    copy.pragma('journal_mode = WAL');
    copy.pragma('wal_checkpoint(TRUNCATE)');
    const ok = copy.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new AppError('encrypt-failed', `加密后的数据库未通过完整性检查（${String(ok)}），原数据未改动`);
  } finally {
    copy.close();
  }
  for (const suffix of ['-wal', '-shm']) rmSync(temp + suffix, { force: true });
  flush(temp);
  for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
  renameSync(temp, file);
  flush(join(file, '..'));
}

/** Seals every attachment still stored in the clear (a desk from before encryption, or one cut short). */
export function sealPlainAttachments(dataDir: string, dataKey: Buffer): number {
  const root = join(dataDir, 'attachments');
  if (!existsSync(root)) return 0;
  let sealed = 0;
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const name of readdirSync(join(root, dir.name))) {
      const path = join(root, dir.name, name);
      if (!/^[0-9a-f]{64}$/.test(name)) {
        // A temporary file left by a killed write: never referenced, possibly holding personal data.
        if (/\.tmp$|\.restoring$/.test(name)) rmSync(path, { force: true });
        continue;
      }
      const data = readFileSync(path);
      if (isSealed(data) || sha256(data) !== name) continue;
      writeFileSync(`${path}.sealing`, sealBytes(dataKey, data, name), { flush: true });
      renameSync(`${path}.sealing`, path);
      sealed++;
    }
  }
  return sealed;
}

export interface OpenedDesk {
  store: Store;
  /** Shown once, at setup: the only way back in without the password. */
  recoveryCode?: string;
}

/**
 * Sets the password of a new desk, or of a desk from before encryption (which is then encrypted), and opens
 * it. Refused when the desk already has a password.
 */
export async function setUpDesk(dataDir: string, password: string, now: Date, kdf?: ScryptParams): Promise<OpenedDesk> {
  if (deskFileState(dataDir) === 'locked') throw new AppError('desk-has-password', '这个数据文件夹已经设置过密码：请用密码解锁');
  const { keyFile, dataKey, recoveryCode } = createKeys(password, now, kdf);
  writeKeyFile(keyFilePath(dataDir), keyFile);
  return { store: await openUnlocked(dataDir, dataKey), recoveryCode };
}

export async function unlockDesk(dataDir: string, password: string): Promise<OpenedDesk> {
  const keyFile = readKeyFile(keyFilePath(dataDir));
  if (!keyFile) throw new AppError('desk-no-password', '这个数据文件夹还没有设置密码');
  return { store: await openUnlocked(dataDir, unlockWithPassword(keyFile, password)) };
}

/** The recovery code opens the desk and sets a new password. */
export async function recoverDesk(dataDir: string, code: string, newPassword: string, now: Date): Promise<OpenedDesk> {
  const path = keyFilePath(dataDir);
  const keyFile = readKeyFile(path);
  if (!keyFile) throw new AppError('desk-no-password', '这个数据文件夹还没有设置密码');
  const dataKey = unlockWithRecoveryCode(keyFile, code);
  const rewrapped = rewrapPassword(keyFile, dataKey, newPassword, now);
  const store = await openUnlocked(dataDir, dataKey);
  writeKeyFile(path, rewrapped);
  return { store };
}

export function changeDeskPassword(dataDir: string, oldPassword: string, newPassword: string, now: Date): void {
  const path = keyFilePath(dataDir);
  const keyFile = readKeyFile(path);
  if (!keyFile) throw new AppError('desk-no-password', '这个数据文件夹还没有设置密码');
  let dataKey: Buffer;
  try {
    dataKey = unlockWithPassword(keyFile, oldPassword);
  } catch {
    throw new AppError('wrong-password', '原密码不正确，密码没有修改');
  }
  if (oldPassword === newPassword) throw new AppError('validation', '新密码与原密码相同');
  writeKeyFile(path, rewrapPassword(keyFile, dataKey, newPassword, now));
}

/** Finishes an encryption cut short, then opens the database with the key. */
async function openUnlocked(dataDir: string, dataKey: Buffer): Promise<Store> {
  const file = databaseFile(dataDir);
  if (isPlainDatabase(file)) encryptDatabaseFile(file, dataKey);
  rmSync(`${file}.encrypting`, { force: true });
  sealPlainAttachments(dataDir, dataKey);
  return openStore(file, dataKey);
}
