/**
 * The signature roster as an .xlsx, for schools that print from WPS or send it on: one sheet, a page per
 * class, a subtotal formula per class, the total in digits and capitals, header rows repeated on print.
 */
import ExcelJS from 'exceljs';
import { toCapitalAmount } from '../../../shared/rules/capital-amount';
import type { RosterInput, RosterLine } from '../print/signature-roster';

const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADERS = ['序号', '班级', '姓名', '身份证号', '银行卡号', '金额（元）', '领取人签字', '手印', '备注'];
const WIDTHS = [6, 14, 10, 22, 24, 12, 16, 10, 10];

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
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: '3:3',
    },
    headerFooter: { oddFooter: '第 &P 页 共 &N 页' },
  });
  ws.columns = WIDTHS.map((width) => ({ width }));
  ws.mergeCells('A1:I1');
  ws.getCell('A1').value = input.title;
  ws.getCell('A1').font = { bold: true, size: 16 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.mergeCells('A2:I2');
  ws.getCell('A2').value =
    `学校：${input.schoolName}  项目：${input.programmeName}  学期：${input.termText}  资助标准（每学期）：${input.standard}`;
  const header = ws.getRow(3);
  header.values = HEADERS;
  header.font = { bold: true };
  header.height = 22;
  header.eachCell((c) => {
    c.border = BORDER;
    c.alignment = { horizontal: 'center', vertical: 'middle' };
  });

  const groups: RosterLine[][] = [];
  for (const line of input.lines) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.className === line.className) last.push(line);
    else groups.push([line]);
  }
  let r = 4;
  let seq = 0;
  const subtotalCells: string[] = [];
  for (const group of groups) {
    const first = r;
    for (const l of group) {
      const row = ws.getRow(r);
      row.values = [++seq, l.className, l.name, l.idNumber, l.bankCard, l.amount / 100, '', '', l.note];
      // Numbers that are identities stay text: Excel would round an 18-digit number.
      for (const c of [4, 5]) row.getCell(c).numFmt = '@';
      row.getCell(6).numFmt = '#,##0.00';
      row.height = 32;
      row.eachCell({ includeEmpty: true }, (c) => {
        c.border = BORDER;
        c.alignment = { vertical: 'middle', horizontal: 'center' };
      });
      r++;
    }
    const sub = ws.getRow(r);
    ws.mergeCells(r, 1, r, 5);
    sub.getCell(1).value = `${group[0]!.className} 小计（${group.length} 人）`;
    sub.getCell(6).value = { formula: `SUM(F${first}:F${r - 1})`, result: group.reduce((s, l) => s + l.amount, 0) / 100 };
    sub.getCell(6).numFmt = '#,##0.00';
    sub.font = { bold: true };
    for (let c = 1; c <= 9; c++) sub.getCell(c).border = BORDER;
    subtotalCells.push(`F${r}`);
    sub.addPageBreak();
    r++;
  }
  const total = input.lines.reduce((s, l) => s + l.amount, 0);
  ws.mergeCells(r, 1, r, 5);
  ws.getCell(r, 1).value = `合计（${input.lines.length} 人）`;
  ws.getCell(r, 6).value = { formula: subtotalCells.length ? subtotalCells.join('+') : '0', result: total / 100 };
  ws.getCell(r, 6).numFmt = '#,##0.00';
  ws.mergeCells(r, 7, r, 9);
  ws.getCell(r, 7).value = `大写：${toCapitalAmount(total)}`;
  ws.getRow(r).font = { bold: true };
  for (let c = 1; c <= 9; c++) ws.getCell(r, c).border = BORDER;
  r += 2;
  ws.getRow(r).values = ['', '经办人：', '', '审核人：', '', '校长：', '', '日期：', ''];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
