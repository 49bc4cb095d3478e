import { z } from 'zod';
import type { PrintDocument } from './common';
import { id, schoolYearArg, shortText } from './common';
import { message } from './contract';
import { termArg } from './programmes';
import type { NoticeTexts } from '../domain/notices';

export const noticesApi = {
  /** The school's texts for the year (defaults until edited). */
  'notices.texts': message<NoticeTexts>()(z.object({ schoolYear: schoolYearArg })),
  'notices.saveTexts': message<NoticeTexts>()(
    z.object({
      schoolYear: schoolYearArg,
      texts: z.object({
        complaintPhone: shortText(40),
        letterIntro: shortText(1000),
        letterClosing: shortText(1000),
        checklist: z.array(shortText(100).min(1)).min(1).max(20),
        seniorGraduates: shortText(1000),
      }),
    }),
  ),
  /** 致家长的一封信, 明白卡 (per student), 告知书 (per student paid), 证明材料清单 (per class); a class or the school. */
  'notices.print': message<PrintDocument>()(
    z.object({
      kind: z.enum(['letter', 'cards', 'paymentNotices', 'checklist', 'graduates']),
      term: termArg,
      classId: id.nullable().default(null),
    }),
  ),
};
