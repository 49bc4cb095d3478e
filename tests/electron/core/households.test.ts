/**
 * 同户 and aid paid per household: the roster suggests siblings (the same guardian and address or phone), only what
 * the clerk confirms is linked, and a programme paid per household creates one application a household and flags
 * a second one as blocking.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAMMES } from '../../../shared/rules/programme-catalogue';
import { householdGroups } from '../../../shared/rules/household';
import { testCore, type TestCore } from '../../helpers/core';
import { smallSchool } from '../../helpers/scenario';

let core: TestCore;
beforeEach(async () => {
  core = await testCore({ school: false });
});
afterEach(async () => core.close());

describe('households', () => {
  it('groups by guardian with address or phone, closed under both links; a name alone is never enough', () => {
    const groups = householdGroups([
      { studentId: 1, guardian: '王大山', address: '青山镇 石桥村3组', phone: null },
      { studentId: 2, guardian: '王大山', address: '青山镇石桥村3组', phone: '13800001111' },
      { studentId: 3, guardian: '王 大山', address: '', phone: '13800001111' },
      { studentId: 4, guardian: '王大山', address: '青山镇柳树村', phone: null },
      { studentId: 5, guardian: '李二', address: '青山镇石桥村3组', phone: null },
      { studentId: 6, guardian: null, address: '青山镇柳树村', phone: null },
    ]);
    expect(groups).toEqual([{ ids: [1, 2, 3], reasons: ['guardianAddress', 'guardianPhone'] }]);
  });

  it('links what the clerk confirms, and a programme paid per household creates one application a household', async () => {
    const c = core.client;
    const ids = await smallSchool(core, [
      { name: '王小一', grade: '三年级', guardian: '王大山' },
      { name: '王小二', grade: '五年级', guardian: '王大山' },
      { name: '王小三', grade: '八年级', guardian: '王大山' },
      { name: '李小四', grade: '四年级', guardian: '李二' },
    ]);
    for (const name of ['王小一', '王小二'])
      await c.invoke('students.update', { id: ids.get(name)!, fields: { address: '青山镇石桥村3组' } });
    // 王小三's guardian has the same name but lives elsewhere: not suggested.
    await c.invoke('students.update', { id: ids.get('王小三')!, fields: { address: '青山镇柳树村' } });
    const suggested = await c.invoke('households.suggest', {});
    expect(suggested).toEqual([
      {
        guardian: '王大山',
        reasons: ['guardianAddress'],
        students: [expect.objectContaining({ name: '王小一' }), expect.objectContaining({ name: '王小二' })],
      },
    ]);
    await expect(c.invoke('households.link', { studentIds: [ids.get('王小一')!, ids.get('王小一')!] })).rejects.toThrow(/至少要有两名学生/);
    const h = await c.invoke('households.link', { studentIds: suggested[0]!.students.map((s) => s.studentId) });
    expect(h.students.map((s) => s.name)).toEqual(['王小一', '王小二']);
    expect(await c.invoke('households.suggest', {})).toEqual([]);

    // A one-off relief of 200 元 a household.
    const relief = await c.invoke('programmes.save', {
      code: 'flood-relief',
      definition: {
        ...DEFAULT_PROGRAMMES['donation']!,
        name: '洪灾临时救助',
        stages: ['primary', 'junior'],
        kind: 'paid',
        tiers: [{ tier: 1, proportion: 100, amounts: { primary: 20_000, junior: 20_000 } }],
        eligibility: { everyone: true, levels: [], groups: [] },
        perHousehold: true,
      },
    });
    expect(relief.perHousehold).toBe(true);
    const term = '2026-autumn';
    const r = await c.invoke('applications.create', { programmeId: relief.id, term, from: 'students', studentIds: [...ids.values()] });
    expect(r.created).toBe(3);
    expect(r.skipped).toEqual([{ name: '王小二', reason: '与王小一同户，按户发放每户只建一份申请' }]);
    // Picked again on its own, 王小二 is still turned away, with the name of the sibling who holds the application.
    const again = await c.invoke('applications.create', {
      programmeId: relief.id,
      term,
      from: 'students',
      studentIds: [ids.get('王小二')!],
    });
    expect(again).toEqual({ created: 0, skipped: [{ name: '王小二', reason: '与王小一同户，按户发放每户只建一份申请' }] });

    // A sibling applied before the household was confirmed: the check holds the list back until one is withdrawn.
    const drafts = (await c.invoke('applications.list', { programmeId: relief.id, term })).rows.map((a) => a.id);
    await c.invoke('applications.transition', { ids: drafts, action: 'submit' });
    await c.invoke('households.link', { studentIds: [ids.get('王小一')!, ids.get('王小三')!] });
    const twice = (await c.invoke('checks.run', { term, programmeId: relief.id })).filter((f) => f.code === 'household-twice');
    expect(twice).toEqual([
      expect.objectContaining({ severity: 'blocking', student: '王小三', message: expect.stringContaining('与同户的王小一都有申请') }),
    ]);

    // Taking 王小三 out again leaves the first household as it was; a household of one is dissolved.
    await c.invoke('households.unlink', { studentId: ids.get('王小三')! });
    expect((await c.invoke('households.list', {})).map((x) => x.students.map((s) => s.name))).toEqual([['王小一', '王小二']]);
    await c.invoke('households.unlink', { studentId: ids.get('王小二')! });
    expect(await c.invoke('households.list', {})).toEqual([]);
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM household`).pluck().get()).toBe(0);
  });
});
