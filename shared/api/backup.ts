import { z } from 'zod';
import type { BackupInfo } from '../domain/backup';
import { message } from './contract';

export const backupApi = {
  /** A backup now, into the data folder's backups/ (the CLI can write one anywhere). */
  'backup.create': message<BackupInfo>()(z.object({})),
  'backup.list': message<{ folder: string; backups: BackupInfo[] }>()(z.object({})),
  /** Restores one of the data folder's backups by name; the replaced files are kept in before-restore-… */
  'backup.restore': message<BackupInfo>()(z.object({ name: z.string().regex(/^[\w.-]{1,80}$/, '备份名称不正确') })),
};
