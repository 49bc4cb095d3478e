import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListKind } from '../../../shared/domain/official-list';
import { EMPTY_SURVEY_FIELDS } from '../../../shared/domain/survey';
import { fixture, testCore, type TestCore } from '../../helpers/core';
import { importCentralRoster, upload } from '../../helpers/fixtures';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
  await importCentralRoster(core);
});
afterEach(async () => core.close());

/** The ID numbers in a fixture list, read straight from the file (not through the app's reader). */
async function idsIn(file: string, column: number, firstRow: number): Promise<Set<string>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(fixture(file));
  const ids = new Set<string>();
  wb.worksheets[0]!.eachRow((row, n) => {
    if (n >= firstRow) ids.add(String(row.getCell(column).value).trim().toUpperCase());
  });
  return ids;
}

async function importList(file: string, kind: ListKind, listDate = '2026-09-01') {
  const preview = await core.client.invoke('lists.preview', { upload: upload(file), kind });
  return {
    preview,
    list: await core.client.invoke('lists.import', { uploadId: preview.uploadId, kind, layout: preview.layout, listDate }),
  };
}

const enrolledIdNumbers = () =>
  new Map(
    (
      core.ctx.store.sqlite.prepare(`SELECT id_number, id FROM student WHERE status = 'enrolled' AND id_number IS NOT NULL`).all() as {
        id_number: string;
        id: number;
      }[]
    ).map((r) => [r.id_number, r.id]),
  );

describe('a list that names most of the school', () => {
  it('is imported only once the clerk confirms it, after the preview said so', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('2027年名单');
    ws.addRow(['序号', '姓名', '身份证号', '类别']);
    const ids = [...enrolledIdNumbers().keys()];
    ids.slice(0, Math.ceil(ids.length * 0.6)).forEach((id, i) => ws.addRow([i + 1, `学生${i}`, id, '脱贫户']));
    const file = { fileName: '名单.xlsx', dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
    const preview = await core.client.invoke('lists.preview', { upload: file, kind: 'poverty' });
    expect(preview.inRoster * 2).toBeGreaterThan(preview.enrolled);
    const args = { uploadId: preview.uploadId, kind: 'poverty' as const, layout: preview.layout, listDate: '2026-09-01' };
    await expect(core.client.invoke('lists.import', args)).rejects.toThrow(
      `列出了本校在校学生 ${preview.enrolled} 人中的 ${preview.inRoster} 人（超过一半）`,
    );
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM official_list`).pluck().get()).toBe(0);
    await expect(core.client.invoke('lists.import', { ...args, confirmMany: true })).resolves.toMatchObject({ rowCount: preview.inRoster });
  });
});

describe('cross-check against the county lists', () => {
  it('finds the header under the title, the ID column and the category column of each list', async () => {
    const { preview } = await importList('county-list-poverty-monitoring.xlsx', 'poverty');
    expect(preview.layout).toMatchObject({ headerRow: 2, idColumns: [6], nameColumn: 5, categoryColumn: 8 });
    expect(preview.categories).toEqual(
      expect.arrayContaining([
        { text: '脱贫人口', group: 'povertyAlleviated', count: 214 },
        { text: '监测对象', group: 'monitored', count: 23 },
      ]),
    );
    const dibao = await core.client.invoke('lists.preview', { upload: upload('county-list-dibao-tekun.xlsx'), kind: 'dibao' });
    expect(dibao.layout).toMatchObject({ headerRow: 1, idColumns: [3], nameColumn: 2, categoryColumn: 4 });
    expect(dibao.categories).toEqual(expect.arrayContaining([{ text: '特困供养', group: 'extremePoverty', count: 5 }]));
  });

  it('finds exactly the enrolled students the lists contain, and counts the other people', async () => {
    await importList('county-list-poverty-monitoring.xlsx', 'poverty');
    await importList('county-list-dibao-tekun.xlsx', 'dibao');
    const enrolled = enrolledIdNumbers();
    const listed = new Set([
      ...(await idsIn('county-list-poverty-monitoring.xlsx', 7, 3)),
      ...(await idsIn('county-list-dibao-tekun.xlsx', 4, 2)),
    ]);
    const expected = new Set([...listed].filter((id) => enrolled.has(id)).map((id) => enrolled.get(id)));
    expect(expected.size).toBeGreaterThan(100);

    const result = await core.client.invoke('crosscheck.run', {});
    expect(new Set(result.listedNotFlagged.map((i) => i.studentId))).toEqual(expected);
    expect(result.flaggedNotListed).toEqual([]);
    expect(result.matched).toBe(0);
    expect(result.notInRoster).toBe([...listed].filter((id) => !enrolled.has(id)).length);
    expect(result.groups).toEqual(expect.arrayContaining(['povertyAlleviated', 'monitored', 'dibao', 'extremePoverty']));
  });

  it('applies the flags in one step with the list as source and date, then reports them matched', async () => {
    await importList('county-list-poverty-monitoring.xlsx', 'poverty', '2026-08-15');
    const before = await core.client.invoke('crosscheck.run', {});
    const { flagged } = await core.client.invoke('crosscheck.apply', {
      items: before.listedNotFlagged.map((i) => ({ studentId: i.studentId, group: i.group })),
    });
    expect(flagged).toBe(before.listedNotFlagged.length);
    const after = await core.client.invoke('crosscheck.run', {});
    expect(after.listedNotFlagged).toEqual([]);
    expect(after.matched).toBe(before.listedNotFlagged.length);
    const flag = core.ctx.store.sqlite
      .prepare(`SELECT source, source_date, note FROM priority_flag WHERE source = 'countyList' LIMIT 1`)
      .get();
    expect(flag).toEqual({ source: 'countyList', source_date: '2026-08-15', note: 'county-list-poverty-monitoring.xlsx' });
    // Applying again changes nothing.
    expect(
      (
        await core.client.invoke('crosscheck.apply', {
          items: before.listedNotFlagged.map((i) => ({ studentId: i.studentId, group: i.group })),
        })
      ).flagged,
    ).toBe(0);
  });

  it('reports a flag no list backs, and lets the clerk take it off with a reason kept in history', async () => {
    await importList('county-list-dibao-tekun.xlsx', 'dibao');
    const enrolled = enrolledIdNumbers();
    const listed = await idsIn('county-list-dibao-tekun.xlsx', 4, 2);
    const [, outsider] = [...enrolled].find(([idNumber]) => !listed.has(idNumber))!;
    const view = await core.client.invoke('surveys.get', { studentId: outsider });
    await core.client.invoke('surveys.save', {
      studentId: outsider,
      status: 'draft',
      fields: { ...EMPTY_SURVEY_FIELDS, householdSize: 3 },
      flags: [{ group: 'dibao', source: 'selfDeclared', sourceDate: '2026-09-05' }],
      version: view.survey?.version,
    });
    const result = await core.client.invoke('crosscheck.run', {});
    expect(result.flaggedNotListed).toEqual([expect.objectContaining({ studentId: outsider, group: 'dibao', source: '本人申报' })]);
    await core.client.invoke('flags.remove', { studentId: outsider, group: 'dibao', reason: '不在民政低保名单中' });
    expect((await core.client.invoke('crosscheck.run', {})).flaggedNotListed).toEqual([]);
    const history = await core.client.invoke('students.history', { id: outsider });
    expect(history[0]).toMatchObject({ field: '特殊群体', oldValue: '最低生活保障（本人申报）', newValue: '已取消：不在民政低保名单中' });
  });

  it('reuses the saved layout as the profile for the same kind next time', async () => {
    await importList('county-list-dibao-tekun.xlsx', 'dibao');
    const again = await core.client.invoke('lists.preview', { upload: upload('county-list-dibao-tekun.xlsx'), kind: 'dibao' });
    expect(again.fromProfile).toBe(true);
    const other = await core.client.invoke('lists.preview', { upload: upload('county-list-poverty-monitoring.xlsx'), kind: 'dibao' });
    expect(other.fromProfile).toBe(false);
    expect(other.layout.idColumns).toEqual([6]);
  });

  it('names the row and column of an invalid ID number and rejects a sheet without an ID column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('孤儿');
    ws.addRow(['姓名', '身份证号', '类别']);
    ws.addRow(['甲', '433125201511014541', '孤儿']);
    ws.addRow(['乙', Number('433125201511014540'), '孤儿']); // an ID Excel already turned into a number
    const data = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const preview = await core.client.invoke('lists.preview', { upload: { fileName: 'orphans.xlsx', dataBase64: data }, kind: 'orphan' });
    expect(preview.problems).toEqual([
      { row: 2, column: 'B列（身份证号）', message: '甲：身份证件号校验位错误（不符合 GB 11643 校验规则），请核对原件' },
      { row: 3, column: 'B列（身份证号）', message: expect.stringContaining('存成了数字') },
    ]);
    const bad = new ExcelJS.Workbook();
    bad.addWorksheet('x').addRow(['姓名', '住址']);
    const badData = Buffer.from(await bad.xlsx.writeBuffer()).toString('base64');
    await expect(
      core.client.invoke('lists.preview', { upload: { fileName: 'x.xlsx', dataBase64: badData }, kind: 'orphan' }),
    ).rejects.toThrow(/找不到身份证号列/);
  });

  it('refuses the school roster offered as a county list, flagging nobody, even with a layout given by hand', async () => {
    const roster = upload('roster-qingshan-central-school.xlsx');
    await expect(core.client.invoke('lists.preview', { upload: roster, kind: 'poverty' })).rejects.toThrow(
      /看起来是学生名册.*当作名单导入会把表中每个学生都标记为特殊群体/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(fixture('roster-qingshan-central-school.xlsx'));
    const ws = wb.worksheets[0]!;
    const headerRow = [1, 2, 3, 4].find((r) => (ws.getRow(r).values as unknown[]).some((v) => String(v).includes('身份证')))!;
    const headers = (ws.getRow(headerRow).values as unknown[]).slice(1).map(String);
    const idColumn = headers.findIndex((h) => h.includes('身份证'));
    await expect(
      core.client.invoke('lists.preview', {
        upload: roster,
        kind: 'poverty',
        layout: { sheetName: ws.name, headerRow, idColumns: [idColumn], nameColumn: null, categoryColumn: null },
      }),
    ).rejects.toThrow(/看起来是学生名册/);
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM priority_flag WHERE source = 'countyList'`).pluck().get()).toBe(0);
    // A real list (with its category column) still goes through.
    const list = await core.client.invoke('lists.preview', { upload: upload('county-list-dibao-tekun.xlsx'), kind: 'dibao' });
    expect(list.people).toBeGreaterThan(10);
  });
});
