import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCore, type TestCore } from '../../helpers/core';
import { importCentralRoster, upload } from '../../helpers/fixtures';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
  await importCentralRoster(core);
});
afterEach(async () => core.close());

const classId = () => core.ctx.store.sqlite.prepare(`SELECT id FROM school_class WHERE name = '三年级（1）班'`).pluck().get() as number;
/** Students of the class without any roster flag (留守 would add points). */
const students = () =>
  core.ctx.store.sqlite
    .prepare(
      `SELECT id, name, id_number, guardian_phone, address FROM student WHERE class_id = ? AND id NOT IN (SELECT student_id FROM priority_flag) ORDER BY id`,
    )
    .all(classId()) as {
    id: number;
    name: string;
    id_number: string;
    guardian_phone: string;
    address: string;
  }[];

const poorFamily = {
  householdSize: 4,
  hukou: 'rural' as const,
  address: '青山镇龙潭村',
  guardianPhone: '13907451234',
  members: [
    { name: '父', age: 41, relation: '父亲', workplace: '', occupation: '务农', annualIncome: 800_000, health: 'serious' as const },
    { name: '母', age: 38, relation: '母亲', workplace: '', occupation: '务农', annualIncome: 400_000, health: 'healthy' as const },
    { name: '妹', age: 6, relation: '妹妹', workplace: '', occupation: '学生', annualIncome: 0, health: 'healthy' as const },
  ],
  factors: ['seriousIllness' as const],
  otherHardship: '',
  incomeSource: 'farming' as const,
  childrenInSchool: 2,
  commitmentSigned: true,
  commitmentDate: '2026-09-10',
  enteredBy: '王老师',
  note: '',
};

async function scoredCase(studentId: number) {
  await core.client.invoke('surveys.save', { studentId, status: 'complete', fields: poorFamily });
  await core.client.invoke('identification.score', { studentIds: [studentId] });
  return (await core.client.invoke('identification.case', { studentId })).current!;
}

describe('identification', () => {
  it('scores a survey with the default rubric and explains every point', async () => {
    const c = await scoredCase(students()[0]!.id);
    // 3000 yuan per head → 40; serious illness 15; a member 大病或重残 10; one more child in school 3.
    expect(c.scoreLines).toEqual([
      { label: '家庭人均年收入 3000 元（不超过 3000 元）', points: 40 },
      { label: '家庭成员患重大疾病', points: 15 },
      { label: '家庭成员健康状况', points: 10 },
      { label: '另有 1 名子女在读', points: 3 },
    ]);
    expect(c).toMatchObject({ score: 68, suggestedLevel: 'difficult', status: 'open' });
  });

  it('uses the rubric the school saved', async () => {
    const { rubric } = await core.client.invoke('rubric.get', {});
    await core.client.invoke('rubric.save', { rubric: { ...rubric, thresholds: { especially: 60, difficult: 40, general: 20 } } });
    expect((await scoredCase(students()[0]!.id)).suggestedLevel).toBe('especially');
    await expect(
      core.client.invoke('rubric.save', { rubric: { ...rubric, thresholds: { especially: 10, difficult: 40, general: 20 } } }),
    ).rejects.toThrow('特别困难 > 困难 > 一般困难');
  });

  it('records the panel vote, needs a reason for a level other than the suggestion, and freezes the decision', async () => {
    const s = students()[0]!;
    const c = await scoredCase(s.id);
    await expect(
      core.client.invoke('identification.panel', {
        classId: classId(),
        heldOn: '2026-09-20',
        members: ['甲', '乙'],
        votes: [{ identificationId: c.id, agree: 2, disagree: 0, abstain: 0, proposal: 'especially' }],
      }),
    ).rejects.toThrow('评议小组至少 3 人');
    await expect(
      core.client.invoke('identification.panel', {
        classId: classId(),
        heldOn: '2026-09-20',
        members: ['甲', '乙', '丙'],
        votes: [{ identificationId: c.id, agree: 3, disagree: 1, abstain: 0, proposal: 'especially' }],
      }),
    ).rejects.toThrow('票数合计 4 超过评议小组人数 3');
    await core.client.invoke('identification.panel', {
      classId: classId(),
      heldOn: '2026-09-20',
      members: ['班主任', '家长代表', '学生代表'],
      votes: [{ identificationId: c.id, agree: 2, disagree: 0, abstain: 1, proposal: 'especially' }],
    });
    await expect(
      core.client.invoke('identification.decide', {
        decisions: [{ identificationId: c.id, level: 'especially' }],
        decidedOn: '2026-09-25',
      }),
    ).rejects.toThrow(`${s.name}：认定为“特别困难”，与评分建议“困难”不同，请写明理由`);
    await core.client.invoke('identification.decide', {
      decisions: [{ identificationId: c.id, level: 'especially', reason: '母亲透析，医疗负担重' }],
      decidedOn: '2026-09-25',
      decidedBy: '认定工作组',
    });
    const decided = (await core.client.invoke('identification.case', { studentId: s.id })).current!;
    expect(decided).toMatchObject({
      status: 'decided',
      level: 'especially',
      votes: { agree: 2, disagree: 0, abstain: 1 },
      panelLevel: 'especially',
      panelHeldOn: '2026-09-20',
    });

    // A later survey edit does not touch the decision or its snapshot; scoring leaves decided cases alone.
    await core.client.invoke('surveys.save', { studentId: s.id, status: 'complete', fields: { ...poorFamily, householdSize: 2 } });
    await core.client.invoke('identification.score', {});
    const snapshot = JSON.parse(
      core.ctx.store.sqlite.prepare(`SELECT snapshot FROM identification WHERE id = ?`).pluck().get(c.id) as string,
    );
    expect(snapshot.survey.householdSize).toBe(4);
    expect((await core.client.invoke('identification.case', { studentId: s.id })).current).toMatchObject({
      level: 'especially',
      score: 68,
    });

    // A family recovering: the case re-opens, the old decision stays in the history.
    const reopened = await core.client.invoke('identification.reopen', { identificationId: c.id, reason: '父亲病愈返岗' });
    expect(reopened).toMatchObject({ status: 'open', previousId: c.id, reopenReason: '父亲病愈返岗' });
    await core.client.invoke('identification.score', { studentIds: [s.id] });
    const rescored = (await core.client.invoke('identification.case', { studentId: s.id })).current!;
    await core.client.invoke('identification.decide', {
      decisions: [{ identificationId: rescored.id, level: rescored.suggestedLevel! }],
      decidedOn: '2026-11-20',
    });
    const history = await core.client.invoke('identification.case', { studentId: s.id });
    expect(history.history).toEqual([expect.objectContaining({ id: c.id, status: 'superseded', level: 'especially' })]);
  });

  it('identifies students on the official lists directly, as 特别困难 by default', async () => {
    const preview = await core.client.invoke('lists.preview', { upload: upload('county-list-dibao-tekun.xlsx'), kind: 'dibao' });
    await core.client.invoke('lists.import', { uploadId: preview.uploadId, kind: 'dibao', layout: preview.layout, listDate: '2026-09-01' });
    const check = await core.client.invoke('crosscheck.run', {});
    await core.client.invoke('crosscheck.apply', {
      items: check.listedNotFlagged.map((i) => ({ studentId: i.studentId, group: i.group })),
    });
    const r = await core.client.invoke('identification.direct', { decidedOn: '2026-09-15' });
    expect(r.identified).toBe(new Set(check.listedNotFlagged.map((i) => i.studentId)).size);
    const one = (await core.client.invoke('identification.case', { studentId: check.listedNotFlagged[0]!.studentId })).current!;
    expect(one).toMatchObject({ status: 'decided', level: 'especially', direct: true });
    expect(one.reason).toMatch(/^县级名单确认：/);
    expect((await core.client.invoke('identification.direct', { decidedOn: '2026-09-15' })).identified).toBe(0);
  });
});

describe('publicity of the results', () => {
  async function decidedClass(n: number) {
    const list = students().slice(0, n);
    for (const s of list) await scoredCase(s.id);
    const cases = (await core.client.invoke('surveys.cases', { classId: classId() })).filter((c) => c.identification === 'open');
    await core.client.invoke('identification.decide', {
      decisions: cases.map((c) => ({ identificationId: c.identificationId!, level: c.suggestedLevel! })),
      decidedOn: '2026-09-25',
    });
    return list;
  }

  it('posts only name, grade, class and level; an open objection blocks closing; a change re-decides', async () => {
    const list = await decidedClass(3);
    core.setToday('2026-11-20');
    const p = await core.client.invoke('publicity.createIdentification', {
      startsOn: '2026-11-20',
      workingDays: 5,
      complaintPhone: '0745-1234567',
    });
    expect(p).toMatchObject({ endsOn: '2026-11-26', status: 'open', entryCount: 3 });
    expect(Object.keys(p.entries[0]!).sort()).toEqual(['className', 'grade', 'name', 'studentId', 'value']);
    expect(p.entries[0]).toMatchObject({ grade: '三年级', className: '三年级（1）班', value: '困难' });
    await expect(
      core.client.invoke('publicity.createIdentification', { startsOn: '2026-11-20', complaintPhone: '0745-1234567' }),
    ).rejects.toThrow('尚未公示');

    core.setToday('2026-11-23');
    const o = await core.client.invoke('publicity.addObjection', {
      publicityId: p.id,
      studentId: list[1]!.id,
      receivedOn: '2026-11-23',
      raisedBy: '匿名电话',
      content: '该生家里新建了楼房',
    });
    await expect(core.client.invoke('publicity.close', { id: p.id })).rejects.toThrow('还有 1 条异议未处理');
    core.setToday('2026-11-24');
    await expect(
      core.client.invoke('publicity.resolveObjection', {
        objectionId: o.id,
        outcome: 'changed',
        reviewNote: '家访核实',
        answer: '已调整',
        resolvedOn: '2026-11-24',
      }),
    ).rejects.toThrow('新的认定等级');
    await core.client.invoke('publicity.resolveObjection', {
      objectionId: o.id,
      outcome: 'changed',
      newLevel: 'general',
      reviewNote: '家访核实新建楼房属实',
      answer: '经复核，调整为一般困难',
      resolvedOn: '2026-11-24',
    });
    const after = await core.client.invoke('publicity.get', { id: p.id });
    expect(after.entries.find((e) => e.studentId === list[1]!.id)!.value).toBe('一般困难');
    expect(after.objections[0]).toMatchObject({ status: 'resolved', outcome: 'changed', answer: '经复核，调整为一般困难' });
    const c = await core.client.invoke('identification.case', { studentId: list[1]!.id });
    expect(c.current).toMatchObject({ level: 'general', status: 'decided' });
    expect(c.history[0]).toMatchObject({ level: 'difficult', status: 'superseded' });

    core.setToday('2026-11-25');
    await expect(core.client.invoke('publicity.close', { id: p.id })).rejects.toThrow('到 2026-11-26 才满 5 个工作日');
    core.setToday('2026-11-26');
    expect(await core.client.invoke('publicity.close', { id: p.id })).toMatchObject({ status: 'closed', closedOn: '2026-11-26' });
    await expect(
      core.client.invoke('publicity.addObjection', { publicityId: p.id, receivedOn: '2026-11-27', raisedBy: '甲', content: '迟到的异议' }),
    ).rejects.toThrow('已结束公示');
  });

  it('prints a notice without any ID number, phone, address or birth date', async () => {
    const list = await decidedClass(3);
    core.setToday('2026-11-20');
    const p = await core.client.invoke('publicity.createIdentification', { startsOn: '2026-11-20', complaintPhone: '0745-1234567' });
    const doc = await core.client.invoke('print.publicity', { id: p.id });
    expect(doc.html).toContain('认定等级');
    expect(doc.html).toContain('0745-1234567');
    for (const s of list) {
      expect(doc.html).toContain(s.name);
      expect(doc.html).not.toContain(s.id_number);
      expect(doc.html).not.toContain(s.id_number.slice(6, 14));
      if (s.guardian_phone) expect(doc.html).not.toContain(s.guardian_phone);
      if (s.address) expect(doc.html).not.toContain(s.address);
    }
    expect(doc.html).not.toContain('13907451234');
    expect(doc.html).not.toContain('龙潭村');
    expect(doc.html).not.toMatch(/\d{15,}/);
  });

  it('prints prefilled survey forms for a class, with ID numbers masked unless asked', async () => {
    const s = students()[0]!;
    await core.client.invoke('surveys.save', { studentId: s.id, status: 'complete', fields: poorFamily });
    const doc = await core.client.invoke('print.surveyForms', { classId: classId() });
    expect(doc.pages).toBe(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM student WHERE class_id = ?`).pluck().get(classId()));
    expect(doc.html).toContain('家庭经济困难学生认定申请表');
    expect(doc.html).toContain('本人承诺以上所填写资料真实，如有虚假，愿承担相应责任。');
    expect(doc.html).not.toContain(s.id_number);
    const full = await core.client.invoke('print.surveyForms', { studentIds: [s.id], fullNumbers: true });
    expect(full.html).toContain(s.id_number);
    expect(full.pages).toBe(1);
  });
});
