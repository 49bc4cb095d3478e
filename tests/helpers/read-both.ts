/**
 * A file read both ways the app reads one: the outline at upload (rows streamed, then dropped) and the whole table
 * an importer asks for. Both must refuse a file with the same message, or both read it.
 */
import { expect } from 'vitest';
import { outlineTable, readTable, type Table } from '../../electron/core/import/read-table';

export async function readBoth(fileName: string, data: Buffer): Promise<Table> {
  const attempt = <T>(read: () => T): T | Error => {
    try {
      return read();
    } catch (e) {
      return e as Error;
    }
  };
  const outline = attempt(() => outlineTable(fileName, data));
  const table = attempt(() => readTable(fileName, data));
  if (table instanceof Error) {
    expect(outline instanceof Error ? outline.message : 'the outline read it').toBe(table.message);
    throw table;
  }
  expect(outline instanceof Error ? outline.message : null).toBeNull();
  return table;
}
