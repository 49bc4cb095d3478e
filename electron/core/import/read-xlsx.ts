/**
 * An .xlsx read row by row straight from the zip: a county's 300,000-row roster never becomes a whole workbook in
 * memory, and each worksheet is inflated as it is read. Written here because exceljs's streaming reader took 12 s
 * more than the same rows as .csv (a general XML parser, a cell object per cell) and parks a sheet that precedes
 * its shared strings in a temporary file. Only what a roster needs is read: cell values, shared strings, the
 * date formats of styles, merged ranges and the sheets' names and order. Each part's checksum is checked as it
 * inflates, and rows, columns and cell length are checked as the rows arrive. tests/…/xlsx-reader.test.ts
 * checks it against exceljs on random workbooks.
 */
import * as XLSX from '@e965/xlsx';
import { posix } from 'node:path';
import { Inflate } from 'fflate';
import { crc32 } from 'node:zlib';
import { AppError } from '../../../shared/errors';
import type { Cell, Sheet, TableLimits } from './read-table';
import { damaged, entriesOf, inflateEntry, isWorksheetPart, tooBig, XLSX_LIMITS, type ZipEntry } from './zip-bounds';

const partNumber = (path: string) => Number(/(\d+)\.xml$/.exec(path)?.[1] ?? 0);

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const COLON = 0x3a;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOS = 0x27;
const AMP = 0x26;
const UNDERSCORE = 0x5f;
const BANG = 0x21;
const QUESTION = 0x3f;
const CR = 0x0d;

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const NAME = {
  row: bytes('row'),
  c: bytes('c'),
  v: bytes('v'),
  t: bytes('t'),
  is: bytes('is'),
  rPh: bytes('rPh'),
  si: bytes('si'),
  sheetData: bytes('sheetData'),
  mergeCell: bytes('mergeCell'),
  r: bytes('r'),
  ref: bytes('ref'),
  numFmts: bytes('numFmts'),
  numFmt: bytes('numFmt'),
  cellXfs: bytes('cellXfs'),
  xf: bytes('xf'),
  Relationship: bytes('Relationship'),
  workbookPr: bytes('workbookPr'),
  sheet: bytes('sheet'),
};

const enum Kind {
  Tag,
  CData,
  Other,
}

/**
 * A cursor over the tags of an XML part in a byte buffer. `next` finds the next complete tag and leaves where it
 * is in the fields (no object per tag: a county sheet has 30 million of them); a tag cut by the end of the buffer
 * leaves `resume` at its '<', to be read again with the next chunk.
 */
class Tags {
  buf: Buffer = Buffer.alloc(0);
  start = 0;
  end = 0;
  kind = Kind.Tag;
  close = false;
  selfClosing = false;
  private name = 0;
  private nameEnd = 0;
  private attrs = 0;
  private attrsEnd = 0;
  resume = 0;
  /** The value found by `attr` (a byte range) and the text found by `text`. */
  va = 0;
  vb = 0;
  value = '';
  /** True when `text` found the text as one plain range (va..vb) of the buffer; else `value` holds it. */
  plain = true;
  /** What `cellAttributes` found: the column (1-based, 0 when the cell has no reference), style and type. */
  column = 0;
  style = 0;
  type = Type.Number;

  next(pos: number, limit: number): boolean {
    const buf = this.buf;
    let lt = pos;
    while (lt < limit && buf[lt] !== LT) lt++;
    this.resume = lt;
    if (lt + 1 >= limit) return false;
    this.start = lt;
    const first = buf[lt + 1]!;
    if (first === BANG || first === QUESTION) {
      const cdata = first === BANG && buf[lt + 2] === 0x5b; // '<![CDATA['
      const comment = first === BANG && buf[lt + 2] === 0x2d; // '<!--'
      const closing = cdata ? ']]>' : comment ? '-->' : first === QUESTION ? '?>' : '>';
      const at = buf.indexOf(closing, lt + 2, 'latin1');
      if (at < 0 || at + closing.length > limit) return false;
      this.kind = cdata ? Kind.CData : Kind.Other;
      this.va = lt + 9;
      this.vb = at;
      this.end = at + closing.length;
      return true;
    }
    this.kind = Kind.Tag;
    let i = lt + 1;
    this.close = first === SLASH;
    if (this.close) i++;
    let nameStart = i;
    while (i < limit) {
      const b = buf[i]!;
      if (b === GT || b === SLASH || b <= 0x20) break;
      if (b === COLON) nameStart = i + 1;
      i++;
    }
    this.name = nameStart;
    this.nameEnd = i;
    this.attrs = i;
    // To the '>', over quoted attribute values (which may hold '>').
    while (i < limit) {
      const b = buf[i]!;
      if (b === GT) break;
      if (b === QUOTE || b === APOS) {
        i++;
        while (i < limit && buf[i] !== b) i++;
      }
      i++;
    }
    if (i >= limit) return false;
    this.selfClosing = buf[i - 1] === SLASH;
    this.attrsEnd = this.selfClosing ? i - 1 : i;
    this.end = i + 1;
    return true;
  }

  is(name: Uint8Array): boolean {
    if (this.kind !== Kind.Tag || this.nameEnd - this.name !== name.length) return false;
    for (let k = 0; k < name.length; k++) if (this.buf[this.name + k] !== name[k]) return false;
    return true;
  }

  /** Finds an attribute by its local name (va..vb its value); false when the tag has none. */
  attr(name: Uint8Array): boolean {
    const buf = this.buf;
    let i = this.attrs;
    const end = this.attrsEnd;
    while (i < end) {
      while (i < end && buf[i]! <= 0x20) i++;
      let local = i;
      const start = i;
      while (i < end && buf[i] !== EQUALS && buf[i]! > 0x20) {
        if (buf[i] === COLON) local = i + 1;
        i++;
      }
      const nameEnd = i;
      while (i < end && buf[i] !== QUOTE && buf[i] !== APOS) i++;
      if (i >= end) return false;
      const quote = buf[i]!;
      const va = ++i;
      while (i < end && buf[i] !== quote) i++;
      if (start < nameEnd && nameEnd - local === name.length) {
        let same = true;
        for (let k = 0; k < name.length && same; k++) same = buf[local + k] === name[k];
        if (same) {
          this.va = va;
          this.vb = i;
          return true;
        }
      }
      i++;
    }
    return false;
  }

  /** A cell's three attributes in one pass: its reference (r), style (s) and type (t). */
  cellAttributes(): void {
    const buf = this.buf;
    const end = this.attrsEnd;
    this.column = 0;
    this.style = 0;
    this.type = Type.Number;
    let i = this.attrs;
    while (i < end) {
      while (i < end && buf[i]! <= 0x20) i++;
      let local = i;
      while (i < end && buf[i] !== EQUALS && buf[i]! > 0x20) {
        if (buf[i] === COLON) local = i + 1;
        i++;
      }
      const single = i - local === 1 ? buf[local] : 0;
      while (i < end && buf[i] !== QUOTE && buf[i] !== APOS) i++;
      if (i >= end) return;
      const quote = buf[i]!;
      const va = ++i;
      while (i < end && buf[i] !== quote) i++;
      if (single === 0x72) this.column = columnOf(buf, va, i);
      else if (single === 0x73) this.style = positiveInt(buf, va, i);
      else if (single === 0x74) this.type = typeOf(buf, va, i);
      i++;
    }
  }

  /** An attribute's value as text (entities decoded), or null. */
  attrText(name: string): string | null {
    return this.attr(bytes(name)) ? decodeXml(this.buf.toString('utf8', this.va, this.vb)) : null;
  }

  /**
   * The text of the element just opened, to its closing tag (entities decoded, CDATA kept); the position after
   * the closing tag, or -1 when the buffer ends first.
   */
  text(pos: number, limit: number): number {
    if (this.selfClosing) {
      this.plain = false;
      this.value = '';
      return this.end;
    }
    let from = pos;
    let value = '';
    this.plain = true;
    for (;;) {
      if (!this.next(from, limit)) return -1;
      if (this.kind === Kind.Tag) {
        if (this.plain) {
          this.va = from;
          this.vb = this.start;
        } else value += textOf(this.buf, from, this.start);
        this.value = value;
        return this.end;
      }
      value += textOf(this.buf, from, this.start);
      if (this.kind === Kind.CData) value += this.buf.toString('utf8', this.va, this.vb);
      this.plain = false;
      from = this.end;
    }
  }

  /** The text found by `text`, as a string. */
  textValue(): string {
    return this.plain ? textOf(this.buf, this.va, this.vb) : this.value;
  }
}

/** Line ends, XML's five entities and character references, then the _xHHHH_ escapes of OOXML (a line break is _x000D_). */
function decodeXml(raw: string): string {
  // Line ends as an XML parser gives them (a raw CR is a LF; a CR written as &#13; or _x000D_ stays).
  const s = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  const xml = s.includes('&')
    ? s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (m, e: string) => {
        if (e[0] !== '#') return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e] ?? m;
        const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : m;
      })
    : s;
  return xml.includes('_x') ? xml.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : xml;
}

function textOf(buf: Buffer, a: number, b: number): string {
  for (let i = a; i < b; i++) {
    const x = buf[i];
    if (x === AMP || x === UNDERSCORE || x === CR) return decodeXml(buf.toString('utf8', a, b));
  }
  return buf.toString('utf8', a, b);
}

/** A number written in the sheet: whole numbers read byte by byte, the rest as JavaScript reads them. */
function numberOf(buf: Buffer, a: number, b: number): number {
  if (b > a && b - a <= 15) {
    let n = 0;
    let i = a;
    const negative = buf[i] === 0x2d;
    if (negative) i++;
    let digits = i < b;
    for (; i < b && digits; i++) {
      const d = buf[i]! - 0x30;
      if (d < 0 || d > 9) digits = false;
      else n = n * 10 + d;
    }
    if (digits) return negative ? -n : n;
  }
  return parseFloat(buf.toString('latin1', a, b));
}

/** ECMA-376's built-in formats that are dates or times: 14–22 and 45–47 everywhere, 27–36 and 50–58 in Chinese. */
function isBuiltinDate(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/** Which cell styles show a number as a date (by the styles' number formats). */
function dateStyles(tags: Tags, xml: Buffer | null): boolean[] {
  if (!xml) return [];
  tags.buf = xml;
  const formats = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  let inNumFmts = false;
  for (let pos = 0; tags.next(pos, xml.length); pos = tags.end) {
    if (tags.is(NAME.numFmts)) inNumFmts = !tags.close && !tags.selfClosing;
    else if (inNumFmts && tags.is(NAME.numFmt) && !tags.close) {
      const id = Number(tags.attrText('numFmtId'));
      const code = tags.attrText('formatCode');
      if (Number.isInteger(id) && code !== null) formats.set(id, code);
    } else if (tags.is(NAME.cellXfs)) inCellXfs = !tags.close && !tags.selfClosing;
    else if (inCellXfs && tags.is(NAME.xf) && !tags.close) {
      const id = Number(tags.attrText('numFmtId') ?? 0);
      const code = formats.get(id);
      styles.push(code !== undefined ? XLSX.SSF.is_date(code) : isBuiltinDate(id));
    }
  }
  return styles;
}

/** A serial day number as the date it shows (as exceljs gives it: UTC, the 1904 system where the workbook says so). */
function dateOf(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

function sharedStrings(tags: Tags, xml: Buffer | null): string[] {
  const strings: string[] = [];
  if (!xml) return strings;
  tags.buf = xml;
  let text: string | null = null;
  let phonetic = 0;
  for (let pos = 0; tags.next(pos, xml.length); pos = tags.end) {
    if (tags.is(NAME.si)) {
      if (tags.close) strings.push(text ?? '');
      else if (tags.selfClosing) strings.push('');
      text = tags.close ? null : '';
    } else if (tags.is(NAME.rPh) && !tags.selfClosing) phonetic += tags.close ? -1 : 1;
    else if (tags.is(NAME.t) && !tags.close && text !== null && phonetic === 0) {
      const after = tags.text(tags.end, xml.length);
      if (after < 0) break;
      text += tags.textValue();
      tags.end = after;
    }
  }
  return strings;
}

const enum Type {
  Number,
  Shared,
  Text,
  Inline,
  Boolean,
  Error,
  Date,
}

function typeOf(buf: Buffer, a: number, b: number): Type {
  const n = b - a;
  const c = buf[a];
  if (n === 1) return c === 0x73 ? Type.Shared : c === 0x62 ? Type.Boolean : c === 0x65 ? Type.Error : c === 0x64 ? Type.Date : Type.Number;
  if (n === 3 && c === 0x73) return Type.Text; // str
  if (n === 9 && c === 0x69) return Type.Inline; // inlineStr
  return Type.Number;
}

/** Column number (1-based) of a reference such as AB12; 0 when it has none. */
function columnOf(buf: Buffer, a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i++) {
    const x = buf[i]!;
    if (x >= 0x41 && x <= 0x5a) n = n * 26 + x - 0x40;
    else break;
  }
  return n;
}

function positiveInt(buf: Buffer, a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return 0;
    n = n * 10 + d;
  }
  return n;
}

/** Column letters as Excel shows them: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const MAX_MERGES = 20_000;
/** Longest a single tag or cell may run in the sheet's XML before the read stops (a cell is ~2,000 characters). */
const MAX_PENDING_BYTES = 1024 * 1024;

interface Context {
  fileName: string;
  sheetName: string;
  limits: TableLimits;
  strings: string[];
  dates: boolean[];
  date1904: boolean;
  /** Shares the short texts of a read that keeps its rows; null for one that passes each row on and drops it. */
  shared: ((text: string) => string) | null;
}

/** The rows of one worksheet as its XML passes by, chunk after chunk. */
class SheetReader {
  readonly merges = new Set<string>();
  private row: Cell[] | null = null;
  private rowNumber = 0;
  private column = 0;
  finished = false;
  private readonly tags = new Tags();

  constructor(
    private readonly cx: Context,
    /** Each row with cells as it ends: its 0-based index and its cells (holes are null). */
    private readonly onRow: (index: number, cells: Cell[]) => void,
  ) {}

  /** Reads what is whole in `buf`; returns where the rest (a tag or cell cut by the chunk's end) starts. */
  read(buf: Buffer): number {
    const tags = this.tags;
    tags.buf = buf;
    const limit = buf.length;
    let pos = 0;
    while (tags.next(pos, limit)) {
      if (tags.kind !== Kind.Tag) {
        pos = tags.end;
        continue;
      }
      if (this.row && !tags.close && tags.is(NAME.c)) {
        const start = tags.start;
        const after = this.cell(limit);
        if (after < 0) return start;
        pos = after;
        continue;
      }
      if (tags.is(NAME.row)) {
        if (!tags.close) {
          this.rowNumber = tags.attr(NAME.r) ? positiveInt(buf, tags.va, tags.vb) || this.rowNumber + 1 : this.rowNumber + 1;
          this.row = [];
          this.column = 0;
        }
        if (tags.close || tags.selfClosing) this.endRow();
      } else if (tags.is(NAME.mergeCell) && !tags.close) {
        if (tags.attr(NAME.ref) && this.merges.size < MAX_MERGES) this.merges.add(buf.toString('latin1', tags.va, tags.vb));
      } else if (tags.is(NAME.sheetData) && (tags.close || tags.selfClosing)) this.finished = true;
      pos = tags.end;
    }
    return tags.resume;
  }

  private endRow(): void {
    const cells = this.row;
    if (cells?.length) {
      for (let i = 0; i < cells.length; i++) cells[i] ??= null;
      this.onRow(this.rowNumber - 1, cells);
    }
    this.row = null;
  }

  /** One cell, from its open tag (the tags' current one) to its end; -1 when the buffer ends first. */
  private cell(limit: number): number {
    const tags = this.tags;
    const cx = this.cx;
    tags.cellAttributes();
    const column = tags.column || this.column + 1;
    const style = tags.style;
    const type = tags.type;
    if (tags.selfClosing) {
      this.column = column;
      return tags.end;
    }
    let value: Cell = null;
    let inline: string | null = null;
    let phonetic = 0;
    let pos = tags.end;
    for (;;) {
      if (!tags.next(pos, limit)) return -1;
      pos = tags.end;
      if (tags.kind !== Kind.Tag) continue;
      if (tags.close && tags.is(NAME.c)) break;
      if (tags.is(NAME.rPh) && !tags.selfClosing) phonetic += tags.close ? -1 : 1;
      else if (tags.close) continue;
      else if (tags.is(NAME.v)) {
        const after = tags.text(pos, limit);
        if (after < 0) return -1;
        value = (tags.plain ? tags.va === tags.vb : tags.value === '') ? null : this.valueOf(type, style);
        pos = after;
      } else if (tags.is(NAME.t) && phonetic === 0) {
        const after = tags.text(pos, limit);
        if (after < 0) return -1;
        inline = (inline ?? '') + tags.textValue();
        pos = after;
      }
    }
    if (inline !== null) value = inline;
    // Only a cell cut by the chunk's end is read again, so the column moves on once, here.
    this.column = column;
    if (value === null || value === '') return pos;
    if (typeof value === 'string') {
      if (value.length > cx.limits.cellChars) throw this.tooLong(column, value.length);
      if (type !== Type.Shared && cx.shared) value = cx.shared(value);
    }
    if (this.rowNumber > cx.limits.rows)
      throw new AppError(
        'file-too-big',
        `“${cx.fileName}”的工作表“${cx.sheetName}”第 ${this.rowNumber} 行还有内容，超过 ${cx.limits.rows} 行的上限。请删除表格下方多余的内容（可能是误填在最后几行的格子）后再试。`,
      );
    if (column > cx.limits.columns)
      throw new AppError(
        'file-too-big',
        `“${cx.fileName}”的工作表“${cx.sheetName}”第 ${this.rowNumber} 行有内容写到了第 ${column} 列，超过 ${cx.limits.columns} 列的上限。请删除右侧多余的列后再试。`,
      );
    this.row![column - 1] = value;
    return pos;
  }

  /** The value of a cell's <v> (the tags' text), by the cell's type and style. */
  private valueOf(type: Type, style: number): Cell {
    const tags = this.tags;
    const cx = this.cx;
    switch (type) {
      case Type.Shared: {
        const index = tags.plain ? positiveInt(tags.buf, tags.va, tags.vb) : Number(tags.value);
        return cx.strings[index] ?? null;
      }
      case Type.Text:
      case Type.Inline:
        return tags.textValue();
      case Type.Boolean:
        return tags.textValue().trim() === '0' ? '否' : '是';
      case Type.Error:
        return null;
      case Type.Date: {
        const text = tags.textValue().trim();
        const time = Date.parse(text);
        return Number.isNaN(time) ? text || null : new Date(time);
      }
      default: {
        const n = tags.plain ? numberOf(tags.buf, tags.va, tags.vb) : parseFloat(tags.value);
        if (Number.isNaN(n)) return tags.textValue().trim() || null;
        return cx.dates[style] ? dateOf(n, cx.date1904) : n;
      }
    }
  }

  tooLong(column: number, length: number): AppError {
    const cx = this.cx;
    return new AppError(
      'cell-too-long',
      `“${cx.fileName}”工作表“${cx.sheetName}”的 ${columnLetter(column - 1)}${this.rowNumber} 格有 ${length} 个字，超过 ${cx.limits.cellChars} 字的上限，没有导入。请检查这一格（可能误粘贴了大段文字）。`,
    );
  }

  /** What was left unread at the end of the part: a cell or tag cut short is a damaged sheet. */
  pendingTooLong(pending: number): AppError | null {
    if (pending <= MAX_PENDING_BYTES) return null;
    return this.tooLong(this.column + 1, pending);
  }
}

/** What the worksheets may inflate to together (one budget for all, as in checkXlsx). */
interface Budget {
  left: number;
}

/** Compressed bytes handed to the inflater at a time: about 300 KB of XML comes out of each. */
const INFLATE_INPUT_BYTES = 1 << 15;

/**
 * A part's bytes as they inflate, counted against the budget and checked against its CRC at the end. Synchronous
 * (fflate's streaming inflater), so that a roster can be read, planned and written inside one transaction.
 */
function* inflating(fileName: string, data: Buffer, e: ZipEntry, budget: Budget): Generator<Buffer> {
  const at = e.localOffset;
  if (at + 30 > data.length || data.readUInt32LE(at) !== 0x04034b50) throw damaged(fileName, e.name);
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  const body = data.subarray(start, start + e.compressedSize);
  if (e.method !== 0 && e.method !== 8) throw damaged(fileName, e.name);
  let crc = 0;
  let size = 0;
  const take = (chunk: Buffer) => {
    size += chunk.length;
    budget.left -= chunk.length;
    if (budget.left < 0) throw tooBig(fileName, XLSX_LIMITS.streamedBytes);
    crc = crc32(chunk, crc);
  };
  if (e.method === 0) {
    for (let i = 0; i < body.length; i += 1 << 18) {
      const chunk = body.subarray(i, i + (1 << 18));
      take(chunk);
      yield chunk;
    }
  } else {
    let out: Uint8Array | null = null;
    const inflater = new Inflate((chunk) => (out = chunk));
    for (let i = 0; i < body.length || i === 0; i += INFLATE_INPUT_BYTES) {
      try {
        inflater.push(body.subarray(i, i + INFLATE_INPUT_BYTES), i + INFLATE_INPUT_BYTES >= body.length);
      } catch {
        throw damaged(fileName, e.name);
      }
      const chunk = out as Uint8Array | null;
      out = null;
      if (!chunk || chunk.length === 0) continue;
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      take(buf);
      yield buf;
    }
  }
  if (crc !== e.crc || size !== e.size) throw damaged(fileName, e.name);
}

/** One worksheet's rows, read as its part inflates and handed on one by one; its merged ranges at the end. */
function readSheet(data: Buffer, entry: ZipEntry, cx: Context, budget: Budget, onRow: (index: number, cells: Cell[]) => void): Set<string> {
  const reader = new SheetReader(cx, onRow);
  const chunks = inflating(cx.fileName, data, entry, budget);
  let rest: Buffer | null = null;
  try {
    // Not for…of: that would close the inflater on an error, and a damaged part is read to its end below.
    for (let next = chunks.next(); !next.done; next = chunks.next()) {
      const chunk = next.value;
      const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      const at = reader.read(buf);
      rest = at < buf.length ? buf.subarray(at) : null;
      const cut = rest ? reader.pendingTooLong(rest.length) : null;
      if (cut) throw cut;
    }
  } catch (e) {
    // A damaged part can inflate into anything before the inflater notices: read it to its end, and if its
    // checksum fails, that is what the clerk is told.
    if (e instanceof AppError && e.code !== 'file-unreadable') while (!chunks.next().done);
    throw e;
  } finally {
    chunks.return(undefined);
  }
  if ((rest && rest.length > 0 && rest.toString('latin1').trim() !== '') || !reader.finished)
    throw new AppError(
      'file-unreadable',
      `“${cx.fileName}”的工作表“${cx.sheetName}”内容不完整（表格数据没有正常结束），请在 Excel/WPS 中打开并重新保存后再试。`,
    );
  return reader.merges;
}

/** A merged range, 0-based and inclusive, clipped to the sheet's rows and the column limit. */
export interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * The ranges whose cells read as their first cell (as Excel shows them), within the `rowCount` rows the sheet has,
 * in the order the sheet lists them. A range over a whole sheet (formatting, not a value the rows share) is left out.
 */
export function mergeRanges(merges: Iterable<string>, rowCount: number, columns: number): MergeRange[] {
  const column = (letters: string) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);
  const ranges: MergeRange[] = [];
  for (const ref of merges) {
    const [, c1, r1, c2, r2] = /^\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})$/.exec(ref) ?? [];
    if (!c1 || !r1 || !c2 || !r2) continue;
    const top = Number(r1) - 1;
    const left = column(c1) - 1;
    const bottom = Math.min(Number(r2) - 1, rowCount - 1);
    const right = Math.min(column(c2) - 1, columns - 1);
    if (top > bottom || left > right || (bottom - top + 1) * (right - left + 1) > 100_000) continue;
    ranges.push({ top, left, bottom, right });
  }
  return ranges;
}

/**
 * Spreads merged values over rows that pass one by one, in order: each range takes its first cell's value when its
 * top row passes, and fills the rest of its cells as its rows pass (a whole sheet's rows are passed the same way).
 */
export class MergeFill {
  private readonly ranges: MergeRange[];
  private next = 0;
  private active: { range: MergeRange; value: Cell }[] = [];

  constructor(ranges: MergeRange[]) {
    // Stable: ranges with the same top row keep the sheet's order.
    this.ranges = [...ranges].sort((a, b) => a.top - b.top);
  }

  /** The row at `index` with the merged values in it (the same array, grown where a range reaches past its end). */
  fill(index: number, row: Cell[]): Cell[] {
    if (this.active.length > 0) this.active = this.active.filter((a) => a.range.bottom >= index);
    while (this.next < this.ranges.length && this.ranges[this.next]!.top <= index) {
      const range = this.ranges[this.next++]!;
      if (range.top < index) continue; // a row out of order: not reached here (see SheetOutline.ordered)
      const value = row[range.left] ?? null;
      if (value !== null) this.active.push({ range, value });
    }
    for (const { range, value } of this.active) {
      for (let c = range.left; c <= range.right; c++) if (index !== range.top || c !== range.left) row[c] ??= value;
    }
    if (this.active.length > 0) for (let i = 0; i < row.length; i++) row[i] ??= null;
    return row;
  }
}

/** The workbook's worksheets in tab order, each with its part. */
function worksheetsOf(tags: Tags, fileName: string, parts: Iterable<string>, part: (name: string) => Buffer | null) {
  const workbook = part('xl/workbook.xml');
  if (!workbook) throw damaged(fileName, 'xl/workbook.xml');
  const targets = new Map<string, { type: string; target: string }>();
  const rels = part('xl/_rels/workbook.xml.rels');
  if (rels) {
    tags.buf = rels;
    for (let pos = 0; tags.next(pos, rels.length); pos = tags.end) {
      if (!tags.is(NAME.Relationship) || tags.close) continue;
      const id = tags.attrText('Id');
      const target = tags.attrText('Target');
      if (id === null || target === null) continue;
      const path = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target));
      targets.set(id, { type: tags.attrText('Type') ?? '', target: path });
    }
  }
  tags.buf = workbook;
  let date1904 = false;
  const sheets: { name: string; path: string }[] = [];
  for (let pos = 0; tags.next(pos, workbook.length); pos = tags.end) {
    if (tags.close) continue;
    if (tags.is(NAME.workbookPr)) date1904 = /^(1|true)$/.test(tags.attrText('date1904') ?? '');
    else if (tags.is(NAME.sheet)) {
      const rel = targets.get(tags.attrText('id') ?? '');
      if (rel && rel.type.endsWith('/worksheet')) sheets.push({ name: tags.attrText('name') ?? '', path: rel.target });
    }
  }
  // A workbook written without its relationships (some generators): its worksheet parts in number order.
  if (sheets.length === 0)
    for (const path of [...parts].filter(isWorksheetPart).sort((x, y) => partNumber(x) - partNumber(y)))
      sheets.push({ name: `Sheet${partNumber(path)}`, path });
  const strings = [...targets.values()].find((t) => t.type.endsWith('/sharedStrings'))?.target ?? 'xl/sharedStrings.xml';
  const styles = [...targets.values()].find((t) => t.type.endsWith('/styles'))?.target ?? 'xl/styles.xml';
  return { sheets, date1904, strings, styles };
}

/** What a read of a worksheet found besides its rows. */
export interface SheetRead {
  name: string;
  /** The merged ranges as the sheet lists them (A1:C2). */
  merges: string[];
}

/**
 * Every worksheet of an .xlsx (or only the `only`-th, in tab order), its rows handed to `onRow` as they are read.
 * The zip has been checked by checkXlsx (kind, parts, sizes): the worksheets and shared strings are inflated here,
 * bounded and checked. Rows come in the order the sheet stores them (almost always the rows' order).
 */
export function readXlsxRows(
  fileName: string,
  data: Buffer,
  limits: TableLimits,
  shared: ((text: string) => string) | null,
  onRow: (sheet: number, index: number, cells: Cell[]) => void,
  only?: number,
): SheetRead[] {
  const entries = new Map((entriesOf(data) ?? []).map((e) => [e.name, e]));
  const part = (name: string, limit = XLSX_LIMITS.totalBytes): Buffer | null => {
    const e = entries.get(name);
    if (!e) return null;
    const bytes = inflateEntry(data, e, limit);
    if (bytes === 'too-big') throw tooBig(fileName, limit);
    if (bytes === null || crc32(bytes) !== e.crc) throw damaged(fileName, name);
    return bytes;
  };
  const tags = new Tags();
  const book = worksheetsOf(tags, fileName, entries.keys(), part);
  const strings = sharedStrings(tags, part(book.strings, XLSX_LIMITS.sharedStringBytes));
  const dates = dateStyles(tags, part(book.styles));
  const budget: Budget = { left: XLSX_LIMITS.streamedBytes };
  const sheets: SheetRead[] = [];
  for (const { name, path } of book.sheets) {
    const entry = entries.get(path);
    if (!entry) continue;
    const at = sheets.length;
    if (only === undefined || only === at) {
      const cx: Context = { fileName, sheetName: name, limits, strings, dates, date1904: book.date1904, shared };
      const merges = readSheet(data, entry, cx, budget, (index, cells) => onRow(at, index, cells));
      sheets.push({ name, merges: [...merges] });
    } else sheets.push({ name, merges: [] });
  }
  return sheets;
}

/** Every worksheet of an .xlsx as rows of cells, in tab order, with merged values spread. */
export function readXlsxSheets(fileName: string, data: Buffer, limits: TableLimits, shared: (text: string) => string): Sheet[] {
  const rows: Cell[][][] = [];
  const read = readXlsxRows(fileName, data, limits, shared, (sheet, index, cells) => {
    (rows[sheet] ??= [])[index] = cells;
  });
  return read.map(({ name, merges }, i) => {
    const sheetRows = rows[i] ?? [];
    // Every cell of a merged range reads as its first cell (as Excel shows it), within the rows the sheet has.
    const fill = new MergeFill(mergeRanges(merges, sheetRows.length, limits.columns));
    for (let r = 0; r < sheetRows.length; r++) sheetRows[r] = fill.fill(r, sheetRows[r] ?? []);
    return { name, rows: sheetRows };
  });
}
