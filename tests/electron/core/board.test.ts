/**
 * 本学期工作台: a term walked through the contract, the board read after each step — every figure from the
 * data, the next action pointing at the step that is really next.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TermBoard } from '../../../shared/api/board';
import type { Term } from '../../../shared/domain/school';
import { defaultTermCalendar } from '../../../shared/rules/term-calendar';
import { testCore, type TestCore } from '../../helpers/core';
import { applyAndReview, cardOf, declare, identify, programme, smallSchool } from '../../helpers/scenario';

let core: TestCore;
const term: Term = '2026-autumn';
beforeEach(async () => {
  core = await testCore({ school: false });
});
afterEach(async () => core.close());

const board = () => core.client.invoke('board.term', {});
const stepOf = (b: TermBoard, code: string, key: string) => b.programmes.find((p) => p.code === code)!.steps.find((s) => s.key === key)!;
const idStep = (b: TermBoard, key: string) => b.identification.steps.find((s) => s.key === key)!;

describe('the term board', () => {
  it('follows a term from the roster to the bank file, each figure from the data', async () => {
    core.setToday('2026-09-10');
    const ids = await smallSchool(core, [
      { name: '王小一', grade: '三年级' },
      { name: '王小二', grade: '五年级' },
      { name: '李小三', grade: '八年级' },
      { name: '赵小四', grade: '四年级' },
    ]);
    let b = await board();
    expect(b.identification).toMatchObject({ enrolled: 4, surveyed: 0, decided: 0 });
    expect(idStep(b, 'survey')).toMatchObject({ state: 'todo', progress: '还没有调查表' });
    expect(b.identification.next).toMatchObject({ page: 'archive' });
    // The nutrition plan is served from the first school day, without applications: its card is there from the start.
    expect(b.programmes.map((p) => p.code)).toEqual(['nutrition']);
    expect(stepOf(b, 'nutrition', 'meals')).toMatchObject({ state: 'doing', progress: '已供餐 8 天，32 人天，¥160.00' });
    expect(stepOf(b, 'nutrition', 'funds')).toMatchObject({ state: 'todo', progress: '还没有登记资金文件和到账' });
    expect(b.notStarted.map((p) => p.code)).toContain('day-subsidy');
    // The calendar: September's survey week is under way on the 10th? It ended on the 7th; the notice month is on.
    expect(b.calendar.find((c) => c.key === 'survey')!.state).toBe('past');
    expect(b.calendar.find((c) => c.key === 'notice')!.state).toBe('now');

    for (const id of ids.values()) await declare(core, id, ['povertyAlleviated']);
    core.setToday('2026-09-20');
    await identify(core, [...ids.values()], 'especially', '2026-09-20');
    b = await board();
    expect(b.identification).toMatchObject({ decided: 4, identified: 4 });
    // The surveys were saved as drafts: the board says so, and where to finish them.
    expect(idStep(b, 'survey')).toMatchObject({ state: 'doing', progress: '已交调查表 0 份，未填完 4 份' });
    expect(idStep(b, 'identify')).toMatchObject({ state: 'done', progress: '已认定 4/4（困难 4 人）' });
    expect(idStep(b, 'publicity')).toMatchObject({ state: 'todo', progress: '未公示' });

    core.setToday('2026-11-02');
    const p = await programme(core, 'day-subsidy');
    await core.client.invoke('quotas.save', { programmeId: p.id, term, count: 4 });
    b = await board();
    expect(stepOf(b, 'day-subsidy', 'apply')).toMatchObject({ state: 'todo', progress: '还没有申请' });
    expect(b.programmes[0]!.next).toMatchObject({
      label: '建立申请',
      page: 'programmes',
      programmeCode: 'day-subsidy',
      term,
      tab: 'applications',
    });

    await applyAndReview(core, p.id, term, [...ids.values()]);
    await core.client.invoke('applications.allocate', { programmeId: p.id, term });
    b = await board();
    expect(stepOf(b, 'day-subsidy', 'apply')).toMatchObject({ state: 'done', progress: '申请 4 份' });
    expect(stepOf(b, 'day-subsidy', 'quota')).toMatchObject({ state: 'done', progress: '已分配 4 份' });
    expect(b.programmes[0]!.next).toMatchObject({ label: '公示受助名单' });

    const pub = await core.client.invoke('publicity.createProgramme', { programmeId: p.id, term, complaintPhone: '0745-1234567' });
    core.setToday('2026-11-04');
    b = await board();
    // Posted on Monday the 2nd for 5 working days: Wednesday the 4th leaves Thursday and Friday.
    expect(stepOf(b, 'day-subsidy', 'publicity')).toMatchObject({ state: 'doing', progress: '公示中，还有 2 个工作日（至 2026-11-06）' });
    core.setToday('2026-11-09');
    await core.client.invoke('publicity.close', { id: pub.id });
    const posted = (await core.client.invoke('applications.list', { programmeId: p.id, term, status: 'publicity' })).rows.map((a) => a.id);
    await core.client.invoke('applications.transition', { ids: posted, action: 'approve' });
    b = await board();
    expect(stepOf(b, 'day-subsidy', 'approve')).toMatchObject({ state: 'done', progress: '已通过 4/4' });
    // 上报 leads to the county's template on this programme.
    expect(stepOf(b, 'day-subsidy', 'report')).toMatchObject({ state: 'todo', progress: '已上报 0/4' });
    expect(b.programmes[0]!.next).toMatchObject({ page: 'exports', programmeCode: 'day-subsidy', term });

    await core.client.invoke('applications.transition', { ids: posted, action: 'report' });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('结果');
    ws.addRow(['账号', '户名', '金额', '处理结果', '失败原因']);
    const due = (await core.client.invoke('applications.list', { programmeId: p.id, term })).rows;
    due.forEach((a, i) =>
      ws.addRow([cardOf(core, a.studentId), a.name, a.amount! / 100, i === 0 ? '失败' : '成功', i === 0 ? '账号不存在' : '']),
    );
    const imported = await core.client.invoke('payments.importBank', {
      upload: { fileName: '回单.xlsx', dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') },
      programmeId: p.id,
      term,
      paidOn: '2026-11-09',
      dryRun: false,
    });
    expect(imported).toMatchObject({ paid: 3, failed: [{ reason: '账号不存在' }] });
    b = await board();
    expect(stepOf(b, 'day-subsidy', 'pay')).toMatchObject({ state: 'doing', progress: '已发放 3/4，1 笔发放失败待处理' });
    expect(b.programmes[0]!.next).toMatchObject({ label: '处理发放失败', page: 'payments' });
    expect(stepOf(b, 'day-subsidy', 'archive').progress).toMatch(/^档案缺 \d+ 项必备材料$/);
  });

  it('keeps the calendar the clerk sets, and refuses an end before a start', async () => {
    await smallSchool(core, [{ name: '王小一', grade: '三年级' }]);
    const items = defaultTermCalendar(term).map((i) =>
      i.key === 'pay' ? { ...i, startsOn: '2026-11-15', endsOn: '2026-11-25', note: '县里 11 月 20 日前上报' } : i,
    );
    const saved = await core.client.invoke('board.saveCalendar', {
      term,
      items: [...items, { key: 'custom-1', label: '资助政策家长会', startsOn: '2026-10-12', endsOn: '2026-10-12', note: '' }],
    });
    expect(saved.find((c) => c.key === 'pay')).toMatchObject({ startsOn: '2026-11-15', note: '县里 11 月 20 日前上报' });
    expect((await board()).calendar.map((c) => c.label)).toContain('资助政策家长会');
    await expect(
      core.client.invoke('board.saveCalendar', {
        term,
        items: [{ key: 'custom-2', label: '错', startsOn: '2026-10-12', endsOn: '2026-10-01', note: '' }],
      }),
    ).rejects.toThrow(/结束日期早于开始日期/);
  });
});
