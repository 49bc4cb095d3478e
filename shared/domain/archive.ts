/** 档案: the archive checklist the inspectors walk through, item by item, with scans and photos attached. */
import type { Term } from './school';

/** Kept once per term, per programme and term, or per student and school year. */
export type ArchiveScope = 'term' | 'programme' | 'student';
export const ARCHIVE_SCOPE_TEXT: Record<ArchiveScope, string> = { term: '学期综合档案', programme: '项目档案', student: '学生个人档案' };

export type ArchiveStatus = 'missing' | 'partial' | 'complete';
export const ARCHIVE_STATUS_TEXT: Record<ArchiveStatus, string> = { missing: '缺', partial: '部分', complete: '齐全' };

/** Documents the app makes itself; their item ticks itself when the clerk prints or exports one. */
export type ProducedBy =
  'identificationPublicity' | 'programmePublicity' | 'countyExport' | 'signatureRoster' | 'bankReturn' | 'workSummary';

export interface ArchiveDefinition {
  id: number;
  scope: ArchiveScope;
  name: string;
  /** Required items must be 齐全 before an application is archived (programme and student items). */
  required: boolean;
  producedBy: ProducedBy | null;
  /** 保管期限 as printed on the box label (e.g. 30年 for vouchers, 10年 for bank statements). */
  retention: string;
  sort: number;
  active: boolean;
}

export interface ArchiveAttachment {
  id: number;
  sha256: string;
  name: string;
  mime: string;
  size: number;
  source: 'upload' | 'generated';
  addedAt: string;
  /** A small JPEG as a data: URL for images, else null. */
  thumbnail: string | null;
}

/** Where an item belongs: period is the term (term and programme items) or the school year (student items). */
export interface ArchiveKey {
  definitionId: number;
  period: string;
  programmeId: number;
  studentId: number;
  /** The school of the desk (中心校 1, or a 校点) a term or programme item belongs to; always 1 for a student's items. */
  schoolId: number;
}

export interface ArchiveItem extends ArchiveKey {
  /** The school's name, for a desk that keeps several (a student's item: the student's school). */
  schoolName: string;
  name: string;
  scope: ArchiveScope;
  required: boolean;
  status: ArchiveStatus;
  note: string;
  attachments: ArchiveAttachment[];
  programmeName: string | null;
  studentName: string | null;
  classId: number | null;
  className: string | null;
  updatedAt: string | null;
}

export interface Completeness {
  label: string;
  total: number;
  complete: number;
  partial: number;
  missing: number;
  /** Required items not yet 齐全. */
  requiredOpen: number;
}

export interface ArchiveOverview {
  term: Term;
  schoolYear: string;
  year: Completeness;
  termItems: Completeness;
  programmes: (Completeness & { programmeId: number; schoolId: number })[];
  classes: (Completeness & { classId: number })[];
}
