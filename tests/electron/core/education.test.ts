/**
 * 资助育人 and complaints: activities recorded after they were held, the term's 两节课 per class from them, photos kept
 * by the attachment sweep; a complaint tracked until answered, with its dates on the core's clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepAttachments } from '../../../electron/core/archive/attachments';
import { testCore, type TestCore } from '../../helpers/core';
import { smallSchool } from '../../helpers/scenario';
import { PRIORITY_GROUPS } from '../../../shared/domain/priority-group';

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

describe('following aided students and graduating classes', () => {
  it('lists 高三 students of 脱贫/低保 families until their pre-application is recorded, and tells graduating families', async () => {
    const c = core.client;
    const { declare } = await import('../../helpers/scenario');
    const ids = await smallSchool(
      core,
      [
        { name: '高三甲', grade: '高三' },
        { name: '高三乙', grade: '高三' },
        { name: '高二丙', grade: '高二' },
      ],
      ['senior'],
    );
    await declare(core, ids.get('高三甲')!, ['povertyAlleviated']);
    await declare(core, ids.get('高二丙')!, ['dibao']);
    core.setToday('2027-05-10');
    expect(await c.invoke('followUps.graduates', {})).toEqual([
      expect.objectContaining({ name: '高三甲', preApplied: false, groups: [PRIORITY_GROUPS.povertyAlleviated] }),
    ]);
    await expect(c.invoke('followUps.record', { studentIds: [ids.get('高三甲')!], kind: 'pairing', onDate: '2027-05-10' })).rejects.toThrow(
      /结对教师/,
    );
    await c.invoke('followUps.record', { studentIds: [ids.get('高三甲')!], kind: 'preApplication', onDate: '2027-05-08' });
    await c.invoke('followUps.record', {
      studentIds: [ids.get('高三甲')!, ids.get('高二丙')!],
      kind: 'visit',
      onDate: '2027-05-09',
      byWhom: '王老师',
      content: '电话回访，资助已收到',
    });
    expect(await c.invoke('followUps.graduates', {})).toEqual([
      expect.objectContaining({ name: '高三甲', preApplied: true, preAppliedOn: '2027-05-08' }),
    ]);
    expect((await c.invoke('followUps.list', { studentId: ids.get('高二丙')! })).map((f) => f.kind)).toEqual(['visit']);
    await expect(c.invoke('followUps.record', { studentIds: [ids.get('高二丙')!], kind: 'star', onDate: '2027-05-10' })).rejects.toThrow(
      /资助之星的事迹/,
    );
    await c.invoke('followUps.record', {
      studentIds: [ids.get('高二丙')!],
      kind: 'star',
      onDate: '2027-05-10',
      content: '自强不息，期中考试年级第一',
    });

    const doc = await c.invoke('notices.print', { kind: 'graduates', term: '2027-spring' });
    expect(doc.pages).toBe(2);
    expect(doc.html).toContain('生源地信用助学贷款');
    expect(doc.html).not.toContain('高二丙');
  });
});
