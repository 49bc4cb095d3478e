import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoRoster } from '../../../electron/core/school/demo';
import { importRoster } from '../../../electron/core/students/roster';
import { uploadFile } from '../../../electron/core/uploads';
import { fixture, testCore, type TestCore } from '../../helpers/core';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

async function importFile(name: string, data: Buffer, options: Parameters<typeof importRoster>[2] = {}) {
  return importRoster(core.ctx, await uploadFile(core.ctx, name, data), options);
}
const importFixture = (name: string, options: Parameters<typeof importRoster>[2] = {}) =>
  importFile(name, readFileSync(fixture(name)), options);
const count = (sql: string, ...params: unknown[]) =>
  core.ctx.store.sqlite
    .prepare(sql)
    .pluck()
    .get(...params) as number;
const studentBy = (name: string) =>
  core.ctx.store.sqlite
    .prepare(`SELECT s.*, c.name AS class_name FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE s.name = ?`)
    .get(name) as Record<string, unknown> | undefined;

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('roster import of the central school fixture', () => {
  it('imports every valid row and rejects exactly the defective ones with row, column and reason', async () => {
    const r = await importFixture('roster-qingshan-central-school.xlsx');
    expect(r.imported).toBe(684);
    expect(count('SELECT count(*) FROM student')).toBe(684);
    expect(new Set(r.rejected.map((x) => x.row))).toEqual(new Set([122, 203]));
    expect(r.rejected).toContainEqual({
      row: 122,
      column: '身份证件号',
      code: 'id-number-checksum',
      message: expect.stringContaining('第122行'),
      name: '段梓',
    });
    const dup = r.rejected.find((x) => x.code === 'duplicate-id-number')!;
    expect(dup).toMatchObject({ row: 203, column: '身份证件号' });
    expect(dup.message).toContain('第202行（沈庆）');
    // Error messages never carry the number itself.
    for (const x of [...r.rejected, ...r.warnings]) expect(x.message).not.toMatch(/\d{15,}/);
  });

  it('handles each listed defect as DEFECTS.txt says', async () => {
    await importFixture('roster-qingshan-central-school.xlsx');
    expect(studentBy('丁英志')).toMatchObject({ id_number: '43312520201010338X' });
    expect(studentBy('潘娟')).toMatchObject({ id_number: '433125202101157623' });
    expect(studentBy('王明玉')).toMatchObject({ id_number: '433125202012262480' });
    expect(studentBy('段梓')).toBeUndefined();
    expect(studentBy('沈庆')).toMatchObject({ id_number: '433125201810218949' });
    expect(studentBy('石梓')).toBeUndefined();
    expect(studentBy('范兰')).toMatchObject({ birth_date: '2017-07-19' });
  });

  it('builds classes from the grade and class columns and keeps roster flags', async () => {
    await importFixture('roster-qingshan-central-school.xlsx');
    expect(studentBy('丁英志')).toMatchObject({ class_name: '一年级（1）班', sex: 'female', hukou: 'rural', boarding: 0 });
    expect(studentBy('段梓明')).toMatchObject({ class_name: '五年级（2）班', boarding: 1 });
    const classes = core.ctx.store.sqlite.prepare('SELECT name FROM school_class ORDER BY grade_order, number').pluck().all();
    expect(classes[0]).toBe('小班（1）班');
    expect(classes.at(-1)).toBe('九年级（2）班');
    expect(count(`SELECT count(*) FROM priority_flag WHERE grp = 'leftBehind' AND source = 'roster'`)).toBeGreaterThan(50);
  });

  it('is idempotent: the same roster again changes nothing, as CSV too', async () => {
    await importFixture('roster-qingshan-central-school.xlsx');
    const again = await importFixture('roster-qingshan-central-school.xlsx');
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 684, missing: [] });
    const csv = await importFixture('roster-qingshan-central-school.csv');
    expect(csv).toMatchObject({ imported: 0, updated: 0, unchanged: 684 });
    expect(count('SELECT count(*) FROM student_change')).toBe(0);
  });

  it('reads the CSV in GB18030 as well as UTF-8 with a BOM', async () => {
    const text = readFileSync(fixture('roster-qingshan-central-school.csv'), 'utf8').replace(/^\ufeff/, '');
    const r = await importFile('名册.csv', iconv.encode(text, 'gb18030'));
    expect(r.imported).toBe(684);
    expect(studentBy('王明玉')).toMatchObject({ address: '青山县青山镇青山村12组' });
  });

  it('updates a moved student, keeps the history, and lists students missing from the new roster', async () => {
    await importFixture('roster-qingshan-central-school.csv');
    const lines = readFileSync(fixture('roster-qingshan-central-school.csv'), 'utf8').split('\n');
    const moved = lines
      .map((l) => (l.includes(',丁英志,') ? l.replace(',一年级,1班,', ',一年级,2班,') : l))
      .filter((l) => !l.includes(',付桂梅,'));
    const r = await importFile('下学期.csv', Buffer.from(moved.join('\n')));
    expect(r).toMatchObject({ imported: 0, updated: 1, unchanged: 682 });
    expect(r.missing).toEqual([{ id: expect.any(Number), name: '付桂梅', className: '小班（1）班' }]);
    expect(studentBy('丁英志')).toMatchObject({ class_name: '一年级（2）班' });
    expect(studentBy('付桂梅')).toMatchObject({ status: 'enrolled' });
    const history = core.ctx.store.sqlite.prepare(`SELECT field, old_value, new_value, source FROM student_change`).all();
    expect(history).toEqual([{ field: 'className', old_value: '一年级（1）班', new_value: '一年级（2）班', source: 'import' }]);
  });
});

describe('names with characters nobody sees', () => {
  it('are imported clean, and the preview says what was removed (without printing a number)', async () => {
    const lines = readFileSync(fixture('roster-qingshan-central-school.csv'), 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes(',丁英志,'));
    lines[at] = lines[at]!.replace(',丁英志,', ',\u202e丁\u200b英\u001b[31m志,');
    const r = await importFile('名册.csv', Buffer.from(lines.join('\n')));
    expect(studentBy('丁英志')).toBeDefined();
    const warning = r.warnings.find((w) => w.code === 'invisible-removed')!;
    expect(warning.message).toContain('已去除（导入为“丁英志”）');
    for (const w of r.warnings) {
      expect(w.message).not.toMatch(/\d{15,}/);
      expect([...w.message].filter((ch) => ['\u202e', '\u200b', '\u001b'].includes(ch))).toEqual([]);
    }
  });
});

describe('a roster re-import respects the clerk', () => {
  const csv = () => readFileSync(fixture('roster-qingshan-central-school.csv'), 'utf8');
  const idOf = (name: string) => studentBy(name)!.id as number;
  /** The next term's roster from the 学籍 system: the same students, one phone and one class changed there too. */
  const nextRoster = (edit: (line: string) => string) => Buffer.from(csv().split('\n').map(edit).join('\n'));

  it('keeps a phone the clerk corrected, lists it as a conflict, and takes the file only when told', async () => {
    await importFixture('roster-qingshan-central-school.csv');
    const id = idOf('丁英志');
    const fileLine = csv()
      .split('\n')
      .find((l) => l.includes(',丁英志,'))!;
    const filePhone = /1[3-9]\d{9}/.exec(fileLine)?.[0];
    expect(filePhone).toBeDefined();
    await core.client.invoke('students.update', { id, fields: { guardianPhone: '13900001111' } });
    // The 学籍 system still has the old number, and changes another student's phone.
    const other = csv()
      .split('\n')
      .find((l) => l.includes(',潘娟,'))!;
    const otherPhone = /1[3-9]\d{9}/.exec(other)![0];
    const data = nextRoster((l) => (l.includes(',潘娟,') ? l.replace(otherPhone, '13722223333') : l));
    const upload = await uploadFile(core.ctx, '下学期.csv', data);
    const { previewRoster } = await import('../../../electron/core/students/roster');
    const preview = await previewRoster(core.ctx, upload, {});
    expect(preview.counts.conflicts).toBe(1);
    const row = preview.rows.find((r) => r.studentId === id)!;
    expect(row.conflicts).toEqual([
      { field: 'guardianPhone', label: expect.any(String), mine: expect.any(String), file: expect.any(String) },
    ]);
    expect(row.conflicts[0]!.mine).not.toBe(row.conflicts[0]!.file);
    expect(preview.changesByField).toEqual([{ field: 'guardianPhone', label: expect.any(String), count: 1 }]);

    const kept = await importRoster(core.ctx, upload, {});
    expect(kept).toMatchObject({ updated: 1, conflictsKept: 1 });
    expect(studentBy('丁英志')).toMatchObject({ guardian_phone: '13900001111' });
    expect(studentBy('潘娟')).toMatchObject({ guardian_phone: '13722223333' });

    // Told to take the roster's value, the import does (and says it no longer keeps it).
    const again = await importRoster(core.ctx, await uploadFile(core.ctx, '再导一次.csv', data), {
      takeFile: [{ studentId: id, field: 'guardianPhone' }],
    });
    expect(again).toMatchObject({ updated: 1, conflictsKept: 0 });
    expect(studentBy('丁英志')).toMatchObject({ guardian_phone: filePhone });
  });

  it('never puts a student who left back in school, and says so', async () => {
    await importFixture('roster-qingshan-central-school.csv');
    const id = idOf('付桂梅');
    await core.client.invoke('students.setStatus', { ids: [id], status: 'left', reason: 'transferred', date: '2026-10-08' });
    const r = await importFixture('roster-qingshan-central-school.csv');
    expect(studentBy('付桂梅')).toMatchObject({ status: 'left', left_reason: 'transferred' });
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'left-in-roster', message: expect.stringContaining('付桂梅') }));
    expect(r.updated).toBe(0);
  });

  it('keeps the class the clerk moved a student to', async () => {
    await importFixture('roster-qingshan-central-school.csv');
    const id = idOf('丁英志');
    const classes = await core.client.invoke('classes.list', {});
    const target = classes.find((c) => c.name === '一年级（2）班')!;
    await core.client.invoke('students.update', { id, classId: target.id });
    const r = await importFixture('roster-qingshan-central-school.csv');
    expect(r).toMatchObject({ updated: 0, conflictsKept: 1 });
    expect(studentBy('丁英志')).toMatchObject({ class_name: '一年级（2）班' });
  });
});

describe('roster import of other layouts', () => {
  it('finds the header under the merged title of the high-school roster and keeps card numbers as text', async () => {
    await core.client.invoke('school.setup', { name: '青山县第一中学', stages: ['senior'], schoolYear: '2026-2027', term: '2026-autumn' });
    const r = await importFixture('roster-qingshan-no1-high-school.xlsx');
    expect(r.imported).toBe(532);
    expect(r.rejected).toEqual([]);
    expect(studentBy('杨丽花')).toMatchObject({ class_name: '高一（1）班', bank_card: '6231625761724962107', boarding: 1 });
  });

  it('rejects an ID number stored as an Excel number, whose last digits are already lost', async () => {
    const data = await xlsx([
      ['姓名', '身份证号', '班级'],
      ['张三', Number('433125202211164939') /* as Excel holds a number typed into a General cell */, '一年级1班'],
      ['李四', '433125202307019277', '一年级1班'],
    ]);
    const r = await importFile('数字.xlsx', data);
    expect(r.imported).toBe(1);
    expect(r.rejected).toEqual([
      { row: 2, column: '身份证号', code: 'number-lost-digits', message: expect.stringContaining('文本'), name: expect.any(String) },
    ]);
  });

  it('says what is wrong with a broken .xls, an empty file and unrelated files (a whole .xls is read: xls-codes.test.ts)', async () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    await expect(importFile('旧名册.xls', xls)).rejects.toMatchObject({
      code: 'file-unreadable',
      message: expect.stringContaining('旧名册.xls'),
    });
    await expect(importFile('空.xlsx', await xlsx([]))).rejects.toMatchObject({ code: 'roster-empty' });
    await expect(importFixture('county-list-dibao-tekun.xlsx')).rejects.toMatchObject({ code: 'roster-no-header' });
    await expect(importFixture('bank-return-2026-autumn.xlsx')).rejects.toMatchObject({ code: 'roster-no-header' });
    await expect(importFile('坏.xlsx', Buffer.from('not a zip'))).rejects.toMatchObject({ code: 'file-unreadable' });
  });

  it('asks for the school first', async () => {
    const bare = await testCore({ school: false });
    try {
      const upload = await uploadFile(bare.ctx, 'a.csv', readFileSync(fixture('roster-qingshan-central-school.csv')));
      await expect(importRoster(bare.ctx, upload, {})).rejects.toMatchObject({ code: 'school-missing' });
    } finally {
      await bare.close();
    }
  });
});

describe('roster import writes all or nothing', () => {
  it('writes nothing in a dry run or in strict mode with a rejected row', async () => {
    const dry = await importFixture('roster-qingshan-central-school.xlsx', { dryRun: true });
    expect(dry.imported).toBe(684);
    await expect(importFixture('roster-qingshan-central-school.xlsx', { strict: true })).rejects.toMatchObject({ code: 'rows-rejected' });
    expect(count('SELECT count(*) FROM student')).toBe(0);
    expect(count('SELECT count(*) FROM import_batch')).toBe(0);
  });

  it('keeps the chosen file usable after a strict refusal: the same upload imports next time (its rows are read again)', async () => {
    const upload = await uploadFile(core.ctx, '名册.xlsx', readFileSync(fixture('roster-qingshan-central-school.xlsx')));
    await expect(importRoster(core.ctx, upload, { strict: true })).rejects.toMatchObject({ code: 'rows-rejected' });
    // The roster is read from the file's bytes each time, never kept whole on the upload.
    expect(core.ctx.uploads.get(upload.id)!.table).toBeUndefined();
    const r = await importRoster(core.ctx, core.ctx.uploads.get(upload.id)!, {});
    expect(r.imported).toBe(684);
    expect(core.ctx.uploads.has(upload.id)).toBe(false);
  });

  it('rolls back every row when the database fails part-way', async () => {
    core.ctx.store.sqlite.exec(
      `CREATE TRIGGER boom AFTER INSERT ON student WHEN NEW.name = '魏晨馨' BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    await expect(importFixture('roster-qingshan-central-school.xlsx')).rejects.toThrow();
    expect(count('SELECT count(*) FROM student')).toBe(0);
    expect(count('SELECT count(*) FROM school_class')).toBe(0);
    expect(count('SELECT count(*) FROM import_batch')).toBe(0);
  });
});

describe('a roster with a column filled down', () => {
  it('gives one short message per row, naming at most three others: the messages do not grow with the file', async () => {
    {
      const wb = new ExcelJS.Workbook();
      const rows = demoRoster(3000, 2026);
      // 学籍号 filled down from the first row, as a slip of the mouse in Excel does.
      const first = rows.slice(1).find((row) => row[0])![0]!;
      for (const row of rows.slice(1)) row[0] = first;
      wb.addWorksheet('名册').addRows(rows);
      const data = Buffer.from(await wb.xlsx.writeBuffer());
      const r = await importRoster(core.ctx, await uploadFile(core.ctx, '名册.xlsx', data), {});
      const dups = r.rejected.filter((x) => x.code === 'duplicate-student-number');
      expect(dups.length).toBeGreaterThan(2900);
      expect(Math.max(...dups.map((d) => d.message.length))).toBeLessThan(120);
      expect(dups[10]!.message).toMatch(/等 \d{4} 行重复/);
      expect(JSON.stringify(r).length).toBeLessThan(3_000_000);
    }
  });
});

describe('the preview of a roster on screen', () => {
  it('shows column samples without whole ID numbers, 学籍号, phones or addresses', async () => {
    const name = 'roster-qingshan-central-school.xlsx';
    const preview = await core.client.invoke('roster.preview', {
      upload: { fileName: name, dataBase64: readFileSync(fixture(name)).toString('base64') },
    });
    const samples = preview.columns.flatMap((c) => c.samples);
    expect(samples.length).toBeGreaterThan(20);
    expect(samples.filter((s) => /\d{7,}/.test(s))).toEqual([]);
    const address = preview.columns[preview.mapping.address!]!;
    expect(address.samples.every((s) => s.includes('*'))).toBe(true);
  });
});
