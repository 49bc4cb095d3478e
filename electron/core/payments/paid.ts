import { type CoreContext } from '../context';

/** Whether each application has a successful payment (the state machine asks before 发放 and 归档). */
export function paidApplications(ctx: CoreContext, ids: number[]): Set<number> {
  if (ids.length === 0) return new Set();
  return new Set(
    ctx.store.sqlite
      .prepare(`SELECT application_id FROM payment WHERE outcome = 'paid' AND application_id IN (${ids.map(() => '?').join(',')})`)
      .pluck()
      .all(...ids) as number[],
  );
}
