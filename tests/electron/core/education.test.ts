/**
 * 资助育人 and complaints: activities recorded after they were held, the term's 两节课 per class from them, photos kept
 * by the attachment sweep; a complaint tracked until answered, with its dates on the core's clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepAttachments } from '../../../electron/core/archive/attachments';
import { testCore, type TestCore } from '../../helpers/core';
import { smallSchool } from '../../helpers/scenario';

let core: TestCore;
beforeEach(async () => {
  core = await testCore({ school: false });
});
afterEach(async () => core.close());

describe('资助育人 activities', () => {
  it('gives each class its 两节课 from the activities held, a whole-school one counting for every class', async () => {
    const c = core.client;
    await smallSchool(core, [
      { name: '甲', grade: '三年级', classNo: 1 },
      { name: '乙', grade: '三年级', classNo: 2 },
    ]);
    core.setToday('2026-09-20');
    const classes = await c.invoke('classes.list', {});
    const [one, two] = classes;
    await expect(c.invoke('education.record', { heldOn: '2026-09-21', theme: 'policyLesson', title: '资助政策宣传课' })).rejects.toThrow(
      /晚于今天/,
    );
    // The policy lesson for the whole school, a gratitude class meeting in one class only.
    await c.invoke('education.record', { heldOn: '2026-09-07', theme: 'policyLesson', title: '开学第一课：资助政策宣传', attendance: 2 });
    const photo = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const a = await c.invoke('education.record', {
      heldOn: '2026-09-18',
      theme: 'gratitude',
      title: '“感恩资助 励志成才”主题班会',
      classIds: [one!.id],
      attendance: 1,
      photos: [{ fileName: '班会.png', dataBase64: photo.toString('base64') }],
    });
    expect(a.classNames).toEqual([one!.name]);
    expect(a.photos).toHaveLength(1);
    const lessons = await c.invoke('education.twoLessons', { term: '2026-autumn' });
    expect(lessons.classes.map((x) => [x.className, x.policyLesson, x.education])).toEqual([
      [one!.name, true, true],
      [two!.name, true, false],
    ]);
    expect(lessons.done).toBe(1);
    const board = await c.invoke('board.term', {});
    expect(board.identification.steps.find((s) => s.key === 'lessons')).toMatchObject({
      state: 'doing',
      progress: `已上 1/2 个班（未上：${two!.name}）`,
    });
    // The photo is referred to by the activity: the sweep keeps it.
    expect(sweepAttachments(core.ctx).rows).toBe(0);
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM attachment`).pluck().get()).toBe(1);
    // Another term's activities are not this term's.
    expect(await c.invoke('education.list', { term: '2027-spring' })).toEqual([]);
  });
});

describe('complaints outside a publicity period', () => {
  it('are tracked to closure: handling and the day of the answer, never in the future; back-dated with a reason', async () => {
    const c = core.client;
    await smallSchool(core, [{ name: '甲', grade: '三年级' }]);
    core.setToday('2026-11-25');
    await expect(
      c.invoke('complaints.record', { receivedOn: '2026-11-20', channel: 'phone', content: '反映某生家庭条件较好仍受助' }),
    ).rejects.toThrow(/补登原因/);
    const k = await c.invoke('complaints.record', {
      receivedOn: '2026-11-20',
      channel: 'phone',
      content: '反映某生家庭条件较好仍受助',
      backdateReason: '电话记录本补登',
    });
    expect(k.status).toBe('open');
    await expect(c.invoke('complaints.answer', { id: k.id, handling: '已家访核实', close: true })).rejects.toThrow(/办结前请填写答复日期/);
    await expect(
      c.invoke('complaints.answer', { id: k.id, handling: '已家访核实', answeredOn: '2026-11-19', close: true }),
    ).rejects.toThrow(/早于收到日期/);
    const done = await c.invoke('complaints.answer', {
      id: k.id,
      handling: '经家访核实，该生家庭确属困难，已向反映人说明',
      answeredOn: '2026-11-24',
      close: true,
    });
    expect(done).toMatchObject({ status: 'closed', answeredOn: '2026-11-24' });
    expect(await c.invoke('complaints.list', { status: 'open' })).toEqual([]);
  });
});
