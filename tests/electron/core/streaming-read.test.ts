import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { cellText, outlineTable } from '../../../electron/core/import/read-table';
import { collectGarbage } from '../../../electron/core/memory';
import { readBoth } from '../../helpers/read-both';
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
    const table = await readBoth('名册.xlsx', data);
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
    await expect(readBoth('名册.xlsx', data)).rejects.toThrow('“名册.xlsx”已损坏（其中的“xl/worksheets/sheet1.xml”无法解压）');
  });

  it('reads a sheet stored before its shared strings from memory, with no temporary folder to spool it to', async () => {
    // The bank's return file has its sheet before the shared strings: exceljs's streaming reader parked such a
    // sheet in a temporary file, and failed when the folder could not be written.
    const data = readFileSync(fixture('bank-return-2026-autumn.xlsx'));
    const names = entriesOf(data)!.map((e) => e.name);
    expect(names.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(names.indexOf('xl/sharedStrings.xml'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/aid-desk-tmp';
    try {
      const rows = (await readBoth('bank-return-2026-autumn.xlsx', data)).sheets[0]!.rows;
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.flat().filter((c) => typeof c === 'string' && /[\u4e00-\u9fff]/.test(c)).length).toBeGreaterThan(rows.length);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
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
    const rows = (await readBoth('名册.xlsx', data)).sheets[0]!.rows;
    expect(rows[0]).toEqual(['青山镇中心学校学生名册', '青山镇中心学校学生名册', '青山镇中心学校学生名册', '青山镇中心学校学生名册']);
    expect(rows.slice(2).map((r) => [r[0], r[1]])).toEqual([
      ['一年级（1）班', '张三'],
      ['一年级（1）班', '李四'],
      ['一年级（1）班', '王五'],
      ['一年级（2）班', '赵六'],
    ]);
  });
});

describe('the .csv reader', () => {
  const rows = [
    ['姓名', '性别', '身份证件号', '班级'],
    ['周子东', '男', '433125201503150017', '一年级（1）班'],
    ['李 四', '女', '', '一年级（1）班'],
  ];
  const text = rows.map((r) => r.join(',')).join('\r\n');
  const read = async (data: Buffer) => {
    const table = await readBoth('名册.csv', data);
    return { encoding: table.encoding, rows: table.sheets[0]!.rows };
  };
  const expected = rows.map((r) => r.map((c) => (c === '' ? null : c)));

  it('reads UTF-8 with and without BOM, UTF-16 and GBK to the same rows, blanks as empty cells', async () => {
    expect(await read(Buffer.from(text))).toEqual({ encoding: 'utf-8', rows: expected });
    expect(await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({ encoding: 'utf-8', rows: expected });
    expect(await read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toEqual({
      encoding: 'utf-16le',
      rows: expected,
    });
    expect(await read(iconv.encode(text, 'gb18030'))).toEqual({ encoding: 'gb18030', rows: expected });
  });

  it('reads many rows of repeated cells unchanged, and refuses a file that is not text or mixes two encodings', async () => {
    const { rows: many } = await read(
      Buffer.from([rows[0]!.join(','), ...Array.from({ length: 50 }, () => rows[1]!.join(','))].join('\n')),
    );
    expect(many).toHaveLength(51);
    expect(many.slice(1).every((r) => r[1] === '男' && r[3] === '一年级（1）班' && r[2] === '433125201503150017')).toBe(true);
    await expect(read(Buffer.concat([Buffer.from(text), Buffer.from([0, 1, 2])]))).rejects.toThrow('不是文本表格（CSV）文件');
    const mixed = Buffer.concat([Buffer.from(`${text}\r\n${rows[1]!.join(',')}\r\n`), iconv.encode('王五,男,,二年级1班\r\n', 'gbk')]);
    await expect(read(mixed)).rejects.toThrow('第 5 行起却出现了 UTF-8 无法识别的内容');
  });
});

describe('the .csv reader', () => {
  it('keeps nothing of the file’s text past the read: the outline copies what it keeps', () => {
    const lines = ['姓名,身份证件号,家庭住址'];
    for (let i = 0; i < 150_000; i++) lines.push(`学生${i},11010120100${String(i).padStart(7, '0')},青山县石门乡第${i}村民小组长岭组`);
    const data = Buffer.from(lines.join('\n'));
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const outline = outlineTable('名册.csv', data);
    collectGarbage();
    const kept = process.memoryUsage().heapUsed - before;
    expect(outline.sheets[0]!.rowCount).toBe(150_001);
    expect(outline.sheets[0]!.head[1]).toEqual(['学生0', '110101201000000000', '青山县石门乡第0村民小组长岭组']);
    // The text is about 10 MB as a string. A cell of 13 characters or more is a slice of it: kept in the outline's
    // first rows or its distinct values, it would keep the whole text (and a county's is 100 MB).
    expect(kept).toBeLessThan(3 * 1024 * 1024);
  });
});
