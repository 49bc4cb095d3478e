import type { Handlers } from '../../../shared/api/contract';
import type { noticesApi } from '../../../shared/api/notices';
import type { CoreContext } from '../context';
import {
  noticeTexts,
  printGraduates,
  printCards,
  printChecklist,
  printLetter,
  printPaymentNotices,
  saveNoticeTexts,
} from '../notices/notices';
import { yearOf } from '../school/school';

export const noticesHandlers: Handlers<typeof noticesApi, CoreContext> = {
  'notices.texts': async (ctx, args) => noticeTexts(ctx, await yearOf(ctx, args.schoolYear)),
  'notices.saveTexts': async (ctx, args) => saveNoticeTexts(ctx, await yearOf(ctx, args.schoolYear), args.texts),
  'notices.print': (ctx, args) =>
    args.kind === 'letter'
      ? printLetter(ctx, args.term)
      : args.kind === 'cards'
        ? printCards(ctx, args.term, args.classId)
        : args.kind === 'paymentNotices'
          ? printPaymentNotices(ctx, args.term, args.classId)
          : args.kind === 'graduates'
            ? printGraduates(ctx, args.term, args.classId)
            : printChecklist(ctx, args.term, args.classId),
};
