/** Validation of a call against the contract, shared by the core's dispatch and Electron main's relay. */
import { z } from 'zod';
import { api, isMessageName, type ApiError, type MessageName } from '../../shared/api';

// Schema messages reach the clerk: in Chinese.
z.config(z.locales.zhCN());

export type CheckedCall = { ok: true; name: MessageName; args: unknown } | { ok: false; error: ApiError };

/** Finds the message and validates its arguments against the contract. Used by dispatch and by Electron main. */
export function checkCall(name: unknown, args: unknown): CheckedCall {
  if (typeof name !== 'string' || !isMessageName(name)) {
    return { ok: false, error: { code: 'unknown-message', message: `程序内部错误：未知的调用“${String(name).slice(0, 60)}”` } };
  }
  const parsed = api[name].args.safeParse(args ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const text = issues.map((i) => (i.path ? `${i.path}：` : '') + i.message).join('；');
    return { ok: false, error: { code: 'invalid-args', message: `提交的内容不正确：${text}`, details: { issues } } };
  }
  return { ok: true, name, args: parsed.data };
}
