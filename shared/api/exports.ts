import { z } from 'zod';
import { id, schoolYearArg, type FileResult } from './common';
import { message } from './contract';
import { TEMPLATE_FIELD_KEYS, type TemplateField } from '../rules/template-fields';
import { termArg } from './programmes';

export interface TemplateColumnView {
  letter: string;
  header: string;
  /** The field AidDesk proposes (or null: left as the county left it). */
  field: string | null;
  fieldLabel: string | null;
  options: string[] | null;
  /** AidDesk's values for the field (是/否, 一档…) and how each is written in this column. */
  ourValues: string[];
  values: Record<string, string>;
}

export interface TemplateExportResult {
  /** Null when problems block the export: nothing is written silently wrong. */
  file: FileResult | null;
  rows: number;
  columns: TemplateColumnView[];
  problems: { student: string; column: string; message: string }[];
  /** The money received does not cover the file (資金台账; the setting `warn` lets it go with this said). */
  fundsWarning: string | null;
  /** An .xls template filled as .xlsx: what the conversion could not keep, in one line. */
  conversion: string | null;
}

export interface TemplateSummary {
  id: number;
  name: string;
  fileName: string;
  updatedAt: string;
}

export interface TemplateDetail extends TemplateSummary {
  /** students: a row per recipient; schools: a summary (汇总表) with a row per school. */
  kind: 'students' | 'schools';
  sheetName: string;
  headerRows: string;
  dataStart: number;
  templateRows: number | null;
  totalRow: number | null;
  columns: TemplateColumnView[];
}

const file = z.object({ fileName: z.string().min(1).max(255), dataBase64: z.string().max(40_000_000) });
const fieldKey = z.enum(TEMPLATE_FIELD_KEYS as [TemplateField, ...TemplateField[]]);

/** Built-in layouts for when the county sends none: a recipient list, and the bank's payment file (代发文件). */
export const BUILT_IN_TEMPLATES = {
  list: '受助学生名单（通用）',
  bank: '银行代发文件（账号、户名、金额、身份证号）',
  identification: '家庭经济困难学生认定结果（全国学生资助管理信息系统导入格式）',
} as const;
export type BuiltInTemplate = keyof typeof BUILT_IN_TEMPLATES;

export const exportsApi = {
  'templates.list': message<TemplateSummary[]>()(z.object({})),
  /** Keeps the county's file as sent and proposes a field for each column. */
  'templates.add': message<TemplateDetail & { conversion: string | null }>()(
    z.object({ file, name: z.string().trim().max(60).optional() }),
  ),
  'templates.get': message<TemplateDetail>()(z.object({ id })),
  /** The clerk's correction of the proposed fields, kept with the template for next term. */
  'templates.saveMapping': message<TemplateDetail>()(
    z.object({
      id,
      mapping: z.record(z.string().regex(/^[A-Z]{1,3}$/), fieldKey.nullable()).default({}),
      values: z.record(z.string().regex(/^[A-Z]{1,3}$/), z.record(z.string().max(20), z.string().max(40))).default({}),
    }),
  ),
  'templates.remove': message<{ removed: number }>()(z.object({ id })),
  /** Any list of the app as a plain .xlsx: the roster (with its filters) or a programme's applications. */
  'export.list': message<FileResult & { rows: number }>()(
    z.discriminatedUnion('list', [
      z.object({
        list: z.literal('students'),
        search: z.string().max(50).default(''),
        classId: id.nullable().default(null),
        schoolId: id.nullable().default(null),
        status: z.enum(['enrolled', 'left', 'all']).default('enrolled'),
        fullNumbers: z.boolean().default(false),
      }),
      z.object({
        list: z.literal('applications'),
        programmeId: id,
        term: termArg,
        classId: id.nullable().default(null),
        schoolId: id.nullable().default(null),
        status: z.string().max(20).nullable().default(null),
      }),
    ]),
  ),
  /**
   * Any other table on screen as a plain .xlsx, exactly as shown (already masked where the screen masks).
   * `textColumns` are written as text cells.
   */
  'export.table': message<FileResult & { rows: number }>()(
    z.object({
      title: z.string().trim().min(1).max(80),
      headers: z.array(z.string().max(40)).min(1).max(60),
      rows: z.array(z.array(z.union([z.string().max(2000), z.number(), z.null()])).max(60)).max(200_000),
      textColumns: z.array(z.number().int().min(0).max(59)).default([]),
    }),
  ),
  /** Fills a saved template, a built-in one, or a file given once, with a programme's approved recipients of a term. */
  /**
   * 认定结果 for the national system's batch import: every student identified in hardship in the school year (or a
   * class), in the system's downloaded template or the built-in layout; per-level tick columns are ticked.
   */
  'export.identification': message<TemplateExportResult>()(
    z.object({
      template: z.union([z.object({ templateId: id }), z.object({ builtIn: z.literal('identification') }), file]),
      schoolYear: schoolYearArg,
      classId: id.nullable().default(null),
      schoolId: id.nullable().default(null),
    }),
  ),
  'export.countyTemplate': message<TemplateExportResult>()(
    z.object({
      template: z.union([z.object({ templateId: id }), z.object({ builtIn: z.enum(['list', 'bank']) }), file]),
      programmeId: id,
      term: termArg,
      classId: id.nullable().default(null),
      /** One school of the desk, or null: all of them, on one sheet or (`perSchool`) on a sheet per school. */
      schoolId: id.nullable().default(null),
      sheets: z.enum(['one', 'perSchool']).default('one'),
      /** Only the recipients not yet paid (a bank file for paying again after corrections). */
      unpaidOnly: z.boolean().default(false),
    }),
  ),
};
