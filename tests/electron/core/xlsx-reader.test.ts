/**
 * The hand-written .xlsx reader (read-xlsx.ts) against exceljs's whole-workbook reader on seeded random
 * workbooks, both as Excel writes them (shared strings) and as streaming writers do (inline strings), and on
 * hand-made XML for what exceljs does not write: namespace prefixes, rows and cells without references, CDATA,
 * phonetic runs, OOXML escapes, the 1904 date system, Chinese built-in date formats.
 */
import ExcelJS from 'exceljs';
import { readdirSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { eachRow, outlineTable, type Cell } from '../../../electron/core/import/read-table';
import { readBoth } from '../../helpers/read-both';
import { seededRandom } from '../../../shared/rules/sample';
import { fixture, FIXTURES } from '../../helpers/core';
import { makeZip } from '../../helpers/zip';

const CHARS =
  '张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文施洪辛柯庄';
const SPECIAL = ['<', '>', '&', '"', "'", ' ', '\n', '（', '）', '·', '😀', '<c>', ']]>'];

type Value = ExcelJS.CellValue;

function randomText(random: () => number): string {
  const n = 1 + Math.floor(random() * 12);
  let s = '';
  for (let i = 0; i < n; i++)
    s += random() < 0.15 ? SPECIAL[Math.floor(random() * SPECIAL.length)]! : CHARS[Math.floor(random() * CHARS.length)]!;
  return s;
}

const DATE_FORMATS = ['yyyy-mm-dd', 'yyyy"年"m"月"d"日"', 'm/d/yy', 'yyyy/m/d h:mm', 'mm-dd-yy'];

/** A random cell: text, numbers (whole, decimal, ID-sized), dates, booleans, formulas, rich text, links, errors. */
function randomCell(random: () => number, cell: ExcelJS.Cell): void {
  const kind = Math.floor(random() * 12);
  const whole = () => Math.floor(random() * 2_000_000) - 1_000_000;
  const values: (() => Value)[] = [
    () => randomText(random),
    () => randomText(random),
    () => whole(),
    () => Math.round(random() * 1e6) / 100,
    () => 430000000000000000 + Math.floor(random() * 1e12) * 1000,
    () => random() * 1e-7,
    () => random() < 0.5,
    () => ({ formula: 'A1+1', result: whole() }),
    () => ({ formula: 'CONCAT("a","b")', result: randomText(random) }),
    () => ({ richText: [{ text: randomText(random) }, { font: { bold: true }, text: randomText(random) }] }),
    () => ({ text: randomText(random), hyperlink: 'https://example.org/a?b=1&c=2' }),
    () => ({ error: '#N/A' }) as ExcelJS.CellErrorValue,
  ];
  if (kind === 11 && random() < 0.5) {
    cell.value = new Date(Date.UTC(2000 + Math.floor(random() * 30), Math.floor(random() * 12), 1 + Math.floor(random() * 28)));
    cell.numFmt = DATE_FORMATS[Math.floor(random() * DATE_FORMATS.length)]!;
    return;
  }
  cell.value = values[kind]!();
  if (random() < 0.1) cell.font = { bold: true };
  if (random() < 0.05) cell.numFmt = '0.00';
}

function fill(ws: ExcelJS.Worksheet, random: () => number, rows: number): void {
  ws.getCell('A1').value = randomText(random);
  ws.mergeCells('A1:D1');
  for (let r = 2; r <= rows; r++) {
    const columns = 1 + Math.floor(random() * 14);
    for (let c = 1; c <= columns; c++) {
      if (random() < 0.2) continue;
      randomCell(random, ws.getCell(r, c));
    }
    if (random() < 0.1) ws.getRow(r).getCell(columns + 2).font = { italic: true }; // styled, no value
    ws.getRow(r).commit?.();
  }
}

const sheetName = (random: () => number, i: number) =>
  `${
    randomText(random)
      .replace(/[\n<>:\\/?*[\]'"]/g, '')
      .slice(0, 20) || '表'
  }${i}`;

async function sharedStringsBook(seed: number, rows: number): Promise<Buffer> {
  const random = seededRandom(seed);
  const wb = new ExcelJS.Workbook();
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) fill(wb.addWorksheet(sheetName(random, i)), random, rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function inlineStringsBook(seed: number, rows: number): Promise<Buffer> {
  const random = seededRandom(seed);
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const ws = wb.addWorksheet(sheetName(random, i));
    fill(ws, random, rows);
    ws.commit();
  }
  await wb.commit();
  return Buffer.concat(chunks);
}

/** A cell as the importers saw it from exceljs (the reader this one replaced). */
function oracleCell(value: Value): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('result' in value) return oracleCell(value.result as Value);
  if ('text' in value && typeof value.text === 'string') return value.text;
  return null;
}

/** Rows compared as the importers use them: an empty text is an empty cell, trailing empties dropped. */
function normalized(rows: Cell[][]): Cell[][] {
  const out = rows.map((row) => {
    const cells = row.map((c) => (c === '' || c === undefined ? null : c));
    while (cells.length && cells[cells.length - 1] === null) cells.pop();
    return cells;
  });
  while (out.length && out[out.length - 1]!.length === 0) out.pop();
  return out;
}

async function oracle(data: Buffer): Promise<{ name: string; rows: Cell[][] }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: Cell[][] = [];
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      const cells: Cell[] = [];
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        cells[c - 1] = oracleCell(cell.value);
      });
      rows[r - 1] = Array.from(cells, (c) => c ?? null);
    });
    return { name: ws.name, rows: normalized(Array.from(rows, (r) => r ?? [])) };
  });
}

async function read(data: Buffer) {
  const table = await readBoth('名册.xlsx', data);
  return table.sheets.map((s) => ({ name: s.name, rows: normalized(s.rows) }));
}

describe('the .xlsx reader against exceljs', () => {
  it('reads 40 random workbooks with shared strings as exceljs does', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const data = await sharedStringsBook(seed, 60);
      expect(await read(data), `seed ${seed}`).toEqual(await oracle(data));
    }
  });

  it('reads 40 random workbooks with inline strings (as streaming writers make them) as exceljs does', async () => {
    for (let seed = 101; seed <= 140; seed++) {
      const data = await inlineStringsBook(seed, 60);
      expect(await read(data), `seed ${seed}`).toEqual(await oracle(data));
    }
  });

  it('reads every .xlsx fixture (rosters, county lists and templates, the bank return) as exceljs does', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xlsx'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const data = readFileSync(fixture(file));
      expect(await read(data), file).toEqual(await oracle(data));
    }
  });

  it('reads large sheets whose cells are cut by many inflated chunks', async () => {
    for (const [seed, make] of [
      [7, sharedStringsBook],
      [8, inlineStringsBook],
    ] as const) {
      const data = await make(seed, 6000);
      const mine = await read(data);
      expect(mine.reduce((n, s) => n + s.rows.length, 0)).toBeGreaterThan(5000);
      expect(mine, `seed ${seed}`).toEqual(await oracle(data));
    }
  });
});

const CONTENT_TYPES = Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook from hand-written parts: one sheet, optional shared strings and styles. */
function handMade(sheet: string, extra: { strings?: string; styles?: string; workbookPr?: string; prefix?: string } = {}): Buffer {
  const p = extra.prefix ?? '';
  const ns = p ? `xmlns:${p.slice(0, -1)}` : 'xmlns';
  const parts = [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><${p}workbook ${ns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="${REL}">${extra.workbookPr ?? ''}<${p}sheets><${p}sheet name="名单 &amp; 说明" sheetId="1" rel:id="rId1"/></${p}sheets></${p}workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="strings.xml"/><Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
      ),
    },
    {
      name: 'xl/worksheets/data.xml',
      data: Buffer.from(
        `<?xml version="1.0"?><${p}worksheet ${ns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><${p}sheetData>${sheet}</${p}sheetData></${p}worksheet>`,
      ),
    },
  ];
  if (extra.strings) parts.push({ name: 'xl/strings.xml', data: Buffer.from(`<sst ${ns}="x">${extra.strings}</sst>`) });
  if (extra.styles) parts.push({ name: 'xl/styles.xml', data: Buffer.from(`<styleSheet>${extra.styles}</styleSheet>`) });
  return makeZip(parts);
}

describe('the .xlsx reader on what other programs write', () => {
  it('reads prefixed tags, rows and cells without references, CDATA, escapes and phonetic runs', async () => {
    const data = handMade(
      '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:r><x:t>张</x:t></x:r><x:r><x:t xml:space="preserve">三 </x:t></x:r></x:is></x:c></x:row>' +
        '<x:row r="3"><x:c r="C3" t="str"><x:f>A1</x:f><x:v><![CDATA[<李&四>]]></x:v></x:c><x:c><x:v>-12.5</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>' +
        '<x:row r="4"><x:c r="A4" t="s"><x:v>1</x:v></x:c><x:c r="B4" t="inlineStr"><x:is><x:t>第一行_x000D_&#10;第二行 &#x4E2D;&lt;&gt;</x:t></x:is></x:c><x:c r="C4" t="s"><x:v></x:v></x:c><x:c r="D4" t="s"/><x:c t="inlineStr"><x:is><x:t>A&amp;amp;B</x:t></x:is></x:c></x:row>',
      {
        prefix: 'x:',
        strings:
          '<x:si><x:t>王五</x:t></x:si><x:si><x:r><x:t>東京</x:t></x:r><x:rPh sb="0" eb="2"><x:t>トウキョウ</x:t></x:rPh><x:phoneticPr fontId="1"/></x:si>',
      },
    );
    const table = await readBoth('名册.xlsx', data);
    expect(table.sheets.map((s) => s.name)).toEqual(['名单 & 说明']);
    expect(table.sheets[0]!.rows).toEqual([
      ['王五', '张三 '],
      [],
      [null, null, '<李&四>', -12.5, '是'],
      ['東京', '第一行\r\n第二行 中<>', null, null, 'A&amp;B'],
    ]);
  });

  it('reads dates by the style’s format: custom, built-in (also the Chinese 27–36 and 50–58), the 1904 system, ISO cells', async () => {
    const styles =
      '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/></numFmts>' +
      '<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="14"/><xf numFmtId="31"/><xf numFmtId="57"/><xf numFmtId="2"/></cellXfs>' +
      '<dxfs><dxf><numFmt numFmtId="176" formatCode="0.00"/></dxf></dxfs>';
    const row =
      '<row r="1"><c r="A1"><v>45000</v></c><c r="B1" s="1"><v>45000</v></c><c r="C1" s="2"><v>45000</v></c><c r="D1" s="3"><v>45000</v></c><c r="E1" s="4"><v>45000</v></c><c r="F1" s="5"><v>45000</v></c><c r="G1" t="d"><v>2023-03-15T00:00:00Z</v></c></row>';
    const day = new Date('2023-03-15T00:00:00Z');
    expect((await readBoth('a.xlsx', handMade(row, { styles }))).sheets[0]!.rows[0]).toEqual([45000, day, day, day, day, 45000, day]);
    const in1904 = (await readBoth('a.xlsx', handMade(row, { styles, workbookPr: '<workbookPr date1904="1"/>' }))).sheets[0]!.rows[0]!;
    expect(in1904[1]).toEqual(new Date('2027-03-16T00:00:00Z'));
  });

  it('says a damaged sheet is damaged even when what it inflated to broke a limit first', async () => {
    const sheet = Buffer.from(
      '<worksheet><sheetData><row r="1"><c r="ZZZ1" t="inlineStr"><is><t>张三</t></is></c></row></sheetData></worksheet>',
    );
    const book = (crc: boolean) =>
      makeZip([
        { name: '[Content_Types].xml', data: CONTENT_TYPES },
        { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
        { name: 'xl/worksheets/sheet1.xml', data: sheet, crc },
      ]);
    await expect(readBoth('名册.xlsx', book(true))).rejects.toThrow('第 1 行有内容写到了第 18278 列');
    await expect(readBoth('名册.xlsx', book(false))).rejects.toThrow('“名册.xlsx”已损坏（其中的“xl/worksheets/sheet1.xml”无法解压）');
  });

  it('refuses a sheet whose XML stops in the middle, though its checksum is right', async () => {
    const whole = handMade('<row r="1"><c r="A1" t="inlineStr"><is><t>张三</t></is></c></row>');
    await expect(readBoth('名册.xlsx', whole)).resolves.toBeTruthy();
    const cut = makeZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>张三') },
    ]);
    await expect(readBoth('名册.xlsx', cut)).rejects.toThrow('“名册.xlsx”的工作表“Sheet1”内容不完整');
  });
});

describe('rows read again one by one (eachRow: how the roster import reads a file it keeps only the outline of)', () => {
  const rowsOf = (data: Buffer, sheet: number) => {
    const outline = outlineTable('名册.xlsx', data);
    const rows: Cell[][] = [];
    eachRow('名册.xlsx', data, outline, sheet, (index, cells) => {
      expect(index).toBe(rows.length); // in order, an empty row where the sheet has none
      rows.push(cells);
    });
    return rows;
  };

  it('hands every sheet its rows in order with merged values spread, as the whole table has them', async () => {
    const books: Buffer[] = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.xlsx'))
      .map((f) => readFileSync(fixture(f)));
    for (let seed = 1; seed <= 10; seed++) {
      const random = seededRandom(seed);
      const wb = new ExcelJS.Workbook();
      for (let i = 0; i < 2; i++) {
        const ws = wb.addWorksheet(sheetName(random, i));
        fill(ws, random, 120);
        // Merged ranges in the data: down a column (a class's rows), across columns, and one past the last row.
        ws.mergeCells(`B${10 + i}:B${30 + i}`);
        ws.mergeCells(`C40:F44`);
        ws.mergeCells(`A118:A130`);
      }
      books.push(Buffer.from(await wb.xlsx.writeBuffer()));
    }
    for (const data of books) {
      const table = await readBoth('名册.xlsx', data);
      table.sheets.forEach((sheet, i) => expect(normalized(rowsOf(data, i))).toEqual(normalized(sheet.rows)));
    }
  });

  it('reads a sheet that stores its rows out of order whole, and still hands them in order', async () => {
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const data = handMade(
      `<row r="3">${cell('A3', '王五')}</row><row r="1">${cell('A1', '姓名')}</row><row r="2">${cell('A2', '张三')}</row>`,
    );
    expect(outlineTable('名册.xlsx', data).sheets[0]!.ordered).toBe(false);
    expect(rowsOf(data, 0)).toEqual([['姓名'], ['张三'], ['王五']]);
  });
});
