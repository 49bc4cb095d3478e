/**
 * The money path as an inspector tries it: each case below was possible before and must stay impossible.
 * Small made-up schools (tests/helpers/scenario.ts), driven through the contract on real SQLite.
 */
import ExcelJS from 'exceljs';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Term } from '../../../shared/domain/school';
import { testCore, type TestCore } from '../../helpers/core';
import { applyAndReview, cardOf, declare, identify, idOf, importCountyList, programme, smallSchool } from '../../helpers/scenario';

let core: TestCore;
const term: Term = '2026-autumn';
beforeEach(async () => {
  core = await testCore({ school: false });
});
afterEach(async () => core.close());

const sql = <T>(query: string, ...params: unknown[]) => core.ctx.store.sqlite.prepare(query).all(...params) as T[];
const statusOf = (studentId: number, programmeId: number) =>
  core.ctx.store.sqlite
    .prepare(`SELECT status FROM application WHERE student_id = ? AND programme_id = ?`)
    .pluck()
    .get(studentId, programmeId);

/** Posts the programme's funded applications today, closes the list after the period, approves them. */
async function publiciseAndApprove(programmeId: number, from: string, to: string) {
  core.setToday(from);
  const pub = await core.client.invoke('publicity.createProgramme', { programmeId, term, complaintPhone: '0745-1234567' });
  core.setToday(to);
  await core.client.invoke('publicity.close', { id: pub.id });
  const posted = (await core.client.invoke('applications.list', { programmeId, term, status: 'publicity' })).rows.map((a) => a.id);
  return core.client.invoke('applications.transition', { ids: posted, action: 'approve' });
}

/** 甲 and 乙 of 三年级, both of 脱贫家庭, on 2026-11-02, and the 非寄宿生生活补助 both may hold. */
async function twoEligible() {
  core.setToday('2026-11-02');
  const ids = await smallSchool(core, [
    { name: '甲', grade: '三年级' },
    { name: '乙', grade: '三年级' },
  ]);
  for (const id of ids.values()) await declare(core, id, ['povertyAlleviated']);
  return { ids, p: await programme(core, 'day-subsidy') };
}

async function bankFile(rows: (string | number)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('结果');
  ws.addRow(['账号', '户名', '金额', '处理结果', '失败原因']);
  for (const r of rows) ws.addRow(r);
  return { fileName: `回单${rows.length}.xlsx`, dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
}

describe('bank result files', () => {
  /** Four day students of the 四类, the day subsidy reviewed, allocated, posted, closed and approved (not yet reported). */
  async function approvedDaySubsidy() {
    core.setToday('2026-11-02');
    const ids = await smallSchool(core, [
      { name: '王小一', grade: '三年级', guardian: '王大山' },
      { name: '王小二', grade: '五年级', guardian: '王大山' },
      { name: '王小三', grade: '八年级', guardian: '王大山' },
      { name: '李小四', grade: '四年级', guardian: '李二' },
    ]);
    for (const id of ids.values()) await declare(core, id, ['povertyAlleviated']);
    const p = await programme(core, 'day-subsidy');
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 4 });
    await applyAndReview(core, p.id, term, [...ids.values()]);
    await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    expect((await publiciseAndApprove(p.id, '2026-11-02', '2026-11-09')).changed).toBe(4);
    core.setToday('2026-11-20');
    return { ids, p };
  }
  const report = async (programmeId: number) => {
    const approved = (await core.client.invoke('applications.list', { programmeId, term, status: 'approved' })).rows.map((a) => a.id);
    return core.client.invoke('applications.transition', { ids: approved, action: 'report' });
  };

  it('records nothing from a file whose rows cannot be recorded yet, so the same file is taken once the list is reported', async () => {
    const { ids, p } = await approvedDaySubsidy();
    const id = ids.get('李小四')!;
    const file = await bankFile([[cardOf(core, id), '李小四', 312.5, '成功', '']]);
    const early = await core.client.invoke('payments.importBank', {
      upload: file,
      programmeId: p.id,
      term,
      paidOn: '2026-11-20',
      dryRun: false,
    });
    expect(early).toMatchObject({ paid: 0, unmatched: [{ row: 2, reason: expect.stringContaining('尚未上报') }] });
    expect(sql(`SELECT * FROM bank_batch`)).toEqual([]);
    await report(p.id);
    const later = await core.client.invoke('payments.importBank', {
      upload: file,
      programmeId: p.id,
      term,
      paidOn: '2026-11-20',
      dryRun: false,
    });
    expect(later).toMatchObject({ paid: 1, unmatched: [] });
    expect(statusOf(id, p.id)).toBe('paid');
    // Now every row of that file is taken: the file again is refused, and nothing is recorded twice.
    await expect(
      core.client.invoke('payments.importBank', { upload: file, programmeId: p.id, term, paidOn: '2026-11-20', dryRun: false }),
    ).rejects.toThrow('不重复登记');
  });

  it('lists a guardian-named row for siblings sharing a card unless the amount tells them apart, and never without a 委托书', async () => {
    const { ids, p } = await approvedDaySubsidy();
    await report(p.id);
    const card = cardOf(core, ids.get('王小一')!);
    for (const name of ['王小一', '王小二', '王小三']) {
      const id = ids.get(name)!;
      core.ctx.store.sqlite.prepare(`UPDATE student SET bank_card = ? WHERE id = ?`).run(card, id);
      await core.client.invoke('students.setAccount', { id, holder: 'guardian', holderName: '王大山', proxyLetter: name !== '王小三' });
    }
    // 王小一 and 王小二 are both primary pupils (312.50 each); 王小三 is in junior school (375.00).
    const file = await bankFile([
      [card, '王大山', 312.5, '成功', ''],
      [card, '王大山', 375, '成功', ''],
      [card, '王大山', 312.5, '失败', '账户冻结'],
    ]);
    const r = await core.client.invoke('payments.importBank', {
      upload: file,
      programmeId: p.id,
      term,
      paidOn: '2026-11-20',
      dryRun: false,
    });
    expect(r.paid).toBe(0);
    expect(r.failed).toEqual([]);
    expect(r.unmatched.map((u) => [u.row, u.reason])).toEqual([
      [2, expect.stringMatching(/该账号由王小一、王小二共用（户名王大山），无法判断这一行是谁的/)],
      [3, expect.stringMatching(/王小三的账户是监护人王大山的，但没有登记委托书/)],
      [4, expect.stringMatching(/该账号由王小一、王小二共用/)],
    ]);
    expect(sql(`SELECT * FROM payment`)).toEqual([]);
    // The 委托书 arrives: the same file's 王小三 row is recorded now; the siblings' rows stay listed.
    await core.client.invoke('students.setAccount', {
      id: ids.get('王小三')!,
      holder: 'guardian',
      holderName: '王大山',
      proxyLetter: true,
    });
    const again = await core.client.invoke('payments.importBank', {
      upload: file,
      programmeId: p.id,
      term,
      paidOn: '2026-11-20',
      dryRun: false,
    });
    expect(again).toMatchObject({ paid: 1 });
    expect(
      sql<{ holder: string; holder_name: string; proxy_letter: number }>(`SELECT holder, holder_name, proxy_letter FROM payment`),
    ).toEqual([{ holder: 'guardian', holder_name: '王大山', proxy_letter: 1 }]);
    // A row naming the guardian of a student whose account is registered as the student's own is listed too.
    const li = ids.get('李小四')!;
    const other = await bankFile([[cardOf(core, li), '李二', 312.5, '成功', '']]);
    const o = await core.client.invoke('payments.importBank', { upload: other, programmeId: p.id, term, paidOn: '2026-11-20' });
    expect(o.unmatched[0]!.reason).toMatch(/户名是监护人李二，但李小四登记的是本人账户/);
  });

  it('never reads a failure as paid, and reports an account that lost its last digits in a numeric cell', async () => {
    const { ids, p } = await approvedDaySubsidy();
    await report(p.id);
    const rows = ['王小一', '王小二', '王小三'].map((n) => ids.get(n)!);
    const file = await bankFile([
      [cardOf(core, rows[0]!), '王小一', 312.5, '未成功', ''],
      [cardOf(core, rows[1]!), '王小二', 312.5, '交易未完成', ''],
      [cardOf(core, rows[2]!), '王小三', 375, '处理中', ''],
      [Number(cardOf(core, ids.get('李小四')!)), '李小四', 312.5, '成功', ''],
    ]);
    const r = await core.client.invoke('payments.importBank', {
      upload: file,
      programmeId: p.id,
      term,
      paidOn: '2026-11-20',
      dryRun: false,
    });
    expect(r.paid).toBe(0);
    expect(r.failed.map((f) => f.student)).toEqual(['王小一', '王小二']);
    expect(r.unmatched.map((u) => [u.row, u.reason])).toEqual([
      [4, expect.stringContaining('“处理中”无法识别')],
      [5, expect.stringContaining('账号被存成了数字')],
    ]);
    expect(sql(`SELECT count(*) AS n FROM payment WHERE outcome = 'paid'`)).toEqual([{ n: 0 }]);
    // The failures stay open: a hand payment later is still possible (nothing was recorded as paid).
    const manual = await core.client.invoke('payments.record', {
      applicationIds: [sql<{ id: number }>(`SELECT id FROM application WHERE student_id = ?`, rows[0])[0]!.id],
      paidOn: '2026-11-20',
      channel: 'bankCard',
    });
    expect(manual.recorded).toBe(1);
  });
});

describe('publicity held to the core clock', () => {
  async function decidedSchool(decidedOn = '2026-09-20') {
    const ids = await smallSchool(core, [
      { name: '甲', grade: '三年级' },
      { name: '乙', grade: '三年级' },
      { name: '丙', grade: '四年级', classNo: 2 },
    ]);
    await identify(core, [...ids.values()], 'difficult', decidedOn);
    return ids;
  }

  it('will not close a publicity the day it starts; it closes on the core today once its period has run', async () => {
    await decidedSchool();
    core.setToday('2026-11-16');
    const p = await core.client.invoke('publicity.createIdentification', { complaintPhone: '0745-1234567' });
    expect(p).toMatchObject({ startsOn: '2026-11-16', endsOn: '2026-11-20', workingDays: 5, backdateReason: '' });
    await expect(core.client.invoke('publicity.close', { id: p.id })).rejects.toThrow('今天（2026-11-16）不能结束');
    // A date sent by a client is not even read: the contract has no field for it.
    await expect(core.client.invoke('publicity.close', { id: p.id, closedOn: '2026-12-31' } as never)).rejects.toThrow('不能结束');
    core.setToday('2026-11-20');
    expect(await core.client.invoke('publicity.close', { id: p.id })).toMatchObject({ status: 'closed', closedOn: '2026-11-20' });
  });

  it('refuses a start before the decision it publishes, and a back-dated start without a reason', async () => {
    await decidedSchool('2026-11-10');
    core.setToday('2026-11-16');
    const args = { complaintPhone: '0745-1234567' };
    await expect(
      core.client.invoke('publicity.createIdentification', { ...args, startsOn: '2026-11-09', backdateReason: '已张贴，今天补录' }),
    ).rejects.toThrow('早于所公示的决定（2026-11-10）');
    await expect(core.client.invoke('publicity.createIdentification', { ...args, startsOn: '2026-11-12' })).rejects.toThrow('须写明原因');
    const p = await core.client.invoke('publicity.createIdentification', {
      ...args,
      startsOn: '2026-11-12',
      backdateReason: '已张贴，今天补录',
    });
    expect(p).toMatchObject({ startsOn: '2026-11-12', backdateReason: '已张贴，今天补录' });
  });

  it('holds each level to the minimum working days the school set', async () => {
    const ids = await decidedSchool();
    core.setToday('2026-11-16');
    await expect(core.client.invoke('publicity.createIdentification', { complaintPhone: '0745-1234567', workingDays: 1 })).rejects.toThrow(
      '学校公示至少 5 个工作日',
    );
    await core.client.invoke('publicity.saveRules', { twoLevel: true, minDays: { school: 7, class: 2 } });
    await expect(core.client.invoke('publicity.createIdentification', { complaintPhone: '0745-1234567', workingDays: 5 })).rejects.toThrow(
      '学校公示至少 7 个工作日',
    );
    const classId = sql<{ class_id: number }>(`SELECT class_id FROM student WHERE id = ?`, ids.get('甲'))[0]!.class_id;
    await expect(core.client.invoke('publicity.createIdentification', { complaintPhone: '0745-1234567', level: 'class' })).rejects.toThrow(
      '班级公示须选择班级',
    );
    const cls = await core.client.invoke('publicity.createIdentification', {
      complaintPhone: '0745-1234567',
      level: 'class',
      classId,
      workingDays: 2,
    });
    expect(cls).toMatchObject({ level: 'class', entryCount: 2, endsOn: '2026-11-17' });
    // The school list includes the class already posted at class level.
    const school = await core.client.invoke('publicity.createIdentification', { complaintPhone: '0745-1234567', workingDays: 7 });
    expect(school).toMatchObject({ level: 'school', entryCount: 3 });
  });

  it('counts working days on the State Council calendar, and follows the clerk corrections', async () => {
    await decidedSchool();
    core.setToday('2026-09-30');
    const p = await core.client.invoke('publicity.createIdentification', { complaintPhone: '0745-1234567' });
    // 30 September, then 8, 9 and the worked Saturday 10 October, then Monday 12 (1–7 October are the holiday).
    expect(p.endsOn).toBe('2026-10-12');
    expect(await core.client.invoke('calendar.periodEnd', { startsOn: '2026-09-30', workingDays: 5 })).toEqual({
      startsOn: '2026-09-30',
      endsOn: '2026-10-12',
    });
    // The county gives 12 October off (a local holiday): the open period runs a day longer.
    const cal = await core.client.invoke('calendar.set', { year: 2026, days: [{ date: '2026-10-12', kind: 'holiday', name: '县里放假' }] });
    expect(cal.days.find((d) => d.date === '2026-10-12')).toMatchObject({ kind: 'holiday', source: 'clerk' });
    expect((await core.client.invoke('publicity.get', { id: p.id })).endsOn).toBe('2026-10-13');
    // A year not published yet ships nothing: the clerk enters it.
    expect(await core.client.invoke('calendar.get', { year: 2027 })).toMatchObject({ shipped: false, days: [] });
    await expect(
      core.client.invoke('calendar.set', { year: 2026, days: [{ date: '2026-02-30', kind: 'holiday', name: '' }] }),
    ).rejects.toThrow('这一天不存在');
  });

  it('two-level publicity: the recipients need a closed class list and a closed school list before approval', async () => {
    core.setToday('2026-11-02');
    const ids = await smallSchool(core, [
      { name: '甲', grade: '三年级' },
      { name: '乙', grade: '三年级' },
    ]);
    for (const id of ids.values()) await declare(core, id, ['povertyAlleviated']);
    await core.client.invoke('publicity.saveRules', { twoLevel: true, minDays: { school: 5, class: 2 } });
    const p = await programme(core, 'day-subsidy');
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 2 });
    await applyAndReview(core, p.id, term, [...ids.values()]);
    await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    const classId = sql<{ class_id: number }>(`SELECT class_id FROM student WHERE id = ?`, ids.get('甲'))[0]!.class_id;
    const cls = await core.client.invoke('publicity.createProgramme', {
      programmeId: p.id,
      term,
      complaintPhone: '0745-1',
      level: 'class',
      classId,
      workingDays: 2,
    });
    const posted = (await core.client.invoke('applications.list', { programmeId: p.id, term, status: 'publicity' })).rows.map((a) => a.id);
    expect(posted).toHaveLength(2);
    core.setToday('2026-11-03');
    await core.client.invoke('publicity.close', { id: cls.id });
    let r = await core.client.invoke('applications.transition', { ids: posted, action: 'approve' });
    expect(r.refused[0]!.reason).toBe('还没有进行学校公示');
    const school = await core.client.invoke('publicity.createProgramme', { programmeId: p.id, term, complaintPhone: '0745-1' });
    expect(school.entryCount).toBe(2);
    r = await core.client.invoke('applications.transition', { ids: posted, action: 'approve' });
    expect(r.refused[0]!.reason).toMatch(/学校公示尚未结束/);
    core.setToday('2026-11-09');
    await core.client.invoke('publicity.close', { id: school.id });
    expect((await core.client.invoke('applications.transition', { ids: posted, action: 'approve' })).changed).toBe(2);
  });
});

describe('allocation', () => {
  async function seniorSchool(n: number) {
    core.setToday('2026-11-02');
    const kids = Array.from({ length: n }, (_, i) => ({
      name: `学生${String(i + 1).padStart(2, '0')}`,
      grade: '高一',
      classNo: 1 + (i % 2),
    }));
    const ids = await smallSchool(core, kids, ['senior']);
    return { ids, p: await programme(core, 'senior-grant') };
  }

  it('never funds a quota twice: a later round fills only the places and tiers left by the recipients already approved', async () => {
    const { ids, p } = await seniorSchool(7);
    const all = [...ids.values()];
    await identify(core, all.slice(0, 4), 'difficult');
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 4 });
    await applyAndReview(core, p.id, term, all.slice(0, 4));
    expect((await core.client.invoke('applications.allocate', { programmeId: p.id, term })).tierCounts).toEqual({ 1: 1, 2: 2, 3: 1 });
    expect((await publiciseAndApprove(p.id, '2026-11-02', '2026-11-09')).changed).toBe(4);

    // Three more families apply later in the term.
    await identify(core, all.slice(4), 'difficult', '2026-11-09');
    await applyAndReview(core, p.id, term, all.slice(4));
    const none = await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    expect(none).toMatchObject({ held: 4, funded: 0, unfunded: [{}, {}, {}] });
    expect(none.note).toContain('已公示或审核通过的 4 人保留原档次');
    // The county adds two places: 6 at 25/50/25 is 2/3/1, of which 1/2/1 are held.
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 6 });
    const more = await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    expect(more).toMatchObject({ held: 4, funded: 2, tierCounts: { 1: 1, 2: 1, 3: 0 } });
    const live = sql<{ tier: number }>(`SELECT tier FROM application WHERE funded = 1 AND tier IS NOT NULL`);
    expect(live).toHaveLength(6);
    const findings = await core.client.invoke('checks.run', { term, programmeId: p.id });
    expect(findings.filter((f) => f.code === 'over-quota')).toEqual([]);
  });

  it('hands the places a class cannot use to eligible students of other classes', async () => {
    const { ids, p } = await seniorSchool(10);
    // Class 1 has five students but one applicant; class 2 has five applicants. Four places by enrolment: 2 and 2.
    const inClass = (n: number) =>
      sql<{ id: number }>(`SELECT s.id FROM student s JOIN school_class c ON c.id = s.class_id WHERE c.number = ?`, n).map((r) => r.id);
    const applicants = [inClass(1)[0]!, ...inClass(2)];
    await identify(core, applicants, 'difficult');
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 4, distribution: 'class', basis: 'enrolment' });
    await applyAndReview(core, p.id, term, applicants);
    const r = await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    expect(r.funded).toBe(4);
    expect(Object.values(r.shares!)).toEqual([2, 2]);
    const rows = (await core.client.invoke('applications.list', { programmeId: p.id, term })).rows;
    expect(rows.filter((a) => a.funded && a.rankReason.includes('获其他班级（年级）未用完的名额'))).toHaveLength(1);
    expect(ids.size).toBe(10);
  });

  it('breaks ties by the lower per-capita income, then the earlier identification, and says so in the reason', async () => {
    const { ids, p } = await seniorSchool(3);
    const [a, b, c] = [...ids.values()];
    await identify(core, [a!], 'difficult', '2026-09-20', 400_000);
    await identify(core, [b!], 'difficult', '2026-09-20', 200_000);
    await identify(core, [c!], 'difficult', '2026-09-10', 400_000);
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 1 });
    await applyAndReview(core, p.id, term, [a!, b!, c!]);
    const r = await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    const rows = (await core.client.invoke('applications.list', { programmeId: p.id, term })).rows;
    expect(new Set(rows.map((x) => x.score)).size).toBe(1);
    const byRank = [...rows].sort((x, y) => x.rank! - y.rank!).map((x) => x.studentId);
    // B has the lowest income; C and A earn the same, and C was identified first.
    expect(byRank).toEqual([b, c, a]);
    expect(rows.find((x) => x.studentId === b)!.rankReason).toContain('家庭人均年收入 500 元');
    expect(rows.find((x) => x.studentId === c)!.rankReason).toContain('2026-09-10 认定');
    expect(r.tieRule).toMatch(/家庭人均年收入较低者优先/);
  });
});

describe('undo, objections and approval', () => {
  it('keeps an objection outcome: a plain undo cannot reverse it, reopening needs a reason', async () => {
    core.setToday('2026-11-02');
    const ids = await smallSchool(core, [{ name: '甲', grade: '三年级' }]);
    const id = ids.get('甲')!;
    await declare(core, id, ['povertyAlleviated']);
    const p = await programme(core, 'day-subsidy');
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 1 });
    const [appId] = await applyAndReview(core, p.id, term, [id]);
    await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    const pub = await core.client.invoke('publicity.createProgramme', { programmeId: p.id, term, complaintPhone: '0745-1' });
    core.setToday('2026-11-03');
    const o = await core.client.invoke('publicity.addObjection', {
      publicityId: pub.id,
      studentId: id,
      receivedOn: '2026-11-03',
      raisedBy: '匿名',
      content: '不符合',
    });
    await core.client.invoke('publicity.resolveObjection', {
      objectionId: o.id,
      outcome: 'changed',
      newTier: null,
      reviewNote: '家访核实家庭已脱困',
      answer: '已取消',
      resolvedOn: '2026-11-03',
    });
    expect(statusOf(id, p.id)).toBe('rejected');
    await expect(core.client.invoke('applications.undo', { id: appId! })).rejects.toThrow('公示异议复核的结果，不能撤回');
    const noNote = await core.client.invoke('applications.transition', { ids: [appId!], action: 'reopen' });
    expect(noNote.refused[0]!.reason).toBe('“重新审核”须写明原因');
    const reopened = await core.client.invoke('applications.transition', { ids: [appId!], action: 'reopen', note: '申诉后重新核实' });
    expect(reopened.changed).toBe(1);
    expect(statusOf(id, p.id)).toBe('schoolReview');
    const events = await core.client.invoke('applications.history', { id: appId! });
    expect(events.slice(0, 2).map((e) => [e.from, e.to])).toEqual([
      ['rejected', 'schoolReview'],
      ['publicity', 'rejected'],
    ]);
  });

  it('approves only a funded application with its tier, whatever the publicity says', async () => {
    const { ids, p } = await twoEligible();
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 2 });
    await applyAndReview(core, p.id, term, [...ids.values()]);
    await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    const pub = await core.client.invoke('publicity.createProgramme', { programmeId: p.id, term, complaintPhone: '0745-1' });
    core.setToday('2026-11-09');
    await core.client.invoke('publicity.close', { id: pub.id });
    // A desk from before could hold a posted application with no tier: it is refused, never approved.
    const [first] = sql<{ id: number }>(`SELECT id FROM application ORDER BY id`);
    core.ctx.store.sqlite.prepare(`UPDATE application SET funded = 0, tier = NULL, amount_fen = NULL WHERE id = ?`).run(first!.id);
    const r = await core.client.invoke('applications.transition', {
      ids: sql<{ id: number }>(`SELECT id FROM application`).map((x) => x.id),
      action: 'approve',
    });
    expect(r.changed).toBe(1);
    expect(r.refused).toEqual([{ applicationId: first!.id, name: '甲', reason: '没有获得名额或没有分配档次，不能审核通过' }]);
  });

  it('has one writer of an application status: no other module of the core updates the table or its events', () => {
    const root = join(import.meta.dirname, '..', '..', '..', 'electron', 'core');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.includes(`${join('db', 'migrations')}`)) files.push(path);
      }
    };
    walk(root);
    const writers = files.filter((f) =>
      /UPDATE application SET|INSERT INTO application_event|UPDATE application_event|updateTable\('application/.test(
        readFileSync(f, 'utf8'),
      ),
    );
    expect(writers.map((f) => f.slice(root.length + 1))).toEqual([join('programmes', 'applications.ts')]);
  });
});

describe('who is eligible', () => {
  it('takes rural 低保 and 特困 as 四类, never urban ones, and names those whose 城乡 is not known', async () => {
    const ids = await smallSchool(core, [
      { name: '农村低保', grade: '三年级' },
      { name: '城市低保', grade: '三年级' },
      { name: '不详低保', grade: '三年级' },
      { name: '监测户', grade: '三年级' },
      { name: '残疾一般', grade: '三年级' },
      { name: '残疾不困难', grade: '三年级' },
    ]);
    await declare(core, ids.get('农村低保')!, ['dibao'], 'rural');
    await declare(core, ids.get('城市低保')!, ['dibao'], 'urban');
    await declare(core, ids.get('不详低保')!, ['dibao'], null);
    await declare(core, ids.get('监测户')!, ['monitored']);
    await declare(core, ids.get('残疾一般')!, ['disabledStudent']);
    await declare(core, ids.get('残疾不困难')!, ['disabledStudent']);
    await identify(core, [ids.get('残疾一般')!], 'general');
    await identify(core, [ids.get('残疾不困难')!], 'none');
    const p = await programme(core, 'day-subsidy');
    const r = await core.client.invoke('applications.create', { programmeId: p.id, term, from: 'students', studentIds: [...ids.values()] });
    expect(r.created).toBe(3);
    expect(r.skipped.map((s) => s.name).sort()).toEqual(['不详低保', '城市低保', '残疾不困难']);
    const created = (await core.client.invoke('applications.list', { programmeId: p.id, term })).rows.map((a) => a.name).sort();
    expect(created).toEqual(['农村低保', '残疾一般', '监测户']);
    const findings = await core.client.invoke('checks.run', { term, programmeId: p.id });
    expect(findings.filter((f) => f.code === 'area-unknown').map((f) => f.student)).toEqual(['不详低保']);
    // The senior fee waiver follows the same rule.
    const waiver = await programme(core, 'senior-fee-waiver');
    expect(waiver.eligibility).toMatchObject({ fourCategories: true, groups: [] });
  });

  it('counts a flag as listed only while the newest list of its kind still names the student', async () => {
    const ids = await smallSchool(core, [
      { name: '甲', grade: '三年级' },
      { name: '乙', grade: '三年级' },
    ]);
    const [a, b] = [ids.get('甲')!, ids.get('乙')!];
    await importCountyList(
      core,
      'poverty',
      [
        { name: '甲', idNumber: idOf(core, a), category: '脱贫人口' },
        { name: '乙', idNumber: idOf(core, b), category: '脱贫人口' },
      ],
      '2026-03-01',
    );
    const p = await programme(core, 'day-subsidy');
    await core.client.invoke('applications.create', { programmeId: p.id, term, from: 'students', studentIds: [a, b] });
    const submit = async () => {
      const draftIds = (await core.client.invoke('applications.list', { programmeId: p.id, term })).rows.map((x) => x.id);
      await core.client.invoke('applications.transition', { ids: draftIds, action: 'submit' });
    };
    await submit();
    const notListed = async () =>
      (await core.client.invoke('checks.run', { term, programmeId: p.id }))
        .filter((f) => f.code === 'flag-not-listed')
        .map((f) => f.student);
    expect(await notListed()).toEqual([]);
    // September's list no longer has 甲: the March flag no longer counts as listed.
    await importCountyList(
      core,
      'poverty',
      [{ name: '乙', idNumber: idOf(core, b), category: '脱贫人口' }],
      '2026-09-01',
      null,
      '2026年9月名单',
    );
    expect(await notListed()).toEqual(['甲']);
    expect((await core.client.invoke('crosscheck.run', {})).flaggedNotListed.map((i) => i.name)).toEqual(['甲']);
  });

  it('gives the 免保育教育费 to 大班 children only, by default', async () => {
    const ids = await smallSchool(
      core,
      [
        { name: '大班娃', grade: '大班' },
        { name: '中班娃', grade: '中班' },
      ],
      ['preschool', 'primary'],
    );
    const p = await programme(core, 'preschool-fee-waiver');
    const r = await core.client.invoke('applications.create', { programmeId: p.id, term, from: 'students', studentIds: [...ids.values()] });
    expect(r.created).toBe(1);
    expect(r.skipped).toEqual([{ name: '中班娃', reason: '只资助大班的学生' }]);
  });

  it('puts 一年级 of a junior-only school in junior school when the roster has no 学段 column', async () => {
    await smallSchool(core, [{ name: '初一生', grade: '一年级' }], ['junior']);
    expect(sql(`SELECT stage, grade FROM school_class`)).toEqual([{ stage: 'junior', grade: '七年级' }]);
  });
});

describe('nobody missed (应助尽助)', () => {
  it('counts a student whose application was withdrawn as seen, not missed', async () => {
    const { ids, p } = await twoEligible();
    const [withdrawn] = await applyAndReview(core, p.id, term, [ids.get('甲')!]);
    await core.client.invoke('applications.transition', { ids: [withdrawn!], action: 'withdraw', note: '家长书面放弃' });
    const missed = (await core.client.invoke('checks.run', { term, programmeId: p.id }))
      .filter((f) => f.code === 'nobody-missed')
      .map((f) => f.student);
    expect(missed).toEqual(['乙']);
  });

  it('names every eligible student without an application and each left unfunded; an explanation stays with the finding', async () => {
    core.setToday('2026-11-02');
    const ids = await smallSchool(core, [
      { name: '甲', grade: '三年级' },
      { name: '乙', grade: '三年级' },
      { name: '丙', grade: '三年级' },
      { name: '丁', grade: '三年级', boarding: true },
    ]);
    for (const id of ids.values()) await declare(core, id, ['povertyAlleviated']);
    await identify(core, [ids.get('丁')!], 'difficult');
    const p = await programme(core, 'day-subsidy');
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 1 });
    await applyAndReview(core, p.id, term, [ids.get('甲')!, ids.get('乙')!]);
    await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    const all = await core.client.invoke('checks.run', { term, programmeId: null });
    const missed = all
      .filter((f) => f.code === 'nobody-missed' || f.code === 'unfunded-eligible')
      .map((f) => [f.programme, f.student, f.code]);
    // 丙 has no application for the day subsidy; 乙 was ranked below the quota; 丁 boards and is identified but has no boarder subsidy.
    expect(missed.sort()).toEqual(
      [
        ['义务教育非寄宿生生活补助', '丙', 'nobody-missed'],
        ['义务教育非寄宿生生活补助', '乙', 'unfunded-eligible'],
        ['义务教育寄宿生生活补助', '丁', 'nobody-missed'],
      ].sort(),
    );
    const after = await core.client.invoke('checks.acknowledge', {
      term,
      programmeId: p.id,
      studentId: ids.get('丙')!,
      code: 'nobody-missed',
      reason: '家长书面表示本学期不申请',
    });
    expect(after).toMatchObject({
      student: '丙',
      severity: 'warning',
      acknowledged: { reason: '家长书面表示本学期不申请' },
    });
    await expect(
      core.client.invoke('checks.acknowledge', {
        term,
        programmeId: p.id,
        studentId: ids.get('甲')!,
        code: 'nobody-missed',
        reason: '已经申请了',
      }),
    ).rejects.toThrow('没有这条检查结果');
  });
});

describe('statistics', () => {
  it('counts a programme paid in two sections under each, and writes no empty brackets', async () => {
    core.setToday('2026-11-02');
    const ids = await smallSchool(
      core,
      [
        { name: '大班娃', grade: '大班' },
        { name: '三年级娃', grade: '三年级' },
      ],
      ['preschool', 'primary'],
    );
    await identify(core, [...ids.values()], 'difficult');
    const p = await programme(core, 'school-aid');
    const { id: _i, code: _c, schoolYear: _y, builtIn: _b, ...definition } = p;
    await core.client.invoke('programmes.save', {
      id: p.id,
      definition: { ...definition, tiers: [{ tier: 1, proportion: 100, amounts: { preschool: 30_000, primary: 50_000 } }] },
    });
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 2 });
    await applyAndReview(core, p.id, term, [...ids.values()]);
    await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    expect((await publiciseAndApprove(p.id, '2026-11-02', '2026-11-09')).changed).toBe(2);
    const approved = sql<{ id: number }>(`SELECT id FROM application WHERE status = 'approved'`).map((r) => r.id);
    await core.client.invoke('applications.transition', { ids: approved, action: 'report' });
    expect(
      (await core.client.invoke('payments.record', { applicationIds: approved, paidOn: '2026-11-09', channel: 'bankCard' })).recorded,
    ).toBe(2);
    const stats = await core.client.invoke('stats.get', { term });
    expect(stats.current.programmes.map((x) => [x.programmeName, x.section, x.amount])).toEqual([
      ['校内资助', 'preschool', 30_000],
      ['校内资助', 'compulsory', 50_000],
    ]);
    const { text } = await core.client.invoke('stats.summary', { term });
    expect(text).toContain('其中学前教育阶段资助1人、1人次，发放300元（校内资助1人次、300元）');
    expect(text).toContain('其中义务教育阶段资助1人、1人次，发放500元（校内资助1人次、500元）');
    expect(text).not.toContain('（）');
  });
});
