/**
 * The desk's lock as the hosts see it: set up, unlock, recover, lock (by the clerk, or after the minutes
 * without use the clerk chose), change the password. While locked, the context's store refuses every read.
 */
import { AppError } from '../../../shared/errors';
import { IDLE_MINUTES_DEFAULT, type DeskStatus } from '../../../shared/domain/desk';
import { lockedStore, type CoreContext, type DeskSession } from '../context';
import { readSetting, writeSetting } from '../settings';
import { recordAudit, setActor } from '../audit/audit';
import { sweepAttachments } from '../archive/attachments';
import { autoBackup } from '../backup';
import { changeDeskPassword, deskFileState, recoverDesk, setUpDesk, unlockDesk, type OpenedDesk } from './desk';

const IDLE_SETTING = 'desk.idleMinutes';

function sessionOf(ctx: CoreContext): DeskSession {
  if (!ctx.desk) throw new AppError('no-desk', '这个数据库不在数据文件夹中（测试用的内存数据库），没有密码');
  return ctx.desk;
}

export function idleMinutes(ctx: CoreContext): number {
  return readSetting<number>(ctx, IDLE_SETTING) ?? IDLE_MINUTES_DEFAULT;
}

export function deskStatus(ctx: CoreContext): DeskStatus {
  const desk = ctx.desk;
  if (desk && !desk.open) return { state: deskFileState(desk.dataDir), operator: null, idleMinutes: null };
  return { state: 'open', operator: desk?.operator ?? null, idleMinutes: idleMinutes(ctx) };
}

async function opened(ctx: CoreContext, desk: DeskSession, result: Promise<OpenedDesk>, operator: string): Promise<OpenedDesk> {
  if (desk.open) throw new AppError('desk-open', 'AidDesk 已经解锁');
  const done = await result;
  ctx.store = done.store;
  ctx.uploads.clear();
  desk.open = true;
  desk.operator = operator;
  desk.lastCall = ctx.now().getTime();
  setActor(ctx);
  sweepAttachments(ctx);
  recordAudit(ctx, { action: 'unlock', entity: 'desk', summary: done.recoveryCode ? '设置密码，数据加密' : '解锁' });
  // Rolling backups count changes from here.
  desk.backedUpChanges = ctx.store.sqlite.prepare(`SELECT total_changes()`).pluck().get() as number;
  desk.lastAutoBackup = undefined;
  return done;
}

export async function setUp(ctx: CoreContext, password: string, operator: string): Promise<{ recoveryCode: string; status: DeskStatus }> {
  const desk = sessionOf(ctx);
  const done = await opened(ctx, desk, setUpDesk(desk.dataDir, password, ctx.now(), desk.kdf), operator);
  return { recoveryCode: done.recoveryCode!, status: deskStatus(ctx) };
}

export async function unlock(ctx: CoreContext, password: string, operator: string): Promise<DeskStatus> {
  const desk = sessionOf(ctx);
  await opened(ctx, desk, unlockDesk(desk.dataDir, password), operator);
  return deskStatus(ctx);
}

export async function recover(ctx: CoreContext, code: string, newPassword: string, operator: string): Promise<DeskStatus> {
  const desk = sessionOf(ctx);
  await opened(ctx, desk, recoverDesk(desk.dataDir, code, newPassword, ctx.now()), operator);
  return deskStatus(ctx);
}

/** Closes the database and forgets the key and every upload held for a preview. */
export async function lock(ctx: CoreContext): Promise<DeskStatus> {
  const desk = sessionOf(ctx);
  if (desk.open) {
    // What was done since the last rolling backup is backed up before the key is forgotten.
    await autoBackup(ctx, 'closing').catch((e: unknown) => console.error('[aid-desk] rolling backup failed:', (e as Error).message));
    const store = ctx.store;
    ctx.store = lockedStore();
    ctx.uploads.clear();
    desk.open = false;
    desk.operator = null;
    await store.close();
  }
  return deskStatus(ctx);
}

export function changePassword(ctx: CoreContext, oldPassword: string, newPassword: string): { changed: true } {
  const desk = sessionOf(ctx);
  if (!desk.open) throw new AppError('locked', 'AidDesk 已锁定：请先解锁');
  changeDeskPassword(desk.dataDir, oldPassword, newPassword, ctx.now());
  setActor(ctx);
  recordAudit(ctx, { action: 'password', entity: 'desk', summary: '修改密码' });
  return { changed: true };
}

export function setIdleMinutes(ctx: CoreContext, minutes: number): DeskStatus {
  setActor(ctx);
  writeSetting(ctx, IDLE_SETTING, minutes);
  return deskStatus(ctx);
}

/**
 * Before every call but the desk's own: refuses while locked, and locks a desk left unused longer than the
 * clerk's idle time (the core's clock decides, not the window).
 */
export async function guardCall(ctx: CoreContext): Promise<AppError | null> {
  const desk = ctx.desk;
  if (!desk) return null;
  if (!desk.open) return new AppError('locked', 'AidDesk 已锁定：请输入密码解锁后再操作');
  const now = ctx.now().getTime();
  if (now - desk.lastCall > idleMinutes(ctx) * 60_000) {
    await lock(ctx);
    return new AppError('locked', 'AidDesk 长时间没有操作，已自动锁定：请输入密码解锁');
  }
  desk.lastCall = Math.max(desk.lastCall, now);
  return null;
}
