/**
 * Old Excel 97-2003 files (.xls, BIFF8), as the 学籍 system, county offices and banks still send them, read with
 * SheetJS (the @e965/xlsx build on the npm registry). Two uses: plain rows for the importers, the same cells as
 * read-table gives for .xlsx; and a county template turned into an .xlsx workbook for the template engine,
 * keeping what the reader gives (values, merges, widths, heights, formulas, number formats) and naming the rest.
 */
import * as XLSX from '@e965/xlsx';
import { AppError } from '../../../shared/errors';
import { isoFromExcelSerial } from '../../../shared/rules/dates';
import type { Cell, Sheet, TableLimits } from './read-table';

function open(fileName: string, data: Buffer, options: XLSX.ParsingOptions): XLSX.WorkBook {
  try {
    return XLSX.read(data, { type: 'buffer', ...options });
  } catch {
    throw new AppError(
      'file-unreadable',
      `无法读取“${fileName}”：文件已损坏，或不是 Excel 97-2003（.xls）文件。请在 Excel/WPS 中打开并重新保存后再试。`,
    );
  }
}

const letter = (c: number) => XLSX.utils.encode_col(c);

function cellOf(cell: XLSX.CellObject | undefined): Cell {
  if (!cell) return null;
  switch (cell.t) {
    case 's':
      return typeof cell.v === 'string' ? cell.v : String(cell.v ?? '');
    case 'n': {
      const v = cell.v as number;
      // A date-formatted number is a date, as the .xlsx reader gives it: a zone-less (UTC) day.
      if (cell.z !== undefined && XLSX.SSF.is_date(String(cell.z))) {
        const iso = isoFromExcelSerial(v);
        return iso ? new Date(`${iso}T00:00:00Z`) : v;
      }
      return v;
    }
    case 'b':
      return cell.v ? '是' : '否';
    case 'd':
      return cell.v instanceof Date ? cell.v : null;
    default:
      return null;
  }
}

/** Every sheet as rows of cells, bounded while reading: rows, columns and cell length name where they were hit. */
export function readXlsSheets(fileName: string, data: Buffer, limits: TableLimits): Sheet[] {
  const wb = open(fileName, data, { dense: true, cellNF: true, cellFormula: false, cellHTML: false, sheetRows: limits.rows + 1 });
  return wb.SheetNames.map((name) => {
    const ws = wb.Sheets[name]!;
    const range = ws['!ref'] ? XLSX.utils.decode_range(ws['!ref']) : null;
    if (!range) return { name, rows: [] };
    if (range.e.r + 1 > limits.rows)
      throw new AppError('file-too-big', `“${fileName}”的工作表“${name}”超过 ${limits.rows} 行的上限。请删除表格下方多余的内容后再试。`);
    if (range.e.c + 1 > limits.columns)
      throw new AppError(
        'file-too-big',
        `“${fileName}”的工作表“${name}”有 ${range.e.c + 1} 列，超过 ${limits.columns} 列的上限。请删除右侧多余的列后再试。`,
      );
    const dense = (ws['!data'] ?? []) as (XLSX.CellObject | undefined)[][];
    const rows: Cell[][] = [];
    for (let r = 0; r <= range.e.r; r++) {
      const source = dense[r] ?? [];
      const cells: Cell[] = [];
      for (let c = 0; c < source.length; c++) {
        const value = cellOf(source[c]);
        if (typeof value === 'string' && value.length > limits.cellChars)
          throw new AppError(
            'cell-too-long',
            `“${fileName}”工作表“${name}”的 ${letter(c)}${r + 1} 格有 ${value.length} 个字，超过 ${limits.cellChars} 字的上限，没有导入。请检查这一格（可能误粘贴了大段文字）。`,
          );
        cells.push(value);
      }
      while (cells.length && cells[cells.length - 1] === null) cells.pop();
      rows.push(cells);
    }
    while (rows.length && rows[rows.length - 1]!.length === 0) rows.pop();
    return { name, rows };
  });
}

/** What an .xls template loses on the way to .xlsx with this reader: said to the clerk in one line. */
export const XLS_TEMPLATE_LOSS =
  '原模板是 Excel 97-2003（.xls）格式，已转为 .xlsx 填写：保留了内容、合并单元格、列宽、行高、公式和数字格式，边框、字体颜色和下拉选项没有保留，请打开检查后再上报';

/** An .xls county template as an .xlsx file the template engine (exceljs) reads. */
export function xlsTemplateToXlsx(fileName: string, data: Buffer): Buffer {
  const wb = open(fileName, data, { cellFormula: true, cellNF: true, cellStyles: true, cellDates: false });
  try {
    return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', cellStyles: true, compression: true }) as Buffer;
  } catch {
    throw new AppError('template-unreadable', `模板“${fileName}”（.xls）无法转换为 .xlsx：请用 WPS/Excel 打开后另存为 .xlsx 再添加`);
  }
}
