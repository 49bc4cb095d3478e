/**
 * 名额分到校: a central school divides the county's quota among its schools, and each school ranks its own
 * applicants for its own places. Small made-up desks (tests/helpers/scenario.ts) driven through the contract;
 * the seeded scenarios check the database itself: no school over its places, the desk never over its quota,
 * every eligible applicant either funded or told why not.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DifficultyLevel } from '../../../shared/domain/identification';
import type { Term } from '../../../shared/domain/school';
import { seededRandom } from '../../../shared/rules/sample';
import { schoolQuotaProblem, splitByEnrolment } from '../../../shared/rules/school-quotas';
import { allocateCommand } from '../../../electron/host/cli-programmes';
import { testCore, type TestCore } from '../../helpers/core';
import { applyAndReview, identify, programme, smallSchool, type Kid } from '../../helpers/scenario';

let core: TestCore;
const term: Term = '2026-autumn';
beforeEach(async () => {
  core = await testCore({ school: false });
});
afterEach(async () => core.close());

const sql = <T>(query: string, ...params: unknown[]) => core.ctx.store.sqlite.prepare(query).all(...params) as T[];

/** Central 高一 students and a village school's, identified at the levels given, all applying for the senior grant. */
async function twoSchools(central: DifficultyLevel[], village: DifficultyLevel[]) {
  core.setToday('2026-11-02');
  const kids: Kid[] = [
    ...central.map((_, i) => ({ name: `中心${i + 1}`, grade: '高一' })),
    ...village.map((_, i) => ({ name: `村小${i + 1}`, grade: '高一', school: '岭下村小学' })),
  ];
  const ids = await smallSchool(core, kids, ['senior']);
  const levels = [...central, ...village];
  for (const level of new Set(levels))
    await identify(
      core,
      kids.filter((_, i) => levels[i] === level).map((k) => ids.get(k.name)!),
      level,
    );
  const p = await programme(core, 'senior-grant');
  const village1 = (await core.client.invoke('schools.list', {})).find((s) => s.name === '岭下村小学')!.id;
  return { ids, p, village: village1, all: [...ids.values()] };
}

/** The desk's quota of 5 divided among the schools: [school, places]. */
const divide = (programmeId: number, parts: [number, number][]) =>
  core.client.invoke('quotas.save', { programmeId, term, count: 5, schools: parts.map(([schoolId, count]) => ({ schoolId, count })) });

const fundedBySchool = () =>
  Object.fromEntries(
    sql<{ school_id: number; n: number }>(
      `SELECT s.school_id, count(*) AS n FROM application a JOIN student s ON s.id = a.student_id WHERE a.funded = 1 GROUP BY s.school_id`,
    ).map((r) => [r.school_id, r.n]),
  );

describe('the quota divided among the schools (名额分到校)', () => {
  it('refuses a division that does not add up, says where, and keeps the saved one', async () => {
    const { p, village } = await twoSchools(['difficult'], ['difficult']);
    const c = core.client;
    await c.invoke('quotas.save', { programmeId: p.id, term, count: 5 });
    await expect(
      c.invoke('quotas.save', {
        programmeId: p.id,
        term,
        count: 5,
        schools: [
          { schoolId: 1, count: 2 },
          { schoolId: village, count: 2 },
        ],
      }),
    ).rejects.toThrow('分到各校的名额合计 4 人，与县里下达的名额 5 人不一致');
    await expect(
      c.invoke('quotas.save', {
        programmeId: p.id,
        term,
        count: 5,
        schools: [
          { schoolId: village, count: 2 },
          { schoolId: village, count: 3 },
        ],
      }),
    ).rejects.toThrow('“岭下村小学”填了两次');
    await expect(c.invoke('quotas.save', { programmeId: p.id, term, count: 5, schools: [{ schoolId: 99, count: 5 }] })).rejects.toThrow(
      '没有这所学校',
    );
    await expect(
      c.invoke('quotas.save', {
        programmeId: p.id,
        term,
        count: 5,
        schools: [
          { schoolId: 1, count: 3, tierCounts: { 1: 1, 2: 1 } },
          { schoolId: village, count: 2 },
        ],
      }),
    ).rejects.toThrow('“测试学校”各档人数合计 2 与该校名额 3 不一致');
    expect(sql(`SELECT * FROM school_quota`)).toEqual([]);

    const saved = await divide(p.id, [
      [1, 2],
      [village, 3],
    ]);
    expect(saved.schools).toEqual([
      { schoolId: 1, count: 2, tierCounts: null },
      { schoolId: village, count: 3, tierCounts: null },
    ]);
    // A budget changed alone keeps the division; a new total without a new division is refused.
    expect((await c.invoke('quotas.save', { programmeId: p.id, term, count: 5, budget: 1_000_000 })).schools).toHaveLength(2);
    await expect(c.invoke('quotas.save', { programmeId: p.id, term, count: 6 })).rejects.toThrow(
      '名额已分到各校，分到各校的名额合计 5 人，与县里下达的名额 6 人不一致：请同时调整各校名额',
    );
    expect((await c.invoke('quotas.get', { programmeId: p.id, term }))!.count).toBe(5);
    // Fixed tiers from the county: every school says its tiers, and they add up tier by tier.
    await expect(c.invoke('quotas.save', { programmeId: p.id, term, count: 5, tierCounts: { 1: 1, 2: 3, 3: 1 } })).rejects.toThrow(
      '县里指定了各档人数：请为“测试学校”也填写各档人数',
    );
    await expect(
      c.invoke('quotas.save', {
        programmeId: p.id,
        term,
        count: 5,
        tierCounts: { 1: 1, 2: 3, 3: 1 },
        schools: [
          { schoolId: 1, count: 2, tierCounts: { 1: 1, 2: 1 } },
          { schoolId: village, count: 3, tierCounts: { 1: 1, 2: 1, 3: 1 } },
        ],
      }),
    ).rejects.toThrow('分到各校的一档合计 2 人，与县里指定的 1 人不一致');

    // The trail says which school's part moved; a school with places cannot be removed.
    await divide(p.id, [
      [1, 1],
      [village, 4],
    ]);
    const trail = sql<{ action: string; after: string }>(`SELECT action, after FROM audit_entry WHERE entity = 'school_quota' ORDER BY id`);
    expect(trail.map((t) => t.action)).toEqual(['insert', 'insert', 'update', 'update']);
    const point = await c.invoke('schools.add', { name: '石门教学点', kind: 'teachingPoint' });
    await divide(p.id, [
      [1, 1],
      [village, 3],
      [point.id, 1],
    ]);
    await expect(c.invoke('schools.remove', { id: point.id })).rejects.toThrow('“石门教学点”已分到 1 个项目的名额，不能删除');
    // [] puts the desk back to one ranking.
    expect((await c.invoke('quotas.save', { programmeId: p.id, term, count: 5, schools: [] })).schools).toEqual([]);
    expect(sql(`SELECT * FROM school_quota`)).toEqual([]);
    expect(
      sql<{ action: string }>(`SELECT action FROM audit_entry WHERE entity = 'school_quota' ORDER BY id`).map((t) => t.action),
    ).toEqual(['insert', 'insert', 'update', 'update', 'update', 'insert', 'delete', 'delete', 'delete']);
    await c.invoke('schools.remove', { id: point.id });
  });

  it('ranks each school for its own places: a village school keeps its places though the central school ranks higher', async () => {
    const { p, village, all } = await twoSchools(
      ['especially', 'especially', 'especially', 'especially', 'especially', 'especially'],
      ['difficult', 'difficult', 'difficult', 'difficult'],
    );
    const c = core.client;
    await c.invoke('quotas.save', { programmeId: p.id, term, count: 5 });
    await applyAndReview(core, p.id, term, all);
    // Together, the five places go to the central school's 特别困难 students.
    const together = await c.invoke('applications.allocate', { programmeId: p.id, term, dryRun: true });
    expect(together.bySchool).toBeNull();
    await c.invoke('applications.allocate', { programmeId: p.id, term });
    expect(fundedBySchool()).toEqual({ 1: 5 });

    await divide(p.id, [
      [1, 2],
      [village, 3],
    ]);
    const r = await c.invoke('applications.allocate', { programmeId: p.id, term });
    expect(fundedBySchool()).toEqual({ 1: 2, [village]: 3 });
    expect(r.funded).toBe(5);
    expect(r.bySchool).toEqual([
      { schoolId: 1, name: '测试学校', quota: 2, held: 0, funded: 2 },
      { schoolId: village, name: '岭下村小学', quota: 3, held: 0, funded: 3 },
    ]);
    expect(r.unfunded.filter((u) => u.reason.endsWith('测试学校的名额已满，未获资助'))).toHaveLength(4);
    expect(r.unfunded.filter((u) => u.className?.startsWith('测试学校 '))).toHaveLength(4);
    // The command line says the same, school by school (and keeps the division when the county's number is given again).
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    const values = { programme: 'senior-grant', term, quota: '5' } as unknown as Parameters<typeof allocateCommand>[1];
    expect(await allocateCommand(core.ctx, values, io, false)).toBe(0);
    expect(lines).toContain('名额分到各校，各校分别排序：测试学校 名额 2、本次获资助 2 人；岭下村小学 名额 3、本次获资助 3 人');
    expect((await c.invoke('quotas.get', { programmeId: p.id, term }))!.schools.map((x) => x.count)).toEqual([2, 3]);
    expect(r.unfunded.filter((u) => u.reason.endsWith('岭下村小学的名额已满，未获资助'))).toHaveLength(1);
    const reasons = sql<{ rank_reason: string; rank: number }>(
      `SELECT a.rank_reason, a.rank FROM application a JOIN student s ON s.id = a.student_id WHERE s.school_id = ? ORDER BY a.rank`,
      village,
    );
    expect(reasons.map((x) => x.rank)).toEqual([1, 2, 3, 4]);
    expect(reasons[0]!.rank_reason).toMatch(/^岭下村小学校内排序：/);
    expect((await c.invoke('checks.run', { term, programmeId: p.id })).filter((f) => f.code === 'over-quota')).toEqual([]);

    // The central school later takes a place back from the village school: the village's third recipient is now one
    // too many for its part, and the checks name the school.
    await divide(p.id, [
      [1, 3],
      [village, 2],
    ]);
    const over = (await c.invoke('checks.run', { term, programmeId: p.id })).filter((f) => f.code === 'over-quota');
    expect(over.map((f) => f.message)).toEqual(['岭下村小学受助 3 人，超过分到该校的名额 2 人：请重新分配名额或撤销多出的申请']);
    // One school's checks: its own students and its part of the quota, not the other school's.
    const ofSchool = async (schoolId: number) =>
      (await c.invoke('checks.run', { term, programmeId: p.id, schoolId })).filter((f) => f.code === 'over-quota').map((f) => f.schoolId);
    expect(await ofSchool(village)).toEqual([village]);
    expect(await ofSchool(1)).toEqual([]);
    const board = async (schoolId: number) => (await c.invoke('board.term', { term, schoolId })).findings.blocking;
    expect(await board(village)).toBeGreaterThan(await board(1));
    // A school left out of the division has no places: its applicants are told so.
    await c.invoke('quotas.save', { programmeId: p.id, term, count: 5, schools: [{ schoolId: 1, count: 5 }] });
    const checks = (await c.invoke('checks.run', { term, programmeId: p.id })).filter((f) => f.code === 'over-quota');
    expect(checks.map((f) => f.message)).toEqual(['岭下村小学没有分到名额，却有 3 人受助：请在“名额”中为该校分配名额，或撤销这些申请']);
    const again = await c.invoke('applications.allocate', { programmeId: p.id, term });
    expect(fundedBySchool()).toEqual({ 1: 5 });
    expect(again.unfunded.filter((u) => u.reason.includes('岭下村小学未分到名额，未获资助'))).toHaveLength(4);
  });

  it('divides a first suggestion by enrolment, adding up exactly', () => {
    expect(
      splitByEnrolment(10, [
        { schoolId: 1, students: 300 },
        { schoolId: 2, students: 100 },
      ]).map((x) => x.count),
    ).toEqual([8, 2]);
    const parts = splitByEnrolment(29, [
      { schoolId: 1, students: 713 },
      { schoolId: 2, students: 95 },
      { schoolId: 3, students: 12 },
    ]);
    expect(parts.reduce((n, x) => n + x.count, 0)).toBe(29);
    expect(schoolQuotaProblem({ count: 29, tierCounts: null }, parts, [{ tier: 1 }], String)).toBeNull();
  });
});

describe('seeded divisions (invariants on the database)', () => {
  const LEVELS: DifficultyLevel[] = ['especially', 'difficult', 'general'];
  it('never funds a school past its places nor the desk past its quota, and names every eligible applicant left out', async () => {
    const SEEDS = 12;
    for (let seed = 1; seed <= SEEDS; seed++) {
      await core.close();
      core = await testCore({ school: false });
      core.ctx.store.sqlite.pragma('synchronous = OFF');
      const rand = seededRandom(seed);
      const schools = ['', '岭下村小学', '石门教学点'].slice(0, 2 + Math.floor(rand() * 2));
      const kids: Kid[] = [];
      for (const [s, school] of schools.entries())
        for (let i = 0; i < 2 + Math.floor(rand() * 6); i++)
          kids.push({ name: `校${s}生${i}`, grade: '高一', ...(school ? { school } : {}) });
      core.setToday('2026-11-02');
      const ids = await smallSchool(core, kids, ['senior']);
      const levels = kids.map(() => LEVELS[Math.floor(rand() * LEVELS.length)]!);
      for (const level of LEVELS) {
        const some = kids.filter((_, i) => levels[i] === level).map((k) => ids.get(k.name)!);
        if (some.length) await identify(core, some, level);
      }
      const p = await programme(core, 'senior-grant');
      const listed = await core.client.invoke('schools.list', {});
      const count = Math.floor(rand() * kids.length);
      // A random division (some schools may be left out with none).
      const weights = listed.map(() => (rand() < 0.2 ? 0 : rand()));
      const parts = splitByEnrolment(
        count,
        listed.map((s, i) => ({ schoolId: s.id, students: Math.round(weights[i]! * 100) })),
      ).filter((x, i) => x.count > 0 || weights[i]! > 0);
      const division = parts.reduce((n, x) => n + x.count, 0) === count ? parts : [];
      await core.client.invoke('quotas.save', { programmeId: p.id, term, count, schools: division });
      await applyAndReview(core, p.id, term, [...ids.values()]);
      const result = await core.client.invoke('applications.allocate', { programmeId: p.id, term });

      const bySchool = fundedBySchool();
      const total = Object.values(bySchool).reduce((n, x) => n + x, 0);
      const why = `seed ${seed}: quota ${count}, division ${JSON.stringify(division)}, funded ${JSON.stringify(bySchool)}`;
      expect(total, why).toBeLessThanOrEqual(count);
      for (const s of listed) {
        const part = division.length ? (division.find((x) => x.schoolId === s.id)?.count ?? 0) : count;
        expect(bySchool[s.id] ?? 0, why).toBeLessThanOrEqual(part);
        // Places are not left empty while the school has eligible applicants waiting.
        const applicants = sql<{ n: number }>(
          `SELECT count(*) AS n FROM application a JOIN student s ON s.id = a.student_id WHERE s.school_id = ?`,
          s.id,
        )[0]!.n;
        if (division.length) expect(bySchool[s.id] ?? 0, why).toBe(Math.min(part, applicants));
      }
      if (!division.length) expect(total, why).toBe(Math.min(count, kids.length));
      // The result counts every ranked applicant left out, and names each it lists by the application's own name.
      const left = sql<{ id: number; name: string }>(
        `SELECT a.id, s.name FROM application a JOIN student s ON s.id = a.student_id WHERE a.funded = 0 AND a.rank IS NOT NULL`,
      );
      expect(result.unfundedCount, why).toBe(left.length);
      expect(result.unfunded.map((u) => [u.applicationId, u.name]).sort(), why).toEqual(left.map((x) => [x.id, x.name]).sort());
      const unseen = sql(`SELECT id FROM application WHERE funded IS NOT 1 AND (rank_reason = '' OR rank_reason IS NULL)`);
      expect(unseen, why).toEqual([]);
      const over = (await core.client.invoke('checks.run', { term, programmeId: p.id })).filter((f) => f.code === 'over-quota');
      expect(over, why).toEqual([]);
    }
  }, 120_000);
});

/** A county's summary (汇总表): a row per school, with a 合计 row summing the counts and the money. */
async function summaryTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('汇总表');
  ws.mergeCells('A1:I1');
  ws.getCell('A1').value = '2026年秋季学期普通高中国家助学金发放汇总表';
  ws.getCell('A2').value = '填报单位：';
  ws.getRow(3).values = ['序号', '学校名称', '在校学生数', '受助人数', '一档人数', '二档人数', '三档人数', '资助金额（元）', '资助面'];
  ws.getCell('A5').value = '合计';
  for (const col of ['C', 'D', 'E', 'F', 'G', 'H']) ws.getCell(`${col}5`).value = { formula: `SUM(${col}4:${col}4)`, result: 0 };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Three central and two village students funded within a 3 + 2 division, posted and the publicity closed. */
async function postedTwoSchools() {
  const { p, village, all } = await twoSchools(['especially', 'especially', 'especially'], ['difficult', 'difficult']);
  const c = core.client;
  await divide(p.id, [
    [1, 3],
    [village, 2],
  ]);
  await applyAndReview(core, p.id, term, all);
  await c.invoke('applications.allocate', { programmeId: p.id, term });
  const pub = await c.invoke('publicity.createProgramme', { programmeId: p.id, term, complaintPhone: '0745-1234567' });
  core.setToday('2026-11-09');
  await c.invoke('publicity.close', { id: pub.id });
  const funded = sql<{ id: number; school_id: number; tier: number; amount_fen: number }>(
    `SELECT a.id, s.school_id, a.tier, a.amount_fen FROM application a JOIN student s ON s.id = a.student_id WHERE a.funded = 1`,
  );
  return { p, village, funded };
}

describe('the money of several schools', () => {
  it('keeps one ledger for the desk and splits its spending by the student’s school, adding up to the ledger', async () => {
    const { village, funded: ids } = await postedTwoSchools();
    const c = core.client;
    await c.invoke('applications.transition', { ids: ids.map((x) => x.id), action: 'approve' });
    await c.invoke('applications.transition', { ids: ids.map((x) => x.id), action: 'report' });
    core.setToday('2026-11-16');
    // The central school's three are paid; the village's two are still owed.
    const centralIds = ids.filter((x) => x.school_id === 1);
    expect(
      (await c.invoke('payments.record', { applicationIds: centralIds.map((x) => x.id), paidOn: '2026-11-16', channel: 'bankCard' }))
        .recorded,
    ).toBe(3);

    const l = await c.invoke('funds.ledger', { term });
    const sum = (k: 'amount_fen', school: number) => ids.filter((x) => x.school_id === school).reduce((n, x) => n + x[k], 0);
    expect(l.bySchool!.map((x) => [x.name, x.paid, x.paidCount, x.committed, x.committedCount])).toEqual([
      ['测试学校', sum('amount_fen', 1), 3, 0, 0],
      ['岭下村小学', 0, 0, sum('amount_fen', village), 2],
    ]);
    // The parts add up to the desk's ledger.
    const total = (k: 'paid' | 'waived' | 'committed') => l.bySchool!.reduce((n, x) => n + x[k], 0);
    expect([total('paid'), total('waived'), total('committed')]).toEqual([l.total.paid, l.total.waived, l.total.committed]);

    const file = await c.invoke('funds.export', { term });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const at = rows.findIndex((r) => r[0] === '各校支出');
    expect(at).toBeGreaterThan(0);
    expect(rows[at + 2]).toEqual(['岭下村小学', undefined, undefined, undefined, 0, 0, sum('amount_fen', village) / 100, 0]);
    const printed = await c.invoke('funds.print', { term });
    expect(printed.html).toContain('资金由中心校统一收支，按学生所在学校分列支出：测试学校 发放');
  });

  it('fills a county summary with a row per school: enrolled, recipients by tier, money and 资助面, and the totals', async () => {
    const { p, village, funded } = await postedTwoSchools();
    const c = core.client;
    await c.invoke('applications.transition', { ids: funded.map((x) => x.id), action: 'approve' });
    const template = { dataBase64: (await summaryTemplate()).toString('base64'), fileName: '汇总表.xlsx' };
    const r = await c.invoke('export.countyTemplate', { template, programmeId: p.id, term });
    expect(r.problems).toEqual([]);
    expect(r.rows).toBe(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(r.file!.dataBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    const expected = (schoolId: number, name: string, seq: number) => {
      const mine = funded.filter((x) => x.school_id === schoolId);
      const tier = (t: number) => mine.filter((x) => x.tier === t).length;
      return [
        seq,
        name,
        3 - (schoolId === 1 ? 0 : 1),
        mine.length,
        tier(1),
        tier(2),
        tier(3),
        mine.reduce((n, x) => n + x.amount_fen, 0) / 100,
      ];
    };
    expect(row(4).slice(0, 8)).toEqual(expected(1, '测试学校', 1));
    expect(row(5).slice(0, 8)).toEqual(expected(village, '岭下村小学', 2));
    expect(row(4)[8]).toBe('100.0%');
    expect(ws.getCell('A2').value).toBe('填报单位：测试学校');
    // The 合计 row moved under the two schools, its sums over both.
    expect(ws.getCell('A6').value).toBe('合计');
    expect(ws.getCell('D6').value).toMatchObject({ formula: 'SUM(D4:D5)', result: 5 });
    // One school picked: its row only. And the summary is no list of students.
    expect((await c.invoke('export.countyTemplate', { template, programmeId: p.id, term, schoolId: village })).rows).toBe(1);
    await expect(c.invoke('export.identification', { template, schoolYear: '2026-2027' })).rejects.toThrow('是每校一行的汇总表');
    const classId = sql<{ class_id: number }>(`SELECT class_id FROM student WHERE school_id = 1 LIMIT 1`)[0]!.class_id;
    await expect(c.invoke('export.countyTemplate', { template, programmeId: p.id, term, classId })).rejects.toThrow('不能只填一个班');
  });
});
