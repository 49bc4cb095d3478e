/**
 * 认定结果 for the national system's batch import: the built-in layout and a downloaded template with 认定等级 split
 * into tick columns, read back with exceljs; the amount's other spellings are recognised.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fieldOfHeader } from '../../../shared/rules/template-fields';
import { testCore, type TestCore } from '../../helpers/core';
import { approvedSeniorTerm } from '../../helpers/terms';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

async function readBack(dataBase64: string): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(dataBase64, 'base64') as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

const LEVEL = { especially: '特别困难', difficult: '困难', general: '一般困难' } as Record<string, string>;

describe('the national system export', () => {
  it('recognises the amount and the identification columns by their other names', () => {
    expect(fieldOfHeader('申请补助额度')).toBe('amount');
    expect(fieldOfHeader('补助金额（元）')).toBe('amount');
    expect(fieldOfHeader('认定时间')).toBe('identifiedOn');
    expect(fieldOfHeader('家庭人均年收入（元）')).toBe('perCapitaIncome');
    // A level's name inside a longer header is not a tick column.
    expect(fieldOfHeader('困难类别')).toBe('category');
  });

  it('fills the built-in layout and a two-level template with a tick in the right level column', async () => {
    await approvedSeniorTerm(core, 10);
    // The scenario decides one level for all; three levels are spread over them here (test setup only).
    const ids = core.ctx.store.sqlite
      .prepare(`SELECT id FROM identification WHERE status = 'decided' ORDER BY id`)
      .pluck()
      .all() as number[];
    const set = core.ctx.store.sqlite.prepare(`UPDATE identification SET level = ? WHERE id = ?`);
    ids.forEach((id, i) => set.run(['especially', 'difficult', 'general'][i % 3], id));
    const decided = core.ctx.store.sqlite
      .prepare(
        `SELECT s.id_number, i.level, i.decided_on FROM identification i JOIN student s ON s.id = i.student_id
         WHERE i.school_year = '2026-2027' AND i.status = 'decided' AND i.level <> 'none' AND s.status = 'enrolled'`,
      )
      .all() as { id_number: string; level: string; decided_on: string }[];
    expect(new Set(decided.map((d) => d.level)).size).toBeGreaterThan(1);
    const byId = new Map(decided.map((d) => [d.id_number, d]));

    const built = await core.client.invoke('export.identification', { template: { builtIn: 'identification' } });
    const ws1 = await readBack(built.file!.dataBase64);
    const header = (ws1.getRow(3).values as unknown[]).slice(1);
    expect(header).toEqual([
      '序号',
      '姓名',
      '性别',
      '身份证号',
      '学籍号',
      '年级',
      '班级',
      '认定等级',
      '认定时间',
      '认定原因',
      '家庭人均年收入（元）',
      '备注',
    ]);
    const rows1: unknown[][] = [];
    ws1.eachRow((r, n) => n > 3 && rows1.push((r.values as unknown[]).slice(1)));
    expect(rows1).toHaveLength(decided.length);
    for (const r of rows1) {
      const d = byId.get(String(r[3]))!;
      expect(r[7]).toBe(LEVEL[d.level]);
      expect(r[8]).toBe(d.decided_on);
    }

    // The system's downloaded template: 认定等级 merged over 特困 / 困难 / 一般.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('认定');
    ws.mergeCells('A1:G1');
    ws.getCell('A1').value = '家庭经济困难学生认定信息导入模板';
    ws.getRow(2).values = ['序号', '姓名', '身份证件号', '认定等级', '', '', '认定时间'];
    ws.mergeCells('A2:A3');
    ws.mergeCells('B2:B3');
    ws.mergeCells('C2:C3');
    ws.mergeCells('D2:F2');
    ws.mergeCells('G2:G3');
    ws.getRow(3).values = ['', '', '', '特困', '困难', '一般', ''];
    const file = { fileName: '认定模板.xlsx', dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
    const r = await core.client.invoke('export.identification', { template: file });
    expect(r.problems).toEqual([]);
    expect(r.columns.map((c) => c.field)).toEqual([
      'seq',
      'name',
      'idNumber',
      'levelEspecially',
      'levelDifficult',
      'levelGeneral',
      'identifiedOn',
    ]);
    const out = await readBack(r.file!.dataBase64);
    let n = 0;
    out.eachRow((row, i) => {
      if (i < 4) return;
      n++;
      const d = byId.get(String(row.getCell(3).value))!;
      const ticks = ['especially', 'difficult', 'general'].map((l, k) => [l, row.getCell(4 + k).value]);
      // One tick, in the student's own level column; no level text anywhere else.
      expect(ticks.filter(([, v]) => v === '√').map(([l]) => l)).toEqual([d.level]);
      expect(ticks.filter(([, v]) => v !== null && v !== '√')).toEqual([]);
    });
    expect(n).toBe(decided.length);
  });

  it('fills the payments of a programme term with the day each was paid', async () => {
    const { reportedDaySubsidyTerm } = await import('../../helpers/terms');
    const { upload } = await import('../../helpers/fixtures');
    const { programmeId } = await reportedDaySubsidyTerm(core);
    core.setToday('2026-11-20');
    const r = await core.client.invoke('payments.importBank', {
      upload: upload('bank-return-2026-autumn.xlsx'),
      programmeId,
      term: '2026-autumn',
      paidOn: '2026-11-20',
      dryRun: false,
    });
    expect(fieldOfHeader('发放日期')).toBe('paidOn');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('发放').addRow(['序号', '姓名', '身份证号', '补助金额（元）', '发放日期', '资助面']);
    const file = { fileName: '发放记录.xlsx', dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
    const out = await core.client.invoke('export.countyTemplate', { template: file, programmeId, term: '2026-autumn' });
    const ws = await readBack(out.file!.dataBase64);
    const dates: unknown[] = [];
    ws.eachRow((row, i) => i > 1 && dates.push(row.getCell(5).value));
    expect(dates.filter((d) => d === '2026-11-20')).toHaveLength(r.paid);
    expect(dates.filter((d) => d !== '2026-11-20' && d !== null)).toEqual([]);
    // 资助面: the term's students paid ÷ enrolled, the same on every row.
    const enrolled = core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student WHERE status = 'enrolled'`).pluck().get() as number;
    expect(ws.getRow(2).getCell(6).value).toBe(`${((r.paid / enrolled) * 100).toFixed(1)}%`);
  });

  it('writes 是 under 是否免学杂费 for the recipients whose fee waiver is approved, and leaves the others blank', async () => {
    const { programmeId } = await approvedSeniorTerm(core, 10);
    const sqlite = core.ctx.store.sqlite;
    const recipients = sqlite
      .prepare(
        `SELECT a.student_id, s.id_number FROM application a JOIN student s ON s.id = a.student_id WHERE a.programme_id = ? AND a.status = 'approved' ORDER BY a.id`,
      )
      .all(programmeId) as { student_id: number; id_number: string }[];
    expect(recipients.length).toBeGreaterThan(4);
    // Test setup only: waivers approved for the first three recipients, one still in review for the fourth, and one for
    // a student outside the grant's list (the export names only the grant's recipients).
    const waiver = (await core.client.invoke('programmes.list', {})).find((p) => p.code === 'senior-fee-waiver')!;
    const outsider = sqlite
      .prepare(`SELECT id FROM student WHERE id NOT IN (SELECT student_id FROM application) ORDER BY id LIMIT 1`)
      .pluck()
      .get() as number;
    const add = sqlite.prepare(
      `INSERT INTO application (student_id, programme_id, term, status, applicant_name, applicant_id_number, created_at, updated_at)
       SELECT id, ?, '2026-autumn', ?, name, id_number, 'x', 'x' FROM student WHERE id = ?`,
    );
    for (const r of recipients.slice(0, 3)) add.run(waiver.id, 'approved', r.student_id);
    add.run(waiver.id, 'schoolReview', recipients[3]!.student_id);
    add.run(waiver.id, 'approved', outsider);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名单').addRow(['序号', '姓名', '身份证号', '是否免学杂费']);
    const file = { fileName: '受助名单.xlsx', dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
    const out = await core.client.invoke('export.countyTemplate', { template: file, programmeId, term: '2026-autumn' });
    expect(out.problems).toEqual([]);
    const ws = await readBack(out.file!.dataBase64);
    const waived = new Map<string, unknown>();
    ws.eachRow((row, i) => i > 1 && waived.set(String(row.getCell(3).value), row.getCell(4).value));
    expect(waived.size).toBe(recipients.length);
    expect(recipients.map((r) => waived.get(r.id_number))).toEqual(recipients.map((_, i) => (i < 3 ? '是' : null)));
  });
});
