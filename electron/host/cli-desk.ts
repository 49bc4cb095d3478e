/**
 * How the CLI gets into the encrypted desk: the password from AID_DESK_PASSWORD (automation) or typed in a
 * terminal without echo. A new desk (or one from before encryption) is set up with that password and the
 * recovery code is shown once, on stderr, so --json output stays clean.
 */
import { userInfo } from 'node:os';
import { AppError } from '../../shared/errors';
import { createContext, lockedStore, type CoreContext, type DeskSession } from '../core/context';
import { deskFileState, setUpDesk, unlockDesk } from '../core/desk/desk';
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
    const opened = state === 'locked' ? await unlockDesk(dataDir, password) : await setUpDesk(dataDir, password, clock());
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
