import type { Handlers } from '../../../shared/api/contract';
import type { paymentsApi } from '../../../shared/api/payments';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { importBankReturn, paymentLines, recordPayments, studentPayments } from '../payments/payments';
import { exportsHandlers } from './exports';
import { resolveUpload } from './roster';

export const paymentsHandlers: Handlers<typeof paymentsApi, CoreContext> = {
  'payments.list': (ctx, args) => paymentLines(ctx, args.programmeId, args.term, args.reveal),
  'payments.record': (ctx, args) => recordPayments(ctx, args),
  'payments.importBank': async (ctx, args) => {
    const upload = await resolveUpload(ctx, args.upload);
    return { ...importBankReturn(ctx, upload, args), uploadId: upload.id };
  },
  'payments.ofStudent': (ctx, args) => studentPayments(ctx, args.studentId, args.reveal),
  'payments.exportOutstanding': async (ctx, args) => {
    const r = await exportsHandlers['export.countyTemplate'](ctx, {
      template: { builtIn: 'bank' },
      programmeId: args.programmeId,
      term: args.term,
      classId: null,
      unpaidOnly: true,
    });
    if (!r.file)
      throw new AppError(
        'export-blocked',
        `代发文件无法生成：${r.problems
          .slice(0, 5)
          .map((p) => `${p.student}（${p.column}）${p.message}`)
          .join('；')}`,
      );
    return r.file;
  },
};
