/**
 * How the CLI gets into the encrypted desk: the password from AID_DESK_PASSWORD (automation) or typed in a
 * terminal without echo. A new desk (or one from before encryption) is set up with that password and the
 * recovery code is shown once, on stderr, so --json output stays clean.
 */
import { userInfo } from 'node:os';
import { AppError } from '../../shared/errors';
import { createContext, lockedStore, type CoreContext, type DeskSession } from '../core/context';
import { deskFileState, setUpDesk, unlockDesk } from '../core/desk/desk';
import { changePassword } from '../core/desk/session';
import type { Io } from './cli-common';

export function operatorName(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.AID_DESK_OPERATOR?.trim();
  if (name) return name.slice(0, 20);
  try {
    return userInfo().username.slice(0, 20) || '命令行';
  } catch {
    return '命令行';
  }
}

/** Reads a line from the terminal without showing it. */
async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let text = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            return resolve(text);
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            return reject(new AppError('cancelled', '已取消'));
          }
          if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
          else if (ch >= ' ') text += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

async function passwordFor(state: string, io: Io): Promise<string | null> {
  const fromEnv = process.env.AID_DESK_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    io.err(
      state === 'locked'
        ? '数据已加密：请在终端中运行以输入密码，或设置环境变量 AID_DESK_PASSWORD'
        : '这个数据文件夹还没有设置密码：请在终端中运行以设置密码，或设置环境变量 AID_DESK_PASSWORD',
    );
    return null;
  }
  if (state === 'locked') return readSecret('AidDesk 密码：');
  const first = await readSecret('为这个数据文件夹设置密码（至少 8 位，字母和数字都要有）：');
  const again = await readSecret('再输入一次：');
  if (first !== again) {
    io.err('两次输入的密码不一致，没有设置');
    return null;
  }
  return first;
}

/** The desk of a command: unlocked (or set up) with the password; null when it cannot be opened (exit 2). */
export async function openCliDesk(dataDir: string, io: Io, now?: () => Date): Promise<CoreContext | null> {
  const state = deskFileState(dataDir);
  const password = await passwordFor(state, io).catch((e: unknown) => {
    io.err((e as Error).message);
    return null;
  });
  if (password === null) return null;
  const clock = now ?? (() => new Date());
  try {
    const opened = state === 'locked' ? await unlockDesk(dataDir, password, clock()) : await setUpDesk(dataDir, password, clock());
    if (opened.recoveryCode)
      io.err(
        `${state === 'unencrypted' ? '已为这个数据文件夹设置密码，原有数据已加密。' : '已为新的数据文件夹设置密码。'}\n` +
          `恢复码（只显示这一次；忘记密码时用它重设。请抄写在纸上，和电脑分开保管）：\n  ${opened.recoveryCode}`,
      );
    const desk: DeskSession = { dataDir, open: true, operator: operatorName(), lastCall: clock().getTime() };
    return createContext(opened.store, { ...(now ? { now } : {}), desk });
  } catch (e) {
    io.err(`无法打开数据文件夹“${dataDir}”：${(e as Error).message}`);
    return null;
  }
}

/**
 * The browser mode's desk: locked until the clerk types the password in the page, unless AID_DESK_PASSWORD
 * opens an existing desk at start (automation).
 */
export async function lockedCliDesk(dataDir: string, io: Io): Promise<CoreContext | null> {
  if (process.env.AID_DESK_PASSWORD && deskFileState(dataDir) === 'locked') {
    const ctx = await openCliDesk(dataDir, io);
    if (ctx?.desk) ctx.desk.autoBackups = true;
    return ctx;
  }
  const desk: DeskSession = { dataDir, open: false, operator: null, lastCall: Date.now(), autoBackups: true };
  return createContext(lockedStore(), { desk });
}

/**
 * `aid-desk password`: a new password re-keys the desk and gives a new recovery code (stderr), the old one
 * void. The old password from AID_DESK_PASSWORD or typed, the new from AID_DESK_NEW_PASSWORD or typed twice.
 */
export async function passwordCommand(ctx: CoreContext, io: Io, json: boolean): Promise<number> {
  const old = process.env.AID_DESK_PASSWORD || (process.stdin.isTTY ? await readSecret('原密码：') : '');
  let next = process.env.AID_DESK_NEW_PASSWORD ?? '';
  if (!next && process.stdin.isTTY) {
    next = await readSecret('新密码（至少 8 位，字母和数字都要有）：');
    if ((await readSecret('再输入一次：')) !== next) {
      io.err('两次输入的新密码不一致，密码没有修改');
      return 2;
    }
  }
  if (!old || !next) {
    io.err('请在终端中运行以输入原密码和新密码，或设置环境变量 AID_DESK_PASSWORD 和 AID_DESK_NEW_PASSWORD');
    return 2;
  }
  const done = await changePassword(ctx, old, next);
  io.err(
    `密码已修改，数据已换用新密钥加密。新的恢复码（只显示这一次，原恢复码已作废；请抄写在纸上，和电脑分开保管）：\n  ${done.recoveryCode}`,
  );
  if (json) io.out(JSON.stringify({ changed: true }));
  else io.out('已修改密码');
  return 0;
}
