/**
 * Templates AidDesk writes itself when the county sends none: a recipient list in the usual national
 * layout (title, header, a 合计 row and the signature line), and a bank payment file (代发文件) that keeps
 * to what banks read: one header row and the data, nothing else.
 */
import ExcelJS from 'exceljs';
import type { BuiltInTemplate } from '../../../shared/api/exports';

const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

const LIST = [
  ['序号', 6],
  ['姓名', 10],
  ['性别', 6],
  ['身份证号', 22],
  ['学籍号', 22],
  ['年级', 10],
  ['班级', 14],
  ['是否寄宿生', 10],
  ['困难类别', 16],
  ['认定等级', 10],
  ['资助档次', 10],
  ['资助金额（元）', 12],
  ['银行卡号', 24],
  ['备注', 10],
] as const;
const BANK = [
  ['序号', 6],
  ['账号', 24],
  ['户名', 10],
  ['金额', 12],
  ['学生身份证号', 22],
  ['开户行', 20],
  ['备注', 30],
] as const;

/** 家庭经济困难学生认定结果, in the columns the national system's batch import names. */
const IDENTIFICATION = [
  ['序号', 6],
  ['姓名', 10],
  ['性别', 6],
  ['身份证号', 22],
  ['学籍号', 22],
  ['年级', 10],
  ['班级', 14],
  ['认定等级', 10],
  ['认定时间', 12],
  ['认定原因', 24],
  ['家庭人均年收入（元）', 14],
  ['备注', 10],
] as const;

export async function builtInTemplate(kind: BuiltInTemplate, title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'AidDesk 资助工作台';
  const columns = kind === 'list' ? LIST : kind === 'identification' ? IDENTIFICATION : BANK;
  const titled = kind !== 'bank';
  const ws = wb.addWorksheet(kind === 'list' ? '受助名单' : kind === 'identification' ? '认定结果' : '代发明细', {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: titled ? '3:3' : '1:1',
    },
  });
  ws.columns = columns.map(([, width]) => ({ width }));
  let header = 1;
  if (titled) {
    const last = columns.length;
    ws.mergeCells(1, 1, 1, last);
    ws.getCell(1, 1).value = title;
    ws.getCell(1, 1).font = { bold: true, size: 16 };
    ws.getCell(1, 1).alignment = { horizontal: 'center' };
    ws.mergeCells(2, 1, 2, 7);
    ws.getCell(2, 1).value = '填报学校（盖章）：';
    ws.mergeCells(2, 8, 2, last);
    ws.getCell(2, 8).value = '填报日期：      年    月    日';
    header = 3;
  }
  ws.getRow(header).values = columns.map(([h]) => h);
  ws.getRow(header).font = { bold: true };
  ws.getRow(header).eachCell((c) => (c.border = BORDER));
  // One empty styled row: the filler copies its style to every recipient.
  const data = ws.getRow(header + 1);
  for (let c = 1; c <= columns.length; c++) data.getCell(c).border = BORDER;
  if (kind === 'list') {
    const yesNo: ExcelJS.DataValidation = { type: 'list', allowBlank: true, formulae: ['"是,否"'] };
    data.getCell(8).dataValidation = yesNo;
    const total = ws.getRow(header + 2);
    ws.mergeCells(header + 2, 1, header + 2, 11);
    total.getCell(1).value = '合计';
    total.getCell(12).value = { formula: `SUM(L${header + 1}:L${header + 1})` };
    for (let c = 1; c <= columns.length; c++) total.getCell(c).border = BORDER;
    ws.mergeCells(header + 4, 1, header + 4, columns.length);
    ws.getCell(header + 4, 1).value = '校长（签字）：                  经办人（签字）：                  联系电话：';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
