import { z } from 'zod';
import { DIFFICULTY_LEVELS, type DifficultyLevel } from '../domain/identification';
import type { CalendarView } from '../domain/calendar';
import type { Objection, Publicity, PublicityDetail } from '../domain/publicity';
import type { PublicityRules } from '../rules/publicity';
import { id, isoDate, schoolYearArg, shortText, type PrintDocument } from './common';
import { message } from './contract';

/**
 * When and how long a list is posted. The start defaults to today; an earlier start (a list already on the
 * wall, entered late) needs `backdateReason`. The minimum length per level is a school setting.
 */
export const PublicityPeriodArgs = {
  title: shortText(60).optional(),
  level: z.enum(['school', 'class']).default('school'),
  startsOn: isoDate.optional(),
  backdateReason: shortText(200).default(''),
  workingDays: z.number().int().min(1, '公示期至少 1 个工作日').max(30, '公示期最多 30 个工作日').default(5),
  complaintPhone: shortText(20).min(5, '请填写监督（投诉）电话'),
};

const PublicityRulesArgs = z.object({
  twoLevel: z.boolean(),
  minDays: z.object({
    school: z.number().int().min(1, '学校公示至少 1 个工作日').max(30),
    class: z.number().int().min(1, '班级公示至少 1 个工作日').max(30),
  }),
});

export const publicityApi = {
  'publicity.list': message<Publicity[]>()(z.object({})),
  'publicity.get': message<PublicityDetail>()(z.object({ id })),
  /** The school's publicity rules: minimum working days per level, two-level publicity on or off. */
  'publicity.rules': message<PublicityRules>()(z.object({})),
  'publicity.saveRules': message<PublicityRules>()(PublicityRulesArgs),
  /** A year's holidays and swapped working days: the State Council's where published, with the clerk's corrections. */
  'calendar.get': message<CalendarView>()(z.object({ year: z.number().int().min(2000).max(2100) })),
  'calendar.set': message<CalendarView>()(
    z.object({
      year: z.number().int().min(2000).max(2100),
      days: z
        .array(z.object({ date: isoDate, kind: z.enum(['holiday', 'workday', 'normal']), name: shortText(20).default('') }))
        .min(1)
        .max(400),
    }),
  ),
  /** The last day of a period starting on a day (today when absent), counted on the calendar. */
  'calendar.periodEnd': message<{ startsOn: string; endsOn: string }>()(
    z.object({ startsOn: isoDate.optional(), workingDays: z.number().int().min(1).max(30) }),
  ),
  /**
   * Posts the year's decided identifications not yet posted at this level: a class's (level class), or the
   * school's (level school, which includes the classes already posted at class level).
   */
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
  /** Ends the period today (the core's today): only once its last working day has come and no objection is open. */
  'publicity.close': message<Publicity>()(z.object({ id })),
  /** The notice as posted; `schoolId`: one school's part of it, for that school's own wall (校点 post their own). */
  'print.publicity': message<PrintDocument>()(z.object({ id, schoolId: id.nullable().default(null) })),
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
