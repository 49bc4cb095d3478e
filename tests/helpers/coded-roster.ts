/** The fixture roster as the 学籍 system exports it (codes), and any .xlsx as an Excel 97-2003 .xls. */
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { CODE_TABLES } from '../../shared/rules/student-codes';
import { fixture } from './core';

/** An .xlsx turned into an Excel 97-2003 .xls, cell values, merges and widths as SheetJS carries them. */
export function toXls(xlsx: Buffer): Buffer {
  return XLSX.write(XLSX.read(xlsx, { type: 'buffer', cellStyles: true }), { type: 'buffer', bookType: 'biff8' }) as Buffer;
}

const reverse = (table: Record<string, string>) => Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k]));

/** The fixture roster rewritten in the 学籍 standard's codes, as the registry system exports it. */
export async function codedRoster(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(fixture('roster-qingshan-central-school.xlsx'));
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(1).values as string[]).map((h) => String(h ?? ''));
  const col = (name: string) => header.indexOf(name);
  const codes: [string, Record<string, string>][] = [
    ['性别', reverse(CODE_TABLES.sex)],
    ['民族', reverse(CODE_TABLES.ethnicity)],
    ['身份证件类型', reverse(CODE_TABLES.idType)],
    ['户口性质', reverse(CODE_TABLES.hukou)],
    ['就读方式', reverse(CODE_TABLES.boarding)],
    ['是否留守儿童', { 是: '2', 否: '0' }],
    ['是否孤儿', { 是: '1', 否: '0' }],
  ];
  const out = new ExcelJS.Workbook();
  const sheet = out.addWorksheet('学生信息');
  ws.eachRow((row, n) => {
    const values = (row.values as unknown[]).slice(1);
    if (n > 1) {
      for (const [name, map] of codes) {
        const i = col(name) - 1;
        const v = String(values[i] ?? '').trim();
        // Codes are numbers in the registry's export, as Excel shows them: 1, 2, 12 (侗族 loses its leading zero).
        if (v in map) values[i] = /^\d+$/.test(map[v]!) ? Number(map[v]) : map[v];
      }
      const b = col('出生日期') - 1;
      const d = String(values[b] ?? '');
      if (/^\d{4}-\d{2}-\d{2}$/.test(d)) values[b] = Number(d.replace(/-/g, ''));
    }
    sheet.addRow(values);
  });
  return Buffer.from(await out.xlsx.writeBuffer());
}
