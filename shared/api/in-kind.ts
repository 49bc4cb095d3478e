import { z } from 'zod';
import type { PrintDocument } from './common';
import { id, isoDate, shortText } from './common';
import { message } from './contract';
import { termArg } from './programmes';
import type { InKindPage } from '../domain/in-kind';
import { STAGES } from '../domain/school';

export const inKindApi = {
  /** Who was given what under an in-kind programme in a term (a class, or the school). */
  'inKind.list': message<InKindPage>()(z.object({ programmeId: id, term: termArg, classId: id.nullable().default(null) })),
  /**
   * Records a distribution: every enrolled student of the stages (`studentIds` null; a class when given) or the
   * chosen ones; each once per term; `value` per student, or the programme's standard for the stage.
   */
  'inKind.give': message<{ given: number; skipped: { name: string; reason: string }[] }>()(
    z.object({
      programmeId: id,
      term: termArg,
      classId: id.nullable().default(null),
      /** Only this stage (免费教科书 for 小学 at its own price). */
      stage: z.enum(STAGES).nullable().default(null),
      studentIds: z.array(id).min(1).max(50_000).nullable().default(null),
      value: z.number().int().min(0).max(10_000_000).nullable().default(null),
      items: shortText(200).default(''),
      givenOn: isoDate,
    }),
  ),
  'inKind.remove': message<{ removed: number }>()(z.object({ ids: z.array(id).min(1).max(50_000) })),
  /** 实物签领表 by class: signature column, value, no bank card. */
  'inKind.printRoster': message<PrintDocument>()(z.object({ programmeId: id, term: termArg, classId: id.nullable().default(null) })),
};
