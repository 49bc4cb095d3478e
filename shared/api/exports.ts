import { z } from 'zod';
import { id, type FileResult } from './common';
import { message } from './contract';
import { termArg } from './programmes';

export interface TemplateColumnView {
  letter: string;
  header: string;
  /** The field AidDesk proposes (or null: left as the county left it). */
  field: string | null;
  fieldLabel: string | null;
  options: string[] | null;
}

export interface TemplateExportResult {
  /** Null when problems block the export: nothing is written silently wrong. */
  file: FileResult | null;
  rows: number;
  columns: TemplateColumnView[];
  problems: { student: string; column: string; message: string }[];
}

export const exportsApi = {
  /** Fills the county's own .xlsx template with a programme's approved recipients of a term. */
  'export.countyTemplate': message<TemplateExportResult>()(
    z.object({ template: z.object({ fileName: z.string().min(1).max(255), dataBase64: z.string().max(40_000_000) }), programmeId: id, term: termArg, classId: id.nullable().default(null) }),
  ),
};
