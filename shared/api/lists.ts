import { z } from 'zod';
import { LIST_KIND_KEYS, type CrosscheckResult, type ListKind, type ListLayout, type OfficialList } from '../domain/official-list';
import { PRIORITY_GROUPS, type PriorityGroup } from '../domain/priority-group';
import { id, isoDate, UploadArgs } from './common';
import { message } from './contract';

const kind = z.enum(LIST_KIND_KEYS as [ListKind, ...ListKind[]]);
const col = z.number().int().min(0).max(500);
const area = z.enum(['rural', 'urban']).nullable().default(null);

export const ListLayoutArgs = z.object({
  sheetName: z.string().max(100),
  headerRow: z.number().int().min(1).max(100),
  idColumns: z.array(col).min(1, '请至少选择一列身份证号').max(5),
  nameColumn: col.nullable(),
  categoryColumn: col.nullable(),
});

export interface ListPreview {
  uploadId: string;
  fileName: string;
  sheetNames: string[];
  layout: ListLayout;
  /** True when the layout came from the profile saved for this kind of list. */
  fromProfile: boolean;
  columns: { index: number; letter: string; header: string; samples: string[] }[];
  rows: number;
  people: number;
  /** Category text in the file → the group it becomes (null: not a priority group, skipped). */
  categories: { text: string; group: PriorityGroup | null; count: number }[];
  /** Rows whose ID number is missing or invalid: listed by row, never imported silently. */
  problems: { row: number; column: string; message: string }[];
  /** Enrolled students the list has: a preview of the cross-check. */
  inRoster: number;
  /** The school's enrolled students: a list holding more than half of them asks before it is imported. */
  enrolled: number;
  /** 低保/特困 people whose row does not say 城市 or 农村 (the list's area, when chosen, decides them). */
  areaUnknown: number;
}

export const listsApi = {
  'lists.preview': message<ListPreview>()(z.object({ upload: UploadArgs, kind, layout: ListLayoutArgs.optional(), area })),
  /**
   * Stores the list (and the layout as this kind's profile). The cross-check then compares flags with it.
   * `area`: 城市 or 农村 for 低保/特困 rows whose category does not say (null: left unknown, listed for the clerk).
   */
  'lists.import': message<OfficialList>()(
    z.object({
      uploadId: z.uuid(),
      kind,
      layout: ListLayoutArgs,
      listDate: isoDate,
      area,
      /** The clerk confirmed a list that holds more than half of the school's students. */
      confirmMany: z.boolean().default(false),
    }),
  ),
  'lists.list': message<OfficialList[]>()(z.object({})),
  /** Compares students' flags with the newest list of each kind, both ways. */
  'crosscheck.run': message<CrosscheckResult>()(z.object({})),
  /** Flags listed students in one step, with the list as the source and its date. */
  'crosscheck.apply': message<{ flagged: number }>()(
    z.object({
      items: z
        .array(z.object({ studentId: id, group: z.enum(Object.keys(PRIORITY_GROUPS) as [PriorityGroup, ...PriorityGroup[]]) }))
        .min(1)
        .max(50_000),
    }),
  ),
  /** Takes a flag off after review (kept in the student's history). */
  'flags.remove': message<{ removed: number }>()(
    z.object({
      studentId: id,
      group: z.enum(Object.keys(PRIORITY_GROUPS) as [PriorityGroup, ...PriorityGroup[]]),
      reason: z.string().trim().min(2, '请写明取消原因').max(200),
    }),
  ),
};
