/** The school's own texts for what goes home to families, kept per school year (the policies come from the catalogue). */
export interface NoticeTexts {
  /** 资助咨询和监督电话 printed on every notice. */
  complaintPhone: string;
  letterIntro: string;
  /** How to apply: closes the letter and the 明白卡. */
  letterClosing: string;
  /** 证明材料 families bring. */
  checklist: string[];
  /** To 高三 families: 生源地信用助学贷款 and 大学新生入学资助 (the school checks the year's figures). */
  seniorGraduates: string;
}

export type NoticeKind = 'letter' | 'cards' | 'paymentNotices' | 'checklist' | 'graduates';
