import { type CoreContext } from '../context';
import { all } from '../db/query';

/** Whether each application has a successful payment (the state machine asks before 发放 and 归档). */
export function paidApplications(ctx: CoreContext, ids: number[]): Set<number> {
  const paid = new Set<number>();
  // In slices: SQLite takes at most 32,766 parameters in one statement.
  for (let i = 0; i < ids.length; i += 10_000) {
    const slice = ids.slice(i, i + 10_000);
    const q = ctx.store.db
      .selectFrom('payment')
      .select('application_id')
      .where('outcome', '=', 'paid')
      .where('application_id', 'in', slice);
    for (const r of all(ctx, q)) paid.add(r.application_id);
  }
  return paid;
}
