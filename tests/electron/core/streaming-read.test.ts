import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cellText, readTable } from '../../../electron/core/import/read-table';
import { entriesOf } from '../../../electron/core/import/zip-bounds';
import { fixture } from '../../helpers/core';
import { demoRoster } from '../../../electron/core/school/demo';

async function xlsx(build: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('名单'));
  wb.addWorksheet('说明').addRow(['本表由学籍系统导出']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('the .xlsx reader (streamed row by row)', () => {
  it('reads every Chinese character whole, wherever the inflated chunks are cut', async () => {
    // 6,000 rows of names, addresses and guardians: the parts inflate in many chunks, and some chunk boundary
    // falls inside a three-byte character (the bug this guards against turned 周子东 into 周子��).
    const rows = demoRoster(6000, 2026, 11);
    const data = await xlsx((ws) => ws.addRows(rows));
    const table = await readTable('名册.xlsx', data);
    expect(table.sheets.map((s) => s.name)).toEqual(['名单', '说明']);
    const read = table.sheets[0]!.rows.map((r) => r.map(cellText));
    expect(read.length).toBe(rows.length);
    expect(read.flat().some((t) => t.includes('\ufffd'))).toBe(false);
    expect(read).toEqual(rows.map((r) => r.map((c) => cellText(c as never))));
  });

  it('names a damaged worksheet part instead of waiting forever on it', async () => {
    const data = Buffer.from(readFileSync(fixture('roster-qingshan-central-school.xlsx')));
    const sheet = entriesOf(data)!.find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
    const start = sheet.localOffset + 30 + data.readUInt16LE(sheet.localOffset + 26) + data.readUInt16LE(sheet.localOffset + 28);
    for (let i = 0; i < 8; i++) data.writeUInt8(data.readUInt8(start + 500 + i * 97) ^ 0x5a, start + 500 + i * 97);
    await expect(readTable('名册.xlsx', data)).rejects.toThrow('“名册.xlsx”已损坏（其中的“xl/worksheets/sheet1.xml”无法解压）');
  });

  it('gives every cell of a merged range the first cell’s value, as the whole-workbook reader did', async () => {
    const data = await xlsx((ws) => {
      ws.addRow(['青山镇中心学校学生名册']);
      ws.mergeCells('A1:D1');
      ws.addRow(['班级', '姓名', '性别', '身份证号']);
      ws.addRow(['一年级（1）班', '张三', '男', '1']);
      ws.addRow([null, '李四', '女', '2']);
      ws.addRow([null, '王五', '男', '3']);
      ws.addRow(['一年级（2）班', '赵六', '女', '4']);
      ws.mergeCells('A3:A5');
    });
    const rows = (await readTable('名册.xlsx', data)).sheets[0]!.rows;
    expect(rows[0]).toEqual(['青山镇中心学校学生名册', '青山镇中心学校学生名册', '青山镇中心学校学生名册', '青山镇中心学校学生名册']);
    expect(rows.slice(2).map((r) => [r[0], r[1]])).toEqual([
      ['一年级（1）班', '张三'],
      ['一年级（1）班', '李四'],
      ['一年级（1）班', '王五'],
      ['一年级（2）班', '赵六'],
    ]);
  });
});
