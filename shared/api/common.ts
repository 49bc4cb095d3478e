/** Argument schemas shared by several areas of the contract. */
import { z } from 'zod';
import type { SchoolYear } from '../domain/school';
import { isRealIsoDate } from '../rules/dates';
import { isSchoolYear } from '../rules/term';

export const id = z.number().int().positive();
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 2026-09-01')
  .refine(isRealIsoDate, '这一天不存在（请核对月份和日期）');
/** Absent means the school's current school year. */
export const schoolYearArg = z
  .string()
  .refine(isSchoolYear, '学年的格式应为 2026-2027')
  .transform((v) => v as SchoolYear)
  .optional();
export const shortText = (max: number) => z.string().trim().max(max, `不超过 ${max} 个字`);

/** 30 MB of spreadsheet is far more than any school sends whole; a county's roster comes in parts (uploads.part). */
const MAX_BASE64 = 40_000_000;
/** A file larger than this is sent in parts of this size (8 MB as base64). */
export const UPLOAD_PART_BYTES = 6 * 1024 * 1024;
/** The largest file sent in parts: a county's 400,000-row roster is about 70 MB as .csv, 46 MB as .xlsx. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export const UploadArgs = z.union([
  z.object({ fileName: z.string().min(1).max(255), dataBase64: z.string().max(MAX_BASE64) }),
  z.object({ uploadId: z.uuid() }),
]);

/** A file the core made for the clerk to save: a workbook, a PDF. */
export interface FileResult {
  fileName: string;
  dataBase64: string;
}

/** A printable document: complete HTML with its own print CSS, shown in a preview and printed. */
export interface PrintDocument {
  title: string;
  html: string;
  pages: number;
}
