import { z } from 'zod';
import { DIFFICULTY_LEVELS, type DifficultyLevel, type Identification, type PanelReview } from '../domain/identification';
import { PRIORITY_GROUPS, type PriorityGroup } from '../domain/priority-group';
import type { ScoringRubric } from '../rules/scoring';
import { id, isoDate, schoolYearArg, shortText } from './common';
import { message } from './contract';

const level = z.enum(DIFFICULTY_LEVELS as [DifficultyLevel, ...DifficultyLevel[]]);
const points = z.number().int().min(0).max(100);
const groupEnum = z.enum(Object.keys(PRIORITY_GROUPS) as [PriorityGroup, ...PriorityGroup[]]);

export const RubricArgs = z.object({
  incomeBands: z.array(z.object({ maxYuan: z.number().int().min(0).max(1_000_000), points })).max(10),
  groupPoints: z.partialRecord(groupEnum, points),
  factorPoints: z.object({
    disaster: points,
    accident: points,
    seriousIllness: points,
    disabilityOrAge: points,
    unemployment: points,
    debt: points,
  }),
  healthPoints: z.partialRecord(z.enum(['healthy', 'minor', 'serious', 'deceased', 'missing', 'divorced', 'guardian']), points),
  healthMax: points,
  perOtherChild: points,
  childrenMax: points,
  thresholds: z
    .object({
      especially: z.number().int().min(1).max(300),
      difficult: z.number().int().min(1).max(300),
      general: z.number().int().min(1).max(300),
    })
    .refine((t) => t.especially > t.difficult && t.difficult > t.general, '等级分数线应为：特别困难 > 困难 > 一般困难'),
}) satisfies z.ZodType<ScoringRubric>;

export interface IdentificationCase {
  current: Identification | null;
  /** Earlier decisions of the year and earlier years, newest first. */
  history: Identification[];
}

export const identificationApi = {
  'rubric.get': message<{ rubric: ScoringRubric; isDefault: boolean; explanation: string[] }>()(z.object({})),
  'rubric.save': message<ScoringRubric>()(z.object({ rubric: RubricArgs.nullable() })),

  /** Scores the open cases (opening one for each student with a survey and no case yet); decided cases are left alone. */
  'identification.score': message<{ scored: number }>()(
    z.object({ schoolYear: schoolYearArg, classId: id.nullable().default(null), studentIds: z.array(id).max(50_000).optional() }),
  ),
  /** Identifies straight from the official lists: students flagged from a county list in the chosen groups. */
  'identification.direct': message<{ identified: number; skipped: number }>()(
    z.object({
      schoolYear: schoolYearArg,
      groups: z
        .array(groupEnum)
        .min(1)
        .default(['povertyAlleviated', 'monitored', 'dibao', 'extremePoverty', 'orphan', 'unsupportedChild']),
      level: level.default('especially'),
      decidedOn: isoDate,
      decidedBy: shortText(40).default(''),
    }),
  ),
  /** 班级民主评议: the panel, the date, and each case's votes and proposal. */
  'identification.panel': message<PanelReview>()(
    z.object({
      schoolYear: schoolYearArg,
      classId: id,
      heldOn: isoDate,
      members: z.array(shortText(20).min(1)).min(3, '评议小组至少 3 人').max(30),
      votes: z
        .array(
          z.object({
            identificationId: id,
            agree: z.number().int().min(0).max(100),
            disagree: z.number().int().min(0).max(100),
            abstain: z.number().int().min(0).max(100),
            proposal: level,
          }),
        )
        .min(1)
        .max(200),
    }),
  ),
  /** The committee's decision. A level other than the score's suggestion needs a reason. */
  'identification.decide': message<{ decided: number }>()(
    z.object({
      decisions: z
        .array(z.object({ identificationId: id, level, reason: shortText(300).default('') }))
        .min(1)
        .max(5000),
      decidedOn: isoDate,
      decidedBy: shortText(40).default(''),
    }),
  ),
  /** Re-opens a decided case (a sudden hardship, a family recovering); the old decision stays in the history. */
  'identification.reopen': message<Identification>()(
    z.object({ identificationId: id, reason: shortText(300).min(2, '请写明重新认定的原因') }),
  ),
  'identification.case': message<IdentificationCase>()(z.object({ studentId: id, schoolYear: schoolYearArg })),
  'identification.panels': message<PanelReview[]>()(z.object({ schoolYear: schoolYearArg })),
};
