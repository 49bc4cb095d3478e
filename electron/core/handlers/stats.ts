import type { Handlers } from '../../../shared/api/contract';
import type { statsApi } from '../../../shared/api/stats';
import type { SchoolYear, Term } from '../../../shared/domain/school';
import type { CoreContext } from '../context';
import { exportStats, stats, summaryText } from '../stats';

const periodOf = (args: { term: Term } | { schoolYear: string }): Term | SchoolYear =>
  'term' in args ? args.term : (args.schoolYear as SchoolYear);

export const statsHandlers: Handlers<typeof statsApi, CoreContext> = {
  'stats.get': (ctx, args) => stats(ctx, periodOf(args)),
  'stats.summary': (ctx, args) => ({ text: summaryText(ctx, periodOf(args)) }),
  'stats.export': (ctx, args) => exportStats(ctx, periodOf(args)),
};
