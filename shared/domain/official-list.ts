/** Official lists (县级名单) the county sends for cross-checks, keyed by ID number. */
import type { PriorityGroup } from './priority-group';

export type ListKind = 'poverty' | 'monitored' | 'dibao' | 'extreme-poverty' | 'disabled' | 'orphan';
export const LIST_KINDS: Record<ListKind, { text: string; group: PriorityGroup }> = {
  poverty: { text: '脱贫人口（含监测对象）名单', group: 'povertyAlleviated' },
  monitored: { text: '防止返贫监测对象名单', group: 'monitored' },
  dibao: { text: '低保（含特困）名单', group: 'dibao' },
  'extreme-poverty': { text: '特困供养名单', group: 'extremePoverty' },
  disabled: { text: '残疾人名单', group: 'disabledStudent' },
  orphan: { text: '孤儿名单', group: 'orphan' },
};
export const LIST_KIND_KEYS = Object.keys(LIST_KINDS) as ListKind[];

/** Where each column of a list sits (0-based columns; the header row is 1-based as the sheet shows it). */
export interface ListLayout {
  sheetName: string;
  headerRow: number;
  idColumns: number[];
  nameColumn: number | null;
  categoryColumn: number | null;
}

export interface OfficialList {
  id: number;
  kind: ListKind;
  fileName: string;
  listDate: string;
  importedAt: string;
  rowCount: number;
  /** People per group, as the list's category column says. */
  groups: Partial<Record<PriorityGroup, number>>;
}

export interface CrosscheckItem {
  studentId: number;
  name: string;
  className: string | null;
  group: PriorityGroup;
  /** listedNotFlagged: the list that has the student; flaggedNotListed: where the flag came from. */
  source: string;
  sourceDate: string | null;
  /** The student is flagged for the group already, but only by self-declaration, the roster or a certificate. */
  flaggedOtherwise: boolean;
}

export interface CrosscheckResult {
  /** Groups the imported lists cover: only these are compared. */
  groups: PriorityGroup[];
  listedNotFlagged: CrosscheckItem[];
  flaggedNotListed: CrosscheckItem[];
  /** Enrolled students whose list entries and flags agree. */
  matched: number;
  /** Listed people not in the roster (parents, other schools' pupils): ignored, counted. */
  notInRoster: number;
}
