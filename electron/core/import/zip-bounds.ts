/**
 * Looks inside an .xlsx (a zip) before any spreadsheet library inflates it: what kind of document it is
 * (a renamed .docx or .ods is said so, not "empty"), and whether it stays within the bounds a 4 GB laptop
 * can open. Each part is inflated here with a hard output limit, so a part that lies about its size (a zip
 * bomb, or 500 MB of spaces packed into 500 KB) is stopped at the limit instead of filling the memory.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { AppError } from '../../../shared/errors';

/** What a school's real files need, with room: the largest county roster seen is about 20 MB of sheet XML. */
export const XLSX_LIMITS = {
  /** All parts together, inflated. */
  totalBytes: 120 * 1024 * 1024,
  /** Parts in the zip (a workbook has a few dozen). */
  entries: 2_000,
  /**
   * Worksheets read as a stream (roster import), counted as they inflate: a county's 300,000-row roster is about 234 MB
   * of sheet XML (inline strings), and only the current rows are in memory.
   */
  streamedBytes: 512 * 1024 * 1024,
  /** The shared strings a streamed read keeps in memory (every distinct text of the workbook). */
  sharedStringBytes: 256 * 1024 * 1024,
};

/** Worksheets: the parts a streaming reader inflates as it goes (checked there, against `streamedBytes`). */
export const isWorksheetPart = (name: string) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name);
export const isSharedStringsPart = (name: string) => name === 'xl/sharedStrings.xml';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  crc: number;
}

export function entriesOf(data: Buffer): ZipEntry[] | null {
  // End of central directory: the last 22 bytes, or before a comment of up to 64 KB.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = data.readUInt16LE(eocd + 10);
  let offset = data.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (offset + 46 > data.length || data.readUInt32LE(offset) !== 0x02014b50) return null;
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    entries.push({
      name: data.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: data.readUInt16LE(offset + 10),
      crc: data.readUInt32LE(offset + 16),
      compressedSize: data.readUInt32LE(offset + 20),
      size: data.readUInt32LE(offset + 24),
      localOffset: data.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One part's bytes, inflated no further than `limit`; null when it does not fit (or is not readable). */
export function inflateEntry(data: Buffer, e: ZipEntry, limit: number): Buffer | 'too-big' | null {
  const at = e.localOffset;
  if (at + 30 > data.length || data.readUInt32LE(at) !== 0x04034b50) return null;
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  const body = data.subarray(start, start + e.compressedSize);
  if (e.method === 0) return body.length > limit ? 'too-big' : body;
  if (e.method !== 8) return null;
  try {
    return inflateRawSync(body, { maxOutputLength: Math.max(1, limit) });
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError ? 'too-big' : null;
  }
}

/** A size as the clerk reads it in a message: 100 MB. */
export const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * Refuses a zip that is not a spreadsheet, or that inflates beyond the limits, with a message naming the
 * file and the limit. Called before a reader sees the bytes (read-xlsx for imports, exceljs for templates). With `streamed`, the worksheets and shared strings
 * are left to the streaming reader, which counts their bytes as they inflate (only their declared sizes here).
 */
export function checkXlsx(fileName: string, data: Buffer, limits = XLSX_LIMITS, streamed = false): void {
  const entries = entriesOf(data);
  if (!entries) throw new AppError('file-unreadable', `“${fileName}”已损坏（压缩包结构不完整），请在 Excel/WPS 中打开并重新保存后再试。`);
  const names = new Set(entries.map((e) => e.name));
  if (names.has('word/document.xml'))
    throw new AppError('file-wrong-kind', `“${fileName}”是 Word 文档（.docx），不是表格。请导入 Excel 表格（.xlsx）或 .csv 文件。`);
  if (names.has('ppt/presentation.xml'))
    throw new AppError('file-wrong-kind', `“${fileName}”是 PowerPoint 演示文稿，不是表格。请导入 Excel 表格（.xlsx）或 .csv 文件。`);
  if (names.has('content.xml') && names.has('mimetype'))
    throw new AppError(
      'file-wrong-kind',
      `“${fileName}”是 OpenDocument 表格（.ods，WPS 或 LibreOffice 的格式），不能直接读取。请在 WPS 中打开，另存为“Excel 工作簿（.xlsx）”后再导入。`,
    );
  if (!names.has('xl/workbook.xml'))
    throw new AppError('file-wrong-kind', `“${fileName}”是一个压缩包，但不是 Excel 表格。请导入 .xlsx 或 .csv 文件。`);
  if (entries.length > limits.entries)
    throw new AppError(
      'file-too-big',
      `“${fileName}”包含 ${entries.length} 个部件，超过 ${limits.entries} 个的上限，不像是正常的表格文件。`,
    );
  let left = limits.totalBytes;
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    if (streamed && isWorksheetPart(e.name)) {
      if (e.size > limits.streamedBytes) throw tooBig(fileName, limits.streamedBytes);
      continue;
    }
    if (streamed && isSharedStringsPart(e.name)) {
      if (e.size > limits.sharedStringBytes) throw tooBig(fileName, limits.sharedStringBytes);
      continue;
    }
    // Declared sizes first (cheap), then the real inflation, stopped at what is left of the budget.
    if (e.size > left) throw tooBig(fileName, limits.totalBytes);
    const inflated = inflateEntry(data, e, left);
    if (inflated === 'too-big') throw tooBig(fileName, limits.totalBytes);
    if (inflated === null || (streamed && crc32(inflated) !== e.crc)) throw damaged(fileName, e.name);
    left -= inflated.length;
  }
}

export function damaged(fileName: string, part: string): AppError {
  return new AppError(
    'file-unreadable',
    `“${fileName}”已损坏（其中的“${part.slice(0, 60)}”无法解压），请在 Excel/WPS 中打开并重新保存后再试。`,
  );
}

export function tooBig(fileName: string, limit: number): AppError {
  return new AppError(
    'file-too-big',
    `“${fileName}”解压后超过 ${mb(limit)} 的上限（可能含有大量空白、图片或多余的行），没有读取。请删除多余的工作表、行和图片后另存，或分成几个文件导入。`,
  );
}
