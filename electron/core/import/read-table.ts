/**
 * Reads a spreadsheet the clerk chose (.xlsx, or .csv in UTF-8 with or without BOM, UTF-16 or
 * GBK/GB18030) into plain rows of cells. Number cells stay numbers so the importer can tell an ID number
 * that Excel already rounded from one typed as text.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../../../shared/errors';

export type Cell = string | number | Date | null;

export interface Sheet {
  name: string;
  rows: Cell[][];
}

export interface Table {
  format: 'xlsx' | 'csv';
  sheets: Sheet[];
  /** How a CSV was decoded: utf-8, utf-16le, gb18030. */
  encoding: string | null;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(data: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => data[i] === b);
}

export async function readTable(fileName: string, data: Buffer): Promise<Table> {
  if (data.length === 0) throw new AppError('file-empty', `文件“${fileName}”是空的`);
  if (startsWith(data, OLE)) {
    throw new AppError(
      'xls-unsupported',
      `“${fileName}”是旧版 Excel 97-2003（.xls）文件，无法直接读取。请用 WPS 或 Excel 打开，另存为“Excel 工作簿（.xlsx）”后再导入。`,
    );
  }
  if (startsWith(data, ZIP)) return { format: 'xlsx', sheets: await readXlsx(fileName, data), encoding: null };
  if (/\.(xlsx|xlsm|xls|et|ods)$/i.test(fileName)) {
    throw new AppError('file-unreadable', `“${fileName}”不是有效的 Excel 文件（文件可能已损坏，或只是改了扩展名）。`);
  }
  return readCsv(fileName, data);
}

async function readXlsx(fileName: string, data: Buffer): Promise<Sheet[]> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs types predate Node's generic Buffer.
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new AppError('file-unreadable', `无法读取“${fileName}”：文件已损坏或不是 .xlsx 格式。请在 Excel/WPS 中打开并重新保存后再试。`);
  }
  return wb.worksheets.map((ws) => {
    const rows: Cell[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const cells: Cell[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        cells[col - 1] = cellValue(cell.value);
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= null;
      rows[rowNumber - 1] = cells;
    });
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
    return { name: ws.name, rows };
  });
}

function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return null;
  }
  return null;
}

function decode(data: Buffer): { text: string; encoding: string } {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return { text: data.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (data[0] === 0xff && data[1] === 0xfe) return { text: iconv.decode(data.subarray(2), 'utf16le'), encoding: 'utf-16le' };
  if (data[0] === 0xfe && data[1] === 0xff) return { text: iconv.decode(data.subarray(2), 'utf16be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: WPS and the registry system write GBK, of which GB18030 is a superset.
    return { text: iconv.decode(data, 'gb18030'), encoding: 'gb18030' };
  }
}

function readCsv(fileName: string, data: Buffer): Table {
  const { text, encoding } = decode(data);
  if (text.includes('\u0000')) {
    throw new AppError('file-unreadable', `“${fileName}”不是文本表格（CSV）文件，请导入 .xlsx 或 .csv 文件。`);
  }
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true });
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new AppError(
      'file-unreadable',
      `无法解析“${fileName}”${line ? `第${line}行附近` : ''}：引号或分隔符不匹配。请在 Excel/WPS 中打开并另存为 .xlsx 后再试。`,
    );
  }
  return {
    format: 'csv',
    encoding,
    sheets: [{ name: fileName.replace(/\.[^.]+$/, ''), rows: records.map((r) => r.map((c) => (c === '' ? null : c))) }],
  };
}

/** The text of a cell as the clerk would read it. Numbers print without exponent where possible. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isInteger(cell) && Math.abs(cell) < 1e21 ? cell.toFixed(0) : String(cell);
  return cell.toISOString().slice(0, 10);
}

/** Column letters as Excel shows them: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
