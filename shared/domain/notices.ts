/** The school's own texts for what goes home to families, kept per school year (the policies come from the catalogue). */
export interface NoticeTexts {
  /** 资助咨询和监督电话 printed on every notice. */
  complaintPhone: string;
  letterIntro: string;
  /** How to apply: closes the letter and the 明白卡. */
  letterClosing: string;
  /** 证明材料 families bring. */
  checklist: string[];
}

export type NoticeKind = 'letter' | 'cards' | 'paymentNotices' | 'checklist';
