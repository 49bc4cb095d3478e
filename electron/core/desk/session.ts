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
import { checkPasswordChange, deskFileState, recoverDesk, rekeyDesk, setUpDesk, unlockDesk, type OpenedDesk } from './desk';

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

async function opened(
  ctx: CoreContext,
  desk: DeskSession,
  result: Promise<OpenedDesk>,
  operator: string,
  summary: string,
): Promise<OpenedDesk> {
  if (desk.open) throw new AppError('desk-open', 'AidDesk 已经解锁');
  const done = await result;
  ctx.store = done.store;
  ctx.uploads.clear();
  desk.open = true;
  desk.operator = operator;
  desk.lastCall = ctx.now().getTime();
  setActor(ctx);
  sweepAttachments(ctx);
  recordAudit(ctx, {
    action: 'unlock',
    entity: 'desk',
    summary: done.recoveryCode && summary === '解锁' ? '解锁，完成了上次被中断的修改密码' : summary,
  });
  // Rolling backups count changes from here.
  desk.backedUpChanges = ctx.store.sqlite.prepare(`SELECT total_changes()`).pluck().get() as number;
  desk.lastAutoBackup = undefined;
  return done;
}

export async function setUp(ctx: CoreContext, password: string, operator: string): Promise<{ recoveryCode: string; status: DeskStatus }> {
  const desk = sessionOf(ctx);
  const done = await opened(ctx, desk, setUpDesk(desk.dataDir, password, ctx.now(), desk.kdf), operator, '设置密码，数据加密');
  return { recoveryCode: done.recoveryCode!, status: deskStatus(ctx) };
}

/** The status; with a recovery code to show when a password change cut short was finished by this unlock. */
export async function unlock(ctx: CoreContext, password: string, operator: string): Promise<DeskStatus> {
  const desk = sessionOf(ctx);
  const done = await opened(ctx, desk, unlockDesk(desk.dataDir, password, ctx.now()), operator, '解锁');
  return { ...deskStatus(ctx), ...(done.recoveryCode ? { recoveryCode: done.recoveryCode } : {}) };
}

export async function recover(ctx: CoreContext, code: string, newPassword: string, operator: string): Promise<DeskStatus> {
  const desk = sessionOf(ctx);
  const done = await opened(ctx, desk, recoverDesk(desk.dataDir, code, newPassword, ctx.now()), operator, '用恢复码解锁并设置新密码');
  return { ...deskStatus(ctx), ...(done.recoveryCode ? { recoveryCode: done.recoveryCode } : {}) };
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

/**
 * A new password re-keys the desk (desk.ts rekeyDesk): the database is closed, re-encrypted and opened again
 * under a new key, and a new recovery code is given to show once (the old code opens nothing any more).
 */
export async function changePassword(
  ctx: CoreContext,
  oldPassword: string,
  newPassword: string,
): Promise<{ changed: true; recoveryCode: string }> {
  const desk = sessionOf(ctx);
  if (!desk.open) throw new AppError('locked', 'AidDesk 已锁定：请先解锁');
  // Refused before anything changes (a wrong old password, a weak or unchanged new one).
  checkPasswordChange(desk.dataDir, oldPassword, newPassword);
  // What was done so far is backed up under the old key first: a rolling backup the old password opens.
  await autoBackup(ctx, 'closing').catch((e: unknown) => console.error('[aid-desk] rolling backup failed:', (e as Error).message));
  const store = ctx.store;
  ctx.store = lockedStore();
  await store.close();
  let done: OpenedDesk;
  try {
    done = await rekeyDesk(desk.dataDir, oldPassword, newPassword, ctx.now());
  } catch (e) {
    // Stopped midway (a full disk): the key file's journal lets the old password open the desk, finishing the
    // change when it can.
    const again = await unlockDesk(desk.dataDir, oldPassword, ctx.now()).catch(() => null);
    if (!again) {
      desk.open = false;
      desk.operator = null;
      throw e;
    }
    ctx.store = again.store;
    if (!again.recoveryCode) throw new AppError('rekey-failed', `修改密码没有完成，数据仍用原密码打开：${(e as Error).message}`);
    done = again;
  }
  ctx.store = done.store;
  ctx.uploads.clear();
  setActor(ctx);
  desk.backedUpChanges = ctx.store.sqlite.prepare(`SELECT total_changes()`).pluck().get() as number;
  recordAudit(ctx, { action: 'password', entity: 'desk', summary: '修改密码（数据已换用新密钥加密，恢复码已更换）' });
  return { changed: true, recoveryCode: done.recoveryCode! };
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
