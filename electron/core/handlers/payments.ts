import type { Handlers } from '../../../shared/api/contract';
import type { paymentsApi } from '../../../shared/api/payments';
import type { CoreContext } from '../context';
import { exportOutstanding, importBankReturn, paymentLines, recordPayments, studentPayments } from '../payments/payments';
import { resolveUpload } from '../uploads';

export const paymentsHandlers: Handlers<typeof paymentsApi, CoreContext> = {
  'payments.list': (ctx, args) => paymentLines(ctx, args.programmeId, args.term, args.reveal, args.schoolId),
  'payments.record': (ctx, args) => recordPayments(ctx, args),
  'payments.importBank': async (ctx, args) => {
    const upload = await resolveUpload(ctx, args.upload);
    return { ...importBankReturn(ctx, upload, args), uploadId: upload.id };
  },
  'payments.ofStudent': (ctx, args) => studentPayments(ctx, args.studentId, args.reveal),
  'payments.exportOutstanding': (ctx, args) => exportOutstanding(ctx, args.programmeId, args.term, args.schoolId),
};
