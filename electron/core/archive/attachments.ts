/**
 * Attachments: files named by their content (SHA-256) under the data folder's attachments/, so a photo
 * added twice is stored once, each sealed with AES-256-GCM under the desk's key (desk/keys.ts). The bytes
 * are written (to a temporary name, then renamed) before the row that refers to them: a crash leaves at most
 * an unreferenced file, never a row without its file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { nowIso, type CoreContext } from '../context';
import { openSealed, sealBytes } from '../desk/keys';

/** The folder beside the database file; tests on `:memory:` get none. */
export function attachmentsDir(ctx: CoreContext): string {
  const file = ctx.store.sqlite.name;
  if (!file || file === ':memory:') throw new AppError('no-data-folder', '内存数据库不能保存附件');
  return join(dirname(file), 'attachments');
}

export function attachmentPath(ctx: CoreContext, sha256: string): string {
  return join(attachmentsDir(ctx), sha256.slice(0, 2), sha256);
}

const MIME: [RegExp, string][] = [
  [/\.jpe?g$/i, 'image/jpeg'],
  [/\.png$/i, 'image/png'],
  [/\.gif$/i, 'image/gif'],
  [/\.webp$/i, 'image/webp'],
  [/\.bmp$/i, 'image/bmp'],
  [/\.pdf$/i, 'application/pdf'],
  [/\.html?$/i, 'text/html'],
  [/\.xlsx$/i, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  [/\.docx$/i, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  [/\.(doc|xls|wps|et)$/i, 'application/octet-stream'],
];

export function mimeOf(fileName: string): string {
  return MIME.find(([re]) => re.test(fileName))?.[1] ?? 'application/octet-stream';
}

/**
 * Stores the bytes (once) and their row; returns the hash. Must run outside a transaction for the file,
 * the row is an upsert so the caller may repeat it inside its own transaction.
 */
export function storeFile(ctx: CoreContext, fileName: string, data: Buffer, thumbnail: Buffer | null = null): string {
  if (data.length === 0) throw new AppError('file-empty', `文件“${fileName}”是空的`);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const path = attachmentPath(ctx, sha256);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, sealBytes(keyOf(ctx), data, sha256), { flush: true });
    renameSync(temp, path);
  }
  ctx.store.sqlite
    .prepare(
      `INSERT INTO attachment (sha256, size, mime, thumbnail, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (sha256) DO UPDATE SET thumbnail = coalesce(attachment.thumbnail, excluded.thumbnail)`,
    )
    .run(sha256, data.length, mimeOf(fileName), thumbnail, nowIso(ctx));
  return sha256;
}

export function readStoredFile(ctx: CoreContext, sha256: string): Buffer {
  const path = attachmentPath(ctx, sha256);
  if (!existsSync(path)) throw new AppError('attachment-missing', '附件文件已丢失（数据文件夹中的 attachments 目录不完整），请从备份恢复');
  const data = openSealed(keyOf(ctx), readFileSync(path), sha256);
  if (!data || createHash('sha256').update(data).digest('hex') !== sha256)
    throw new AppError('attachment-corrupt', '附件文件已损坏或被改动（解密校验不符），请从备份恢复');
  return data;
}

/** Deletes a file whose row is gone (the caller committed that first). */
export function removeStoredFile(ctx: CoreContext, sha256: string): void {
  rmSync(attachmentPath(ctx, sha256), { force: true });
}

function keyOf(ctx: CoreContext): Buffer {
  const key = ctx.store.key;
  if (!key) throw new AppError('no-data-folder', '内存数据库不能保存附件');
  return key;
}

/** Files younger than this are left alone by the sweep: another process may be between the file and its row. */
const SWEEP_GRACE_MS = 10 * 60 * 1000;

/**
 * Attachments nothing refers to any more (a roster replaced by its newer print, a photo removed, the copy
 * of a bank file whose import was killed) are deleted, rows and files, with leftovers of killed writes:
 * they would otherwise stay in the data folder and in every backup. Runs on unlock and before a backup.
 */
export function sweepAttachments(ctx: CoreContext): { rows: number; files: number } {
  const sqlite = ctx.store.sqlite;
  const rows = sqlite
    .transaction(
      () =>
        sqlite
          .prepare(
            `DELETE FROM attachment WHERE sha256 NOT IN (SELECT sha256 FROM archive_attachment) AND sha256 NOT IN (SELECT attachment_sha256 FROM county_finding WHERE attachment_sha256 IS NOT NULL) AND sha256 NOT IN (SELECT json_extract(j.value, '$.sha256') FROM education_activity a, json_each(a.photos) j)`,
          )
          .run().changes,
    )
    .immediate();
  const file = sqlite.name;
  if (!file || file === ':memory:') return { rows, files: 0 };
  const root = join(dirname(file), 'attachments');
  if (!existsSync(root)) return { rows, files: 0 };
  const keep = new Set(sqlite.prepare(`SELECT sha256 FROM attachment`).pluck().all() as string[]);
  const now = Date.now();
  let files = 0;
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const name of readdirSync(join(root, dir.name))) {
      if (keep.has(name)) continue;
      const path = join(root, dir.name, name);
      try {
        if (now - statSync(path).mtimeMs < SWEEP_GRACE_MS) continue;
        rmSync(path, { force: true });
        files++;
      } catch {
        // Gone meanwhile, or held open on Windows: the next sweep tries again.
      }
    }
  }
  return { rows, files };
}
