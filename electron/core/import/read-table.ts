/**
 * Reads a spreadsheet the clerk chose (.xlsx, or .csv in UTF-8 with or without BOM, UTF-16 or
 * GBK/GB18030) into plain rows of cells. Number cells stay numbers so the importer can tell an ID number
 * that Excel already rounded from one typed as text.
 */
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { isUtf8 } from 'node:buffer';
import { AppError } from '../../../shared/errors';
import { checkXlsx, XLSX_LIMITS } from './zip-bounds';
import { readXlsSheets } from './read-xls';
import { columnLetter, MergeFill, mergeRanges, readXlsxRows, readXlsxSheets, type MergeRange } from './read-xlsx';

/** Bounds checked while reading, before the rows are kept (a message names the limit and where it was hit). */
export const TABLE_LIMITS: TableLimits = { rows: 400_000, columns: 300, cellChars: 2_000 };

export interface TableLimits {
  rows: number;
  columns: number;
  cellChars: number;
}

export type Cell = string | number | Date | null;

export interface Sheet {
  name: string;
  rows: Cell[][];
}

export interface Table {
  format: 'xlsx' | 'xls' | 'csv';
  sheets: Sheet[];
  /** How a CSV was decoded: utf-8, utf-16le, gb18030. */
  encoding: string | null;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(data: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => data[i] === b);
}

export function readTable(fileName: string, data: Buffer): Table {
  const format = formatOf(fileName, data);
  if (format === 'xls') return { format, sheets: readXlsSheets(fileName, data, TABLE_LIMITS), encoding: null };
  if (format === 'xlsx')
    return { format, sheets: xlsx(fileName, () => readXlsxSheets(fileName, data, TABLE_LIMITS, sharedCells())), encoding: null };
  const rows: Cell[][] = [];
  const { encoding, name } = readCsvRows(fileName, data, (index, cells) => (rows[index] = cells), sharedCells());
  return { format, encoding, sheets: [{ name, rows }] };
}

function formatOf(fileName: string, data: Buffer): Table['format'] {
  if (data.length === 0) throw new AppError('file-empty', `文件“${fileName}”是空的`);
  // Excel 97-2003 (.xls, BIFF8 in an OLE container): read as it is, the clerk is never asked to convert.
  if (startsWith(data, OLE)) return 'xls';
  if (startsWith(data, ZIP)) return 'xlsx';
  if (/\.(xlsx|xlsm|xls|et|ods)$/i.test(fileName)) {
    throw new AppError('file-unreadable', `“${fileName}”不是有效的 Excel 文件（文件可能已损坏，或只是改了扩展名）。`);
  }
  return 'csv';
}

/**
 * An .xlsx read row by row (read-xlsx.ts): a county's 300,000-row roster never becomes a whole workbook in
 * memory, and rows, columns and cell length are checked as the rows arrive, so a stray cell on row 1,048,576 or a
 * pasted book stops the read where it is found.
 */
function xlsx<T>(fileName: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof AppError) throw e;
    console.error(`[aid-desk] reading an .xlsx failed: ${(e as Error).name} ${String((e as Error).message).slice(0, 160)}`);
    throw new AppError('file-unreadable', `无法读取“${fileName}”：文件已损坏或不是 .xlsx 格式。请在 Excel/WPS 中打开并重新保存后再试。`);
  }
}

/**
 * A row visitor whose own errors (a database error while a row is written) come out of the read as they are, not as
 * a file that cannot be read: `passOn` tells them from the reader's.
 */
function ownErrors(onRow: (index: number, cells: Cell[]) => void) {
  let failed: { error: unknown } | null = null;
  return {
    onRow: (index: number, cells: Cell[]) => {
      try {
        onRow(index, cells);
      } catch (error) {
        failed = { error };
        throw error;
      }
    },
    /** Throws what the visitor threw, if it threw (to be called where the read's own errors are caught). */
    passOn(): void {
      if (failed) throw failed.error;
    },
  };
}

/** The first rows of a sheet, kept whole by its outline: the header is looked for among them, samples come from them. */
export const HEAD_ROWS = 40;

/** Distinct values a column's outline keeps (a column written in codes has a few dozen at most). */
const MAX_DISTINCT = 1_000;

/** One sheet as a streamed read saw it, without its rows: what a preview needs before the rows are read again. */
export interface SheetOutline {
  name: string;
  /** The first HEAD_ROWS rows, merged values spread. */
  head: Cell[][];
  rowCount: number;
  columnCount: number;
  /** No cell has anything but spaces. */
  blank: boolean;
  merges: MergeRange[];
  /** The rows were stored in order (read again as they come); otherwise the sheet is read whole. */
  ordered: boolean;
  /**
   * Per column, each distinct text (merged values included) with the index of the last row it is on; null when the
   * column has more than MAX_DISTINCT, or takes values from a range spread over several columns below the head.
   */
  values: (Map<string, number> | null)[];
}

export interface TableOutline {
  format: Table['format'];
  encoding: string | null;
  sheets: SheetOutline[];
}

/** V8 keeps a substring this long as a slice of the text it was cut from: a CSV cell would hold on to the whole file's text. */
const SLICED_CHARS = 13;

/** A copy of a cell's text that holds on to nothing else, for what the outline keeps past the read (a county's CSV text is 100 MB). */
function ownText(text: string): string {
  return text.length < SLICED_CHARS ? text : Buffer.from(text, 'utf16le').toString('utf16le');
}

/**
 * Reads every row of every sheet, checking it as readTable does, and keeps only an outline: a file is refused at once
 * when it is damaged or too large, and a county's 300,000 rows are not held between the upload and the import.
 */
export function outlineTable(fileName: string, data: Buffer): TableOutline {
  const format = formatOf(fileName, data);
  const outlines: SheetOutline[] = [];
  const sheetOf = (i: number) =>
    (outlines[i] ??= { name: '', head: [], rowCount: 0, columnCount: 0, blank: true, merges: [], ordered: true, values: [] });
  const visit = (sheet: number, index: number, cells: Cell[]) => {
    const o = sheetOf(sheet);
    if (index < o.rowCount) o.ordered = false;
    o.rowCount = Math.max(o.rowCount, index + 1);
    o.columnCount = Math.max(o.columnCount, cells.length);
    if (index < HEAD_ROWS) o.head[index] = cells.map((c) => (typeof c === 'string' ? ownText(c) : c));
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (cell === null || cell === undefined) continue;
      const text = cellText(cell);
      if (o.blank && text.trim() !== '') o.blank = false;
      let values = o.values[c];
      if (values === undefined) values = o.values[c] = new Map();
      if (values === null || text === '') continue;
      const known = values.size;
      values.set(text, index);
      if (values.size === known) continue; // seen before: one lookup, the common case
      // A new value: past the limit the column's values are not kept, else it is kept as its own copy.
      if (values.size > MAX_DISTINCT) o.values[c] = null;
      else if (text.length >= SLICED_CHARS) {
        values.delete(text);
        values.set(ownText(text), index);
      }
    }
  };
  let names: { name: string; merges: string[] }[];
  let encoding: string | null = null;
  if (format === 'xlsx') {
    checkXlsx(fileName, data, XLSX_LIMITS, true);
    names = xlsx(fileName, () => readXlsxRows(fileName, data, TABLE_LIMITS, null, visit));
  } else if (format === 'xls') {
    const sheets = readXlsSheets(fileName, data, TABLE_LIMITS);
    sheets.forEach((s, i) => s.rows.forEach((cells, r) => visit(i, r, cells)));
    names = sheets.map((s) => ({ name: s.name, merges: [] }));
  } else {
    const csv = readCsvRows(fileName, data, (index, cells) => visit(0, index, cells), null);
    encoding = csv.encoding;
    names = [{ name: csv.name, merges: [] }];
  }
  return {
    format,
    encoding,
    sheets: names.map(({ name, merges }, i) => {
      const o = sheetOf(i);
      o.name = name;
      for (let r = 0; r < o.head.length; r++) o.head[r] ??= [];
      o.merges = mergeRanges(merges, o.rowCount, TABLE_LIMITS.columns);
      // A merged header spreads to the columns its range covers (a column with a header and nothing under it).
      for (const m of o.merges) o.columnCount = Math.max(o.columnCount, m.right + 1);
      spreadInOutline(o);
      return o;
    }),
  };
}

/** Merged values in the outline's head and in its columns' values (a sheet's merges come after its rows). */
function spreadInOutline(o: SheetOutline): void {
  const fill = new MergeFill(o.merges.filter((m) => m.top < HEAD_ROWS));
  const raw = o.head.map((r) => [...r]);
  o.head = o.head.map((row, index) => fill.fill(index, row));
  for (const m of o.merges) {
    const value = m.top < HEAD_ROWS ? (raw[m.top]?.[m.left] ?? null) : undefined;
    for (let c = m.left; c <= m.right; c++) {
      const values = o.values[c];
      if (values === null) continue;
      if (value === undefined) {
        // Below the head the first cell's value is not kept: only the range's own column is known to hold it.
        if (c > m.left) o.values[c] = null;
        continue;
      }
      const text = cellText(value);
      if (text === '') continue;
      const map = values ?? (o.values[c] = new Map());
      map.set(text, Math.max(map.get(text) ?? -1, m.bottom));
      if (map.size > MAX_DISTINCT) o.values[c] = null;
    }
  }
}

/**
 * The rows of one sheet of a file its outline was read from, handed to `onRow` one by one in order (an empty row
 * where the sheet has none), merged values spread: a roster is read again this way rather than kept.
 */
export function eachRow(
  fileName: string,
  data: Buffer,
  outline: TableOutline,
  sheet: number,
  onRow: (index: number, cells: Cell[]) => void,
): void {
  const o = outline.sheets[sheet];
  if (!o) return;
  if (outline.format === 'csv') {
    readCsvRows(fileName, data, onRow, null);
    return;
  }
  if (outline.format === 'xls' || !o.ordered) {
    const rows = readTable(fileName, data).sheets[sheet]?.rows ?? [];
    rows.forEach((cells, index) => onRow(index, cells));
    return;
  }
  const fill = new MergeFill(o.merges);
  let next = 0;
  const own = ownErrors(onRow);
  try {
    xlsx(fileName, () =>
      readXlsxRows(
        fileName,
        data,
        TABLE_LIMITS,
        null,
        (_, index, cells) => {
          for (; next < index; next++) own.onRow(next, fill.fill(next, []));
          own.onRow(index, fill.fill(index, cells));
          next = index + 1;
        },
        sheet,
      ),
    );
  } catch (e) {
    own.passOn();
    throw e;
  }
}

function tooLong(fileName: string, where: string, length: number): AppError {
  return new AppError(
    'cell-too-long',
    `“${fileName}”${where}有 ${length} 个字，超过 ${TABLE_LIMITS.cellChars} 字的上限，没有导入。请检查这一格（可能误粘贴了大段文字）。`,
  );
}

/**
 * Where a file that is not UTF-8 starts to break, when what comes before is UTF-8 with Chinese in it: a
 * file saved half in one encoding and half in another (two files pasted together). Null for a plain GBK file.
 */
function mixedEncodingLine(data: Buffer): number | null {
  // GBK bytes pass for UTF-8 now and then (a lead and a trail byte in the right ranges): what counts is whole
  // lines of Chinese in UTF-8 (three-byte sequences) before the first byte UTF-8 cannot read.
  let chinese = 0;
  let line = 1;
  for (let i = 0; i < data.length;) {
    const b = data[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = len > 0 && i + len <= data.length;
    for (let k = 1; ok && k < len; k++) ok = (data[i + k]! & 0xc0) === 0x80;
    if (!ok) return line >= 2 && chinese >= 4 ? line : null;
    if (len === 3) chinese++;
    if (b === 0x0a) line++;
    i += len;
  }
  return null;
}

/** The separator of a CSV: the one the header line uses most (comma, tab, semicolon, bar, full-width comma). */
function delimiterOf(firstLine: string): string {
  const counts = [',', '\t', ';', '|', '，'].map((d) => [d, firstLine.split(d).length - 1] as const);
  const [best, n] = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return n > 0 ? best : ',';
}

/** The text of a CSV, whatever its encoding (a BOM is dropped). */
function decode(data: Buffer): { text: string; encoding: string } {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return { text: data.toString('utf8', 3), encoding: 'utf-8' };
  if (data[0] === 0xff && data[1] === 0xfe) return { text: iconv.decode(data.subarray(2), 'utf16le'), encoding: 'utf-16le' };
  if (data[0] === 0xfe && data[1] === 0xff) return { text: iconv.decode(data.subarray(2), 'utf16be'), encoding: 'utf-16be' };
  if (isUtf8(data)) return { text: data.toString('utf8'), encoding: 'utf-8' };
  const line = mixedEncodingLine(data);
  if (line !== null)
    throw new AppError(
      'file-encoding',
      `文件前面是 UTF-8 编码，第 ${line} 行起却出现了 UTF-8 无法识别的内容：可能混入了另一种编码（GBK）的文字（两个文件拼在一起），或文件已损坏。请在 Excel/WPS 中打开，检查第 ${line} 行前后是否乱码，改正后另存为 .xlsx 再导入。`,
    );
  // Not UTF-8: WPS and the registry system write GBK, of which GB18030 is a superset.
  return { text: iconv.decode(data, 'gb18030'), encoding: 'gb18030' };
}

/** A record this long is a quote left open: it swallowed the lines after it. */
const MAX_RECORD_CHARS = TABLE_LIMITS.cellChars * 50;

/**
 * A CSV's records handed to `onRow` as they are parsed (Papa Parse keeps none of them), checked as they come. The
 * text is decoded once (a county's 53 MB file is about 100 MB as a string, for the read) and parsed by Papa Parse,
 * which reads a county's 300,000 rows three to four times as fast as csv-parse did (0.6 s against 2.1 s, and a
 * roster is read twice: benchmarks.md). A read that keeps its rows `share`s their short cells; one that passes each
 * row on and drops it does not (the sharing cost 0.5 s a read of a county's 5 million cells, to save nothing).
 */
function readCsvRows(
  fileName: string,
  data: Buffer,
  onRow: (index: number, cells: Cell[]) => void,
  share: ((text: string) => string) | null,
): { encoding: string; name: string } {
  const { text, encoding } = decode(data);
  if (text.includes('\u0000')) {
    throw new AppError('file-unreadable', `“${fileName}”不是文本表格（CSV）文件，请导入 .xlsx 或 .csv 文件。`);
  }
  const delimiter = delimiterOf(text.slice(0, text.indexOf('\n') >>> 0));
  // The last line break ends the last row; it does not start an empty one.
  const end = text.endsWith('\r\n') ? text.length - 2 : text.endsWith('\n') || text.endsWith('\r') ? text.length - 1 : text.length;
  let r = 0;
  const take = (record: string[], quotesWrong: boolean): void => {
    if (r >= TABLE_LIMITS.rows)
      throw new AppError('file-too-big', `“${fileName}”超过 ${TABLE_LIMITS.rows} 行的上限，没有导入。请分成几个文件导入。`);
    if (record.length > TABLE_LIMITS.columns)
      throw new AppError('file-too-big', `“${fileName}”第 ${r + 1} 行有 ${record.length} 列，超过 ${TABLE_LIMITS.columns} 列的上限。`);
    if (quotesWrong) {
      const chars = record.reduce((n, cell) => n + cell.length, 0);
      if (chars > MAX_RECORD_CHARS)
        throw new AppError(
          'cell-too-long',
          `“${fileName}”第 ${r + 1} 行太长（超过 ${MAX_RECORD_CHARS} 个字），可能是引号没有配对。请在 Excel/WPS 中打开检查后另存为 .xlsx 再导入。`,
        );
      throw new AppError(
        'file-unreadable',
        `无法解析“${fileName}”第${r + 1}行附近：引号或分隔符不匹配。请在 Excel/WPS 中打开并另存为 .xlsx 后再试。`,
      );
    }
    const cells = record as Cell[];
    for (let c = 0; c < record.length; c++) {
      const cell = record[c]!;
      if (cell.length > TABLE_LIMITS.cellChars) throw tooLong(fileName, `的 ${columnLetter(c)}${r + 1} 格`, cell.length);
      // In place: the parsed record becomes the row.
      cells[c] = cell === '' ? null : share ? share(cell) : cell;
    }
    onRow(r++, cells);
  };
  // Each row is handed over as it is parsed; what `take` (or `onRow`) throws stops the parse. Papa Parse throws
  // nothing of its own: a quote left open or closed in the middle of a cell is an error on its row.
  Papa.parse<string[]>(end === text.length ? text : text.slice(0, end), {
    delimiter,
    skipEmptyLines: false,
    // Its fast mode (for a file without quotes) splits the whole text into lines first: 300,000 more strings at once.
    fastMode: false,
    step: (result) =>
      take(
        result.data,
        result.errors.some((e) => e.type === 'Quotes'),
      ),
  });
  return { encoding, name: fileName.replace(/\.[^.]+$/, '') };
}

const SHARED_CELL_CHARS = 10;
const MAX_SHARED_CELLS = 100_000;

/**
 * Short cells repeat (性别, 民族, 是/否, 年级, 班级, dates): a read that keeps its rows keeps one copy of each, so a
 * sheet's cells are not as many strings (a parser makes a new one for every cell).
 */
function sharedCells(): (text: string) => string {
  const short = new Map<string, string>();
  return (text) => {
    if (text.length > SHARED_CELL_CHARS) return text;
    const kept = short.get(text);
    if (kept !== undefined) return kept;
    if (short.size < MAX_SHARED_CELLS) short.set(text, text);
    return text;
  };
}

/** The text of a cell as the clerk would read it. Numbers print without exponent where possible. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isInteger(cell) && Math.abs(cell) < 1e21 ? cell.toFixed(0) : String(cell);
  return cell.toISOString().slice(0, 10);
}

export { columnLetter };
