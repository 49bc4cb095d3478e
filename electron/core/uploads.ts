/** Files the clerk sends for a preview, read once and kept for the preview → import round trip. */
import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { MAX_UPLOAD_BYTES } from '../../shared/api/common';
import { keepUpload, UPLOAD_TTL_MS, type CoreContext, type Upload } from './context';
import { outlineTable, readTable, type Table } from './import/read-table';
import { mb } from './import/zip-bounds';

/** Reads a file for import and keeps it for the preview → import round trip. */
export async function uploadFile(ctx: CoreContext, fileName: string, data: Buffer): Promise<Upload> {
  const outline = outlineTable(fileName, data);
  return keepUpload(ctx, { fileName, sha256: createHash('sha256').update(data).digest('hex'), data, outline });
}

/** The whole table of an upload, read from its bytes the first time an importer asks (kept while the upload is). */
export function tableOf(upload: Upload): Table {
  return (upload.table ??= readTable(upload.fileName, upload.data));
}

export function getUpload(ctx: CoreContext, uploadId: string): Upload {
  const upload = ctx.uploads.get(uploadId);
  if (!upload) throw new AppError('upload-expired', '上传的文件已过期，请重新选择文件');
  return upload;
}

/** A file sent with a preview, or the one kept from the previous preview. */
export async function resolveUpload(
  ctx: CoreContext,
  upload: { uploadId: string } | { fileName: string; dataBase64: string },
): Promise<Upload> {
  return 'uploadId' in upload
    ? getUpload(ctx, upload.uploadId)
    : uploadFile(ctx, upload.fileName, Buffer.from(upload.dataBase64, 'base64'));
}

/** Files arriving in parts at once (two browser tabs, a retry after an error): the oldest gives way. */
const MAX_RECEIVING = 2;

/**
 * One part of a file too large for one message, in order. The first part sets aside the file's size (bounded); the
 * last is read like a file sent whole, and the upload keeps the id the parts came under.
 */
export async function receivePart(
  ctx: CoreContext,
  part: { uploadId?: string; fileName: string; size: number; offset: number; dataBase64: string },
): Promise<{ uploadId: string; received: number; complete: boolean }> {
  const bytes = Buffer.from(part.dataBase64, 'base64');
  const at = ctx.now().getTime();
  for (const [id, r] of ctx.receiving) if (at - r.at > UPLOAD_TTL_MS) ctx.receiving.delete(id);
  let uploadId = part.uploadId;
  if (uploadId === undefined) {
    if (part.offset !== 0) throw new AppError('validation', '文件的第一部分应从头开始，请重新选择文件');
    if (part.size > MAX_UPLOAD_BYTES)
      throw new AppError(
        'file-too-big',
        `“${part.fileName}”有 ${(part.size / 1024 / 1024).toFixed(1)} MB，超过 ${mb(MAX_UPLOAD_BYTES)} 的上限，没有读取。请删除多余的工作表、图片和列，或分成几个文件导入。`,
      );
    while (ctx.receiving.size >= MAX_RECEIVING) ctx.receiving.delete(ctx.receiving.keys().next().value!);
    uploadId = ctx.newId();
    ctx.receiving.set(uploadId, { fileName: part.fileName, data: Buffer.alloc(part.size), received: 0, at });
  }
  const r = ctx.receiving.get(uploadId);
  if (!r) throw new AppError('upload-expired', '上传的文件已过期，请重新选择文件');
  if (
    part.fileName !== r.fileName ||
    part.size !== r.data.length ||
    part.offset !== r.received ||
    r.received + bytes.length > r.data.length
  ) {
    ctx.receiving.delete(uploadId);
    throw new AppError('upload-broken', `“${r.fileName}”没有完整传到（各部分的顺序或大小不对），请重新选择文件`);
  }
  bytes.copy(r.data, r.received);
  r.received += bytes.length;
  r.at = at;
  if (r.received < r.data.length) return { uploadId, received: r.received, complete: false };
  ctx.receiving.delete(uploadId);
  const outline = outlineTable(r.fileName, r.data);
  keepUpload(ctx, { fileName: r.fileName, sha256: createHash('sha256').update(r.data).digest('hex'), data: r.data, outline }, uploadId);
  return { uploadId, received: r.received, complete: true };
}
