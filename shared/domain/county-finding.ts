/**
 * 县级核查整改: what the county or the national system sends back about the school's students (问题线索), each
 * opened as a correction case and closed with what was checked, what was done and when.
 */
export type FindingCategory = 'notEnrolled' | 'duplicateAid' | 'idNumber' | 'doubleRegistration' | 'other';
export const FINDING_CATEGORY_TEXT: Record<FindingCategory, string> = {
  notEnrolled: '不在校',
  duplicateAid: '重复资助',
  idNumber: '身份证号错误',
  doubleRegistration: '疑似双学籍',
  other: '其他',
};

export interface CountyFindingCase {
  id: number;
  source: string;
  receivedOn: string;
  row: number;
  studentId: number;
  name: string;
  className: string;
  category: FindingCategory;
  problem: string;
  status: 'open' | 'closed';
  result: string;
  measure: string;
  correctedOn: string | null;
  attachmentName: string | null;
}

export interface FindingsPreview {
  uploadId: string;
  fileName: string;
  /** 1-based header row. */
  headerRow: number;
  rows: number;
  matched: {
    row: number;
    studentId: number;
    name: string;
    className: string;
    category: FindingCategory;
    problem: string;
    already: boolean;
  }[];
  /** Rows not matched to a student of the school (never guessed by name): the first 50, and how many in all. */
  unmatched: { row: number; name: string; reason: string }[];
  unmatchedCount: number;
}
