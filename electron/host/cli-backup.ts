/** The CLI's backup commands: a verified copy of the database and attachments, and putting one back. */
import { resolve } from 'node:path';
import type { BackupInfo } from '../../shared/domain/backup';
import { createBackup, restoreBackup } from '../core/backup';
import type { CoreContext } from '../core/context';
import type { Io, Values } from './cli-common';

function describeBackup(b: BackupInfo): string {
  return `${b.path}\n  ${b.school ? `${b.school}，` : ''}${b.encrypted ? '已加密' : '未加密（加密之前的备份）'}，数据库 ${(b.databaseBytes / 1024 / 1024).toFixed(1)} MB，附件 ${b.attachments} 个（${(b.attachmentBytes / 1024 / 1024).toFixed(1)} MB），学生 ${b.students} 人，发放记录 ${b.payments} 条`;
}

export async function backupCommand(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const b = await createBackup(ctx, values.out ? resolve(values.out) : undefined);
  io.out(json ? JSON.stringify(b, null, 2) : `已备份到 ${describeBackup(b)}`);
  return 0;
}

export async function restoreCommand(ctx: CoreContext, dir: string, io: Io, json: boolean): Promise<number> {
  // A backup from another desk opens with the password it was made under (AID_DESK_BACKUP_PASSWORD).
  const b = await restoreBackup(ctx, resolve(dir), process.env.AID_DESK_BACKUP_PASSWORD || undefined);
  io.out(json ? JSON.stringify(b, null, 2) : `已从备份恢复（${b.createdAt.slice(0, 19).replace('T', ' ')} UTC）：${describeBackup(b)}`);
  return 0;
}
