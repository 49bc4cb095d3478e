import { z } from 'zod';
import type { FileResult } from './common';
import { id, isoDate, shortText, UploadArgs } from './common';
import { message } from './contract';
import { termArg } from './programmes';
import type { BankReturnResult, Payment, PaymentLine, PaymentSummary } from '../domain/payment';

export const paymentsApi = {
  /** A programme term's recipients with where their money stands, and the totals against the budget. */
  'payments.list': message<{ lines: PaymentLine[]; summary: PaymentSummary }>()(
    z.object({ programmeId: id, term: termArg, reveal: z.boolean().default(false), schoolId: id.nullable().default(null) }),
  ),
  /** Records a payment (or a waiver) on reported applications; each refused one says why. Never twice. */
  'payments.record': message<{ recorded: number; refused: { applicationId: number; name: string; reason: string }[] }>()(
    z.object({
      applicationIds: z.array(id).min(1).max(50_000),
      paidOn: isoDate,
      channel: z.enum(['bankCard', 'socialCard', 'mealCard', 'waiver']),
      /** Absent: the account holder registered with each student (本人, or 监护人 with a 委托书). */
      holder: z.enum(['student', 'guardian']).optional(),
      proxyLetter: z.boolean().default(false),
      reference: shortText(100).default(''),
      actor: shortText(40).default(''),
    }),
  ),
  /**
   * A bank's result file: matched by account and name, 成功 recorded as paid, 失败 with the bank's reason.
   * `dryRun` shows what would happen (and keeps the file for the real run by `uploadId`).
   */
  'payments.importBank': message<BankReturnResult & { uploadId: string }>()(
    z.object({
      upload: UploadArgs,
      programmeId: id,
      term: termArg,
      paidOn: isoDate,
      dryRun: z.boolean().default(true),
      actor: shortText(40).default(''),
    }),
  ),
  /** Every payment a student ever received (and every failed attempt). */
  'payments.ofStudent': message<Payment[]>()(z.object({ studentId: id, reveal: z.boolean().default(false) })),
  /** The bank payment file (代发文件) of the recipients not yet paid: for paying again after cards were corrected. */
  'payments.exportOutstanding': message<FileResult & { fundsWarning: string | null }>()(
    z.object({ programmeId: id, term: termArg, schoolId: id.nullable().default(null) }),
  ),
};
