/**
 * The life of an application. Each action moves it from some states to one state, with preconditions the
 * core checks against facts it gathers; a refusal says why in Chinese.
 */
import type { ApplicationStatus } from '../domain/application';

export type ApplicationAction =
  'submit' | 'toClassReview' | 'toSchoolReview' | 'publicise' | 'approve' | 'reject' | 'return' | 'withdraw' | 'report' | 'pay' | 'archive';

export const ACTIONS: Record<ApplicationAction, { from: ApplicationStatus[]; to: ApplicationStatus; text: string; needsNote?: boolean }> = {
  submit: { from: ['draft', 'returned'], to: 'applied', text: '提交申请' },
  toClassReview: { from: ['applied'], to: 'classReview', text: '交班级评议' },
  toSchoolReview: { from: ['classReview'], to: 'schoolReview', text: '交学校审核' },
  publicise: { from: ['schoolReview'], to: 'publicity', text: '公示' },
  approve: { from: ['publicity'], to: 'approved', text: '审核通过' },
  reject: { from: ['applied', 'classReview', 'schoolReview', 'publicity'], to: 'rejected', text: '不予通过', needsNote: true },
  return: { from: ['applied', 'classReview', 'schoolReview'], to: 'returned', text: '退回', needsNote: true },
  withdraw: { from: ['draft', 'applied', 'returned', 'classReview', 'schoolReview'], to: 'withdrawn', text: '撤销', needsNote: true },
  report: { from: ['approved'], to: 'submitted', text: '上报' },
  pay: { from: ['submitted'], to: 'paid', text: '发放' },
  archive: { from: ['paid'], to: 'archived', text: '归档' },
};

/** Facts about one application that the preconditions need. */
export interface TransitionFacts {
  enrolled: boolean;
  eligible: boolean;
  /** A tier and an amount are set (funded by the allocation, or a waiver / recorded programme). */
  tierSet: boolean;
  funded: boolean | null;
  /** The recipient publicity holding this application has closed (which needs every objection handled). */
  publicityClosed: boolean;
  blockingFindings: string[];
  /** A successful payment is recorded (by hand or from the bank's result file). */
  paymentRecorded: boolean;
  /** Required archive items (the programme's and the student's) not yet 齐全. */
  archiveMissing: string[];
}

/** Null when the action may go ahead, else the reason it may not (without the student's name). */
export function refusal(action: ApplicationAction, status: ApplicationStatus, facts: TransitionFacts, note: string): string | null {
  const a = ACTIONS[action];
  if (!a.from.includes(status)) return `当前状态不能“${a.text}”`;
  if (a.needsNote && note.trim().length < 2) return `“${a.text}”须写明原因`;
  switch (action) {
    case 'submit':
    case 'toClassReview':
    case 'toSchoolReview':
      if (!facts.enrolled) return '学生已不在校';
      if (!facts.eligible) return '不符合该项目的申请条件（认定等级、特殊群体或寄宿情况）';
      return null;
    case 'publicise':
      if (!facts.enrolled) return '学生已不在校';
      if (facts.funded === false) return '未获得名额，不能列入受助公示';
      if (!facts.tierSet) return '还没有分配档次和金额，请先“分配名额”';
      if (facts.blockingFindings.length) return `有必须先处理的检查问题：${facts.blockingFindings.join('；')}`;
      return null;
    case 'approve':
      return facts.publicityClosed ? null : '受助名单公示尚未结束（公示期未满或有未处理的异议）';
    case 'report':
      if (!facts.enrolled) return '学生已不在校，请先处理';
      if (facts.blockingFindings.length) return `上报前须先处理检查问题：${facts.blockingFindings.join('；')}`;
      return null;
    case 'pay':
      return facts.paymentRecorded ? null : '发放须在“发放”中登记银行回单或发放凭证';
    case 'archive':
      if (!facts.paymentRecorded) return '还没有登记发放，不能归档';
      return facts.archiveMissing.length ? `档案不齐：${facts.archiveMissing.join('；')}` : null;
    default:
      return null;
  }
}

/** Statuses an application counts as live in (for checks, quotas and duplicate aid). */
export const LIVE_STATUSES: ApplicationStatus[] = [
  'applied',
  'classReview',
  'schoolReview',
  'publicity',
  'approved',
  'submitted',
  'paid',
  'archived',
];
