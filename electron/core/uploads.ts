/** Files the clerk sends for a preview, read once and kept for the preview → import round trip. */
import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { keepUpload, type CoreContext, type Upload } from './context';
import { readTable } from './import/read-table';

/** Reads a file for import and keeps it for the preview → import round trip. */
export async function uploadFile(ctx: CoreContext, fileName: string, data: Buffer): Promise<Upload> {
  const table = await readTable(fileName, data);
  return keepUpload(ctx, { fileName, sha256: createHash('sha256').update(data).digest('hex'), data, table });
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
