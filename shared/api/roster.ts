import { z } from 'zod';
import { ROSTER_FIELD_KEYS, type ColumnMapping, type RosterField } from '../rules/roster-columns';
import { message } from './contract';

import { id, UploadArgs } from './common';

export const MappingArgs = z.partialRecord(z.enum(ROSTER_FIELD_KEYS as [RosterField, ...RosterField[]]), z.number().int().min(0).max(500));

/** One problem found in a row: the importer's message names the row and the column. */
export interface RowProblem {
  /** The row number as the spreadsheet shows it (1-based). */
  row: number;
  /** The column's header as the file spells it. */
  column: string;
  field: RosterField | null;
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface FieldChange {
  field: string;
  label: string;
  /** Values of sensitive fields are masked. */
  from: string | null;
  to: string | null;
}

/** A field the clerk changed on this desk since the last roster import, which the file would now change again. */
export interface FieldConflict {
  field: string;
  label: string;
  /** This desk's value (the clerk's), masked for sensitive fields. */
  mine: string | null;
  /** The roster's value, masked for sensitive fields. */
  file: string | null;
}

export interface RosterRowPreview {
  row: number;
  /** otherSchool: a student of another school of the desk (疑似双学籍), listed and not written. */
  action: 'add' | 'update' | 'unchanged' | 'rejected' | 'otherSchool';
  name: string;
  className: string | null;
  studentId: number | null;
  changes: FieldChange[];
  /** Kept as the clerk set them unless the import says to take the file's value. */
  conflicts: FieldConflict[];
  problems: RowProblem[];
}

export interface RosterColumn {
  index: number;
  /** Excel letter: A, B, … */
  letter: string;
  header: string;
  samples: string[];
}

export interface MissingStudent {
  id: number;
  name: string;
  className: string | null;
}

/** The problems of one kind across a file (one code in one column): how many, and how the first is worded. */
export interface ProblemKind {
  severity: 'error' | 'warning';
  code: string;
  column: string;
  count: number;
  /** The first one's message without its row ("身份证件号校验位不对…"). */
  example: string;
}

export interface RosterPreview {
  uploadId: string;
  fileName: string;
  sheetName: string;
  sheetNames: string[];
  /** 1-based row of the header in the sheet. */
  headerRow: number;
  columns: RosterColumn[];
  mapping: ColumnMapping;
  /** Columns written in the 学籍 standard's codes, read as words (性别 1 男、2 女 …). */
  coded: { label: string; codes: string }[];
  counts: {
    total: number;
    add: number;
    update: number;
    unchanged: number;
    rejected: number;
    otherSchool: number;
    warnings: number;
    conflicts: number;
  };
  /** The updates grouped by field, most frequent first: what the import changes, before the row list. */
  changesByField: { field: string; label: string; count: number }[];
  /**
   * Rows to add, update or reject (unchanged rows are only counted), at most `listedPerKind` of each kind (a county's
   * roster is counted whole and listed in part); every row with a conflict is listed.
   */
  rows: RosterRowPreview[];
  listedPerKind: number;
  /** Every kind of problem with its count, most frequent first: what most refused rows have in common. */
  problemKinds: ProblemKind[];
  /** Enrolled students not in this roster, the first `listedPerKind` (the clerk decides whether they left). */
  missing: MissingStudent[];
  /** How many there are in all. */
  missingCount: number;
}

export interface RosterImportResult {
  imported: number;
  updated: number;
  unchanged: number;
  /**
   * The problems of rows not imported, and the warnings: the first 5,000 of each (a county's file can have more;
   * `problemCounts` counts them all). `name`: the student's name as the file spells it ('' when the cell is empty).
   */
  rejected: { row: number; column: string; code: string; message: string; name: string }[];
  warnings: { row: number; column: string; code: string; message: string; name: string }[];
  /** Rows not imported. */
  rejectedRows: number;
  problemCounts: { errors: number; warnings: number };
  problemKinds: ProblemKind[];
  /** Enrolled students not in this roster: the first 5,000, and how many in all. */
  missing: MissingStudent[];
  missingCount: number;
  /** Fields the clerk had changed, kept as the clerk set them. */
  conflictsKept: number;
  /** Students of another school of the desk listed for 双学籍核对. */
  otherSchool: number;
  batchId: number | null;
}

export const rosterApi = {
  /** Reads the file (or the one uploaded before), proposes or applies a mapping, and shows what an import would do. */
  'roster.preview': message<RosterPreview>()(
    z.object({
      upload: UploadArgs,
      mapping: MappingArgs.optional(),
      sheetName: z.string().max(100).optional(),
      /** The school of the desk whose roster this is (a member school's roster goes into that school). */
      schoolId: id.default(1),
    }),
  ),
  /** Writes the valid rows of a previewed file in one transaction. `strict`: write nothing if any row is rejected. */
  'roster.import': message<RosterImportResult>()(
    z.object({
      uploadId: z.uuid(),
      mapping: MappingArgs,
      sheetName: z.string().max(100).optional(),
      schoolId: id.default(1),
      strict: z.boolean().default(false),
      /** Conflicts where the clerk chose the roster's value; every other conflict keeps the clerk's. */
      takeFile: z
        .array(z.object({ studentId: z.number().int().positive(), field: z.string().max(40) }))
        .max(200_000)
        .default([]),
    }),
  ),
};
