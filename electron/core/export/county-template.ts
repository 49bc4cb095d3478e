/**
 * Filling a county's own .xlsx template: find its header and data area, propose a field per column, and
 * write the recipients into it while keeping what the county put there — title, merges, styles, widths,
 * drop-downs, the 合计 row (its SUM range extended) and the signature lines under it, print settings.
 */
import ExcelJS from 'exceljs';
import { checkXlsx } from '../import/zip-bounds';
import { xlsTemplateToXlsx } from '../import/read-xls';
import { AppError } from '../../../shared/errors';
import { normalizeText } from '../../../shared/rules/text';
import { fieldOfHeader, TEMPLATE_FIELDS, TEXT_FIELDS, type TemplateField } from '../../../shared/rules/template-fields';
import { columnLetter } from '../import/read-table';

export interface TemplateColumn {
  /** 1-based, as exceljs counts. */
  index: number;
  letter: string;
  header: string;
  field: TemplateField | null;
  /** The drop-down's options, when the column has one. */
  options: string[] | null;
  /** A text-length limit from the template's validation, in bytes (a Chinese character counts 2). */
  maxBytes: number | null;
  /** The clerk's spelling of AidDesk's values in this column's drop-down (是 → 寄宿 …). */
  values: Record<string, string>;
}

export interface TemplateLayout {
  /** students: a row per recipient; schools: a county's summary (汇总表), a row per school with its counts and total. */
  kind: 'students' | 'schools';
  sheetName: string;
  headerTop: number;
  headerBottom: number;
  dataStart: number;
  /** Empty rows the county left for data before the 合计 row; null when the data area is open-ended. */
  templateRows: number | null;
  totalRow: number | null;
  columns: TemplateColumn[];
  /** 填报学校 / 填报日期 / 学期 cells above the header. */
  headerFields: { address: string; kind: 'school' | 'date' | 'term'; text: string }[];
}

export type FillValue = string | number | null;
export type FillRow = Partial<Record<TemplateField, FillValue>> & { key: string };

export interface FillProblem {
  student: string;
  column: string;
  message: string;
}

const END_MARKS = /^(合计|总计|小计)$|^(校长|经办人|审核人|填表人|制表人|负责人)/;

function text(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'formula' in v) return '';
  return normalizeText(String(v)).trim();
}

/** Bytes as the national system counts them: a Chinese character is 2. */
export function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) n += ch.charCodeAt(0) > 0xff ? 2 : 1;
  return n;
}

function listOptions(v: ExcelJS.DataValidation | undefined): string[] | null {
  if (!v || v.type !== 'list' || !v.formulae?.[0]) return null;
  const f = String(v.formulae[0]);
  // Only inline lists ("是,否"); a list on another sheet is left to the county's own check.
  return /^".*"$/.test(f)
    ? f
        .slice(1, -1)
        .split(',')
        .map((s) => s.trim())
    : null;
}

/** A county template is a form with a header and room for a school's recipients, never a county's list. */
export const TEMPLATE_MAX_ROWS = 60_000;

/** An .xls template becomes .xlsx first (read-xls.ts says what that keeps); the engine reads .xlsx only. */
export function templateAsXlsx(data: Buffer, fileName: string): { data: Buffer; fileName: string; converted: boolean } {
  if (data.length >= 4 && data.readUInt32LE(0) === 0xe011cfd0)
    return { data: xlsTemplateToXlsx(fileName, data), fileName: fileName.replace(/\.(xls|et)$/i, '') + '.xlsx', converted: true };
  return { data, fileName, converted: false };
}

export async function loadWorkbook(input: Buffer, name: string): Promise<ExcelJS.Workbook> {
  const { data, fileName } = templateAsXlsx(input, name);
  if (data.length >= 4 && data.readUInt32LE(0) === 0x04034b50) checkXlsx(fileName, data);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new AppError('template-unreadable', `无法读取模板“${fileName}”：请确认是 Excel 文件（.xlsx 或 .xls），不是改了扩展名的其他文件`);
  }
  for (const ws of wb.worksheets)
    if (ws.rowCount > TEMPLATE_MAX_ROWS)
      throw new AppError(
        'file-too-big',
        `模板“${fileName}”的工作表“${ws.name}”用到了第 ${ws.rowCount} 行，超过 ${TEMPLATE_MAX_ROWS} 行的上限。县里的模板只需要表头和几行示例：请删除下方多余的行（或整列设置的格式）后再添加。`,
      );
  return wb;
}

/** The clerk's corrections over the proposal: a field given to a column is taken from any other. */
export function applyMapping(
  layout: TemplateLayout,
  mapping: Record<string, TemplateField | null>,
  values: Record<string, Record<string, string>> = {},
): TemplateLayout {
  const columns = layout.columns.map((c) => ({ ...c, values: { ...c.values, ...(values[c.letter] ?? {}) } }));
  for (const [letter, field] of Object.entries(mapping)) {
    const col = columns.find((c) => c.letter === letter);
    if (!col) continue;
    if (field) for (const other of columns) if (other !== col && other.field === field) other.field = null;
    col.field = field;
  }
  return { ...layout, columns };
}

export function analyzeTemplate(wb: ExcelJS.Workbook, fileName: string): TemplateLayout {
  for (const ws of wb.worksheets) {
    let best: { row: number; count: number } | null = null;
    for (let r = 1; r <= Math.min(ws.rowCount, 20); r++) {
      const row = ws.getRow(r);
      const texts = new Set<string>();
      const fields = new Set<TemplateField>();
      row.eachCell((c) => {
        const t = text(c);
        if (!t) return;
        texts.add(t);
        const f = fieldOfHeader(t);
        if (f) fields.add(f);
      });
      // A merged title repeats one text across the row: never a header.
      // A merged title repeats one text across the row: never a header. A bank's file names 户名 instead of 姓名.
      // A summary (汇总表) names the school and its count of recipients instead.
      const summary = fields.has('schoolName') && fields.has('recipientCount');
      if (texts.size < 3 || !(fields.has('name') || fields.has('accountName') || summary)) continue;
      if (!best || fields.size > best.count) best = { row: r, count: fields.size };
    }
    if (!best) continue;
    let headerTop = best.row;
    let headerBottom = best.row;
    // Two-level headers: a group row above (学生信息 over 姓名/身份证号) or a sub-row below.
    const distinct = (r: number) => {
      const s = new Set<string>();
      ws.getRow(r).eachCell((c) => {
        const t = text(c);
        if (t) s.add(t);
      });
      return s;
    };
    if (headerTop > 1 && distinct(headerTop - 1).size >= 2 && [...distinct(headerTop - 1)].every((t) => !/[:：]/.test(t))) headerTop--;
    const below = distinct(headerBottom + 1);
    if (below.size >= 2 && [...below].some((t) => fieldOfHeader(t))) headerBottom++;
    const width = ws.columnCount;
    const dataStart = headerBottom + 1;
    let totalRow: number | null = null;
    for (let r = dataStart; r <= ws.rowCount; r++) {
      const first = [...distinct(r)][0] ?? '';
      if (END_MARKS.test(first.replace(/\s+/g, ''))) {
        totalRow = r;
        break;
      }
    }
    const columns: TemplateColumn[] = [];
    for (let c = 1; c <= width; c++) {
      const parts: string[] = [];
      for (let r = headerTop; r <= headerBottom; r++) {
        const t = text(ws.getCell(r, c));
        if (t && !parts.includes(t)) parts.push(t);
      }
      const header = parts.join('／');
      const dv = ws.getCell(dataStart, c).dataValidation;
      const field = fieldOfHeader(parts[parts.length - 1] ?? '') ?? fieldOfHeader(header);
      columns.push({
        index: c,
        letter: columnLetter(c - 1),
        header,
        field,
        options: listOptions(dv),
        values: {},
        maxBytes: dv?.type === 'textLength' && dv.formulae?.length ? Number(dv.formulae[dv.formulae.length - 1]) || null : null,
      });
    }
    // One field per column: the first column naming it keeps it.
    const seen = new Set<TemplateField>();
    for (const col of columns) {
      if (!col.field) continue;
      if (seen.has(col.field)) col.field = null;
      else seen.add(col.field);
    }
    const headerFields: TemplateLayout['headerFields'] = [];
    for (let r = 1; r < headerTop; r++) {
      ws.getRow(r).eachCell((c) => {
        const t = text(c);
        const master = c.master?.address ?? c.address;
        if (headerFields.some((h) => h.address === master)) return;
        // The county's own spelling is kept for the label (full-width brackets and colons).
        const raw = String(c.value ?? '').trim();
        if (/^填报学校|^填报单位|^学校名称[:：]|^单位[:：]/.test(t)) headerFields.push({ address: master, kind: 'school', text: raw });
        else if (/^填报日期|^填表日期|^日期[:：]/.test(t)) headerFields.push({ address: master, kind: 'date', text: raw });
        else if (/^学期[:：]/.test(t)) headerFields.push({ address: master, kind: 'term', text: raw });
      });
    }
    return {
      kind: columns.some((c) => c.field === 'name' || c.field === 'accountName') ? 'students' : 'schools',
      sheetName: ws.name,
      headerTop,
      headerBottom,
      dataStart,
      totalRow,
      templateRows: totalRow === null ? null : totalRow - dataStart,
      columns,
      headerFields,
    };
  }
  throw new AppError(
    'template-no-header',
    `在模板“${fileName}”的前 20 行中找不到表头（需要“姓名”或“户名”等列名；每校一行的汇总表需要“学校名称”和“受助人数”）。请确认选对了文件`,
  );
}

/** The template's spelling of a value: the clerk's choice, else its drop-down's matching option. */
function mapToOptions(field: TemplateField, value: string, options: string[] | null, chosen: Record<string, string> = {}): string | null {
  if (chosen[value] !== undefined) return chosen[value];
  if (!options || value === '') return value;
  if (options.includes(value)) return value;
  const yes = /^(是|寄宿|寄宿生|住校)$/.test(value);
  const no = /^(否|走读|走读生|非寄宿|非寄宿生)$/.test(value);
  if (yes) return options.find((o) => /^(是|寄宿|寄宿生|住校)$/.test(o)) ?? null;
  if (no) return options.find((o) => /^(否|走读|走读生|非寄宿|非寄宿生)$/.test(o)) ?? null;
  if (field === 'tier') {
    const n = { 一档: ['一', '1'], 二档: ['二', '2'], 三档: ['三', '3'] }[value];
    return n ? (options.find((o) => n.some((d) => o.includes(d))) ?? null) : null;
  }
  return null;
}

interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function mergedRanges(ws: ExcelJS.Worksheet): Range[] {
  const merges = (ws.model as unknown as { merges?: string[] }).merges ?? [];
  return merges.map((address) => {
    const [a, b] = address.split(':') as [string, string];
    const cell = (ref: string) => ws.getCell(ref);
    return { top: Number(cell(a).row), left: Number(cell(a).col), bottom: Number(cell(b).row), right: Number(cell(b).col) };
  });
}

/** SUM(L4:L13) → SUM(L4:L{last}) (and SUM($L$4:$L$13) alike) for every range that starts at the data area. */
export function extendRanges(formula: string, dataStart: number, lastRow: number): string {
  return formula.replace(/(\$?[A-Z]{1,3}\$?)(\d+):(\$?[A-Z]{1,3}\$?)(\d+)/g, (all, c1: string, r1: string, c2: string) =>
    Number(r1) === dataStart ? `${c1}${r1}:${c2}${Math.max(lastRow, dataStart)}` : all,
  );
}

/** The columns a SUM over the data area adds up (its first range's column), for the cached result. */
function sumColumn(formula: string, dataStart: number): string | null {
  const m = /SUM\(\$?([A-Z]{1,3})\$?(\d+):/i.exec(formula);
  return m && Number(m[2]) === dataStart ? m[1]! : null;
}

export interface FillHeader {
  schoolName: string;
  date: string;
  termText: string;
}

/** Checks the rows against the template (required, drop-downs, lengths) without writing anything. */
export function validateRows(layout: TemplateLayout, rows: FillRow[]): FillProblem[] {
  const problems: FillProblem[] = [];
  for (const row of rows) {
    const who = String(row.name ?? row.key);
    for (const col of layout.columns) {
      if (!col.field) continue;
      const raw = row[col.field];
      const value = raw === null || raw === undefined ? '' : String(raw);
      if ((col.field === 'name' || col.field === 'idNumber') && value === '') {
        problems.push({
          student: who,
          column: `${col.letter}列（${col.header}）`,
          message: `${TEMPLATE_FIELDS[col.field].label}为空，县里的模板要求填写`,
        });
        continue;
      }
      if (col.field !== 'amount' && col.field !== 'seq' && mapToOptions(col.field, value, col.options, col.values) === null) {
        problems.push({
          student: who,
          column: `${col.letter}列（${col.header}）`,
          message: `“${value}”不在模板的下拉选项中（${col.options!.join('、')}）`,
        });
      }
      if (col.maxBytes !== null && byteLength(value) > col.maxBytes) {
        problems.push({
          student: who,
          column: `${col.letter}列（${col.header}）`,
          message: `内容超过模板限定的长度（${col.maxBytes} 字节，汉字按 2 字节计）`,
        });
      }
    }
  }
  return problems;
}

/** Writes the rows into the template and returns the file. Call `validateRows` first: this writes what it is given. */
export async function fillTemplate(wb: ExcelJS.Workbook, layout: TemplateLayout, rows: FillRow[], header: FillHeader): Promise<Buffer> {
  fillSheet(wb.getWorksheet(layout.sheetName)!, layout, rows, header);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A sheet per school (中心校 and its 校点): the template's sheet copied once per school before any is filled, each
 * filled with that school's rows and named after it; the template's own sheet becomes the first school's.
 */
export async function fillTemplatePerSchool(
  wb: ExcelJS.Workbook,
  layout: TemplateLayout,
  groups: { schoolName: string; rows: FillRow[] }[],
  header: Omit<FillHeader, 'schoolName'>,
): Promise<Buffer> {
  const template = wb.getWorksheet(layout.sheetName)!;
  const names = sheetNames(
    wb,
    groups.map((g) => g.schoolName),
    template.name,
  );
  const sheets = groups.map((_, i) => (i === 0 ? template : copySheet(wb, template, names[i]!)));
  groups.forEach((g, i) => fillSheet(sheets[i]!, layout, g.rows, { ...header, schoolName: g.schoolName }));
  template.name = names[0]!;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Excel's rules for a sheet name: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetNames(wb: ExcelJS.Workbook, wanted: string[], templateName: string): string[] {
  const taken = new Set(wb.worksheets.map((w) => w.name).filter((n) => n !== templateName));
  return wanted.map((w) => {
    const base = w.replace(/[[\]:*?/\\]/g, '').slice(0, 28) || '学校';
    let name = base;
    for (let k = 2; taken.has(name); k++) name = `${base}(${k})`;
    taken.add(name);
    return name;
  });
}

/** The sheet as it is (cells, styles, merges, widths, heights, drop-downs, print setup), pictures and tables left out. */
function copySheet(wb: ExcelJS.Workbook, source: ExcelJS.Worksheet, name: string): ExcelJS.Worksheet {
  const copy = wb.addWorksheet(name);
  const model = structuredClone(source.model) as ExcelJS.WorksheetModel & { merges: string[] };
  copy.model = { ...model, id: copy.id, name, mergeCells: model.merges, media: [], tables: [] } as unknown as ExcelJS.WorksheetModel;
  return copy;
}

function fillSheet(ws: ExcelJS.Worksheet, layout: TemplateLayout, rows: FillRow[], header: FillHeader): void {
  const pageSetup = { ...ws.pageSetup };
  const start = layout.dataStart;
  const styleRow = ws.getRow(start);
  const styles = layout.columns.map((c) => ({
    style: { ...styleRow.getCell(c.index).style },
    validation: styleRow.getCell(c.index).dataValidation,
  }));
  const height = styleRow.height;
  if (layout.templateRows !== null) {
    const extra = rows.length - layout.templateRows;
    // More recipients than empty rows: insert above the 合计 row (merges and rows below move down).
    if (extra > 0)
      ws.insertRows(
        layout.totalRow!,
        Array.from({ length: extra }, () => []),
        'i',
      );
    // Fewer: drop the unused empty rows so the 合计 row follows the data. exceljs loses the merges below
    // when it deletes rows, so they are taken off first and put back moved up; and it leaves the old last
    // rows behind as styled empty cells (a bordered grid under the signature line), so those are cleared.
    if (extra < 0) {
      const from = start + rows.length;
      const lastBefore = ws.rowCount;
      const below = mergedRanges(ws).filter((m) => m.top >= from - extra);
      for (const m of below) ws.unMergeCells(m.top, m.left, m.bottom, m.right);
      ws.spliceRows(from, -extra);
      for (const m of below) ws.mergeCells(m.top + extra, m.left, m.bottom + extra, m.right);
      for (let r = lastBefore + extra + 1; r <= lastBefore; r++) {
        const row = ws.getRow(r);
        row.splice(1, row.cellCount);
      }
    }
  }
  // Drop-downs are laid again over exactly the filled rows, one range per column: the template's own
  // ranges no longer fit them, and exceljs merges per-cell drop-downs into overlapping ranges (it sorts
  // J10 before J4), which Excel reports as a damaged file.
  const validations = (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
  for (const address of Object.keys(validations)) {
    const row = Number(/\d+/.exec(address.split(':')[0] ?? '')?.[0] ?? 0);
    if (row >= start) delete validations[address];
  }
  if (rows.length) {
    layout.columns.forEach((col, k) => {
      const v = styles[k]!.validation;
      if (v) validations[rows.length === 1 ? `${col.letter}${start}` : `${col.letter}${start}:${col.letter}${start + rows.length - 1}`] = v;
    });
  }
  rows.forEach((row, i) => {
    const r = ws.getRow(start + i);
    if (height) r.height = height;
    layout.columns.forEach((col, k) => {
      const cell = r.getCell(col.index);
      cell.style = { ...styles[k]!.style };
      if (!col.field) return;
      const raw = col.field === 'seq' ? i + 1 : row[col.field];
      if (raw === null || raw === undefined || raw === '') return;
      if (TEXT_FIELDS.includes(col.field)) {
        // An 18-digit number in Excel loses its last digits: identities are text cells.
        cell.value = String(raw);
        cell.numFmt = '@';
      } else if (typeof raw === 'number') {
        cell.value = raw;
      } else {
        cell.value = mapToOptions(col.field, raw, col.options, col.values) ?? raw;
      }
    });
  });
  if (layout.totalRow !== null) {
    const total = ws.getRow(start + rows.length);
    total.eachCell((cell) => {
      const v = cell.value;
      if (v && typeof v === 'object' && 'formula' in v && v.formula) {
        // The total is cached with the formula: viewers that do not recalculate (and previews) show it too.
        const column = sumColumn(v.formula, start);
        const col = column === null ? undefined : layout.columns.find((c) => c.letter === column.toUpperCase());
        const result = col?.field
          ? rows.reduce((sum, row) => sum + (typeof row[col.field!] === 'number' ? (row[col.field!] as number) : 0), 0)
          : undefined;
        cell.value = { formula: extendRanges(v.formula, start, start + rows.length - 1), ...(result === undefined ? {} : { result }) };
      }
    });
  }
  for (const h of layout.headerFields) {
    const cell = ws.getCell(h.address);
    const label = h.text.replace(/[\s年月日]+$/g, '').replace(/[:：].*$/, '');
    const value = h.kind === 'school' ? header.schoolName : h.kind === 'date' ? header.date : header.termText;
    cell.value = `${label}：${value}`;
  }
  // exceljs may drop print settings on rewrite: put the county's back, with the print area grown or shrunk with the data.
  const area = /^(\$?[A-Z]{1,3}\$?)(\d+):(\$?[A-Z]{1,3}\$?)(\d+)$/.exec(pageSetup.printArea ?? '');
  if (area) {
    const bottom = Number(area[4]);
    const delta = layout.templateRows === null ? 0 : rows.length - layout.templateRows;
    const last = start + rows.length - 1;
    const moved = layout.templateRows === null ? Math.max(bottom, last) : bottom >= start ? bottom + delta : bottom;
    pageSetup.printArea = `${area[1]}${area[2]}:${area[3]}${moved}`;
  }
  ws.pageSetup = { ...pageSetup };
}
