import { z } from 'zod';
import type { ArchiveAttachment, ArchiveDefinition, ArchiveItem, ArchiveOverview } from '../domain/archive';
import type { FileResult, PrintDocument } from './common';
import { id, shortText } from './common';
import { message } from './contract';
import { termArg } from './programmes';

const scope = z.enum(['term', 'programme', 'student']);
const key = z.object({
  definitionId: id,
  period: z.string().regex(/^\d{4}-(autumn|spring|\d{4})$/, '期间应为学期（2026-autumn）或学年（2026-2027）'),
  programmeId: z.number().int().min(0).default(0),
  studentId: z.number().int().min(0).default(0),
  schoolId: id.default(1),
});
/** Scans and photos: 20 MB is a large phone photo many times over. */
const MAX_FILE_BASE64 = 28_000_000;

export const archiveApi = {
  'archive.definitions': message<ArchiveDefinition[]>()(z.object({ includeInactive: z.boolean().default(false) })),
  'archive.saveDefinition': message<ArchiveDefinition>()(
    z.object({
      id: id.optional(),
      scope,
      name: shortText(40).min(2, '请填写档案名称'),
      required: z.boolean(),
      retention: shortText(20).default(''),
      active: z.boolean().default(true),
    }),
  ),
  /** A term's items (student items are kept per school year), optionally of one scope, programme or class. */
  'archive.items': message<ArchiveItem[]>()(
    z.object({
      term: termArg,
      scope: scope.optional(),
      programmeId: id.nullable().default(null),
      classId: id.nullable().default(null),
      /** One school of the desk, or null: all. */
      schoolId: id.nullable().default(null),
    }),
  ),
  /** Sets the status and/or note of items (many at once: a class's forms collected together). */
  'archive.set': message<{ changed: number }>()(
    z.object({
      keys: z.array(key).min(1).max(50_000),
      status: z.enum(['missing', 'partial', 'complete']).nullable().default(null),
      note: shortText(200).nullable().default(null),
    }),
  ),
  'archive.attach': message<ArchiveAttachment>()(
    z.object({
      key,
      fileName: z.string().trim().min(1).max(200),
      dataBase64: z.string().min(1).max(MAX_FILE_BASE64, '文件太大（超过 20 MB），请压缩照片或分页扫描'),
      thumbnailBase64: z.string().max(200_000).nullable().default(null),
    }),
  ),
  'archive.detach': message<{ removed: true }>()(z.object({ attachmentId: id })),
  'archive.file': message<FileResult & { mime: string }>()(z.object({ attachmentId: id })),
  'archive.overview': message<ArchiveOverview>()(z.object({ term: termArg, schoolId: id.nullable().default(null) })),
  /** 档案目录: every item of the term with its status and files. */
  'print.archiveCatalogue': message<PrintDocument>()(z.object({ term: termArg, schoolId: id.nullable().default(null) })),
  /** Box and folder labels: one per programme and one for the term's general documents. */
  'print.archiveLabels': message<PrintDocument>()(z.object({ term: termArg, schoolId: id.nullable().default(null) })),
};
