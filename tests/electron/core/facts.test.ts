/**
 * The programmes' facts narrowed to some students: the same facts as the whole year's load, for any number of ids
 * (a transition may move 50,000 applications; SQLite takes at most 32,766 parameters in one statement). And the
 * students the checks narrow to: nobody left out could be found wanting.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureCatalogue } from '../../../electron/core/programmes/catalogue';
import { checkedStudents, missedScope } from '../../../electron/core/programmes/checks';
import { loadApplicants, loadFacts, type RankingFacts } from '../../../electron/core/programmes/facts';
import { ineligibility } from '../../../shared/rules/eligibility';
import { UNFUNDED_LISTED } from '../../../electron/core/programmes/allocation';
import { allocateCommand } from '../../../electron/host/cli-programmes';
import { seededRandom } from '../../../shared/rules/sample';
import { testCore, type TestCore } from '../../helpers/core';
import { applyAndReview, declare, identify, idOf, importCountyList, programme, smallSchool } from '../../helpers/scenario';

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

describe('loadFacts: each student with the year’s decided identification and survey', () => {
  it('takes only a decided identification of that year, the survey’s income whatever the decision, and the roster’s status', async () => {
    const ids = await smallSchool(core, [
      { name: '甲', grade: '三年级' },
      { name: '乙', grade: '三年级' },
      { name: '丙', grade: '七年级' },
      { name: '丁', grade: '七年级' },
    ]);
    const [a, b, c, d] = (['甲', '乙', '丙', '丁'] as const).map((n) => ids.get(n)!) as [number, number, number, number];
    // Incomes in fen, a household of four: 60,000 and 30,000 per head.
    await identify(core, [a], 'difficult', '2026-09-20', 240_000);
    // 乙 was decided, then re-opened: the old decision is superseded and the new case not decided yet.
    await identify(core, [b], 'general', '2026-09-21', 120_000);
    const old = (await core.client.invoke('identification.case', { studentId: b, schoolYear: '2026-2027' })).current!;
    await core.client.invoke('identification.reopen', { identificationId: old.id, reason: '家庭突发变故' });
    await core.client.invoke('students.setStatus', { ids: [d], status: 'left', reason: 'transferred', date: '2026-10-08' });
    const decided = core.ctx.store.sqlite
      .prepare(`SELECT id FROM identification WHERE student_id = ? AND status = 'decided'`)
      .pluck()
      .get(a) as number;

    const facts = loadFacts(core.ctx, '2026-2027');
    expect(facts.size).toBe(4);
    expect(facts.get(a)).toMatchObject({
      level: 'difficult',
      identifiedOn: '2026-09-20',
      identificationId: decided,
      income: 60_000,
      enrolled: true,
      grade: '三年级',
    });
    // The survey stays while the case is re-opened: its income still breaks ties.
    expect(facts.get(b)).toMatchObject({ level: null, score: null, identifiedOn: null, identificationId: null, income: 30_000 });
    expect(facts.get(c)).toMatchObject({ level: null, identificationId: null, income: null, enrolled: true, grade: '七年级' });
    expect(facts.get(d)).toMatchObject({ enrolled: false, level: null });
    // Another year's facts know the students but none of this year's decisions or surveys.
    const next = loadFacts(core.ctx, '2027-2028');
    expect([...next.values()].map((f) => [f.level, f.identificationId, f.income])).toEqual(Array(4).fill([null, null, null]));
  });

  it('reads a programme’s applicants through indexes, never scanning the year’s identifications, surveys or the roster', async () => {
    const ids = await smallSchool(core, [{ name: '甲', grade: '三年级' }]);
    // A county list kept: the flags' read then asks which students the latest lists name.
    await importCountyList(
      core,
      'dibao',
      [{ name: '甲', idNumber: idOf(core, ids.get('甲')!), category: '农村低保' }],
      '2026-03-01',
      'rural',
    );
    const aid = (await core.client.invoke('programmes.list', {})).find((p) => p.code === 'school-aid')!;
    const sqlite = core.ctx.store.sqlite;
    const statements: string[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((source: string) => (statements.push(source), prepare(source))) as typeof sqlite.prepare;
    try {
      loadFacts(core.ctx, '2026-2027', { programmeId: aid.id, term: '2026-autumn' });
      loadFacts(core.ctx, '2026-2027', { studentIds: [ids.get('甲')!] });
      loadApplicants(core.ctx, '2026-2027', aid.id, '2026-autumn');
    } finally {
      sqlite.prepare = prepare;
    }
    const plans = statements
      .filter((q) => /"(student|identification|family_survey|priority_flag)"/.test(q))
      .map((q) =>
        // The parameters do not change the plan: each bound as null.
        (
          sqlite.prepare(`EXPLAIN QUERY PLAN ${q}`).all(
            ...q
              .split('?')
              .slice(1)
              .map(() => null),
          ) as { detail: string }[]
        )
          .map((r) => r.detail)
          .join(' | '),
      );
    expect(plans).toHaveLength(9);
    for (const plan of plans) expect(plan).not.toMatch(/SCAN (s|i|v|student|identification|family_survey|priority_flag)\b/);
    expect(plans.join('\n')).toMatch(/SEARCH i USING COVERING INDEX/);
  });
});

describe('the flags: listed while the newest list of a kind names the student', () => {
  it('takes the list’s 城乡 while listed and the flag’s own once a newer list leaves the student out', async () => {
    const ids = await smallSchool(core, [
      { name: '甲', grade: '三年级' },
      { name: '乙', grade: '三年级' },
    ]);
    const [a, b] = [ids.get('甲')!, ids.get('乙')!];
    // Declared on the survey as 城镇; 乙 declared nothing.
    await declare(core, a, ['dibao'], 'urban');
    const flagsOf = () => {
      const f = loadFacts(core.ctx, '2026-2027');
      return [f.get(a)!.flags, f.get(b)!.flags];
    };
    expect(flagsOf()).toEqual([[{ group: 'dibao', listed: false, area: 'urban' }], []]);
    await importCountyList(
      core,
      'dibao',
      [
        { name: '甲', idNumber: idOf(core, a), category: '农村低保' },
        { name: '乙', idNumber: idOf(core, b), category: '农村低保' },
      ],
      '2026-03-01',
      'rural',
    );
    // The list names both: 乙 is flagged from it (the cross-check applied), and both take the list's 城乡.
    const listed = { group: 'dibao', listed: true, area: 'rural' };
    expect(flagsOf()).toEqual([[listed], [listed]]);
    // A newer list of the same kind without 甲: 甲's flag stays, no longer listed, with its own 城乡.
    await importCountyList(core, 'dibao', [{ name: '乙', idNumber: idOf(core, b), category: '农村低保' }], '2026-09-01', 'rural', '九月');
    expect(flagsOf()).toEqual([[{ group: 'dibao', listed: false, area: 'urban' }], [listed]]);
  });
});

describe('loadApplicants: an allocation’s read', () => {
  it('gives each application its student’s facts as loadFacts does, with the application’s status and tier', async () => {
    const ids = await smallSchool(core, [
      { name: '甲', grade: '三年级', boarding: true },
      { name: '乙', grade: '三年级' },
      { name: '丙', grade: '七年级' },
      { name: '丁', grade: '七年级' },
    ]);
    const [a, b, c, d] = (['甲', '乙', '丙', '丁'] as const).map((n) => ids.get(n)!) as [number, number, number, number];
    await identify(core, [a, b], 'difficult', '2026-09-20', 240_000);
    await identify(core, [c], 'especially', '2026-09-22', 120_000);
    await declare(core, b, ['povertyAlleviated', 'orphan'], 'rural');
    const p = await programme(core, 'school-aid');
    await applyAndReview(core, p.id, '2026-autumn', [a, b, c]);
    await core.client.invoke('students.setStatus', { ids: [c], status: 'left', reason: 'transferred', date: '2026-10-08' });
    const facts = loadFacts(core.ctx, '2026-2027');
    const applicants = loadApplicants(core.ctx, '2026-2027', p.id, '2026-autumn');
    const stored = core.ctx.store.sqlite
      .prepare(`SELECT id, student_id, status, funded, tier FROM application WHERE programme_id = ?`)
      .all(p.id) as { id: number; student_id: number; status: string; funded: number | null; tier: number | null }[];
    expect(applicants.map((x) => x.studentId).sort()).toEqual([a, b, c].sort());
    expect(applicants.map((x) => x.studentId)).not.toContain(d);
    const keys: (keyof RankingFacts)[] = [
      'studentId',
      'classId',
      'schoolId',
      'grade',
      'stage',
      'enrolled',
      'boarding',
      'level',
      'score',
      'identifiedOn',
      'identificationId',
      'income',
      'flags',
    ];
    for (const x of applicants) {
      const f = facts.get(x.studentId)!;
      expect(Object.fromEntries(keys.map((k) => [k, x[k]]))).toEqual(Object.fromEntries(keys.map((k) => [k, f[k]])));
      const row = stored.find((r) => r.id === x.id)!;
      expect([x.studentId, x.status, x.funded, x.tier]).toEqual([row.student_id, row.status, row.funded, row.tier]);
    }
    expect(applicants.find((x) => x.studentId === c)).toMatchObject({ enrolled: false, level: 'especially', income: 30_000 });
    expect(
      applicants
        .find((x) => x.studentId === b)!
        .flags.map((f) => f.group)
        .sort(),
    ).toEqual(['orphan', 'povertyAlleviated']);
  });
});

describe('an allocation leaving many out', () => {
  it('counts every unfunded applicant and names the first hundred, nearest the line first', async () => {
    const kids = Array.from({ length: 130 }, (_, i) => ({ name: `学生${i}`, grade: '七年级', classNo: 1 + (i % 3) }));
    const ids = [...(await smallSchool(core, kids)).values()];
    await identify(core, ids, 'difficult');
    const p = await programme(core, 'school-aid');
    await core.client.invoke('quotas.save', { programmeId: p.id, term: '2026-autumn', count: 10 });
    await applyAndReview(core, p.id, '2026-autumn', ids);
    const r = await core.client.invoke('applications.allocate', { programmeId: p.id, term: '2026-autumn' });
    expect([r.funded, r.unfundedCount, r.unfunded.length]).toEqual([10, 120, UNFUNDED_LISTED]);
    expect(r.unfunded.map((u) => u.rank)).toEqual(Array.from({ length: UNFUNDED_LISTED }, (_, i) => 11 + i));
    const stored = new Map(
      (
        core.ctx.store.sqlite
          .prepare(
            `SELECT a.id, s.name, c.name AS class_name FROM application a JOIN student s ON s.id = a.student_id JOIN school_class c ON c.id = s.class_id`,
          )
          .all() as { id: number; name: string; class_name: string }[]
      ).map((x) => [x.id, [x.name, x.class_name]]),
    );
    for (const u of r.unfunded) expect([u.name, u.className]).toEqual(stored.get(u.applicationId));
    expect(r.unfunded[0]!.reason).toMatch(/名额已满，未获资助$/);
    // All 130 rank alike, so the funded and the unfunded share one reason but for the line's words.
    const written = core.ctx.store.sqlite.prepare(`SELECT funded, rank_reason FROM application ORDER BY rank`).all() as {
      funded: number;
      rank_reason: string;
    }[];
    const full = '；名额已满，未获资助';
    expect(written.filter((w) => w.rank_reason.endsWith(full)).length).toBe(120);
    for (const w of written) expect([w.funded, w.rank_reason.endsWith(full)]).toEqual([w.funded, w.funded === 0]);
    expect(written[10]!.rank_reason).toBe(written[9]!.rank_reason + full);

    // The CLI says the same: how many, that it lists the first hundred, and where the others are.
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    expect(await allocateCommand(core.ctx, { programme: 'school-aid', term: '2026-autumn' }, io, false)).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain(
      `符合条件但名额不足、未获资助 120 人（列出排名最前的 ${UNFUNDED_LISTED} 人，其余的排名和依据见“申请与审核”的申请列表）：`,
    );
    expect(text.match(/^ {2}第 \d+ 名 /gm)).toHaveLength(UNFUNDED_LISTED);
  });
});

describe('the students the checks read', () => {
  // Seeded: each seed a different school of identified, flagged, applying and 大班 children, most of them none of these.
  it.each([1, 2, 3])('leaves out only students with no application who are ineligible for every programme (seed %i)', async (seed) => {
    const rnd = seededRandom(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const grades = ['中班', '大班', '三年级', '五年级', '七年级', '八年级'];
    const kids = Array.from({ length: 60 }, (_, i) => ({ name: `学生${i}`, grade: pick(grades), boarding: rnd() < 0.3 }));
    const ids = [...(await smallSchool(core, kids, ['preschool', 'primary', 'junior'])).values()];
    const some = () => ids.filter(() => rnd() < 0.07);
    for (const id of some()) await identify(core, [id], pick(['especially', 'difficult', 'general', 'none'] as const));
    for (const id of some())
      await declare(
        core,
        id,
        [pick(['povertyAlleviated', 'dibao', 'orphan', 'disabledStudent', 'leftBehind'] as const)],
        pick(['rural', 'urban', null]),
      );
    // The school's own fund opened to every student: its applicants need not be identified, flagged or in 大班.
    const aid = (await core.client.invoke('programmes.list', {})).find((p) => p.code === 'school-aid')!;
    const { id: aidId, code: _c, schoolYear: _y, builtIn: _b, ...definition } = aid;
    await core.client.invoke('programmes.save', {
      id: aidId,
      definition: { ...definition, eligibility: { ...definition.eligibility, everyone: true } },
    });
    const catalogue = ensureCatalogue(core.ctx, '2026-2027');
    for (const id of some())
      await core.client.invoke('applications.create', {
        programmeId: pick(catalogue.filter((p) => p.kind === 'paid' || p.kind === 'waiver')).id,
        term: '2026-autumn',
        from: 'students',
        studentIds: [id],
      });

    await core.client.invoke('applications.create', { programmeId: aidId, term: '2026-autumn', from: 'students', studentIds: some() });
    const among = checkedStudents(core.ctx, '2026-autumn', missedScope(catalogue, null));
    expect(among).not.toBeNull();
    const seen = new Set(among);
    const applicants = new Set(
      core.ctx.store.sqlite.prepare(`SELECT student_id FROM application WHERE term = '2026-autumn'`).pluck().all() as number[],
    );
    const whole = loadFacts(core.ctx, '2026-2027');
    const left = [...whole.values()].filter((f) => !seen.has(f.studentId));
    expect(left.length).toBeGreaterThan(10);
    for (const f of left) {
      expect(applicants.has(f.studentId)).toBe(false);
      for (const p of missedScope(catalogue, null)) expect([f.name, p.name, ineligibility(p, f)]).not.toContain(null);
    }
  });
});
