/**
 * "Export this list": any table in the app as a plain .xlsx. Written with exceljs's streaming writer and
 * fed row by row from the database, so 100,000 rows take seconds and little memory.
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';

export interface PlainList {
  sheetName: string;
  title: string;
  headers: { text: string; width: number }[];
  /** Columns (0-based) holding identities: written as text so Excel keeps every digit. */
  textColumns: number[];
  rows: Iterable<(string | number | null | undefined)[]>;
}

export async function writePlainList(list: PlainList): Promise<{ data: Buffer; rows: number }> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(list.sheetName, {
    views: [{ state: 'frozen', ySplit: 2 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '2:2' },
  });
  ws.columns = list.headers.map((h) => ({ width: h.width }));
  const title = ws.addRow([list.title]);
  title.font = { bold: true, size: 14 };
  title.commit();
  const header = ws.addRow(list.headers.map((h) => h.text));
  header.font = { bold: true };
  header.commit();
  let count = 0;
  for (const values of list.rows) {
    const row = ws.addRow(values);
    for (const c of list.textColumns) {
      const cell = row.getCell(c + 1);
      if (cell.value !== null && cell.value !== undefined) {
        cell.value = String(cell.value);
        cell.numFmt = '@';
      }
    }
    row.commit();
    count++;
  }
  ws.commit();
  await wb.commit();
  await done;
  return { data: Buffer.concat(chunks), rows: count };
}
