import { z } from 'zod';
import type { Stats } from '../domain/stats';
import { isSchoolYear } from '../rules/term';
import type { FileResult } from './common';
import { message } from './contract';
import { termArg } from './programmes';

/** A term, or a school year (both its terms). */
const period = z.union([
  z.object({ term: termArg }),
  z.object({ schoolYear: z.string().refine(isSchoolYear, '学年的格式应为 2026-2027') }),
]);

export const statsApi = {
  /** Figures of the period and of the one before, from the payments recorded. */
  'stats.get': message<Stats>()(period),
  /** The work-summary paragraph, in Chinese, ready to copy. */
  'stats.summary': message<{ text: string }>()(period),
  'stats.export': message<FileResult>()(period),
};
