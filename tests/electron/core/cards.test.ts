import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importRoster } from '../../../electron/core/students/roster';
import { uploadFile } from '../../../electron/core/uploads';
import { detectCardLayout } from '../../../shared/rules/card-sheet';
import { fixture, testCore, type TestCore } from '../../helpers/core';
import { makeCard } from '../../helpers/scenario';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
  await importRoster(core.ctx, await uploadFile(core.ctx, 'r.csv', readFileSync(fixture('roster-qingshan-central-school.csv'))), {});
});
afterEach(async () => core.close());

async function sheet(rows: unknown[][]): Promise<{ fileName: string; dataBase64: string }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('银行卡');
  ws.addRow(['2026年秋季学期学生银行卡信息表']);
  for (const r of rows) ws.addRow(r);
  return { fileName: '银行卡.xlsx', dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
}

const student = (name: string) =>
  core.ctx.store.sqlite
    .prepare(
      `SELECT s.id, s.id_number, s.bank_card, s.account_holder, s.account_holder_name, s.bank_name, s.guardian_name, c.name AS class_name
       FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE s.name = ?`,
    )
    .get(name) as {
    id: number;
    id_number: string;
    bank_card: string | null;
    account_holder: string;
    account_holder_name: string;
    bank_name: string;
    guardian_name: string;
    class_name: string;
  };

describe('bank cards in bulk', () => {
  it('finds the columns under a title, the student by ID number, and the account holder by name', async () => {
    const a = student('付桂梅');
    const b = student('马小');
    const upload = await sheet([
      ['序号', '学生姓名', '身份证号', '户名', '卡号', '开户行'],
      [1, '付桂梅', a.id_number, '付桂梅', makeCard(1), '青山县农村信用社'],
      [2, '马小', b.id_number, b.guardian_name, makeCard(2), '中国农业银行青山支行'],
      [3, '马小', b.id_number, '马小', makeCard(3), ''],
      [4, '丁英志', student('丁英志').id_number, '张三', makeCard(4), ''],
      [5, '潘娟', student('潘娟').id_number, '潘娟', Number('6217000011112222333'), ''],
      [6, '王明玉', '433125199001011234', '王明玉', makeCard(6), ''],
    ]);
    const preview = await core.client.invoke('cards.preview', { upload });
    expect(preview.headerRow).toBe(2);
    expect(preview.rows.map((r) => [r.name, r.kind, r.holder])).toEqual([
      ['付桂梅', 'new', 'student'],
      ['马小', 'new', 'guardian'],
    ]);
    expect(preview.rows[1]!.note).toContain('委托书');
    // Numbers masked on the way out.
    expect(preview.rows[0]!.card).toMatch(/^\*+\d{4}$/);
    const problems = preview.problems.map((p) => p.message);
    expect(problems).toEqual([
      expect.stringMatching(/^第5行：马小在第4行已经有一张卡/),
      expect.stringMatching(/^第6行：户名“张三”既不是学生丁英志/),
      expect.stringMatching(/^第7行：潘娟的卡号以数字格式保存/),
      expect.stringMatching(/^第8行：身份证号不是本校在校学生的/),
    ]);
    for (const m of problems) expect(m).not.toMatch(/\d{12,}/);

    const r = await core.client.invoke('cards.import', { uploadId: preview.uploadId, rows: preview.rows.map((x) => x.row) });
    expect(r).toEqual({ written: 2, skipped: 0, problems: 4 });
    expect(student('付桂梅')).toMatchObject({ bank_card: makeCard(1), account_holder: 'student', bank_name: '青山县农村信用社' });
    expect(student('马小')).toMatchObject({ bank_card: makeCard(2), account_holder: 'guardian', account_holder_name: b.guardian_name });
    const history = await core.client.invoke('students.history', { id: a.id });
    expect(history.map((h) => h.field)).toEqual(expect.arrayContaining(['银行卡号', '户名（收款账户）']));

    // The same sheet again: nothing left to write.
    const again = await core.client.invoke('cards.preview', {
      upload: await sheet([
        ['学生姓名', '身份证号', '户名', '卡号', '开户行'],
        ['付桂梅', a.id_number, '付桂梅', makeCard(1), '青山县农村信用社'],
      ]),
    });
    expect(again.rows.map((x) => x.kind)).toEqual(['same']);
  });

  it('matches by name and class where there is no number, and lists a name it cannot place', async () => {
    const a = student('付桂梅');
    const upload = await sheet([
      ['姓名', '班级', '银行卡号'],
      ['付桂梅', a.class_name.replace(/[（）]/g, ''), makeCard(7)],
      ['不存在', '小班1班', makeCard(8)],
    ]);
    const preview = await core.client.invoke('cards.preview', { upload });
    expect(preview.rows).toEqual([expect.objectContaining({ name: '付桂梅', kind: 'new' })]);
    expect(preview.problems).toEqual([{ row: 4, message: expect.stringContaining('找不到在校学生“不存在”') }]);
  });

  it('keeps a card the clerk typed unless the clerk picks the sheet', async () => {
    const a = student('付桂梅');
    await core.client.invoke('students.update', { id: a.id, fields: { bankCard: makeCard(11) } });
    const upload = await sheet([
      ['学生姓名', '身份证号', '卡号'],
      ['付桂梅', a.id_number, makeCard(12)],
    ]);
    const preview = await core.client.invoke('cards.preview', { upload });
    expect(preview.rows.map((r) => r.kind)).toEqual(['conflict']);
    expect(preview.counts).toMatchObject({ conflict: 1, new: 0 });
    // The clerk leaves it unticked: nothing written.
    expect(await core.client.invoke('cards.import', { uploadId: preview.uploadId, rows: [] })).toMatchObject({ written: 0, skipped: 1 });
    expect(student('付桂梅').bank_card).toBe(makeCard(11));
    const again = await core.client.invoke('cards.preview', { upload });
    await core.client.invoke('cards.import', { uploadId: again.uploadId, rows: [again.rows[0]!.row] });
    expect(student('付桂梅').bank_card).toBe(makeCard(12));
  });

  it('never takes the holder’s ID number for the student’s, and says what the sheet lacks', async () => {
    expect(detectCardLayout([['户主姓名', '户主身份证号', '卡号']])).toBeNull();
    await expect(
      core.client.invoke('cards.preview', {
        upload: await sheet([
          ['户主身份证号', '卡号'],
          ['433125198001011234', makeCard(1)],
        ]),
      }),
    ).rejects.toThrow(/找不到银行卡表的表头/);
  });
});
