/**
 * The one entry every transport calls: finds the handler, validates the arguments against the contract,
 * and turns every outcome into data. Nothing here knows any particular message.
 */
import { z } from 'zod';
import { api, isMessageName, unwrap, type Api, type ApiClient, type ApiResponse, type Handlers } from '../../shared/api';
import { AppError } from '../../shared/errors';
import type { CoreContext } from './context';
import { rosterHandlers } from './handlers/roster';
import { schoolHandlers } from './handlers/school';
import { studentsHandlers } from './handlers/students';

z.config(z.locales.zhCN());

export const handlers: Handlers<Api, CoreContext> = { ...schoolHandlers, ...studentsHandlers, ...rosterHandlers };

export async function dispatch(ctx: CoreContext, name: string, args: unknown): Promise<ApiResponse<unknown>> {
  if (!isMessageName(name)) {
    return { ok: false, error: { code: 'unknown-message', message: `程序内部错误：未知的调用“${name.slice(0, 60)}”` } };
  }
  const parsed = api[name].args.safeParse(args ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return {
      ok: false,
      error: { code: 'invalid-args', message: `提交的内容不正确：${issues.map((i) => (i.path ? `${i.path}：` : '') + i.message).join('；')}`, details: { issues } },
    };
  }
  try {
    const handler = handlers[name] as (ctx: CoreContext, args: unknown) => unknown;
    return { ok: true, value: await handler(ctx, parsed.data) };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: { code: e.code, message: e.message, details: e.details } };
    // Arguments may hold personal data: log only the message name and the error's own text.
    console.error(`[aid-desk] ${name} failed:`, e instanceof Error ? e.stack : e);
    return { ok: false, error: { code: 'internal', message: '程序内部错误，操作没有完成，数据未被修改。请重试；如仍出错，请把日志发给技术支持。' } };
  }
}

/** Direct calls (tests, CLI): the same validation and errors as over IPC or HTTP, without a transport. */
export function directClient(ctx: CoreContext): ApiClient {
  return { invoke: async (name, args) => unwrap(await dispatch(ctx, name, args)) as never };
}
