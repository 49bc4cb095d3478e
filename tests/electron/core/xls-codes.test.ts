/**
 * What arrives from the 学籍 system and the banks: .xls (BIFF8) files and the data standard's codes. Each is made
 * here from a fixture (SheetJS writes the .xls, the test writes the codes) and must give what its twin gives.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewRoster, importRoster } from '../../../electron/core/students/roster';
import { uploadFile } from '../../../electron/core/uploads';
import { fixture, testCore, type TestCore } from '../../helpers/core';
import { reportedDaySubsidyTerm } from '../../helpers/terms';
import { makeIdNumber } from '../../helpers/scenario';
import { codedRoster, toXls } from '../../helpers/coded-roster';

let cores: TestCore[] = [];
const desk = async () => {
  const c = await testCore();
  cores.push(c);
  return c;
};
beforeEach(() => {
  cores = [];
});
afterEach(async () => {
  for (const c of cores) await c.close();
});

/** Every student as the desk holds them, with their roster flags: what two imports are compared on. */
function students(core: TestCore) {
  return core.ctx.store.sqlite
    .prepare(
      `SELECT s.name, s.id_number, s.student_number, s.sex, s.birth_date, s.ethnicity, s.hukou, s.boarding, s.address, s.guardian_name,
              s.guardian_phone, c.name AS class_name,
              (SELECT group_concat(grp) FROM (SELECT grp FROM priority_flag f WHERE f.student_id = s.id ORDER BY grp)) AS flags
       FROM student s LEFT JOIN school_class c ON c.id = s.class_id ORDER BY s.id_number, s.name`,
    )
    .all();
}

describe('the 学籍 standard codes', () => {
  it('imports a roster written in codes as the same 684 students with the same fields as the fixture in words', async () => {
    const words = await desk();
    const r1 = await importRoster(
      words.ctx,
      await uploadFile(words.ctx, 'roster.xlsx', readFileSync(fixture('roster-qingshan-central-school.xlsx'))),
      {},
    );
    expect(r1.imported).toBe(684);

    const coded = await desk();
    const data = await codedRoster();
    const upload = await uploadFile(coded.ctx, '学籍系统导出.xlsx', data);
    const preview = await previewRoster(coded.ctx, upload, {});
    // Said to the clerk: which columns were codes, read as which words.
    expect(preview.coded.map((c) => c.label)).toEqual(['性别', '民族', '证件类型', '户口性质', '就读方式', '是否留守儿童', '是否孤儿']);
    const boarding = preview.columns.find((c) => c.header === '就读方式')!;
    expect(boarding.samples[0]).toMatch(/^[12]（(走读|住校)）$/);
    const r2 = await importRoster(coded.ctx, upload, {});
    expect(r2.imported).toBe(684);
    expect(r2.rejected.map((x) => x.row)).toEqual(r1.rejected.map((x) => x.row));
    expect(students(coded)).toEqual(students(words));
  });

  it('reads a column of codes only when every value is a code: a stray word is checked as words are', async () => {
    const core = await desk();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['姓名', '身份证号', '班级', '就读方式']);
    ws.addRow(['张三', makeIdNumber('2018-03-05', 1), '一年级1班', 1]);
    ws.addRow(['李四', makeIdNumber('2018-07-12', 2), '一年级1班', '住宿']);
    const r = await importRoster(core.ctx, await uploadFile(core.ctx, 'mixed.xlsx', Buffer.from(await wb.xlsx.writeBuffer())), {});
    expect(r.rejected.map((x) => x.message)).toEqual([
      expect.stringContaining('就读方式“1”应为“住校”或“走读”'),
      expect.stringContaining('就读方式“住宿”'),
    ]);
  });
});

describe('.xls files', () => {
  it('imports an .xls roster exactly as its .xlsx twin', async () => {
    const a = await desk();
    const xlsx = readFileSync(fixture('roster-qingshan-central-school.xlsx'));
    const r1 = await importRoster(a.ctx, await uploadFile(a.ctx, 'roster.xlsx', xlsx), {});
    const b = await desk();
    const xls = toXls(xlsx);
    expect(xls.subarray(0, 4)).toEqual(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
    const r2 = await importRoster(b.ctx, await uploadFile(b.ctx, '学籍名册.xls', xls), {});
    expect({ ...r2, batchId: null }).toEqual({ ...r1, batchId: null });
    expect(students(b)).toEqual(students(a));
  });

  it('reads a bank result file in .xls as its .xlsx twin', async () => {
    const results = [];
    for (const ext of ['xlsx', 'xls'] as const) {
      const core = await desk();
      const { programmeId } = await reportedDaySubsidyTerm(core);
      const data = readFileSync(fixture('bank-return-2026-autumn.xlsx'));
      const r = await core.client.invoke('payments.importBank', {
        upload: { fileName: `回单.${ext}`, dataBase64: (ext === 'xls' ? toXls(data) : data).toString('base64') },
        programmeId,
        term: '2026-autumn',
        paidOn: '2026-11-20',
        dryRun: true,
      });
      results.push({ paid: r.paid, failed: r.failed, unmatched: r.unmatched, rows: r.rows });
    }
    expect(results[0]!.paid).toBeGreaterThan(10);
    expect(results[1]).toEqual(results[0]);
  });

  it('fills an .xls county template with merged headers as its .xlsx twin, and says in one line what was not kept', async () => {
    const core = await desk();
    const xlsx = readFileSync(fixture('county-template-senior-high-grant.xlsx'));
    const twin = await core.client.invoke('templates.add', { file: { fileName: '高中助学金.xlsx', dataBase64: xlsx.toString('base64') } });
    const old = await core.client.invoke('templates.add', {
      file: { fileName: '高中助学金.xls', dataBase64: toXls(xlsx).toString('base64') },
    });
    expect(twin.conversion).toBeNull();
    expect(old.conversion).toMatch(/^原模板是 Excel 97-2003（.xls）格式，已转为 .xlsx 填写：.*边框、字体颜色和下拉选项没有保留/);
    expect(old.fileName).toBe('高中助学金.xlsx');
    // The same header found, the same columns proposed.
    const shape = (d: typeof twin) => ({
      headerRows: d.headerRows,
      dataStart: d.dataStart,
      columns: d.columns.map((c) => [c.header, c.field]),
    });
    expect(shape(old)).toEqual(shape(twin));
    // The merged title and header cells are kept in the .xlsx the engine fills.
    const stored = core.ctx.store.sqlite.prepare(`SELECT data FROM template WHERE id = ?`).pluck().get(old.id) as Buffer;
    const original = new ExcelJS.Workbook();
    await original.xlsx.load(xlsx as unknown as ArrayBuffer);
    const converted = new ExcelJS.Workbook();
    await converted.xlsx.load(stored as unknown as ArrayBuffer);
    const merges = (wb: ExcelJS.Workbook) => [...wb.worksheets[0]!.model.merges].sort();
    expect(merges(converted)).toEqual(merges(original));
    expect(merges(original).length).toBeGreaterThan(0);
  });
});
