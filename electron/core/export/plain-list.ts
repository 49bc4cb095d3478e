/**
 * "Export this list": any table in the app as a plain .xlsx. Written with exceljs's streaming writer and
 * fed row by row, waiting for the zip to catch up, so 300,000 rows take seconds and little memory.
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';

export interface PlainList {
  sheetName: string;
  title: string;
  headers: { text: string; width: number }[];
  /** Columns (0-based) holding identities: written as text so Excel keeps every digit. */
  textColumns: number[];
  /**
   * The rows: an array, or an async source that reads the database in chunks. Never a live database iterator:
   * the writer waits between rows, and an open iterator would block every other call meanwhile.
   */
  rows: Iterable<PlainRow> | AsyncIterable<PlainRow>;
}

export type PlainRow = (string | number | null | undefined)[];

/** The most XML the zip may have waiting to be compressed before the writer waits. */
const MAX_BACKLOG = 1 << 20;

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
  const write = async (values: PlainRow) => {
    const row = ws.addRow(values);
    for (const c of list.textColumns) {
      const cell = row.getCell(c + 1);
      if (cell.value !== null && cell.value !== undefined) {
        cell.value = String(cell.value);
        cell.numFmt = '@';
      }
    }
    row.commit();
    if (++count % 500 === 0) while (zipBacklog(ws) > MAX_BACKLOG) await new Promise(setImmediate);
  };
  if (Symbol.asyncIterator in list.rows) for await (const values of list.rows) await write(values);
  else for (const values of list.rows) await write(values);
  ws.commit();
  await wb.commit();
  await done;
  return { data: Buffer.concat(chunks), rows: count };
}

/**
 * Bytes of the sheet's XML written but not yet taken by the zip. exceljs writes rows without waiting for
 * the compressor, so a fast source would pile the whole sheet up in memory (300,000 rows: 230 MB); the
 * writer waits on this. It reads exceljs 4's internals (the sheet's stream and the zip entry it is piped
 * into), checked by a test; without them it is 0 and the export still works, with more memory.
 */
export function zipBacklog(ws: ExcelJS.Worksheet): number {
  const sheet = ws as unknown as { stream?: { pipes?: { _writableState?: { length?: number } }[] } };
  return sheet.stream?.pipes?.[0]?._writableState?.length ?? 0;
}
