import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../../electron/core/export/county-template';
import { TABLE_LIMITS } from '../../../electron/core/import/read-table';
import { readBoth } from '../../helpers/read-both';
import { XLSX_LIMITS } from '../../../electron/core/import/zip-bounds';
import { fixture } from '../../helpers/core';
import { makeZip } from '../../helpers/zip';

const xml = (s: string) => Buffer.from(s);
const CONTENT_TYPES = xml(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`);

async function workbook(fill: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('名单'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('inputs are bounded before memory grows', () => {
  it('refuses an .xlsx that inflates past the limit, whatever size its parts claim', async () => {
    const spaces = Buffer.alloc(XLSX_LIMITS.totalBytes + 1024 * 1024, 0x20);
    for (const declaredSize of [undefined, 1000]) {
      // A part read whole (styles) against the limit for whole parts.
      const bomb = makeZip([
        { name: '[Content_Types].xml', data: CONTENT_TYPES },
        { name: 'xl/workbook.xml', data: xml('<workbook/>') },
        { name: 'xl/styles.xml', data: spaces, declaredSize, crc: false },
        { name: 'xl/worksheets/sheet1.xml', data: xml('<worksheet/>') },
      ]);
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const rss = process.memoryUsage().rss;
      await expect(readBoth('名册.xlsx', bomb)).rejects.toThrow(`“名册.xlsx”解压后超过 ${XLSX_LIMITS.totalBytes / 1024 / 1024} MB 的上限`);
      // Stopped at the limit: the memory did not take the whole part, let alone exceljs's copy of it.
      expect(process.memoryUsage().rss - rss).toBeLessThan(400 * 1024 * 1024);
    }
  });

  it('counts a streamed worksheet as it inflates and stops it at the limit, whatever size it claims', async () => {
    const limit = XLSX_LIMITS.streamedBytes;
    // The real limit (512 MB) only takes longer to reach: the test lowers it, the code path is the same.
    XLSX_LIMITS.streamedBytes = 64 * 1024 * 1024;
    try {
      const spaces = Buffer.alloc(XLSX_LIMITS.streamedBytes + 1024 * 1024, 0x20);
      for (const declaredSize of [undefined, 1000]) {
        const bomb = makeZip([
          { name: '[Content_Types].xml', data: CONTENT_TYPES },
          { name: 'xl/workbook.xml', data: xml('<workbook/>') },
          { name: 'xl/worksheets/sheet1.xml', data: spaces, declaredSize, crc: false },
        ]);
        const rss = process.memoryUsage().rss;
        await expect(readBoth('名册.xlsx', bomb)).rejects.toThrow('“名册.xlsx”解压后超过 64 MB 的上限');
        expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
      }
    } finally {
      XLSX_LIMITS.streamedBytes = limit;
    }
  });

  it('says what a renamed Word, PowerPoint or OpenDocument file is, instead of "empty"', async () => {
    const docx = makeZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'word/document.xml', data: xml('<w:document/>') },
    ]);
    await expect(readBoth('名册.xlsx', docx)).rejects.toThrow('“名册.xlsx”是 Word 文档（.docx），不是表格');
    const ods = makeZip([
      { name: 'mimetype', data: xml('application/vnd.oasis.opendocument.spreadsheet') },
      { name: 'content.xml', data: xml('<office:document-content/>') },
    ]);
    await expect(readBoth('名册.xlsx', ods)).rejects.toThrow('OpenDocument 表格（.ods');
    const other = makeZip([{ name: 'readme.txt', data: xml('hello') }]);
    await expect(readBoth('名册.xlsx', other)).rejects.toThrow('是一个压缩包，但不是 Excel 表格');
    await expect(readBoth('名册.xlsx', Buffer.concat([docx.subarray(0, 40), Buffer.alloc(40)]))).rejects.toThrow('已损坏');
  });

  it('names a stray cell at the last row of a sheet instead of making a million empty rows', async () => {
    const data = await workbook((ws) => {
      ws.addRow(['姓名', '身份证件号']);
      ws.addRow(['张三', '110101201001010015']);
      ws.getCell('A1048576').value = 'x';
    });
    await expect(readBoth('名册.xlsx', data)).rejects.toThrow(`工作表“名单”第 1048576 行还有内容，超过 ${TABLE_LIMITS.rows} 行的上限`);
  });

  it('names a cell too long to be a value, in .xlsx and .csv', async () => {
    const long = '长'.repeat(TABLE_LIMITS.cellChars + 1);
    const data = await workbook((ws) => {
      ws.addRow(['姓名', '地址']);
      ws.addRow(['张三', long]);
    });
    await expect(readBoth('名册.xlsx', data)).rejects.toThrow(`工作表“名单”的 B2 格有 ${TABLE_LIMITS.cellChars + 1} 个字`);
    await expect(readBoth('名册.csv', Buffer.from(`姓名,地址\n张三,${long}\n`))).rejects.toThrow(
      `的 B2 格有 ${TABLE_LIMITS.cellChars + 1} 个字`,
    );
    // An unclosed quote swallowing the rest of the file stops at the record limit.
    const runaway = Buffer.from(`姓名,地址\n张三,"${'甲'.repeat(TABLE_LIMITS.cellChars * 60)}\n`);
    await expect(readBoth('名册.csv', runaway)).rejects.toThrow('“名册.csv”第 2 行太长');
    // A quote left open, or closed in the middle of a cell, names its row; no row after it is taken.
    await expect(readBoth('名册.csv', Buffer.from('姓名,地址\n张三,"青山村\n李四,石门村\n'))).rejects.toThrow(
      '无法解析“名册.csv”第2行附近：引号或分隔符不匹配',
    );
    await expect(readBoth('名册.csv', Buffer.from('姓名,地址\n张三,青山村\n李四,"石门"村\n王五,河口村\n'))).rejects.toThrow('第3行附近');
  });

  it('reads quoted cells, doubled quotes, CRLF and a last line with or without its line break, as Excel writes them', async () => {
    const rows = [
      ['姓名', '地址', '备注'],
      ['张三', '青山村,2组', '说"明"'],
      ['李四', '两行\n地址', null],
    ];
    const body = (lineBreak: string) => `姓名,地址,备注${lineBreak}张三,"青山村,2组","说""明"""${lineBreak}李四,"两行\n地址",`;
    for (const text of [body('\r\n') + '\r\n', body('\n'), '\ufeff' + body('\n') + '\n', body('\r') + '\r'])
      expect((await readBoth('名册.csv', Buffer.from(text))).sheets[0]!.rows, JSON.stringify(text)).toEqual(rows);
    // A blank line inside stays a (blank) row, so the rows after it keep their numbers.
    expect((await readBoth('名册.csv', Buffer.from('姓名\n\n张三\n'))).sheets[0]!.rows).toEqual([['姓名'], [null], ['张三']]);
  });

  it('reads CSVs separated by semicolons, bars or full-width commas, and names a file that changes encoding midway', async () => {
    for (const d of [';', '|', '，', '\t', ','])
      expect(
        (await readBoth('名册.csv', Buffer.from(`姓名${d}身份证件号${d}班级\n张三${d}110101201001010015${d}一年级1班\n`))).sheets[0]!
          .rows[1],
      ).toEqual(['张三', '110101201001010015', '一年级1班']);
    const mixed = Buffer.concat([Buffer.from('姓名,班级\n张三,一年级1班\n'), iconv.encode('李四,二年级1班\n', 'gbk')]);
    await expect(readBoth('名册.csv', mixed)).rejects.toThrow('第 3 行起却出现了 UTF-8 无法识别的内容：可能混入了另一种编码（GBK）的文字');
    // A file wholly in GBK is read as GBK, as before.
    expect((await readBoth('名册.csv', iconv.encode('姓名,班级\n李四,二年级1班\n', 'gbk'))).sheets[0]!.rows[1]).toEqual([
      '李四',
      '二年级1班',
    ]);
  });

  it('refuses a county template that runs to a million rows, and still reads the real ones', async () => {
    const data = await workbook((ws) => {
      ws.addRow(['序号', '姓名', '身份证号']);
      ws.getRow(70_000).getCell(1).value = ' ';
    });
    await expect(loadWorkbook(data, '县模板.xlsx')).rejects.toThrow('用到了第 70000 行，超过 60000 行的上限');
    for (const name of ['county-template-senior-high-grant.xlsx', 'roster-qingshan-central-school.xlsx'])
      await expect(loadWorkbook(readFileSync(fixture(name)), name)).resolves.toBeTruthy();
  });
});
