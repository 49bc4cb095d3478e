/**
 * The programmes' facts narrowed to some students: the same facts as the whole year's load, for any number of ids
 * (a transition may move 50,000 applications; SQLite takes at most 32,766 parameters in one statement).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFacts } from '../../../electron/core/programmes/facts';
import { testCore, type TestCore } from '../../helpers/core';
import { declare, identify, smallSchool } from '../../helpers/scenario';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

describe('loadFacts for some students', () => {
  it('gives each named student the whole load’s facts, for 40,000 ids as for three', async () => {
    const ids = await smallSchool(core, [
      { name: '甲', grade: '三年级' },
      { name: '乙', grade: '三年级' },
      { name: '丙', grade: '七年级' },
      { name: '丁', grade: '七年级' },
    ]);
    const [a, b, c] = [ids.get('甲')!, ids.get('乙')!, ids.get('丙')!];
    await identify(core, [a, c], 'difficult');
    await declare(core, a, ['dibao'], 'rural');
    const whole = loadFacts(core.ctx, '2026-2027');
    expect(whole.get(a)).toMatchObject({ level: 'difficult', flags: [{ group: 'dibao' }] });

    const some = loadFacts(core.ctx, '2026-2027', { studentIds: [a, b, c] });
    expect(some).toEqual(new Map([a, b, c].map((id) => [id, whole.get(id)])));

    // Ids of a batch as large as a transition accepts, most of them of no student: only the real ones come back.
    const many = [...Array.from({ length: 40_000 }, (_, i) => 100_000 + i), c, a];
    const found = loadFacts(core.ctx, '2026-2027', { studentIds: many });
    expect([...found.keys()].sort()).toEqual([a, c].sort());
    expect(found.get(a)).toEqual(whole.get(a));
    expect(found.get(c)).toEqual(whole.get(c));
  });
});
