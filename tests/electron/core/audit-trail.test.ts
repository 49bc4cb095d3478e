import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_STATUS_TEXT } from '../../../shared/domain/application';
import { auditValueText } from '../../../shared/domain/audit';
import { HARDSHIP_FACTOR_TEXT } from '../../../shared/domain/survey';
import { NOW, testCore, type TestCore } from '../../helpers/core';
import { upload } from '../../helpers/fixtures';

let core: TestCore;
const FULL_ID = /\d{17}[\dX]/;
const entries = () => core.ctx.store.sqlite.prepare(`SELECT * FROM audit_entry ORDER BY id`).all() as Record<string, unknown>[];

beforeEach(async () => {
  core = await testCore();
  // As after an unlock: the operator named there signs every change.
  core.ctx.desk = { dataDir: core.dir, open: true, operator: '李老师', lastCall: NOW.getTime() };
  const preview = await core.client.invoke('roster.preview', { upload: upload('roster-qingshan-central-school.xlsx') });
  await core.client.invoke('roster.import', { uploadId: preview.uploadId, mapping: preview.mapping });
});
afterEach(async () => core.close());

/** A small seeded generator: the same scenario every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('the audit trail', () => {
  it('records an import as one entry with its counts, not a line per student', async () => {
    const imports = entries().filter((e) => e.action === 'import');
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ operator: '李老师', entity: 'student', at: NOW.toISOString() });
    expect(imports[0]!.summary).toBe('导入学生名册“roster-qingshan-central-school.xlsx”：新增 684，更新 0，未变 0，不合格 4');
    expect(entries().filter((e) => e.entity === 'student' && e.action === 'insert')).toHaveLength(0);
  });

  it('records every change of a student with the fields before and after, masking numbers; a change that changes nothing is not one', async () => {
    const next = random(20261202);
    const ids = core.ctx.store.sqlite.prepare(`SELECT id FROM student ORDER BY id`).pluck().all() as number[];
    const expected = new Map<number, number>();
    for (let i = 0; i < 60; i++) {
      const id = ids[Math.floor(next() * ids.length)]!;
      const before = await core.client.invoke('students.get', { id, reveal: true });
      const r = next();
      const fields =
        r < 0.3
          ? { guardianName: `监护人${Math.floor(next() * 1000)}` }
          : r < 0.5
            ? { guardianPhone: `139${String(Math.floor(next() * 1e8)).padStart(8, '0')}` }
            : r < 0.7
              ? { address: `青山镇${Math.floor(next() * 100)}组` }
              : { guardianName: before.guardianName }; // the same value: not a change
      const changed = Object.entries(fields).some(([k, v]) => (before as unknown as Record<string, unknown>)[k] !== v);
      await core.client.invoke('students.update', { id, fields });
      if (changed) expected.set(id, (expected.get(id) ?? 0) + 1);
    }
    const updates = entries().filter((e) => e.entity === 'student' && e.action === 'update');
    for (const [id, n] of expected) expect(updates.filter((e) => e.student_id === id)).toHaveLength(n);
    expect(updates).toHaveLength([...expected.values()].reduce((a, b) => a + b, 0));
    for (const e of updates) {
      const before = JSON.parse(e.before as string) as Record<string, string>;
      const after = JSON.parse(e.after as string) as Record<string, string>;
      // Only what changed, each with both sides; phones keep four digits, addresses none.
      expect(Object.keys(before).sort()).toEqual(Object.keys(after).sort());
      expect(Object.keys(after).length).toBeGreaterThan(0);
      for (const k of Object.keys(after)) expect(['guardian_name', 'guardian_phone', 'address', 'search_text']).toContain(k);
      if (after.guardian_phone) expect(after.guardian_phone).toMatch(/^…\d{4}$/);
      if (after.address) expect(after.address).toBe('（已隐去）');
    }
    // Every reveal of full numbers was recorded, with its student.
    expect(entries().filter((e) => e.action === 'reveal')).toHaveLength(60);
    expect(JSON.stringify(entries())).not.toMatch(FULL_ID);
  });

  it('masks an ID number changed by hand, and cannot be changed or deleted', async () => {
    const s = (await core.client.invoke('students.list', {})).rows[0]!;
    const full = await core.client.invoke('students.get', { id: s.id, reveal: true });
    await core.client.invoke('students.update', { id: s.id, fields: { idNumber: '110101201001010015' } });
    const e = entries().find((x) => x.entity === 'student' && x.action === 'update' && x.student_id === s.id)!;
    expect(JSON.parse(e.after as string)).toMatchObject({ id_number: '…0015' });
    expect(JSON.parse(e.before as string).id_number).toBe(`…${full.idNumber!.slice(-4)}`);
    expect(() => core.ctx.store.sqlite.prepare(`UPDATE audit_entry SET operator = '别人'`).run()).toThrow('操作记录不能修改');
    expect(() => core.ctx.store.sqlite.prepare(`DELETE FROM audit_entry`).run()).toThrow('操作记录不能删除');
  });

  it('records an export that holds whole numbers (rules/privacy.ts), and not a masked one', async () => {
    const classId = (await core.client.invoke('classes.list', {}))[0]!.id;
    await core.client.invoke('surveys.exportClass', { classId, schoolYear: '2026-2027' });
    const exports = entries().filter((e) => e.action === 'export');
    expect(exports.map((e) => e.summary)).toEqual(['导出或打印班级家庭情况调查表（含完整证件号或银行卡号）']);
    await core.client.invoke('students.get', { id: (await core.client.invoke('students.list', {})).rows[0]!.id });
    expect(entries().filter((e) => e.action === 'reveal')).toHaveLength(0);
  });

  it('is listed with filters and exported to .xlsx through the contract', async () => {
    const s = (await core.client.invoke('students.list', {})).rows[0]!;
    await core.client.invoke('students.update', { id: s.id, fields: { guardianName: '王某某' } });
    core.ctx.desk!.operator = '王老师';
    await core.client.invoke('students.setStatus', { ids: [s.id], status: 'left', reason: 'transferred', date: '2026-11-20' });
    const all = await core.client.invoke('audit.list', {});
    // 系统: the school set up by the test before anyone unlocked.
    expect(all.operators).toEqual(['李老师', '王老师', '系统']);
    expect(all.entries[0]).toMatchObject({ operator: '王老师', actionText: '修改', entityText: '学生', studentName: s.name });
    expect(all.entries[0]!.changes.map((c) => c.label)).toContain('状态');
    // Coded values in the clerk's words, as the pages show them.
    expect(all.entries[0]!.changes.map((c) => `${c.label}:${c.before}→${c.after}`)).toEqual(
      expect.arrayContaining(['状态:在校→已离校', '离校原因:→转出']),
    );
    expect(auditValueText('payment', 'amount_fen', 125_050)).toBe('1250.5');
    expect(auditValueText('family_survey', 'factors', '["debt"]')).toBe(HARDSHIP_FACTOR_TEXT.debt);
    expect(auditValueText('application', 'status', 'approved')).toBe(APPLICATION_STATUS_TEXT.approved);
    expect(auditValueText('setting', 'key', 'desk.idleMinutes')).toBe('自动锁定分钟');
    expect(auditValueText('setting', 'value', 'x'.repeat(1000))).toMatch(/^x{200}…（共 1000 字）$/);
    const mine = await core.client.invoke('audit.list', { operator: '李老师', studentId: s.id });
    expect(mine.entries.map((e) => e.changes.map((c) => `${c.label}:${c.after}`).join())).toEqual(['监护人:王某某']);
    expect((await core.client.invoke('audit.list', { from: '2026-11-23' })).total).toBe(0);
    expect((await core.client.invoke('audit.list', { from: '2026-11-22', to: '2026-11-22' })).total).toBe(all.total);
    expect((await core.client.invoke('audit.list', { search: '名册' })).entries.map((e) => e.actionText)).toEqual(['导入']);
    await expect(core.client.invoke('audit.list', { from: '22/11/2026' })).rejects.toThrow('起始日期：日期格式应为 2026-09-01');

    const file = await core.client.invoke('audit.export', { studentId: s.id });
    expect(file.rows).toBe(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
    const rows = wb.getWorksheet('操作记录')!.getSheetValues().slice(2) as unknown[][];
    expect(rows.some((r) => r.includes('王某某') && r.includes('李老师'))).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(FULL_ID);
    // Classes by name, not by their number in the database.
    const classes = await core.client.invoke('classes.list', {});
    const moveTo = classes.find((k) => k.name !== s.className)!;
    await core.client.invoke('students.update', { id: s.id, classId: moveTo.id });
    const moved = (await core.client.invoke('audit.list', { studentId: s.id, action: 'update' })).entries[0]!;
    expect(moved.changes.find((c) => c.label === '班级')).toMatchObject({ before: s.className, after: moveTo.name });
  });
});
