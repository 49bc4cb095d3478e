import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster } from '../../../electron/core/students/roster';
import { uploadFile } from '../../../electron/core/uploads';
import { fixture, testCore, type TestCore } from '../../helpers/core';

let core: TestCore;
beforeAll(async () => {
  core = await testCore();
  await importRoster(core.ctx, await uploadFile(core.ctx, 'r.xlsx', readFileSync(fixture('roster-qingshan-central-school.xlsx'))), {});
});
afterAll(async () => core.close());

const list = (args: Parameters<typeof core.client.invoke<'students.list'>>[1]) => core.client.invoke('students.list', args);
const idOf = async (name: string) => (await list({ search: name })).rows.find((r) => r.name === name)!.id;

describe('students.list', () => {
  it('pages through everyone with masked numbers', async () => {
    const page = await list({ offset: 100, limit: 50 });
    expect(page.total).toBe(684);
    expect(page.rows).toHaveLength(50);
    expect(page.rows[0]!.idNumberMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(JSON.stringify(page)).not.toMatch(/\d{18}/);
  });

  it('finds students by part of the name, of the ID number (lower-case x too) or of the 学籍号', async () => {
    expect((await list({ search: '英志' })).rows.map((r) => r.name)).toEqual(['丁英志']);
    expect((await list({ search: '01010338x' })).rows.map((r) => r.name)).toEqual(['丁英志']);
    expect((await list({ search: 'g4331252020101' })).rows.map((r) => r.name)).toContain('丁英志');
    expect((await list({ search: '没有这个人' })).total).toBe(0);
  });

  it('filters by class', async () => {
    const classes = await core.client.invoke('classes.list', {});
    const c = classes.find((x) => x.name === '一年级（1）班')!;
    const page = await list({ classId: c.id, limit: 1000 });
    expect(page.total).toBe(c.studentCount);
    expect(page.rows.every((r) => r.className === '一年级（1）班')).toBe(true);
  });
});

describe('students.get and students.update', () => {
  it('masks sensitive fields unless revealed on purpose', async () => {
    const id = await idOf('丁英志');
    const masked = await core.client.invoke('students.get', { id });
    expect(masked.idNumber).toBe('4331**********338X');
    expect(masked.guardianPhone).toBe('181****1736');
    expect(masked.address).toBe('青山县茶园镇****');
    const full = await core.client.invoke('students.get', { id, reveal: true });
    expect(full.idNumber).toBe('43312520201010338X');
  });

  it('moves a student to another class and records the change', async () => {
    const id = await idOf('丁英志');
    const target = (await core.client.invoke('classes.list', {})).find((c) => c.name === '一年级（2）班')!;
    const s = await core.client.invoke('students.update', { id, classId: target.id, fields: { guardianPhone: '139 0000 1111' } });
    expect(s.className).toBe('一年级（2）班');
    const history = await core.client.invoke('students.history', { id });
    expect(history.map((h) => [h.field, h.oldValue, h.newValue])).toEqual(
      expect.arrayContaining([
        ['班级', '一年级（1）班', '一年级（2）班'],
        ['联系电话', '181****1736', '139****1111'],
      ]),
    );
  });

  it('refuses an invalid ID number with the same rule as the import, and changes nothing', async () => {
    const id = await idOf('潘娟');
    await expect(core.client.invoke('students.update', { id, fields: { idNumber: '433125202011181401' } })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('校验位'),
    });
    expect((await core.client.invoke('students.get', { id, reveal: true })).idNumber).toBe('433125202101157623');
  });

  it('refuses an ID number that belongs to another student', async () => {
    const id = await idOf('潘娟');
    await expect(core.client.invoke('students.update', { id, fields: { idNumber: '433125201810218949' } })).rejects.toMatchObject({
      code: 'duplicate',
      message: expect.stringContaining('沈庆'),
    });
  });

  it('rejects arguments outside the contract with a Chinese message', async () => {
    await expect(core.client.invoke('students.get', { id: -1 } as never)).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(core.client.invoke('students.update', { id: 1, fields: { nickname: 'x' } } as never)).rejects.toMatchObject({
      code: 'invalid-args',
    });
  });
});

describe('students.setStatus', () => {
  it('marks a student as left without deleting; a later roster never brings them back, the clerk does', async () => {
    const id = await idOf('范兰');
    expect(
      await core.client.invoke('students.setStatus', { ids: [id], status: 'left', reason: 'transferred', date: '2026-11-20' }),
    ).toEqual({ changed: 1 });
    expect((await list({ search: '范兰' })).total).toBe(0);
    expect((await list({ search: '范兰', status: 'left' })).rows[0]).toMatchObject({ status: 'left', leftReason: 'transferred' });
    const again = await importRoster(
      core.ctx,
      await uploadFile(core.ctx, 'r.xlsx', readFileSync(fixture('roster-qingshan-central-school.xlsx'))),
      {},
    );
    expect(again.warnings).toContainEqual(expect.objectContaining({ code: 'left-in-roster' }));
    expect((await core.client.invoke('students.get', { id })).status).toBe('left');
    expect(await core.client.invoke('students.setStatus', { ids: [id], status: 'enrolled' })).toEqual({ changed: 1 });
    expect((await core.client.invoke('students.get', { id })).status).toBe('enrolled');
  });
});
