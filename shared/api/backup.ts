import { z } from 'zod';
import type { BackupInfo } from '../domain/backup';
import { message } from './contract';

/** A folder the clerk names (a USB stick, another disk): absolute; absent means the data folder's backups/. */
const folder = z
  .string()
  .trim()
  .max(200, '文件夹路径太长')
  .refine((p) => /^([A-Za-z]:[\\/]|\/|\\\\)/.test(p), '请填写完整的文件夹路径，例如 E:\\ 或 /media/u盘')
  .optional();

export const backupApi = {
  /** A backup now, into a new time-stamped folder inside `folder` (default: the data folder's backups/). */
  'backup.create': message<BackupInfo>()(z.object({ folder })),
  /** The backups found in `folder` (default: the data folder's backups/). */
  'backup.list': message<{ folder: string; backups: BackupInfo[] }>()(z.object({ folder })),
  /** Restores a backup of `folder` by name; the replaced files are kept in before-restore-… */
  'backup.restore': message<BackupInfo>()(
    z.object({
      name: z.string().regex(/^[\w.-]{1,80}$/, '备份名称不正确'),
      folder,
      /** The password the backup was made under, when it comes from another desk. */
      password: z.string().min(1, '请输入密码').max(128, '密码太长').optional(),
    }),
  ),
};
