import { describe, expect, it } from 'vitest';
import type { ApplicationStatus } from '../../../shared/domain/application';
import { runChecks, type CheckedApplication, type CheckedProgramme } from '../../../shared/rules/aid-checks';
import { ACTIONS, refusal, undoRefusal, type TransitionFacts } from '../../../shared/rules/application-status';
import { DEFAULT_PROGRAMMES } from '../../../shared/rules/programme-catalogue';
import { seededRandom } from '../../../shared/rules/sample';
import { allocate, apportion, rankCandidates, tierCounts, type Candidate } from '../../../shared/rules/tiers';

describe('tiers', () => {
  it('splits a quota by the proportions with the largest remainder, adding up exactly', () => {
    expect(
      tierCounts(340, [
        { tier: 1, proportion: 25 },
        { tier: 2, proportion: 50 },
        { tier: 3, proportion: 25 },
      ]),
    ).toEqual({ 1: 85, 2: 170, 3: 85 });
    expect(
      tierCounts(10, [
        { tier: 1, proportion: 25 },
        { tier: 2, proportion: 50 },
        { tier: 3, proportion: 25 },
      ]),
    ).toEqual({ 1: 3, 2: 5, 3: 2 });
    expect(
      tierCounts(7, [
        { tier: 1, proportion: 50 },
        { tier: 2, proportion: 50 },
      ]),
    ).toEqual({ 1: 4, 2: 3, 3: 0 });
    expect(apportion(1, [1, 1, 1])).toEqual([1, 0, 0]);
    expect(apportion(0, [25, 50])).toEqual([0, 0]);
    for (let q = 0; q < 200; q++) expect(apportion(q, [29.8, 33.3, 36.9]).reduce((a, b) => a + b, 0)).toBe(q);
  });

  type Test = Candidate & { groupKey?: string };
  const c = (id: number, over: Partial<Test> & { groups?: Candidate['flags'][number]['group'][] } = {}): Test => {
    const { groups = [], ...rest } = over;
    return { id, studentId: id, level: 'general', flags: groups.map((group) => ({ group })), score: null, ...rest };
  };

  it('ranks priority groups first, then level, then score, then the earlier student, and says why', () => {
    const ranked = rankCandidates(
      [
        c(1, { level: 'especially', score: 90 }),
        c(2, { level: 'general', groups: ['dibao'] }),
        c(3, { level: 'especially', score: 95 }),
        c(4, { level: 'difficult' }),
        c(5, { level: 'especially', score: 95 }),
      ],
      ['dibao', 'povertyAlleviated'],
    );
    expect(ranked.map((r) => r.candidate.id)).toEqual([2, 3, 5, 1, 4]);
    expect(ranked[0]!.reason).toBe('特殊群体（最低生活保障）；一般困难；无评分');
    // 3 and 5 tie on group, level and score: the reason says how the tie was broken.
    expect(ranked[1]!.reason).toBe(
      '非特殊群体；特别困难；评分 95 分；与他人同等条件，按人均年收入较低、认定较早优先（家庭人均年收入未填，认定时间不详）',
    );
    expect(ranked[4]!.reason).toBe('非特殊群体；困难；无评分');
  });

  it('gives each of 3,000 random candidates the reason its own facts make, though neighbours share the text', () => {
    // Seeded (the same run every time). Few values of each fact, so most candidates tie.
    const rnd = seededRandom(20261205);
    const rand = (n: number) => Math.floor(rnd() * n);
    const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)]!;
    const groups = ['dibao', 'povertyAlleviated', 'orphan'] as const;
    const candidates = Array.from({ length: 3000 }, (_, i) =>
      c(i + 1, {
        level: pick(['especially', 'difficult', 'general', null] as const),
        groups: groups.filter(() => rand(5) === 0),
        score: rand(10) === 0 ? null : rand(30) + (rand(2) ? 0.5 : 0),
        income: pick([null, undefined, 360_000, 360_050, 720_000]),
        identifiedOn: pick([null, '2026-09-14', '2026-09-14', '2026-09-14', '2026-09-14', '2026-09-20']),
        identificationId: pick([null, 1, 2]),
      }),
    );
    const ranked = rankCandidates(candidates, ['dibao', 'povertyAlleviated']);
    // What each reason must say, built from the candidate alone.
    const head = (x: Candidate) => {
      const named: Partial<Record<string, string>> = { dibao: '最低生活保障', povertyAlleviated: '脱贫家庭学生' };
      const names = x.flags.map((f) => named[f.group]).filter((n) => n !== undefined);
      const level = x.level ? { especially: '特别困难', difficult: '困难', general: '一般困难', none: '不困难' }[x.level] : '未认定';
      return `${names.length ? `特殊群体（${names.join('、')}）` : '非特殊群体'}；${level}；${x.score === null ? '无评分' : `评分 ${x.score} 分`}`;
    };
    const tail = (x: Candidate) =>
      `；与他人同等条件，按人均年收入较低、认定较早优先（${x.income == null ? '家庭人均年收入未填' : `家庭人均年收入 ${Number.isInteger(x.income / 100) ? x.income / 100 : (x.income / 100).toFixed(2)} 元`}，${x.identifiedOn ? `${x.identifiedOn} 认定` : '认定时间不详'}）`;
    // Tied: both or neither in a priority group, the same level and score.
    const first = (x: Candidate) => x.flags.some((f) => f.group !== 'orphan');
    const same = (a: Candidate | undefined, b: Candidate) => !!a && first(a) === first(b) && a.level === b.level && a.score === b.score;
    let shared = 0;
    ranked.forEach((r, i) => {
      const x = r.candidate;
      const tied = same(ranked[i - 1]?.candidate, x) || same(ranked[i + 1]?.candidate, x);
      expect(r.reason, `第 ${r.rank} 名`).toBe(head(x) + (tied ? tail(x) : ''));
      if (i > 0 && r.reason === ranked[i - 1]!.reason) shared++;
    });
    // Most neighbours share their text here: the test covers the reuse, not only the building.
    expect(shared).toBeGreaterThan(500);
    // Neighbours that differ in the level only, or in the score only, keep their own text.
    const three = rankCandidates(
      [c(1, { level: 'especially', score: 50 }), c(2, { level: 'difficult', score: 50 }), c(3, { level: 'difficult', score: 40 })],
      [],
    );
    expect(three.map((r) => r.reason)).toEqual([
      '非特殊群体；特别困难；评分 50 分',
      '非特殊群体；困难；评分 50 分',
      '非特殊群体；困难；评分 40 分',
    ]);
  });

  it('funds the quota in rank order, puts priority students in the top tier and lists the unfunded', () => {
    const candidates = [
      c(1, { groups: ['povertyAlleviated'] }),
      c(2, { groups: ['dibao'] }),
      c(3, { level: 'especially' }),
      c(4),
      c(5),
      c(6),
    ];
    const r = allocate({
      candidates,
      quota: 4,
      tiers: [
        { tier: 1, proportion: 25 },
        { tier: 2, proportion: 50 },
        { tier: 3, proportion: 25 },
      ],
      priorityGroups: ['povertyAlleviated', 'dibao'],
    });
    // 4 → 1/2/1 by proportion; two priority students take tier 1, the lowest tier gives way.
    expect(r.tierCounts).toEqual({ 1: 2, 2: 2, 3: 0 });
    expect(r.rows.map((x) => [x.candidate.id, x.tier])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 2],
      [5, null],
      [6, null],
    ]);
    expect(r.unfunded.map((x) => x.candidate.id)).toEqual([5, 6]);
  });

  it('distributes the quota over grades in proportion and ranks within each grade', () => {
    const candidates = [
      c(1, { groupKey: '高一' }),
      c(2, { groupKey: '高一' }),
      c(3, { groupKey: '高二', level: 'especially' }),
      c(4, { groupKey: '高二' }),
      c(5, { groupKey: '高二' }),
    ];
    const r = allocate({
      candidates,
      quota: 3,
      tiers: [{ tier: 1, proportion: 100 }],
      priorityGroups: [],
      distribution: { 高一: 100, 高二: 200 },
      groupOf: (x) => x.groupKey ?? '',
    });
    expect(r.shares).toEqual({ 高一: 1, 高二: 2 });
    expect(
      r.rows
        .filter((x) => x.funded)
        .map((x) => x.candidate.id)
        .sort(),
    ).toEqual([1, 3, 4]);
  });
});

describe('the application state machine', () => {
  const ok: TransitionFacts = {
    enrolled: true,
    eligible: true,
    tierSet: true,
    amountSet: true,
    funded: true,
    publicityRefusal: null,
    blockingFindings: [],
    paymentRecorded: false,
    archiveMissing: [],
  };
  it('moves only from the allowed states and says why not', () => {
    expect(refusal('submit', 'draft', ok, '')).toBeNull();
    expect(refusal('submit', 'approved', ok, '')).toBe('当前状态不能“提交申请”');
    expect(refusal('toClassReview', 'applied', { ...ok, enrolled: false }, '')).toBe('学生已不在校');
    expect(refusal('toSchoolReview', 'classReview', { ...ok, eligible: false }, '')).toMatch(/不符合该项目的申请条件/);
    expect(refusal('publicise', 'schoolReview', { ...ok, tierSet: false }, '')).toMatch(/先“分配名额”/);
    expect(refusal('publicise', 'schoolReview', { ...ok, funded: false }, '')).toMatch(/未获得名额/);
    expect(refusal('approve', 'publicity', { ...ok, publicityRefusal: '学校公示尚未结束（公示期未满或有未处理的异议）' }, '')).toMatch(
      /公示尚未结束/,
    );
    // Approval needs a funded tier and its amount, whatever the publicity says.
    expect(refusal('approve', 'publicity', { ...ok, funded: false }, '')).toMatch(/没有获得名额/);
    expect(refusal('approve', 'publicity', { ...ok, funded: null, tierSet: false }, '')).toMatch(/没有获得名额/);
    expect(refusal('approve', 'publicity', { ...ok, amountSet: false }, '')).toMatch(/资助标准/);
    expect(refusal('approve', 'publicity', ok, '')).toBeNull();
    expect(refusal('reject', 'publicity', ok, '')).toBe('“不予通过”须写明原因');
    expect(refusal('return', 'classReview', ok, '材料不全')).toBeNull();
    expect(refusal('pay', 'submitted', ok, '')).toMatch(/发放/);
    expect(refusal('pay', 'submitted', { ...ok, paymentRecorded: true }, '')).toBeNull();
    expect(refusal('archive', 'paid', ok, '')).toBe('还没有登记发放，不能归档');
    expect(refusal('archive', 'paid', { ...ok, paymentRecorded: true, archiveMissing: ['项目档案“签领表”缺'] }, '')).toBe(
      '档案不齐：项目档案“签领表”缺',
    );
    expect(refusal('archive', 'paid', { ...ok, paymentRecorded: true }, '')).toBeNull();
    expect(ACTIONS.withdraw.from).not.toContain('approved' as ApplicationStatus);
  });
});

describe('checks', () => {
  const programme = (code: string, over: Partial<CheckedProgramme> = {}): CheckedProgramme => ({
    ...DEFAULT_PROGRAMMES[code]!,
    code,
    quota: null,
    ...over,
  });
  const app = (id: number, over: Partial<CheckedApplication> = {}): CheckedApplication => ({
    id,
    studentId: id,
    name: `学生${id}`,
    idNumber: null,
    birthDate: '2015-03-01',
    className: '四年级（1）班',
    stage: 'primary',
    enrolled: true,
    boarding: true,
    bankCard: '6217000010000000009',
    applicantName: `学生${id}`,
    applicantIdNumber: null,
    programmeCode: 'boarder-subsidy',
    status: 'approved',
    tier: 1,
    amount: 62_500,
    flags: [],
    ...over,
  });
  const programmes = new Map([
    ['boarder-subsidy', programme('boarder-subsidy')],
    ['day-subsidy', programme('day-subsidy')],
  ]);

  it('finds boarder and non-boarder subsidy held together once, and the boarder rate for a day student', () => {
    const f = runChecks(
      [app(1), app(2, { studentId: 1, programmeCode: 'day-subsidy', amount: 31_250 }), app(3, { boarding: false })],
      programmes,
      '2026-09-01',
    );
    expect(f.filter((x) => x.code === 'exclusive')).toEqual([
      expect.objectContaining({ applicationId: 2, programme: '义务教育非寄宿生生活补助' }),
    ]);
    expect(f.filter((x) => x.code === 'boarding-mismatch').map((x) => x.applicationId)).toEqual([2, 3]);
  });

  it('finds an exclusive pair among three applications of one student, whichever comes last', () => {
    const three = new Map([...programmes, ['nutrition', programme('nutrition')]]);
    for (const order of [
      ['boarder-subsidy', 'nutrition', 'day-subsidy'],
      ['nutrition', 'day-subsidy', 'boarder-subsidy'],
    ]) {
      const f = runChecks(
        order.map((code, i) => app(i + 1, { studentId: 7, programmeCode: code, boarding: null })),
        three,
        '2026-09-01',
      );
      expect(f.filter((x) => x.code === 'exclusive').map((x) => x.programme)).toEqual(['义务教育非寄宿生生活补助']);
    }
  });

  it('finds the same person by name and birth date whichever record, the numbered or the unnumbered, comes first', () => {
    const f = runChecks(
      [
        app(1, { name: '甲', applicantName: '甲' }),
        app(2, { idNumber: '433125201503014519', name: '甲', applicantIdNumber: '433125201503014519' }),
      ],
      programmes,
      '2026-09-01',
    );
    expect(f.filter((x) => x.code === 'duplicate').map((x) => x.applicationId)).toEqual([2]);
  });

  it('treats the same name and birth date as the same person when one record has no ID number', () => {
    const f = runChecks(
      [app(1, { idNumber: '433125201503014519', name: '甲' }), app(2, { name: '甲', applicantName: '甲' })],
      programmes,
      '2026-09-01',
    );
    expect(f.filter((x) => x.code === 'duplicate')).toEqual([expect.objectContaining({ applicationId: 2 })]);
  });

  it('never takes two students with different ID numbers for one person because they share a name and birth date', () => {
    const f = runChecks(
      [
        app(1, { idNumber: '433125201503014519', name: '张伟', applicantIdNumber: '433125201503014519', applicantName: '张伟' }),
        app(2, { idNumber: '433125201503014535', name: '张伟', applicantIdNumber: '433125201503014535', applicantName: '张伟' }),
      ],
      programmes,
      '2026-09-01',
    );
    expect(f.filter((x) => x.code === 'duplicate')).toEqual([]);
  });

  it('lets a missing or malformed card hold back only the submission, not the publicity', () => {
    const f = runChecks([app(1, { bankCard: null }), app(2, { bankCard: '6217' })], programmes, '2026-09-01');
    expect(f.filter((x) => x.code.startsWith('bank-card')).map((x) => [x.code, x.severity, x.stage])).toEqual([
      ['bank-card-missing', 'blocking', 'report'],
      ['bank-card-format', 'blocking', 'report'],
    ]);
  });
});

describe('undo', () => {
  it('undoes review steps only: never an objection outcome, a publicity or a payment', () => {
    expect(undoRefusal({ from: 'applied', to: 'classReview', kind: 'step' }, 'classReview', false)).toBeNull();
    expect(undoRefusal({ from: 'publicity', to: 'rejected', kind: 'objection' }, 'rejected', false)).toMatch(/公示异议复核的结果/);
    expect(undoRefusal({ from: 'schoolReview', to: 'publicity', kind: 'publicity' }, 'publicity', false)).toMatch(/已列入公示/);
    expect(undoRefusal({ from: 'submitted', to: 'paid', kind: 'payment' }, 'paid', true)).toMatch(/钱已经发出/);
    expect(undoRefusal({ from: 'applied', to: 'classReview', kind: 'step' }, 'schoolReview', false)).toMatch(/没有可以撤回/);
    expect(undoRefusal(null, 'draft', false)).toMatch(/没有可以撤回/);
  });
});
