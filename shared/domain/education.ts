/** 资助育人 activities and complaints outside a publicity period. */
export type ActivityTheme = 'policyLesson' | 'integrity' | 'gratitude' | 'selfReliance' | 'other';
export const ACTIVITY_THEMES: readonly ActivityTheme[] = ['policyLesson', 'integrity', 'gratitude', 'selfReliance', 'other'];
export const ACTIVITY_THEME_TEXT: Record<ActivityTheme, string> = {
  policyLesson: '资助政策宣传课',
  integrity: '诚信教育',
  gratitude: '感恩教育',
  selfReliance: '自强教育',
  other: '其他',
};

export interface Activity {
  id: number;
  heldOn: string;
  theme: ActivityTheme;
  title: string;
  /** Class ids; empty: the whole school. */
  classIds: number[];
  classNames: string[];
  attendance: number;
  note: string;
  photos: { sha256: string; name: string }[];
}

/**
 * 两节课: each class, each term, a policy lesson and a lesson of 资助育人 (诚信/感恩/自强). A whole-school activity
 * counts for every class.
 */
export interface TwoLessons {
  classes: { classId: number; className: string; policyLesson: boolean; education: boolean }[];
  done: number;
}

export type ComplaintChannel = 'phone' | 'mailbox' | 'visit' | 'other';
export const COMPLAINT_CHANNEL_TEXT: Record<ComplaintChannel, string> = {
  phone: '监督电话',
  mailbox: '意见信箱',
  visit: '来访',
  other: '其他',
};

export interface Complaint {
  id: number;
  receivedOn: string;
  channel: ComplaintChannel;
  raisedBy: string;
  content: string;
  studentId: number | null;
  studentName: string | null;
  status: 'open' | 'closed';
  handling: string;
  answeredOn: string | null;
}

export type FollowUpKind = 'visit' | 'questionnaire' | 'pairing' | 'note' | 'preApplication' | 'star';
export const FOLLOW_UP_KINDS: readonly FollowUpKind[] = ['visit', 'questionnaire', 'pairing', 'note', 'star', 'preApplication'];
export const FOLLOW_UP_KIND_TEXT: Record<FollowUpKind, string> = {
  visit: '回访',
  questionnaire: '问卷调查',
  pairing: '结对帮扶',
  note: '成绩与身心情况',
  preApplication: '生源地贷款预申请',
  star: '资助之星',
};

export interface FollowUp {
  id: number;
  studentId: number;
  name: string;
  className: string;
  kind: FollowUpKind;
  onDate: string;
  byWhom: string;
  content: string;
}

/** A graduating 高三 student of a 脱贫/监测 or 低保 family, to follow up for the 生源地信用助学贷款 and 新生入学资助. */
export interface GraduateFollowUp {
  studentId: number;
  name: string;
  className: string;
  groups: string[];
  preApplied: boolean;
  preAppliedOn: string | null;
}
