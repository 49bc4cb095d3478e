/**
 * The one entry every transport calls: finds the handler, validates the arguments against the contract,
 * and turns every outcome into data. Nothing here knows any particular message.
 */
import { unwrap, type Api, type ApiClient, type ApiError, type ApiResponse, type Handlers } from '../../shared/api';
import { checkCall } from './check-call';
import { AppError } from '../../shared/errors';
import type { CoreContext } from './context';
import { archiveHandlers } from './handlers/archive';
import { backupHandlers } from './handlers/backup';
import { boardHandlers } from './handlers/board';
import { deskHandlers } from './handlers/desk';
import { exportsHandlers } from './handlers/exports';
import { fundsHandlers } from './handlers/funds';
import { inKindHandlers } from './handlers/in-kind';
import { householdsHandlers } from './handlers/households';
import { countyFindingsHandlers } from './handlers/county-findings';
import { noticesHandlers } from './handlers/notices';
import { educationHandlers } from './handlers/education';
import { identificationHandlers } from './handlers/identification';
import { listsHandlers } from './handlers/lists';
import { mealsHandlers } from './handlers/meals';
import { paymentsHandlers } from './handlers/payments';
import { programmesHandlers } from './handlers/programmes';
import { publicityHandlers } from './handlers/publicity';
import { rosterHandlers } from './handlers/roster';
import { schoolHandlers } from './handlers/school';
import { statsHandlers } from './handlers/stats';
import { studentsHandlers } from './handlers/students';
import { surveysHandlers } from './handlers/surveys';
import { uploadsHandlers } from './handlers/uploads';
import { createDemo } from './school/demo';
import { guardCall } from './desk/session';
import { auditedCall } from './audit/acts';
import { autoBackup } from './backup';
import { auditHandlers } from './handlers/audit';
import { DESK_MESSAGES } from '../../shared/api/desk';

export const handlers: Handlers<Api, CoreContext> = {
  ...schoolHandlers,
  ...studentsHandlers,
  ...rosterHandlers,
  ...uploadsHandlers,
  ...surveysHandlers,
  ...identificationHandlers,
  ...publicityHandlers,
  ...listsHandlers,
  ...programmesHandlers,
  ...exportsHandlers,
  ...paymentsHandlers,
  ...fundsHandlers,
  ...mealsHandlers,
  ...inKindHandlers,
  ...householdsHandlers,
  ...countyFindingsHandlers,
  ...noticesHandlers,
  ...educationHandlers,
  ...archiveHandlers,
  ...statsHandlers,
  ...backupHandlers,
  ...boardHandlers,
  ...deskHandlers,
  ...auditHandlers,
  // The demo plays a past term through the contract itself, on the days it would have happened: wired here,
  // where the contract's client exists, with a copy of the context whose clock is pinned to each day.
  'school.createDemo': (ctx, args) =>
    createDemo(ctx, args.students, (date) =>
      // The core calling itself on past days: outside the desk's lock and its idle clock.
      directClient({ ...ctx, desk: undefined, now: () => new Date(`${date}T02:00:00Z`) }),
    ),
};

export async function dispatch(ctx: CoreContext, name: unknown, args: unknown): Promise<ApiResponse<unknown>> {
  const call = checkCall(name, args);
  if (!call.ok) return call;
  try {
    if (!DESK_MESSAGES.has(call.name)) {
      const refused = await guardCall(ctx);
      if (refused) return { ok: false, error: { code: refused.code, message: refused.message } };
    }
    const handler = handlers[call.name] as (ctx: CoreContext, args: unknown) => unknown;
    // The desk's own messages run while locked, when there is no store to record in.
    if (DESK_MESSAGES.has(call.name)) return { ok: true, value: await handler(ctx, call.args) };
    const value = await auditedCall(ctx, call.name, call.args, async () => handler(ctx, call.args));
    // A rolling backup when due; its failure (a full disk) must not turn a done call into an error.
    await autoBackup(ctx, 'editing').catch((e: unknown) => console.error('[aid-desk] rolling backup failed:', (e as Error).message));
    return { ok: true, value };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: { code: e.code, message: e.message, details: e.details } };
    const collision = collisionOf(e);
    if (collision) return { ok: false, error: collision };
    // Arguments may hold personal data: log only the message name and the error itself.
    console.error(`[aid-desk] ${call.name} failed:`, e instanceof Error ? e.stack : e);
    return { ok: false, error: { code: 'internal', message: '程序内部错误，操作没有完成。请重试；如仍出错，请把日志发给技术支持。' } };
  }
}

/** Direct calls (tests, CLI): the same validation and errors as over IPC or HTTP, without a transport. */
export function directClient(ctx: CoreContext): ApiClient {
  return { invoke: async (name, args) => unwrap(await dispatch(ctx, name, args)) as never };
}

/**
 * Two writers at once (two imports, the CLI beside the app): SQLite refuses the later one whole — every
 * multi-row write is one transaction — so the clerk is told that nothing was written and to try again.
 */
export function collisionOf(e: unknown): ApiError | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(e instanceof Error) || e.name !== 'SqliteError') return null;
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')
    return {
      code: 'busy',
      message: '数据正被另一项操作（或另一个打开的 AidDesk）写入，这次操作没有完成，也没有写入任何内容。请稍后重试。',
    };
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return {
      code: 'conflict',
      message: '同一时间另一项操作写入了相同的数据，这次操作没有写入任何内容。请刷新后重试（例如重新打开导入预览）。',
    };
  return null;
}
