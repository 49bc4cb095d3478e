import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCore, type TestCore } from '../../helpers/core';
import { importCentralRoster } from '../../helpers/fixtures';
import { approvedSeniorTerm } from '../../helpers/terms';
import { PassThrough } from 'node:stream';
import { writePlainList, zipBacklog } from '../../../electron/core/export/plain-list';
import { onePass } from '../../../electron/core/db/open';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

async function sheet(b64: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(b64, 'base64') as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('export this list', () => {
  it('writes the roster as shown, numbers masked unless asked, identities as text', async () => {
    await importCentralRoster(core);
    const masked = await core.client.invoke('export.list', { list: 'students' });
    expect(masked.rows).toBe(684);
    const ws = await sheet(masked.dataBase64);
    expect(ws.rowCount).toBe(686);
    expect(ws.getRow(2).values).toEqual([
      undefined,
      '班级',
      '姓名',
      '性别',
      '出生日期',
      '身份证件号',
      '学籍号',
      '民族',
      '户口性质',
      '就读方式',
      '监护人',
      '联系电话',
      '状态',
    ]);
    expect(String(ws.getCell('E3').value)).toMatch(/^\d{4}\*+[\dX]{4}$/);
    const full = await sheet((await core.client.invoke('export.list', { list: 'students', fullNumbers: true, search: '英志' })).dataBase64);
    expect(full.rowCount).toBe(3);
    expect(full.getCell('E3').value).toMatch(/^\d{17}[\dX]$/);
    expect(full.getCell('E3').numFmt).toBe('@');
  });

  it('writes a programme term applications with their tiers and reasons', async () => {
    const { programmeId } = await approvedSeniorTerm(core, 15);
    const r = await core.client.invoke('export.list', { list: 'applications', programmeId, term: '2026-autumn', status: 'approved' });
    expect(r.rows).toBe(15);
    const ws = await sheet(r.dataBase64);
    expect(ws.getCell('F3').value).toBe('已通过');
    expect(['一档', '二档', '三档']).toContain(ws.getCell('H3').value);
  });
});

describe('export any table on screen', () => {
  it('writes the rows as shown, identities as text', async () => {
    const r = await core.client.invoke('export.table', {
      title: '家访记录',
      headers: ['日期', '学生', '号码'],
      rows: [
        ['2026-10-20', '甲', '12345678901234567'],
        ['2026-10-21', '乙', null],
      ],
      textColumns: [2],
    });
    expect(r).toMatchObject({ rows: 2, fileName: '家访记录.xlsx' });
    const ws = await sheet(r.dataBase64);
    expect(ws.getCell('A1').value).toBe('家访记录（2026-11-22 导出）');
    expect(ws.getRow(2).values).toEqual([undefined, '日期', '学生', '号码']);
    expect(ws.getCell('C3').value).toBe('12345678901234567');
    expect(ws.getCell('C3').numFmt).toBe('@');
  });
});

describe('a long list written with little memory', () => {
  it('sees the XML waiting for the zip (exceljs internals the writer waits on)', () => {
    // Rows added without waiting pile up before the compressor: zipBacklog must see them, or the
    // writer's wait does nothing and a 300,000-row export holds the whole sheet in memory.
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: new PassThrough(), useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('x');
    for (let i = 0; i < 2000; i++) ws.addRow([i, `学生${i}`, '450321200801011234']).commit();
    expect(zipBacklog(ws)).toBeGreaterThan(50_000);
  });

  it('writes every row of an async source in order', async () => {
    async function* rows() {
      for (let i = 0; i < 12_000; i++) yield [i, `学生${i}`, `4503212008010${String(i).padStart(5, '0')}`];
    }
    const r = await writePlainList({
      sheetName: 's',
      title: 't',
      headers: [
        { text: '序号', width: 8 },
        { text: '姓名', width: 10 },
        { text: '号码', width: 20 },
      ],
      textColumns: [2],
      rows: rows(),
    });
    expect(r.rows).toBe(12_000);
    const ws = await sheet(r.data.toString('base64'));
    expect(ws.rowCount).toBe(12_002);
    expect(ws.getCell('A12002').value).toBe(11_999);
    expect(ws.getCell('C12002').value).toBe('450321200801011999');
  });
});

describe('a one-pass read (the export of every student) keeps the page cache small', () => {
  const cache = () => core.ctx.store.sqlite.pragma('cache_size', { simple: true });

  it('exports with an 8 MB cache and sets 128 MB back after, also when two exports overlap or one fails', async () => {
    expect(cache()).toBe(-131_072);
    await importCentralRoster(core);
    const set: string[] = [];
    const pragma = core.ctx.store.sqlite.pragma.bind(core.ctx.store.sqlite);
    core.ctx.store.sqlite.pragma = ((source: string, options?: { simple?: boolean }) => {
      if (source.startsWith('cache_size =')) set.push(source);
      return pragma(source, options);
    }) as typeof core.ctx.store.sqlite.pragma;
    const r = await core.client.invoke('export.list', { list: 'students', fullNumbers: false });
    expect(r.rows).toBeGreaterThan(600);
    expect(set).toEqual(['cache_size = -8192', 'cache_size = -131072']);
    expect(cache()).toBe(-131_072);

    let endA!: () => void;
    let endB!: () => void;
    const a = onePass(core.ctx.store.sqlite, () => new Promise<void>((done) => (endA = done)));
    const b = onePass(core.ctx.store.sqlite, () => new Promise<void>((done) => (endB = done)));
    expect(cache()).toBe(-8192);
    endA();
    await a;
    expect(cache()).toBe(-8192); // the other export still reads
    endB();
    await b;
    expect(cache()).toBe(-131_072);
    await expect(onePass(core.ctx.store.sqlite, () => Promise.reject(new Error('磁盘已满')))).rejects.toThrow('磁盘已满');
    expect(cache()).toBe(-131_072);
  });
});
