/** 申请: one per student × programme × term, from request to payment. */
import type { DifficultyLevel } from './identification';
import type { PriorityGroup } from './priority-group';
import type { Stage, Term } from './school';
import type { TierNumber } from './programme';
import type { Fen } from '../rules/money';

export type ApplicationStatus =
  | 'draft'
  | 'applied'
  | 'classReview'
  | 'schoolReview'
  | 'publicity'
  | 'approved'
  | 'rejected'
  | 'submitted'
  | 'paid'
  | 'archived'
  | 'returned'
  | 'withdrawn';

export const APPLICATION_STATUS_TEXT: Record<ApplicationStatus, string> = {
  draft: '草稿',
  applied: '已申请',
  classReview: '班级评议',
  schoolReview: '学校审核',
  publicity: '公示中',
  approved: '已通过',
  rejected: '未通过',
  submitted: '已上报',
  paid: '已发放',
  archived: '已归档',
  returned: '退回',
  withdrawn: '撤销',
};

/** What an approval was decided on, frozen with it. */
export interface ApplicationSnapshot {
  level: DifficultyLevel | null;
  groups: PriorityGroup[];
  boarding: boolean | null;
  stage: Stage | null;
  className: string | null;
}

export interface Application {
  id: number;
  studentId: number;
  name: string;
  className: string | null;
  /** The school of the desk (1: the central school). */
  schoolId: number;
  schoolName: string;
  grade: string | null;
  stage: Stage | null;
  boarding: boolean | null;
  programmeId: number;
  programmeCode: string;
  term: Term;
  status: ApplicationStatus;
  level: DifficultyLevel | null;
  groups: PriorityGroup[];
  score: number | null;
  rank: number | null;
  rankReason: string;
  funded: boolean | null;
  tier: TierNumber | null;
  amount: Fen | null;
  tierReason: string;
  snapshot: ApplicationSnapshot | null;
  updatedAt: string;
}

export interface ApplicationEvent {
  at: string;
  from: ApplicationStatus | null;
  to: ApplicationStatus;
  actor: string;
  note: string;
  undone: boolean;
}

export type FindingSeverity = 'blocking' | 'warning';

export interface Finding {
  severity: FindingSeverity;
  code: string;
  /** The student's name, or null for a finding about the programme as a whole (quota, budget, tiers). */
  student: string | null;
  studentId: number | null;
  className: string | null;
  applicationId: number | null;
  programme: string;
  /** What is wrong and what to do, in Chinese. */
  message: string;
  /**
   * A blocking finding that only holds back the submission to the county and the bank file (a missing or
   * malformed bank card): the recipient publicity may go ahead.
   */
  stage?: 'report';
  /** A finding about one school's part of the programme (its quota, its tiers): that school of the desk. */
  schoolId?: number;
  /** The clerk saw this finding and explained it (e.g. an eligible student not applying); it stays listed. */
  acknowledged?: { reason: string; at: string; actor: string };
}

/** Each kind of finding in a few words, for the checks page's filter (the finding's message says the rest). */
export const FINDING_CODE_TEXT: Record<string, string> = {
  'not-enrolled': '学生已离校',
  'name-id-mismatch': '姓名或身份证号与学籍不一致',
  'boarding-mismatch': '寄宿情况与项目不符',
  'boarding-unknown': '缺少寄宿情况',
  'flag-not-listed': '特殊群体无县级名单佐证',
  'over-age': '超过学段通常年龄',
  'standard-missing': '未设置资助标准',
  'bank-card-missing': '没有银行卡号',
  'bank-card-format': '银行卡号格式不对',
  'bank-card-luhn': '银行卡号校验位存疑',
  'household-twice': '同户重复申请',
  'cross-school-duplicate': '在两所学校重复受助',
  duplicate: '同一项目重复申请',
  'over-quota': '超过名额',
  'over-budget': '超过资金',
  'tier-proportions': '档次比例不符',
  exclusive: '不能兼得的项目',
  'area-unknown': '城乡不明',
  'nobody-missed': '符合条件而未申请',
  'unfunded-eligible': '符合条件而未获资助',
};

/** One page of a term's findings, with the counts of all of them. */
export interface FindingPage {
  /** All findings in scope, and of them the blocking ones and the eligible students not yet seen or explained. */
  total: number;
  blocking: number;
  missed: number;
  /** How many of each kind, most first: what the page can be narrowed to. */
  codes: { code: string; severity: FindingSeverity; count: number }[];
  /** The findings of the kind asked for (all when none), and the page of them from `offset`. */
  matched: number;
  offset: number;
  findings: Finding[];
}
