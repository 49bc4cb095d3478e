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
