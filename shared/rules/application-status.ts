/**
 * The life of an application. Each action moves it from some states to one state, with preconditions the
 * core checks against facts it gathers; a refusal says why in Chinese.
 */
import type { ApplicationStatus } from '../domain/application';

export type ApplicationAction =
  | 'reapply'
  | 'cancel'
  | 'reopen'
  | 'submit'
  | 'toClassReview'
  | 'toSchoolReview'
  | 'publicise'
  | 'approve'
  | 'reject'
  | 'return'
  | 'withdraw'
  | 'report'
  | 'pay'
  | 'archive';

export const ACTIONS: Record<ApplicationAction, { from: ApplicationStatus[]; to: ApplicationStatus; text: string; needsNote?: boolean }> = {
  reapply: { from: ['withdrawn'], to: 'draft', text: '重新申请' },
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
  /** An objection upheld during the recipient publicity: taken off the list. Not undone by a plain undo. */
  cancel: { from: ['publicity'], to: 'rejected', text: '复核后取消资助', needsNote: true },
  /** Back to school review after a refusal or a cancellation, with the reason: the only way back from those. */
  reopen: { from: ['rejected'], to: 'schoolReview', text: '重新审核', needsNote: true },
};

/** What kind of step an event is: the kinds other than `step` are never reversed by a plain undo. */
export type EventKind = 'step' | 'publicity' | 'objection' | 'payment' | 'reopen' | 'undo';

/** The kind an action's event is written with. */
export function eventKindOf(action: ApplicationAction): EventKind {
  if (action === 'publicise') return 'publicity';
  if (action === 'cancel') return 'objection';
  if (action === 'pay') return 'payment';
  if (action === 'reopen') return 'reopen';
  return 'step';
}

/** Actions the clerk starts from the applications list (the others follow from publicity, objections and payments). */
export const CLERK_ACTIONS = [
  'submit',
  'toClassReview',
  'toSchoolReview',
  'approve',
  'reject',
  'return',
  'withdraw',
  'report',
  'pay',
  'archive',
  'reopen',
] as const;
export type ClerkAction = (typeof CLERK_ACTIONS)[number];

/** Facts about one application that the preconditions need. */
export interface TransitionFacts {
  enrolled: boolean;
  eligible: boolean;
  /** A tier is set (by the allocation or the clerk). */
  tierSet: boolean;
  /** The amount is set: a paid programme's standard is filled in for the student's stage (waivers need none). */
  amountSet: boolean;
  funded: boolean | null;
  /**
   * Why the recipient publicity does not yet allow approval (not posted, still open, too short, the class
   * level missing in a two-level publicity), or null when it does. See shared/rules/publicity.ts.
   */
  publicityRefusal: string | null;
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
      if (facts.funded !== true || !facts.tierSet) return '没有获得名额或没有分配档次，不能审核通过';
      if (!facts.amountSet) return '该项目在学生所在学段的资助标准（金额）还没有设置';
      return facts.publicityRefusal;
    case 'report':
      if (!facts.enrolled) return '学生已不在校，请先处理';
      if (facts.blockingFindings.length) return `上报前须先处理检查问题：${facts.blockingFindings.join('；')}`;
      return null;
    case 'pay':
      return facts.paymentRecorded ? null : '发放须在“发放”中登记银行回单或发放凭证';
    case 'archive':
      if (!facts.paymentRecorded) return '还没有登记发放，不能归档';
      return facts.archiveMissing.length ? `档案不齐：${facts.archiveMissing.join('；')}` : null;
    case 'reopen':
      if (!facts.enrolled) return '学生已不在校';
      return facts.eligible ? null : '不符合该项目的申请条件（认定等级、特殊群体或寄宿情况）';
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

/** The last event not yet undone, as undo sees it. */
export interface LastEvent {
  from: ApplicationStatus | null;
  to: ApplicationStatus;
  kind: EventKind;
}

/** Null when the last step may be undone, else why not. Only review steps are undone; the rest have their own way back. */
export function undoRefusal(last: LastEvent | null, status: ApplicationStatus, paymentRecorded: boolean): string | null {
  if (!last || last.to !== status || last.from === null) return '没有可以撤回的上一步（新建的申请请用“撤销”）';
  if (last.kind === 'objection') return '这是公示异议复核的结果，不能撤回：如确需恢复，请用“重新审核”并写明原因';
  if (last.kind === 'publicity' || last.to === 'publicity') return '已列入公示的申请不能撤回：请在公示中登记异议并复核处理';
  if (last.kind === 'payment' || (last.to === 'paid' && paymentRecorded)) return '已登记发放成功的申请不能撤回：钱已经发出';
  if (last.kind === 'undo') return '这一步本身是撤回，不能再撤回';
  return null;
}
