import { z } from 'zod';
import { DIFFICULTY_LEVELS, type DifficultyLevel } from '../domain/identification';
import type { Objection, Publicity, PublicityDetail } from '../domain/publicity';
import { id, isoDate, schoolYearArg, shortText, type PrintDocument } from './common';
import { message } from './contract';

const PublicityPeriodArgs = {
  title: shortText(60).optional(),
  startsOn: isoDate,
  workingDays: z.number().int().min(1, '公示期至少 1 个工作日').max(30).default(5),
  complaintPhone: shortText(20).min(5, '请填写监督（投诉）电话'),
};

export const publicityApi = {
  'publicity.list': message<Publicity[]>()(z.object({})),
  'publicity.get': message<PublicityDetail>()(z.object({ id })),
  /** Posts the year's decided identifications not yet publicised (or those of one class). */
  'publicity.createIdentification': message<PublicityDetail>()(
    z.object({ schoolYear: schoolYearArg, classId: id.nullable().default(null), ...PublicityPeriodArgs }),
  ),
  'publicity.addObjection': message<Objection>()(
    z.object({
      publicityId: id,
      studentId: id.nullable().default(null),
      receivedOn: isoDate,
      raisedBy: shortText(40).min(1, '请填写异议人（可写“匿名”）'),
      content: shortText(1000).min(2, '请填写异议内容'),
    }),
  ),
  /** Handles an objection after re-review: kept, or changed (a new level for the student). */
  'publicity.resolveObjection': message<Objection>()(
    z.object({
      objectionId: id,
      outcome: z.enum(['kept', 'changed']),
      newLevel: z.enum(DIFFICULTY_LEVELS as [DifficultyLevel, ...DifficultyLevel[]]).optional(),
      /** For a recipient list: the tier after re-review (null: taken off the list). */
      newTier: z
        .union([z.literal(1), z.literal(2), z.literal(3)])
        .nullable()
        .optional(),
      reviewNote: shortText(1000).min(2, '请填写复核情况'),
      answer: shortText(1000).min(2, '请填写给异议人的答复'),
      resolvedOn: isoDate,
    }),
  ),
  /** Ends the period: only after its last day and with no open objection. */
  'publicity.close': message<Publicity>()(z.object({ id, closedOn: isoDate })),
  'print.publicity': message<PrintDocument>()(z.object({ id })),
  /** Prefilled 认定申请表 for the students given or a class; ID numbers masked unless `fullNumbers`. */
  'print.surveyForms': message<PrintDocument>()(
    z.object({
      schoolYear: schoolYearArg,
      classId: id.nullable().default(null),
      studentIds: z.array(id).max(5000).optional(),
      fullNumbers: z.boolean().default(false),
    }),
  ),
};
