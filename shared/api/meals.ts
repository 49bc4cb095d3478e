import { z } from 'zod';
import type { FileResult } from './common';
import { id, isoDate, schoolYearArg, shortText } from './common';
import { message } from './contract';
import { termArg } from './programmes';
import type { MealExclusion, MealMonth, MealTerm } from '../domain/meals';

/** One school of the desk, or null: all of them added up. */
const schoolId = id.nullable().default(null);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-10');

export const mealsApi = {
  /** A month of the meal ledger: each serving day, students served, teachers, and the month's figures. */
  'meals.month': message<MealMonth>()(z.object({ month, schoolId })),
  /** The term's months, totals, serving period, standard and the students not served. */
  'meals.term': message<MealTerm>()(z.object({ term: termArg, schoolId })),
  /** One day's correction: closed, extra, the count served, teachers eating with pupils. */
  'meals.setDay': message<MealMonth>()(
    z.object({
      /** The school that served (or closed) that day. */
      schoolId: id.default(1),
      date: isoDate,
      closed: z.boolean().default(false),
      extra: z.boolean().default(false),
      served: z.number().int().min(0).max(100_000).nullable().default(null),
      teachers: z.number().int().min(0).max(1_000).default(0),
      teacherNames: shortText(200).default(''),
      note: shortText(200).default(''),
    }),
  ),
  'meals.saveSettings': message<MealTerm>()(
    z.object({ term: termArg, startsOn: isoDate, endsOn: isoDate, standard: z.number().int().min(1).max(10_000) }),
  ),
  'meals.exclude': message<MealExclusion[]>()(
    z.object({ studentIds: z.array(id).min(1).max(5_000), schoolYear: schoolYearArg, reason: shortText(100).min(1, '请写明原因') }),
  ),
  'meals.include': message<MealExclusion[]>()(z.object({ studentId: id, schoolYear: schoolYearArg })),
  'meals.exportMonth': message<FileResult>()(z.object({ month, schoolId })),
  'meals.exportTerm': message<FileResult>()(z.object({ term: termArg, schoolId })),
};
