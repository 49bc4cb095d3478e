/**
 * The signature roster as an .xlsx, for schools that print from WPS or send it on. Pages are cut here, not by
 * the spreadsheet program: each page ends with its 本页小计 (a formula over its own rows) and a manual page
 * break, classes either start a page or run on with a class subtotal (as the printed roster), and the last
 * page keeps the total, the amount in capitals and the sign-off with its last rows. Row heights are set and
 * the page is counted at the scale "fit to one page wide" gives, with room to spare.
 */
import ExcelJS from 'exceljs';
import { toCapitalAmount } from '../../../shared/rules/capital-amount';
import { pagesByHeight } from '../print/layout';
import { chooseLayout, type RosterInput, type RosterLine } from '../print/signature-roster';

const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADERS = ['序号', '班级', '姓名', '身份证号', '银行卡号', '金额（元）', '领取人签字', '手印', '备注'];
const WIDTHS = [6, 14, 10, 22, 24, 12, 16, 10, 10];
const MARGINS = { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 };

/** Heights in points. */
const H = { title: 26, info: 18, header: 22, line: 32, subtotal: 22, total: 22, gap: 12, sign: 22 };

/** Points a page can hold at the scale that fits the columns to the paper's width, with 8% to spare. */
export function pagePoints(orientation: 'portrait' | 'landscape'): number {
  const [w, h] = orientation === 'portrait' ? [8.27, 11.69] : [11.69, 8.27];
  const printable = { width: (w - MARGINS.left - MARGINS.right) * 72, height: (h - MARGINS.top - MARGINS.bottom) * 72 };
  // Column widths are in characters: about 7 pixels each plus 5 of padding, at 96 pixels an inch.
  const sheetWidth = WIDTHS.reduce((s, c) => s + (c * 7 + 5) * 0.75, 0);
  const scale = Math.min(1, printable.width / sheetWidth);
  return (printable.height / scale) * 0.92;
}

type Item = { kind: 'line'; line: RosterLine } | { kind: 'classTotal'; className: string; lines: RosterLine[] };

export async function rosterWorkbook(input: RosterInput): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'AidDesk 资助工作台';
  const ws = wb.addWorksheet('签领表', {
    pageSetup: {
      paperSize: 9,
      orientation: input.orientation,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: MARGINS,
      printTitlesRow: '3:3',
    },
    headerFooter: { oddFooter: '第 &P 页 共 &N 页' },
  });
  ws.columns = WIDTHS.map((width) => ({ width }));
  ws.mergeCells('A1:I1');
  ws.getCell('A1').value = input.title;
  ws.getCell('A1').font = { bold: true, size: 16 };
  ws.getCell('A1').alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = H.title;
  ws.mergeCells('A2:I2');
  ws.getCell('A2').value =
    `学校：${input.schoolName}  项目：${input.programmeName}  学期：${input.termText}  资助标准（每学期）：${input.standard}`;
  ws.getRow(2).height = H.info;
  const header = ws.getRow(3);
  header.values = HEADERS;
  header.font = { bold: true };
  header.height = H.header;
  header.eachCell((c) => {
    c.border = BORDER;
    c.alignment = { horizontal: 'center', vertical: 'middle' };
  });

  const page = pagePoints(input.orientation);
  const layout = input.layout && input.layout !== 'auto' ? input.layout : chooseLayout(input.lines, Math.floor(page / H.line) - 2);
  const items: Item[] = [];
  input.lines.forEach((line, i) => {
    items.push({ kind: 'line', line });
    if (layout === 'continuous' && input.lines[i + 1]?.className !== line.className) {
      items.push({ kind: 'classTotal', className: line.className, lines: input.lines.filter((l) => l.className === line.className) });
    }
  });
  const pages = pagesByHeight(
    items.map((x) => (x.kind === 'line' ? H.line : H.subtotal)),
    (p) => page - H.header - H.subtotal - (p === 0 ? H.title + H.info : 0),
    {
      tail: H.total + H.gap + H.sign,
      // As on the printed roster: a class's subtotal never opens a page.
      keepWithNext: (i) => items[i + 1]?.kind === 'classTotal',
      breakBefore: (i) => {
        const item = items[i]!;
        const previous = items[i - 1];
        return layout === 'byClass' && item.kind === 'line' && previous?.kind === 'line' && previous.line.className !== item.line.className;
      },
    },
  );

  const bordered = (row: ExcelJS.Row) => {
    for (let c = 1; c <= 9; c++) row.getCell(c).border = BORDER;
  };
  let r = 4;
  let seq = 0;
  const pageTotals: string[] = [];
  let lastRow: ExcelJS.Row | null = null;
  for (const ix of pages) {
    const lineCells: number[] = [];
    for (const item of ix.map((k) => items[k]!)) {
      const row = ws.getRow(r);
      if (item.kind === 'line') {
        const l = item.line;
        row.values = [++seq, l.className, l.name, l.idNumber, l.bankCard, l.amount / 100, '', '', l.note];
        // Numbers that are identities stay text: Excel would round an 18-digit number.
        for (const c of [4, 5]) row.getCell(c).numFmt = '@';
        row.getCell(6).numFmt = '#,##0.00';
        row.height = H.line;
        row.eachCell({ includeEmpty: true }, (c) => {
          c.border = BORDER;
          c.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
        });
        lineCells.push(r);
      } else {
        ws.mergeCells(r, 1, r, 5);
        row.getCell(1).value = `${item.className} 小计（${item.lines.length} 人）`;
        row.getCell(6).value = { formula: `SUM(${classRange(ws, item.className, r)})`, result: sum(item.lines) / 100 };
        row.getCell(6).numFmt = '#,##0.00';
        row.height = H.subtotal;
        bordered(row);
      }
      r++;
    }
    const sub = ws.getRow(r);
    ws.mergeCells(r, 1, r, 5);
    const onPage = ix.flatMap((k) => {
      const item = items[k]!;
      return item.kind === 'line' ? [item.line] : [];
    });
    sub.getCell(1).value = `本页小计（${onPage.length} 人）`;
    sub.getCell(6).value = { formula: lineCells.length ? `SUM(${ranges(lineCells)})` : '0', result: sum(onPage) / 100 };
    sub.getCell(6).numFmt = '#,##0.00';
    sub.font = { bold: true };
    sub.height = H.subtotal;
    bordered(sub);
    pageTotals.push(`F${r}`);
    lastRow = sub;
    r++;
    if (ix !== pages[pages.length - 1]) lastRow.addPageBreak();
  }
  const total = sum(input.lines);
  ws.mergeCells(r, 1, r, 5);
  ws.getCell(r, 1).value = `合计（${input.lines.length} 人）`;
  ws.getCell(r, 6).value = { formula: pageTotals.length ? pageTotals.join('+') : '0', result: total / 100 };
  ws.getCell(r, 6).numFmt = '#,##0.00';
  ws.mergeCells(r, 7, r, 9);
  ws.getCell(r, 7).value = `大写：${toCapitalAmount(total)}`;
  ws.getRow(r).font = { bold: true };
  ws.getRow(r).height = H.total;
  bordered(ws.getRow(r));
  ws.getRow(r + 1).height = H.gap;
  r += 2;
  ws.getRow(r).values = ['', '经办人：', '', '审核人：', '', '校长：', '', '日期：', ''];
  ws.getRow(r).height = H.sign;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const sum = (lines: RosterLine[]) => lines.reduce((s, l) => s + l.amount, 0);

/** Amount cells as compact ranges: rows 4–13 and 15 → "F4:F13,F15". */
function ranges(rows: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < rows.length;) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j]! + 1) j++;
    out.push(i === j ? `F${rows[i]}` : `F${rows[i]}:F${rows[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** The amount cells of one class's lines above row `before` (a class may run over a page break). */
function classRange(ws: ExcelJS.Worksheet, className: string, before: number): string {
  const rows: number[] = [];
  for (let r = before - 1; r >= 4; r--) {
    const row = ws.getRow(r);
    const seq = row.getCell(1).value;
    if (typeof seq !== 'number') continue;
    if (row.getCell(2).value !== className) break;
    rows.unshift(r);
  }
  return ranges(rows);
}
