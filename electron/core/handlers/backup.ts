import type { backupApi } from '../../../shared/api/backup';
import type { Handlers } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { backupFolder, createBackup, listBackups, restoreBackup } from '../backup';
import type { CoreContext } from '../context';

export const backupHandlers: Handlers<typeof backupApi, CoreContext> = {
  // To a folder the clerk names (a USB stick): one file to carry; in the data folder: a folder as before.
  'backup.create': (ctx, args) => createBackup(ctx, undefined, backupFolder(ctx, args.folder), Boolean(args.folder)),
  'backup.list': (ctx, args) => {
    const folder = backupFolder(ctx, args.folder);
    return { folder, backups: listBackups(ctx, folder) };
  },
  'backup.restore': (ctx, args) => {
    const found = listBackups(ctx, backupFolder(ctx, args.folder)).find((b) => b.name === args.name);
    if (!found) throw new AppError('not-found', `找不到名为“${args.name}”的备份`);
    return restoreBackup(ctx, found.path, args.password);
  },
};
