import { z } from 'zod';
import type { FileResult } from './common';
import { id, isoDate, shortText, UploadArgs } from './common';
import { message } from './contract';
import type { CountyFindingCase, FindingsPreview } from '../domain/county-finding';

const MAX_FILE_BASE64 = 28_000_000;

export const countyFindingsApi = {
  /** A county's list of 问题线索 (any layout with 身份证号 and 问题描述), matched to students by ID number. */
  'countyFindings.preview': message<FindingsPreview>()(z.object({ upload: UploadArgs })),
  /** Opens a correction case for each matched row not opened before. */
  'countyFindings.import': message<{ opened: number; already: number; unmatched: number }>()(z.object({ uploadId: z.uuid() })),
  'countyFindings.list': message<CountyFindingCase[]>()(z.object({ status: z.enum(['open', 'closed']).nullable().default(null) })),
  /** 核查结果, 整改措施, 整改日期; `close` needs all three. */
  'countyFindings.update': message<CountyFindingCase>()(
    z.object({
      id,
      result: shortText(500).default(''),
      measure: shortText(500).default(''),
      correctedOn: isoDate.nullable().default(null),
      close: z.boolean().default(false),
    }),
  ),
  'countyFindings.attach': message<CountyFindingCase>()(
    z.object({
      id,
      fileName: z.string().trim().min(1).max(200),
      dataBase64: z.string().min(1).max(MAX_FILE_BASE64, '文件太大（超过 20 MB），请压缩照片或分页扫描'),
    }),
  ),
  /** The reply to the county: every case and what was done, with the counts. */
  'countyFindings.export': message<FileResult & { open: number; closed: number }>()(z.object({})),
};
