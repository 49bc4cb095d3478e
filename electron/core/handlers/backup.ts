import type { backupApi } from '../../../shared/api/backup';
import type { Handlers } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { backupsDir, createBackup, listBackups, restoreBackup } from '../backup';
import type { CoreContext } from '../context';

export const backupHandlers: Handlers<typeof backupApi, CoreContext> = {
  'backup.create': (ctx) => createBackup(ctx),
  'backup.list': (ctx) => ({ folder: backupsDir(ctx), backups: listBackups(ctx) }),
  'backup.restore': (ctx, args) => {
    const found = listBackups(ctx).find((b) => b.name === args.name);
    if (!found) throw new AppError('not-found', `找不到名为“${args.name}”的备份`);
    return restoreBackup(ctx, found.path);
  },
};
