/**
 * A backup the clerk can carry: one file (.aidbackup) holding a backup folder's parts — the encrypted
 * database, the sealed attachments, the key file of the day and the sealed manifest — one after another
 * behind a small header that lists them. Nothing in it is readable without the password; the manifest's
 * seal and hashes (checked after unpacking, backup.ts verifyBackup) prove it whole and unaltered, and a file
 * cut short (a copy to the stick interrupted) is refused before anything is written.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { AppError } from '../../shared/errors';

export const BACKUP_FILE_EXTENSION = '.aidbackup';
const MAGIC = Buffer.from('AIDDESK-BACKUP-1\n');
/** The header lists the parts; a school's backup has a few thousand at most. */
const HEADER_MAX = 16 * 1024 * 1024;

interface Part {
  name: string;
  size: number;
}

export interface BackupFileHeader {
  parts: Part[];
  /** The manifest as written in the folder (manifest.json), for listing without unpacking. */
  manifest: unknown;
}

function partsOf(folder: string): Part[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return { name: relative(folder, path).split(sep).join('/'), size: statSync(path).size };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Writes the folder's parts into one file (a temporary name, flushed, then renamed). */
export function packBackup(folder: string, file: string, manifest: unknown): void {
  const parts = partsOf(folder);
  const header = Buffer.from(JSON.stringify({ parts, manifest } satisfies BackupFileHeader));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const temp = `${file}.partial`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, MAGIC);
    writeSync(fd, length);
    writeSync(fd, header);
    const chunk = Buffer.alloc(1024 * 1024);
    for (const part of parts) {
      const from = openSync(join(folder, ...part.name.split('/')), 'r');
      try {
        let n: number;
        while ((n = readSync(from, chunk, 0, chunk.length, null)) > 0) writeSync(fd, chunk, 0, n);
      } finally {
        closeSync(from);
      }
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

function readExactly(fd: number, length: number, at: number): Buffer {
  const buffer = Buffer.alloc(length);
  const n = readSync(fd, buffer, 0, length, at);
  return buffer.subarray(0, n);
}

/** The header only: what the backup holds, without reading the rest. */
export function readBackupHeader(file: string): BackupFileHeader & { bodyAt: number } {
  const fd = openSync(file, 'r');
  try {
    const head = readExactly(fd, MAGIC.length + 4, 0);
    if (head.length < MAGIC.length + 4 || !head.subarray(0, MAGIC.length).equals(MAGIC))
      throw new AppError('backup-invalid', `“${file}”不是 AidDesk 的备份文件`);
    const length = head.readUInt32LE(MAGIC.length);
    if (length > HEADER_MAX) throw new AppError('backup-corrupt', `备份文件“${file}”已损坏（文件头不正确）`);
    const header = readExactly(fd, length, MAGIC.length + 4);
    if (header.length < length) throw new AppError('backup-corrupt', `备份文件“${file}”不完整（可能没有复制完），不能恢复`);
    let parsed: BackupFileHeader;
    try {
      parsed = JSON.parse(header.toString('utf8')) as BackupFileHeader;
    } catch {
      throw new AppError('backup-corrupt', `备份文件“${file}”已损坏（文件头无法读取）`);
    }
    return { ...parsed, bodyAt: MAGIC.length + 4 + length };
  } finally {
    closeSync(fd);
  }
}

/** Only names a backup writes: no way out of the folder it is unpacked into. */
const PART_NAME = /^(aid-desk\.sqlite|aid-desk\.key\.json|manifest\.json|attachments\/[0-9a-f]{2}\/[0-9a-f]{64})$/;

/** Unpacks into a new folder; a file cut short or listing foreign names is refused before anything is written. */
export function unpackBackup(file: string, into: string): void {
  const { parts, bodyAt } = readBackupHeader(file);
  const total = parts.reduce((n, p) => n + p.size, 0);
  if (statSync(file).size !== bodyAt + total)
    throw new AppError('backup-corrupt', `备份文件“${file}”不完整或已损坏（大小不符，可能没有复制完），不能恢复，当前数据未改动`);
  for (const p of parts)
    if (!PART_NAME.test(p.name) || !Number.isSafeInteger(p.size) || p.size < 0)
      throw new AppError('backup-corrupt', `备份文件“${file}”已损坏（内容清单不正确），不能恢复`);
  if (existsSync(into)) rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  const fd = openSync(file, 'r');
  try {
    let at = bodyAt;
    for (const p of parts) {
      const target = join(into, ...p.name.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      const out = openSync(target, 'w');
      try {
        const chunk = Buffer.alloc(1024 * 1024);
        for (let left = p.size; left > 0;) {
          const n = readSync(fd, chunk, 0, Math.min(chunk.length, left), at);
          if (n <= 0) throw new AppError('backup-corrupt', `备份文件“${file}”不完整，不能恢复，当前数据未改动`);
          writeSync(out, chunk, 0, n);
          at += n;
          left -= n;
        }
      } finally {
        closeSync(out);
      }
    }
  } finally {
    closeSync(fd);
  }
}
