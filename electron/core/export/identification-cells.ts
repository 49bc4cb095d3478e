/**
 * What a template's identification columns hold for a student: 认定等级 as text or as a tick in its own column,
 * 认定时间, 认定原因 (the priority groups, or the decision's reason) and 家庭人均年收入. Shared by the county
 * template and the national system's identification export.
 */
import { LEVEL_TEXT, type DifficultyLevel } from '../../../shared/domain/identification';
import { PRIORITY_GROUPS } from '../../../shared/domain/priority-group';
import { TICK } from '../../../shared/rules/template-fields';
import type { CoreContext } from '../context';
import { all } from '../db/query';
import type { FillRow } from './county-template';
import type { StudentFacts } from '../programmes/facts';

/** Each decided identification's reason, by its id. */
export function identificationReasons(ctx: CoreContext, schoolYear: string): Map<number, string> {
  return new Map(
    all(ctx, ctx.store.db.selectFrom('identification').select(['id', 'reason']).where('school_year', '=', schoolYear)).map((r) => [
      r.id,
      r.reason ?? '',
    ]),
  );
}

export function identificationCells(
  f: Pick<StudentFacts, 'level' | 'identifiedOn' | 'identificationId' | 'income' | 'flags'> | undefined,
  reasons: Map<number, string>,
  level: DifficultyLevel | null = f?.level ?? null,
): Partial<FillRow> {
  const tick = (l: DifficultyLevel) => (level === l ? TICK : null);
  const groups = [...new Set((f?.flags ?? []).map((x) => x.group).filter((g) => g !== 'leftBehind'))].map((g) => PRIORITY_GROUPS[g]);
  const reason = groups.length ? groups.join('、') : f?.identificationId ? reasons.get(f.identificationId) || null : null;
  return {
    level: level ? LEVEL_TEXT[level] : null,
    levelEspecially: tick('especially'),
    levelDifficult: tick('difficult'),
    levelGeneral: tick('general'),
    identifiedOn: f?.identifiedOn ?? null,
    identificationReason: reason,
    perCapitaIncome: f?.income === null || f?.income === undefined ? null : f.income / 100,
  };
}
