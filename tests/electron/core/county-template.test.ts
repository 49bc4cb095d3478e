import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analyzeTemplate,
  applyMapping,
  byteLength,
  fillTemplate,
  loadWorkbook,
  validateRows,
  type FillRow,
} from '../../../electron/core/export/county-template';
import { idNumberCheckChar } from '../../../shared/rules/id-number';
import { fixture } from '../../helpers/core';

const COMPULSORY = 'county-template-compulsory-living-subsidy.xlsx';
const SENIOR = 'county-template-senior-high-grant.xlsx';
const header = { schoolName: '青山县青山镇中心学校', date: '2026年11月22日', termText: '2026年秋季学期' };

function idNumber(i: number): string {
  const first17 = `43312520150${String(101 + (i % 28)).padStart(3, '0')}${String(i % 1000).padStart(3, '0')}`.slice(0, 17);
  return first17 + idNumberCheckChar(first17);
}

function recipients(n: number): FillRow[] {
  return Array.from({ length: n }, (_, i) => ({
    key: String(i),
    name: `学生${i + 1}`,
    idNumber: idNumber(i),
    studentNumber: `G${idNumber(i)}`,
    grade: '四年级',
    className: '四年级（1）班',
    sex: i % 2 ? '女' : '男',
    boarding: i % 3 ? '是' : '否',
    category: '最低生活保障',
    level: '困难',
    tier: (['一档', '二档', '三档'] as const)[i % 3],
    amount: 625,
    bankCard: `62170000100000${String(i).padStart(5, '0')}`,
    schoolName: header.schoolName,
    township: '青山镇',
  }));
}

async function open(name: string) {
  return loadWorkbook(readFileSync(fixture(name)), name);
}

async function reread(data: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('county template: the compulsory-education living subsidy list', () => {
  it('finds the header under the title and the 填报 line, the data area, the 合计 row and the drop-down', async () => {
    const layout = analyzeTemplate(await open(COMPULSORY), COMPULSORY);
    expect(layout).toMatchObject({ sheetName: 'Sheet1', headerTop: 3, headerBottom: 3, dataStart: 4, totalRow: 14, templateRows: 10 });
    expect(layout.columns.map((c) => c.field)).toEqual([
      'seq',
      'township',
      'schoolName',
      'grade',
      'className',
      'name',
      'sex',
      'idNumber',
      'studentNumber',
      'boarding',
      'category',
      'amount',
      'note',
    ]);
    expect(layout.columns[9]!.options).toEqual(['是', '否']);
    expect(layout.headerFields.map((h) => [h.address, h.kind])).toEqual([
      ['A2', 'school'],
      ['G2', 'date'],
    ]);
  });

  it.each([
    [1, 5],
    [10, 14],
    [500, 504],
  ])(
    'fills %i recipients keeping merges, the 合计 formula range, the signature line, drop-downs and print settings',
    async (n, totalRow) => {
      const wb = await open(COMPULSORY);
      const layout = analyzeTemplate(wb, COMPULSORY);
      const rows = recipients(n);
      expect(validateRows(layout, rows)).toEqual([]);
      const ws = await reread(await fillTemplate(wb, layout, rows, header));
      expect(ws.getCell('A1').value).toBe('青山县2026年秋季学期义务教育家庭经济困难学生生活补助名单');
      expect(ws.getCell('A2').value).toBe('填报学校（盖章）：青山县青山镇中心学校');
      expect(ws.getCell('G2').value).toBe('填报日期：2026年11月22日');
      for (const r of [4, 3 + n]) {
        const id = ws.getCell(`H${r}`);
        expect(typeof id.value).toBe('string');
        expect(String(id.value)).toHaveLength(18);
        expect(id.numFmt).toBe('@');
        expect(ws.getCell(`I${r}`).value).toMatch(/^G\d{17}[\dX]$/);
        expect(ws.getCell(`L${r}`).value).toBe(625);
        expect(ws.getCell(`J${r}`).dataValidation).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
      }
      expect(ws.getCell(`A${3 + n}`).value).toBe(n);
      expect(ws.getCell(`A${totalRow}`).value).toBe('合计');
      expect(ws.getCell(`L${totalRow}`).value).toMatchObject({ formula: `SUM(L4:L${3 + n})` });
      expect(String(ws.getCell(`A${totalRow + 2}`).value)).toMatch(/^校长（签字）/);
      const merges = (ws.model as unknown as { merges: string[] }).merges;
      expect(merges).toEqual(
        expect.arrayContaining(['A1:M1', 'A2:F2', 'G2:M2', `A${totalRow}:K${totalRow}`, `A${totalRow + 2}:M${totalRow + 2}`]),
      );
      expect(merges).toHaveLength(5);
      expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, printTitlesRow: '3:3', paperSize: 9 });
      expect(ws.getColumn(8).width).toBe(22);
    },
  );
});

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((f) => existsSync(f));
if (!soffice)
  console.warn('[county-template] LibreOffice is not installed here: the check that filled templates open without repair is skipped.');

describe('county template in LibreOffice', () => {
  // CI installs LibreOffice (.ci/run) and sets AID_DESK_REQUIRE_SOFFICE: there the check must run, not skip.
  it.runIf(!!process.env.AID_DESK_REQUIRE_SOFFICE)('finds LibreOffice where CI requires it', () => expect(soffice).toBeDefined());
  it.skipIf(!soffice)('converts a filled template to PDF without complaint', async () => {
    const wb = await open(COMPULSORY);
    const dir = mkdtempSync(join(tmpdir(), 'aid-desk-lo-'));
    const file = join(dir, 'filled.xlsx');
    writeFileSync(file, await fillTemplate(wb, analyzeTemplate(wb, COMPULSORY), recipients(20), header));
    execFileSync(soffice!, ['--headless', '--convert-to', 'pdf', '--outdir', dir, file], { timeout: 120_000 });
    expect(existsSync(join(dir, 'filled.pdf'))).toBe(true);
  });
});

describe('county template: the senior-high grant list', () => {
  it.each([1, 10, 500])('fills %i recipients with the tier spelled as its drop-down expects', async (n) => {
    const wb = await open(SENIOR);
    const layout = analyzeTemplate(wb, SENIOR);
    expect(layout).toMatchObject({ headerTop: 2, dataStart: 3, totalRow: null, templateRows: null });
    expect(layout.columns.find((c) => c.field === 'tier')!.options).toEqual(['一档', '二档', '三档']);
    const ws = await reread(await fillTemplate(wb, layout, recipients(n), header));
    expect(ws.getCell('B3').value).toBe('学生1');
    expect(ws.getCell('I3').value).toBe('一档');
    expect(ws.getCell(`I${2 + n}`).dataValidation).toMatchObject({ type: 'list' });
    expect(typeof ws.getCell(`L${2 + n}`).value).toBe('string');
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', printTitlesRow: '2:2' });
  });

  it('writes a value the way the clerk said the county spells it', async () => {
    const wb = await open(SENIOR);
    const layout = applyMapping(analyzeTemplate(wb, SENIOR), {}, { I: { 一档: '二档' } });
    const ws = await reread(await fillTemplate(wb, layout, recipients(2), header));
    expect(ws.getCell('I3').value).toBe('二档');
    expect(ws.getCell('I4').value).toBe('二档');
  });

  it('lists every problem by student and column before writing anything', async () => {
    const layout = analyzeTemplate(await open(SENIOR), SENIOR);
    const rows = recipients(2);
    rows[0]!.idNumber = null;
    rows[1]!.tier = '特等' as never;
    expect(validateRows(layout, rows)).toEqual([
      { student: '学生1', column: 'D列（身份证号）', message: '身份证号为空，县里的模板要求填写' },
      { student: '学生2', column: 'I列（资助档次）', message: '“特等”不在模板的下拉选项中（一档、二档、三档）' },
    ]);
    expect(byteLength('青山a')).toBe(5);
  });
});

describe('county template print area', () => {
  it('grows and shrinks with the data', async () => {
    const base = await open(COMPULSORY);
    base.worksheets[0]!.pageSetup.printArea = 'A1:M16';
    const data = Buffer.from(await base.xlsx.writeBuffer());
    for (const [n, bottom] of [
      [1, 7],
      [10, 16],
      [500, 506],
    ] as const) {
      const wb = await loadWorkbook(data, COMPULSORY);
      const ws = await reread(await fillTemplate(wb, analyzeTemplate(wb, COMPULSORY), recipients(n), header));
      expect(ws.pageSetup.printArea).toBe(`A1:M${bottom}`);
    }
  });
});

describe('county template with a two-level merged header', () => {
  it('reads the group row and the column row together and fills under them', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.mergeCells('A1:F1');
    ws.getCell('A1').value = '某县资助名单';
    ws.mergeCells('A2:A3');
    ws.getCell('A2').value = '序号';
    ws.mergeCells('B2:D2');
    ws.getCell('B2').value = '学生信息';
    ws.mergeCells('E2:F2');
    ws.getCell('E2').value = '资助信息';
    ['姓名', '身份证号', '班级', '资助档次', '金额（元）'].forEach((h, i) => (ws.getCell(3, i + 2).value = h));
    ws.getCell('A4').border = { top: { style: 'thin' } };
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const loaded = await loadWorkbook(data, 'two-level.xlsx');
    const layout = analyzeTemplate(loaded, 'two-level.xlsx');
    expect(layout).toMatchObject({ headerTop: 2, headerBottom: 3, dataStart: 4 });
    expect(layout.columns.map((c) => [c.header, c.field])).toEqual([
      ['序号', 'seq'],
      ['学生信息／姓名', 'name'],
      ['学生信息／身份证号', 'idNumber'],
      ['学生信息／班级', 'className'],
      ['资助信息／资助档次', 'tier'],
      ['资助信息／金额(元)', 'amount'],
    ]);
    const out = await reread(await fillTemplate(loaded, layout, recipients(3), header));
    expect(out.getCell('B4').value).toBe('学生1');
    expect(out.getCell('C6').value).toMatch(/^\d{17}[\dX]$/);
    expect((out.model as unknown as { merges: string[] }).merges).toEqual(expect.arrayContaining(['A2:A3', 'B2:D2', 'E2:F2']));
  });
});

describe('county template: what the filled file holds', () => {
  async function sheetXml(data: Buffer): Promise<string> {
    const JSZip = (await import('jszip')).default;
    return (await (await JSZip.loadAsync(data)).file('xl/worksheets/sheet1.xml')!.async('string')) as string;
  }

  it.each([3, 15])(
    'lays one drop-down range over the %i filled rows, caches the 合计, and leaves nothing below the signature line',
    async (n) => {
      const wb = await open(COMPULSORY);
      const xml = await sheetXml(await fillTemplate(wb, analyzeTemplate(wb, COMPULSORY), recipients(n), header));
      // One range: exceljs alone writes overlapping ranges (J10:J13 and J4:J13), which Excel repairs.
      expect([...xml.matchAll(/<dataValidation [^>]*sqref="([^"]+)"/g)].map((m) => m[1])).toEqual([`J4:J${3 + n}`]);
      expect(xml).toContain(`<f>SUM(L4:L${3 + n})</f><v>${625 * n}</v>`);
      // No cell below the signature line: the unused bordered rows of the template do not follow it onto the page.
      const rows = [...xml.matchAll(/<c r="[A-Z]+(\d+)"/g)].map((m) => Number(m[1]));
      expect(Math.max(...rows)).toBe(3 + n + 3); // data, 合计, the blank row, the signature line
    },
  );

  it('extends a 合计 written with absolute references', async () => {
    const base = await open(COMPULSORY);
    base.worksheets[0]!.getCell('L14').value = { formula: 'SUM($L$4:$L$13)' };
    const wb = await loadWorkbook(Buffer.from(await base.xlsx.writeBuffer()), COMPULSORY);
    const ws = await reread(await fillTemplate(wb, analyzeTemplate(wb, COMPULSORY), recipients(25), header));
    expect(ws.getCell('L29').value).toMatchObject({ formula: 'SUM($L$4:$L$28)', result: 625 * 25 });
  });
});
