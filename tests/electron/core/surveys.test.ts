import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SurveyFieldsArgs } from '../../../shared/api/surveys';
import { testCore, type TestCore } from '../../helpers/core';
import { importCentralRoster } from '../../helpers/fixtures';
import type { z } from 'zod';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
  await importCentralRoster(core);
});
afterEach(async () => core.close());

type Fields = z.input<typeof SurveyFieldsArgs>;
const base: Fields = {
  householdSize: 4,
  hukou: 'rural',
  address: '青山镇龙潭村3组',
  guardianPhone: '13907451234',
  members: [
    { name: '张大山', age: 41, relation: '父亲', workplace: '广东东莞', occupation: '务工', annualIncome: 1_800_000, health: 'healthy' },
    { name: '李秀英', age: 38, relation: '母亲', workplace: '在家', occupation: '务农', annualIncome: 200_000, health: 'serious' },
    { name: '张小花', age: 9, relation: '妹妹', workplace: '青山镇中心学校', occupation: '学生', annualIncome: 0, health: 'healthy' },
  ],
  factors: ['seriousIllness', 'debt'],
  otherHardship: '母亲长期透析',
  incomeSource: 'migrantWork',
  childrenInSchool: 2,
  commitmentSigned: true,
  commitmentDate: '2026-09-10',
  enteredBy: '王老师',
  note: '',
};

const classOf = (name: string) => core.ctx.store.sqlite.prepare(`SELECT id FROM school_class WHERE name = ?`).pluck().get(name) as number;
const studentsOf = (classId: number) =>
  core.ctx.store.sqlite.prepare(`SELECT id, name FROM student WHERE class_id = ? AND status = 'enrolled' ORDER BY id`).all(classId) as {
    id: number;
    name: string;
  }[];

describe('family surveys', () => {
  it('saves a survey with its members, computes the per-capita income and keeps each year apart', async () => {
    const [student] = studentsOf(classOf('一年级（1）班'));
    const saved = await core.client.invoke('surveys.save', {
      studentId: student!.id,
      status: 'complete',
      fields: base,
      flags: [{ group: 'leftBehind', source: 'selfDeclared', sourceDate: null }],
    });
    expect(saved.survey.perCapitaIncome).toBe(500_000); // (18000 + 2000 + 0) / 4 people
    expect(saved.survey.guardianPhone).toBe('139****1234');
    const full = await core.client.invoke('surveys.get', { studentId: student!.id, reveal: true });
    expect(full.survey).toMatchObject({
      householdSize: 4,
      address: '青山镇龙潭村3组',
      guardianPhone: '13907451234',
      factors: ['seriousIllness', 'debt'],
    });
    expect(full.survey!.members.map((m) => m.name)).toEqual(['张大山', '李秀英', '张小花']);
    expect(full.flags).toContainEqual({ group: 'leftBehind', source: 'selfDeclared', sourceDate: null });

    const carried = await core.client.invoke('surveys.carryForward', { schoolYear: '2027-2028', studentIds: [student!.id] });
    expect(carried).toEqual({ created: 1, skipped: 0 });
    const next = await core.client.invoke('surveys.get', { studentId: student!.id, schoolYear: '2027-2028', reveal: true });
    expect(next.survey).toMatchObject({
      status: 'draft',
      carriedFrom: '2026-2027',
      householdSize: 4,
      commitmentSigned: false,
      commitmentDate: null,
    });
    expect(next.years).toEqual(['2027-2028', '2026-2027']);
  });

  it('refuses a complete survey without the signed commitment, and a stale save', async () => {
    const [student] = studentsOf(classOf('一年级（1）班'));
    await expect(
      core.client.invoke('surveys.save', {
        studentId: student!.id,
        status: 'complete',
        fields: { ...base, commitmentSigned: false, commitmentDate: null },
      }),
    ).rejects.toThrow('须有家长签字的承诺书及签字日期');
    const first = await core.client.invoke('surveys.save', { studentId: student!.id, status: 'draft', fields: base });
    await core.client.invoke('surveys.save', { studentId: student!.id, status: 'draft', fields: base, version: first.survey.version });
    await expect(
      core.client.invoke('surveys.save', { studentId: student!.id, status: 'draft', fields: base, version: first.survey.version }),
    ).rejects.toThrow('已被修改');
  });
});

describe('class survey workbook', () => {
  async function exportClass(classId: number) {
    const file = await core.client.invoke('surveys.exportClass', { classId });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
    return { file, wb };
  }
  const col = (ws: ExcelJS.Worksheet, header: string) => {
    let found = 0;
    ws.getRow(1).eachCell((c, n) => {
      if (c.value === header) found = n;
    });
    if (!found) throw new Error(`no column ${header}`);
    return found;
  };
  const send = async (wb: ExcelJS.Workbook, name = '一年级（1）班-返回.xlsx') =>
    core.client.invoke('surveys.previewImport', {
      upload: { fileName: name, dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') },
    });

  it('goes out with the class prefilled, drop-downs, protected headers and an instructions sheet', async () => {
    const classId = classOf('一年级（1）班');
    const { wb } = await exportClass(classId);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['填表说明', '家庭情况', '家庭成员', 'aiddesk']);
    const ws = wb.getWorksheet('家庭情况')!;
    expect(ws.rowCount - 1).toBe(studentsOf(classId).length);
    expect(ws.getCell(2, col(ws, '户口性质')).dataValidation).toMatchObject({ type: 'list', formulae: ['"农村,城镇"'] });
    expect(ws.getCell(2, col(ws, '承诺书已签字')).dataValidation).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    expect(ws.getCell(2, 1).protection?.locked ?? true).toBe(true); // locked is the default, so not written
    expect(ws.getCell(2, col(ws, '家庭人口数')).protection).toMatchObject({ locked: false });
    // Counts are number cells under a whole-number rule: a text format would make the rule refuse a typed "4".
    for (const header of ['家庭人口数', '在读子女数']) {
      const cell = ws.getCell(2, col(ws, header));
      expect(cell.numFmt).toBe('0');
      expect(cell.dataValidation).toMatchObject({ type: 'whole', operator: 'between' });
    }
    expect(ws.getCell(2, col(ws, '家长手机号')).numFmt).toBe('@');
    expect((ws as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection.sheet).toBe(true);
    expect(wb.getWorksheet('aiddesk')!.state).toBe('veryHidden');
  });

  it('round-trips every value a teacher fills in, after review and acceptance', async () => {
    const classId = classOf('一年级（1）班');
    const [a, b] = studentsOf(classId);
    const { wb } = await exportClass(classId);
    const ws = wb.getWorksheet('家庭情况')!;
    const set = (row: number, header: string, value: string) => (ws.getCell(row, col(ws, header)).value = value);
    set(2, '户口性质', '农村');
    ws.getCell(2, col(ws, '家庭人口数')).value = 5; // typed into a number cell, as Excel or WPS store it
    set(2, '详细地址', '青山镇石门村2组15号');
    set(2, '家长手机号', '13812345678');
    set(2, '在读子女数', '3');
    set(2, '主要收入来源', '务农');
    set(2, '家庭成员患重大疾病', '是');
    set(2, '家庭欠债', '否');
    set(2, '其他困难情况', '房屋老旧');
    set(2, '申报：最低生活保障', '是');
    set(2, '承诺书已签字', '是');
    set(2, '签字日期', '2026-09-12');
    set(2, '填表人', '刘老师');
    const ms = wb.getWorksheet('家庭成员')!;
    const memberRow = (r: number, values: string[]) => values.forEach((v, i) => (ms.getCell(r, i + 3).value = v));
    memberRow(2, ['赵大', '45', '父亲', '本村', '务农', '6000', '大病或重残']);
    memberRow(3, ['钱二', '40', '母亲', '本村', '务农', '4000', '健康']);

    const preview = await send(wb);
    expect(preview.problems).toEqual([]);
    expect(preview.items.every((i) => i.studentId === a!.id)).toBe(true);
    // Address and phone went out prefilled from the roster: the teacher changed them; the rest is new.
    expect(
      preview.items
        .filter((i) => i.kind === 'changed')
        .map((i) => i.field)
        .sort(),
    ).toEqual(['address', 'guardianPhone']);
    // 户口性质 came prefilled as 农村 too, and 否 for debt is the same as blank: neither is a change.
    expect(
      preview.items
        .filter((i) => i.kind === 'new')
        .map((i) => i.field)
        .sort(),
    ).toEqual([
      'childrenInSchool',
      'commitmentDate',
      'commitmentSigned',
      'enteredBy',
      'factor:seriousIllness',
      'flag:dibao',
      'householdSize',
      'incomeSource',
      'members',
      'otherHardship',
    ]);
    const address = preview.items.find((i) => i.field === 'address')!;
    expect(address.theirs).not.toContain('15号'); // masked in the review
    const result = await core.client.invoke('surveys.applyImport', { uploadId: preview.uploadId, accept: preview.items.map((i) => i.key) });
    expect(result).toEqual({ applied: preview.items.length, students: 1 });

    const view = await core.client.invoke('surveys.get', { studentId: a!.id, reveal: true });
    expect(view.survey).toMatchObject({
      status: 'draft',
      hukou: 'rural',
      householdSize: 5,
      address: '青山镇石门村2组15号',
      guardianPhone: '13812345678',
      childrenInSchool: 3,
      incomeSource: 'farming',
      factors: ['seriousIllness'],
      otherHardship: '房屋老旧',
      commitmentSigned: true,
      commitmentDate: '2026-09-12',
      enteredBy: '刘老师',
      perCapitaIncome: 200_000,
    });
    expect(view.survey!.members).toEqual([
      { name: '赵大', age: 45, relation: '父亲', workplace: '本村', occupation: '务农', annualIncome: 600_000, health: 'serious' },
      { name: '钱二', age: 40, relation: '母亲', workplace: '本村', occupation: '务农', annualIncome: 400_000, health: 'healthy' },
    ]);
    expect(view.flags).toContainEqual(expect.objectContaining({ group: 'dibao', source: 'selfDeclared' }));
    // Nothing written for the student the teacher left alone.
    expect((await core.client.invoke('surveys.get', { studentId: b!.id })).survey).toBeNull();

    // The same file again: nothing left to review.
    const again = await send(wb);
    expect(again.items).toEqual([]);
  });

  it('shows a value the clerk changed since export as a conflict and keeps the clerk value unless accepted', async () => {
    const classId = classOf('一年级（1）班');
    const [a] = studentsOf(classId);
    await core.client.invoke('surveys.save', { studentId: a!.id, status: 'draft', fields: { ...base, householdSize: 3, members: [] } });
    const { wb } = await exportClass(classId);
    await core.client.invoke('surveys.save', { studentId: a!.id, status: 'draft', fields: { ...base, householdSize: 6, members: [] } });
    const ws = wb.getWorksheet('家庭情况')!;
    ws.getCell(2, col(ws, '家庭人口数')).value = '4';
    ws.getCell(2, col(ws, '填表人')).value = '刘老师';
    const preview = await send(wb);
    expect(preview.items.find((i) => i.field === 'householdSize')).toMatchObject({ kind: 'conflict', base: '3', theirs: '4', mine: '6' });
    expect(preview.items.find((i) => i.field === 'enteredBy')).toMatchObject({ kind: 'changed', base: '王老师', theirs: '刘老师' });
    await core.client.invoke('surveys.applyImport', { uploadId: preview.uploadId, accept: [`${a!.id}:enteredBy`] });
    const view = await core.client.invoke('surveys.get', { studentId: a!.id });
    expect(view.survey).toMatchObject({ householdSize: 6, enteredBy: '刘老师' });
  });

  it('reports invalid cells by sheet, row and column and imports nothing from them', async () => {
    const classId = classOf('一年级（1）班');
    const [a] = studentsOf(classId);
    const { wb } = await exportClass(classId);
    const ws = wb.getWorksheet('家庭情况')!;
    ws.getCell(3, col(ws, '家庭人口数')).value = '四口';
    ws.getCell(4, col(ws, '户口性质')).value = '外星';
    ws.getCell(5, col(ws, '在读子女数')).value = '13812345678';
    const ms = wb.getWorksheet('家庭成员')!;
    ['赵大', '四十', '父亲', '', '', '6千', '很好'].forEach((v, i) => (ms.getCell(2, i + 3).value = v));
    const preview = await send(wb);
    expect(preview.problems).toEqual([
      { sheet: '家庭情况', row: 3, column: 'E（家庭人口数）', message: expect.stringContaining('“四口”不是 0 到 30 之间的整数') },
      { sheet: '家庭情况', row: 4, column: 'D（户口性质）', message: expect.stringContaining('“外星”不是户口性质') },
      // A phone number in the wrong column is quoted masked.
      { sheet: '家庭情况', row: 5, column: 'H（在读子女数）', message: expect.stringContaining('“1381***5678”不是 0 到 20 之间的整数') },
      { sheet: '家庭成员', row: 2, column: 'D（年龄）', message: expect.stringContaining('家庭成员因此全部未导入（保留原有成员）') },
      { sheet: '家庭成员', row: 2, column: 'H（年收入（元））', message: expect.stringContaining('年收入“6千”') },
      { sheet: '家庭成员', row: 2, column: 'I（健康状况）', message: expect.stringContaining('健康状况“很好”') },
    ]);
    expect(preview.items.filter((i) => i.studentId === a!.id && i.field === 'members')).toEqual([]);
  });

  it('refuses a workbook AidDesk did not export', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('家庭情况').addRow(['学生姓名']);
    await expect(send(wb, '自制表.xlsx')).rejects.toThrow('不是 AidDesk 导出的班级调查表');
  });
});

describe('home visits', () => {
  it('records visits and draws a sample that the recorded seed reproduces', async () => {
    const students = studentsOf(classOf('一年级（1）班')).slice(0, 10);
    for (const s of students) {
      await core.client.invoke('surveys.save', { studentId: s.id, status: 'complete', fields: base });
    }
    await core.client.invoke('identification.score', {});
    const cases = await core.client.invoke('surveys.cases', {});
    const open = cases.filter((c) => c.identification === 'open');
    await core.client.invoke('identification.decide', {
      decisions: open.map((c) => ({ identificationId: c.identificationId!, level: c.suggestedLevel! })),
      decidedOn: '2026-10-10',
    });
    const one = await core.client.invoke('visits.drawSample', { percent: 30, seed: '青山-2026' });
    const two = await core.client.invoke('visits.drawSample', { percent: 30, seed: '青山-2026' });
    expect(one.students.length).toBe(3);
    expect(two.students).toEqual(one.students);
    const visited = one.students[0]!;
    // Recorded from the student's page without naming the sample: it still counts for the sample.
    const added = await core.client.invoke('visits.add', {
      studentId: visited.id,
      visitedOn: '2026-10-20',
      visitors: '王老师、李老师',
      way: 'field',
      findings: '情况属实',
    });
    expect(added.sampleId).toBe(two.id);
    const samples = await core.client.invoke('visits.samples', {});
    expect(samples.find((s) => s.id === two.id)!.students.find((s) => s.id === visited.id)!.visited).toBe(true);
    expect((await core.client.invoke('visits.list', { studentId: visited.id }))[0]).toMatchObject({ way: 'field', findings: '情况属实' });
    await expect(
      core.client.invoke('visits.add', { studentId: visited.id, visitedOn: '2027-01-01', visitors: '王', way: 'phone' }),
    ).rejects.toThrow('晚于今天');
  });
});

describe('unsaved survey edits held by the core', () => {
  it('keeps what was typed until the survey is saved, and never shows a held address to a masked view', async () => {
    const [student] = studentsOf(classOf('一年级（1）班'));
    const id = student!.id;
    expect((await core.client.invoke('surveys.get', { studentId: id })).held).toBeNull();

    // Typed with address and phone unmasked, then the window closed: the core has the copy.
    await core.client.invoke('surveys.hold', {
      studentId: id,
      version: null,
      fields: { ...base, householdSize: 5, address: '青山镇新村1组' },
      flags: [{ group: 'disabledStudent', source: 'selfDeclared', sourceDate: null }],
    });
    const masked = await core.client.invoke('surveys.get', { studentId: id });
    expect(masked.held).toMatchObject({ version: null, hasPrivate: true, fields: { householdSize: 5 } });
    expect(masked.held!.fields.address).toBeUndefined();
    expect(JSON.stringify(masked)).not.toContain('新村');
    const full = await core.client.invoke('surveys.get', { studentId: id, reveal: true });
    expect(full.held!.fields.address).toBe('青山镇新村1组');
    expect(full.held!.flags).toEqual([{ group: 'disabledStudent', source: 'selfDeclared', sourceDate: null, area: null }]);
    // Nothing of the survey itself was written.
    expect(full.survey).toBeNull();

    // A second hold replaces the first; saving the survey drops it.
    await core.client.invoke('surveys.hold', { studentId: id, version: null, fields: { ...base, householdSize: 6 }, flags: [] });
    expect((await core.client.invoke('surveys.get', { studentId: id, reveal: true })).held!.fields.householdSize).toBe(6);
    await core.client.invoke('surveys.save', { studentId: id, status: 'draft', fields: { ...base, householdSize: 6 } });
    expect((await core.client.invoke('surveys.get', { studentId: id })).held).toBeNull();

    // Discarding forgets it.
    await core.client.invoke('surveys.hold', { studentId: id, version: 1, fields: base, flags: [] });
    expect(await core.client.invoke('surveys.release', { studentId: id })).toEqual({ released: true });
    expect((await core.client.invoke('surveys.get', { studentId: id })).held).toBeNull();
    expect(await core.client.invoke('surveys.release', { studentId: id })).toEqual({ released: false });
  });

  it('refuses to hold more forms than any clerk leaves half-typed, and holds nothing for a student who left', async () => {
    const ids = core.ctx.store.sqlite
      .prepare(`SELECT id FROM student WHERE status = 'enrolled' ORDER BY id LIMIT 201`)
      .pluck()
      .all() as number[];
    for (const id of ids.slice(0, 200)) await core.client.invoke('surveys.hold', { studentId: id, version: null, fields: base, flags: [] });
    await expect(core.client.invoke('surveys.hold', { studentId: ids[200]!, version: null, fields: base, flags: [] })).rejects.toThrow(
      '已有 200 份调查表留有未保存的内容',
    );
    // Replacing one already held is still allowed.
    await core.client.invoke('surveys.hold', { studentId: ids[0]!, version: null, fields: { ...base, householdSize: 3 }, flags: [] });

    await core.client.invoke('students.setStatus', { ids: [ids[200]!], status: 'left', reason: 'transferred', date: '2026-10-01' });
    await expect(core.client.invoke('surveys.hold', { studentId: ids[200]!, version: null, fields: base, flags: [] })).rejects.toThrow(
      '已离校',
    );
  });
});
