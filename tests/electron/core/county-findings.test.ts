/**
 * 县级核查整改: a county's list of findings in its own layout is matched to students by ID number only, each match
 * opens one case (again on a second import: none), a case closes only with what was checked, done and when, and
 * the reply to the county reads back.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCore, type TestCore } from '../../helpers/core';
import { importCentralRoster } from '../../helpers/fixtures';
import { makeIdNumber } from '../../helpers/scenario';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
  await importCentralRoster(core);
  core.setToday('2026-11-25');
});
afterEach(async () => core.close());

async function findingsFile(rows: (string | number)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题线索');
  ws.addRow(['2026年秋季学期学生资助数据核查问题线索（青山县学生资助管理中心）']);
  ws.addRow(['序号', '县区', '学校名称', '学生姓名', '证件号码', '疑点类型', '问题描述', '备注']);
  rows.forEach((r, i) => ws.addRow([i + 1, '青山县', '青山镇中心学校', ...r]));
  return { fileName: '核查问题线索.xlsx', dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
}

describe('county findings', () => {
  it('opens a case per matched student, lists the rest, and closes a case with its result, measure and date', async () => {
    const c = core.client;
    const students = core.ctx.store.sqlite
      .prepare(`SELECT name, id_number FROM student WHERE id_number IS NOT NULL ORDER BY id LIMIT 3`)
      .all() as { name: string; id_number: string }[];
    const file = await findingsFile([
      [students[0]!.name, students[0]!.id_number, '学籍', '该生学籍状态为休学，不在校仍享受资助', ''],
      [students[1]!.name, students[1]!.id_number.toLowerCase(), '资助', '与外县重复享受寄宿生生活补助', ''],
      [students[2]!.name, students[2]!.id_number, '学籍', '疑似双学籍：同一身份证号在两所学校有学籍', ''],
      ['陌生人', makeIdNumber('2015-03-01', 7), '学籍', '不在校', ''],
    ]);
    const preview = await c.invoke('countyFindings.preview', { upload: file });
    expect(preview.headerRow).toBe(2);
    expect(preview.matched.map((m) => [m.name, m.category])).toEqual([
      [students[0]!.name, 'notEnrolled'],
      [students[1]!.name, 'duplicateAid'],
      [students[2]!.name, 'doubleRegistration'],
    ]);
    // Never matched by name: the stranger is listed with the reason, and no ID number is repeated.
    expect(preview.unmatched).toEqual([{ row: 6, name: '陌生人', reason: '本校名册中没有这个身份证号' }]);
    expect(JSON.stringify(preview)).not.toMatch(/\d{17}[\dX]/);
    expect(await c.invoke('countyFindings.import', { uploadId: preview.uploadId })).toEqual({ opened: 3, already: 0, unmatched: 1 });
    const again = await c.invoke('countyFindings.preview', { upload: file });
    expect(await c.invoke('countyFindings.import', { uploadId: again.uploadId })).toEqual({ opened: 0, already: 3, unmatched: 1 });

    const [first] = await c.invoke('countyFindings.list', { status: 'open' });
    await expect(c.invoke('countyFindings.update', { id: first!.id, result: '属实', close: true })).rejects.toThrow(
      /请填写整改措施、整改日期/,
    );
    await expect(
      c.invoke('countyFindings.update', { id: first!.id, result: '属实', measure: '停发', correctedOn: '2026-11-26', close: true }),
    ).rejects.toThrow(/晚于今天/);
    const closed = await c.invoke('countyFindings.update', {
      id: first!.id,
      result: '经核实该生 9 月起休学，已不在校',
      measure: '撤销本学期寄宿生生活补助申请，已发资金退回',
      correctedOn: '2026-11-24',
      close: true,
    });
    expect(closed.status).toBe('closed');
    const withFile = await c.invoke('countyFindings.attach', {
      id: first!.id,
      fileName: '休学证明.png',
      dataBase64: Buffer.from('89504e470d0a1a0a', 'hex').toString('base64'),
    });
    expect(withFile.attachmentName).toBe('休学证明.png');
    expect(await c.invoke('countyFindings.list', { status: 'open' })).toHaveLength(2);

    const reply = await c.invoke('countyFindings.export', {});
    expect(reply).toMatchObject({ open: 2, closed: 1 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(reply.dataBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toContain('共 3 条，已整改 1 条，待整改 2 条');
    const rows: unknown[][] = [];
    ws.eachRow((r, n) => n > 2 && rows.push((r.values as unknown[]).slice(1)));
    expect(rows.find((r) => r[8] === '已整改')).toEqual([
      expect.any(Number),
      students[0]!.name,
      expect.any(String),
      '不在校',
      '该生学籍状态为休学，不在校仍享受资助',
      '经核实该生 9 月起休学，已不在校',
      '撤销本学期寄宿生生活补助申请，已发资金退回',
      '2026-11-24',
      '已整改',
      '核查问题线索.xlsx',
    ]);
    // Every case is in the audit trail, with its student.
    expect(
      core.ctx.store.sqlite.prepare(`SELECT count(*) FROM audit_entry WHERE entity = 'county_finding'`).pluck().get(),
    ).toBeGreaterThanOrEqual(5);
  });

  it('says what a file without the two columns lacks', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['姓名', '班级']);
    const upload = { fileName: '名单.xlsx', dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
    await expect(core.client.invoke('countyFindings.preview', { upload })).rejects.toThrow(/需要“身份证号”（或“证件号码”）列和“问题描述”/);
  });
});
