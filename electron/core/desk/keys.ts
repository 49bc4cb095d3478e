/**
 * The desk's keys. One random data key encrypts everything at rest (the database through SQLite3 Multiple
 * Ciphers, each attachment with AES-256-GCM, the backup manifests' seal). The data key itself is stored only
 * wrapped: once under a key derived with scrypt from the clerk's password, once under a key derived from the
 * recovery code shown at setup. Recovering with the code re-wraps the same data key under a new password.
 * Changing the password re-keys (desk/desk.ts rekeyDesk): a new data key and a new recovery code, so an old
 * password and an old copy of the key file open nothing written afterwards.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import { checkNewPassword, normaliseRecoveryCode } from '../../../shared/rules/password';

export const KEY_FILE = 'aid-desk.key.json';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** About a tenth of a second and 32 MB on the clerk's laptop: slow for a guesser, quick for the clerk. */
export const SCRYPT_DEFAULT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

interface Wrapped {
  salt: string;
  iv: string;
  tag: string;
  key: string;
}

export interface KeyFile {
  app: 'AidDesk';
  version: 1;
  kdf: { name: 'scrypt' } & ScryptParams;
  /** Names the data key without revealing it: backups made under it carry the same id. */
  keyId: string;
  password: Wrapped;
  recovery: Wrapped;
  createdAt: string;
  passwordChangedAt: string;
  /** A re-key under way (written before it starts, removed when it ends): the next unlock finishes it. */
  rekey?: PendingRekey;
}

export interface PendingRekey {
  keyId: string;
  password: Wrapped;
  recovery: Wrapped;
  /** Each data key sealed under the other: either password gives both. */
  oldUnderNew: string;
  newUnderOld: string;
  /** The new recovery code, sealed under the new key, to be shown when an interrupted re-key is finished. */
  recoveryCode: string;
}

const b64 = (b: Buffer) => b.toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64');

function derive(secret: string, salt: Buffer, kdf: ScryptParams): Buffer {
  return scryptSync(secret.normalize('NFC'), salt, 32, { ...kdf, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 });
}

function wrap(dataKey: Buffer, secret: string, kdf: ScryptParams): Wrapped {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive(secret, salt, kdf), iv);
  const key = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return { salt: b64(salt), iv: b64(iv), tag: b64(cipher.getAuthTag()), key: b64(key) };
}

function unwrap(w: Wrapped, secret: string, kdf: ScryptParams): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', derive(secret, unb64(w.salt), kdf), unb64(w.iv));
    decipher.setAuthTag(unb64(w.tag));
    return Buffer.concat([decipher.update(unb64(w.key)), decipher.final()]);
  } catch {
    return null;
  }
}

export function keyIdOf(dataKey: Buffer): string {
  return createHmac('sha256', dataKey).update('aid-desk key id').digest('hex').slice(0, 16);
}

/** Separate keys for separate uses, all from the one data key. */
export function subKey(dataKey: Buffer, use: 'database' | 'files' | 'seal'): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `aid-desk ${use}`, 32));
}

/** 24 letters and digits in six groups (no 0/O, 1/I/L): read aloud and copied by hand without mistakes. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
function newRecoveryCode(): string {
  const bytes = randomBytes(24);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

export function createKeys(
  password: string,
  now: Date,
  kdf: ScryptParams = SCRYPT_DEFAULT,
): { keyFile: KeyFile; dataKey: Buffer; recoveryCode: string } {
  checkNewPassword(password);
  const dataKey = randomBytes(32);
  const recoveryCode = newRecoveryCode();
  const at = now.toISOString();
  const keyFile: KeyFile = {
    app: 'AidDesk',
    version: 1,
    kdf: { name: 'scrypt', ...kdf },
    keyId: keyIdOf(dataKey),
    password: wrap(dataKey, password, kdf),
    recovery: wrap(dataKey, normaliseRecoveryCode(recoveryCode), kdf),
    createdAt: at,
    passwordChangedAt: at,
  };
  return { keyFile, dataKey, recoveryCode };
}

/** Both keys of an unfinished re-key, from either side's secret; null when the secret opens neither. */
function bothKeys(keyFile: KeyFile, side: 'password' | 'recovery', secret: string): { old: Buffer; next: Buffer } | null {
  const r = keyFile.rekey!;
  const old = unwrap(keyFile[side], secret, keyFile.kdf);
  if (old) return { old, next: openKeySeal(old, r.newUnderOld) };
  const next = unwrap(r[side], secret, keyFile.kdf);
  return next ? { old: openKeySeal(next, r.oldUnderNew), next } : null;
}

export type Unlocked = { key: Buffer; rekey?: { old: Buffer; next: Buffer } };

export function unlockWithPassword(keyFile: KeyFile, password: string): Buffer {
  const key = unwrap(keyFile.password, password, keyFile.kdf);
  if (!key) throw new AppError('wrong-password', '密码不正确。忘记了密码，可以用设置时抄下的恢复码重设');
  return key;
}

/** The password opens the desk, or both keys of a re-key cut short (the old password or the new one). */
export function unlockKeys(keyFile: KeyFile, secret: string, side: 'password' | 'recovery'): Unlocked {
  const typed = side === 'recovery' ? normaliseRecoveryCode(secret) : secret;
  if (keyFile.rekey) {
    const both = bothKeys(keyFile, side, typed);
    if (both) return { key: both.next, rekey: both };
  } else {
    const key = unwrap(keyFile[side], typed, keyFile.kdf);
    if (key) return { key };
  }
  throw side === 'password'
    ? new AppError('wrong-password', '密码不正确。忘记了密码，可以用设置时抄下的恢复码重设')
    : new AppError('wrong-recovery-code', '恢复码不正确：请对照设置时抄下的 24 位恢复码（字母和数字，不分大小写）');
}

export function unlockWithRecoveryCode(keyFile: KeyFile, code: string): Buffer {
  const key = unwrap(keyFile.recovery, normaliseRecoveryCode(code), keyFile.kdf);
  if (!key) throw new AppError('wrong-recovery-code', '恢复码不正确：请对照设置时抄下的 24 位恢复码（字母和数字，不分大小写）');
  return key;
}

function sealKey(under: Buffer, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subKey(under, 'seal'), iv);
  const body = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

function openKeySeal(under: Buffer, sealed: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', subKey(under, 'seal'), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
}

/** The journal of a re-key: the new key and code wrapped, each key sealed under the other. */
export function startRekey(
  keyFile: KeyFile,
  oldKey: Buffer,
  newPassword: string,
): { keyFile: KeyFile; newKey: Buffer; recoveryCode: string } {
  checkNewPassword(newPassword);
  const newKey = randomBytes(32);
  const recoveryCode = newRecoveryCode();
  const rekey: PendingRekey = {
    keyId: keyIdOf(newKey),
    password: wrap(newKey, newPassword, keyFile.kdf),
    recovery: wrap(newKey, normaliseRecoveryCode(recoveryCode), keyFile.kdf),
    oldUnderNew: sealKey(newKey, oldKey),
    newUnderOld: sealKey(oldKey, newKey),
    recoveryCode: sealKey(newKey, Buffer.from(recoveryCode)),
  };
  return { keyFile: { ...keyFile, rekey }, newKey, recoveryCode };
}

/** The key file once the re-key is done: the new key's wrappings only. */
export function finishRekey(keyFile: KeyFile, newKey: Buffer, now: Date): { keyFile: KeyFile; recoveryCode: string } {
  const r = keyFile.rekey!;
  const { rekey: _done, ...rest } = keyFile;
  return {
    keyFile: { ...rest, keyId: r.keyId, password: r.password, recovery: r.recovery, passwordChangedAt: now.toISOString() },
    recoveryCode: openKeySeal(newKey, r.recoveryCode).toString(),
  };
}

/** A new password for the same data key (the recovery code stays valid). */
export function rewrapPassword(keyFile: KeyFile, dataKey: Buffer, password: string, now: Date): KeyFile {
  checkNewPassword(password);
  return { ...keyFile, password: wrap(dataKey, password, keyFile.kdf), passwordChangedAt: now.toISOString() };
}

export function readKeyFile(path: string): KeyFile | null {
  if (!existsSync(path)) return null;
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  } catch {
    throw new AppError('key-file-corrupt', `密钥文件“${path}”已损坏：请从备份中取回 ${KEY_FILE}`);
  }
  if (parsed.app !== 'AidDesk' || parsed.version !== 1 || parsed.kdf?.name !== 'scrypt')
    throw new AppError('key-file-corrupt', `密钥文件“${path}”不是这个版本的 AidDesk 能读的`);
  return parsed;
}

/** Written whole or not at all: a temporary file, flushed, renamed over the old one. */
export function writeKeyFile(path: string, keyFile: KeyFile): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(keyFile, null, 2), { flush: true });
  renameSync(temp, path);
  flushFolderOf(path);
}

function flushFolderOf(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path.replace(/[\\/][^\\/]*$/, '') || '.', 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot flush a folder.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const SEALED_MAGIC = Buffer.from('ADK1');

/**
 * A file's bytes encrypted with AES-256-GCM under the files key; `label` (the file's name) is authenticated
 * too, so a file moved under another name does not open.
 */
export function sealBytes(dataKey: Buffer, data: Buffer, label: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subKey(dataKey, 'files'), iv);
  cipher.setAAD(Buffer.from(label));
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([SEALED_MAGIC, iv, body, cipher.getAuthTag()]);
}

export function isSealed(data: Buffer): boolean {
  return data.length >= 32 && data.subarray(0, 4).equals(SEALED_MAGIC);
}

/** The bytes back, or null when the file was altered, cut short or sealed under another key. */
export function openSealed(dataKey: Buffer, sealed: Buffer, label: string): Buffer | null {
  if (!isSealed(sealed)) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', subKey(dataKey, 'files'), sealed.subarray(4, 16));
    decipher.setAAD(Buffer.from(label));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(16, sealed.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}

/** A keyed digest: proves a manifest was written by someone holding the data key, and not changed since. */
export function sealDigest(dataKey: Buffer, text: string): string {
  return createHmac('sha256', subKey(dataKey, 'seal')).update(text).digest('hex');
}

/** The SQLite3 Multiple Ciphers raw key for the database (bypasses its own passphrase derivation). */
export function databaseKeyPragma(dataKey: Buffer): string {
  return `key = "x'${subKey(dataKey, 'database').toString('hex')}'"`;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
