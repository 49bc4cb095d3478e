/** An objection's outcome: kept, or changed — a new level (identification) or a new tier or cancellation (recipients). */
import type { CallArgs } from '../../../shared/api';
import { LEVEL_TEXT } from '../../../shared/domain/identification';
import { AppError } from '../../../shared/errors';
import { type CoreContext } from '../context';
import { entryRef, getPublicity, loadObjection, resolveObjection, setEntryValue } from './publicity';
import { decideCase, reopenCase } from '../identification/decisions';
import { changeRecipient } from '../programmes/recipients';

export function decideObjection(ctx: CoreContext, args: CallArgs<'publicity.resolveObjection'>) {
  const o = loadObjection(ctx, args.objectionId);
  const p = getPublicity(ctx, o.publicityId);
  if (args.outcome === 'changed') {
    if (o.studentId === null) throw new AppError('validation', '复核后更改时，异议须涉及名单上的某名学生');
    if (p.kind === 'identification' && !args.newLevel) throw new AppError('validation', '复核后更改认定等级时，须选择新的认定等级');
    if (p.kind === 'programme' && args.newTier === undefined)
      throw new AppError('validation', '复核后更改时，须选择新的档次，或选择取消资助');
  }
  ctx.store.sqlite
    .transaction(() => {
      resolveObjection(ctx, args);
      if (args.outcome === 'changed' && o.studentId !== null && p.kind === 'programme' && args.newTier !== undefined) {
        changeRecipient(ctx, p.id, o.studentId, args.newTier, args.reviewNote);
      }
      if (args.outcome === 'changed' && o.studentId !== null && p.kind === 'identification' && args.newLevel) {
        const ref = entryRef(ctx, p.id, o.studentId);
        // The posted decision becomes history; the re-reviewed level is a new decision with its reason.
        const newId = reopenCase(ctx, ref, `公示异议复核：${args.reviewNote}`);
        decideCase(ctx, newId, args.newLevel, `公示异议复核后更改：${args.reviewNote}`, args.resolvedOn, '学校认定工作组');
        setEntryValue(ctx, p.id, o.studentId, LEVEL_TEXT[args.newLevel], newId);
      }
    })
    .immediate();
  return loadObjection(ctx, args.objectionId);
}
