import { z } from 'zod';
import { UPLOAD_PART_BYTES } from './common';
import { message } from './contract';

export const uploadsApi = {
  /**
   * One part of a file too large for one message (a county's roster), in order. The first part (no uploadId) opens the
   * upload with the file's size; the last one reads the file, and its uploadId then goes to a preview as `{ uploadId }`.
   */
  'uploads.part': message<{ uploadId: string; received: number; complete: boolean }>()(
    z.object({
      uploadId: z.uuid().optional(),
      fileName: z.string().min(1).max(255),
      size: z.number().int().positive(),
      offset: z.number().int().min(0),
      dataBase64: z
        .string()
        .min(1)
        .max(Math.ceil(UPLOAD_PART_BYTES / 3) * 4),
    }),
  ),
};
