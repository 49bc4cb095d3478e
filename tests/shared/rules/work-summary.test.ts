import { describe, expect, it } from 'vitest';
import type { Figures, PeriodStats, Stats } from '../../../shared/domain/stats';
import { wanYuan, workSummary } from '../../../shared/rules/work-summary';

const figures = (f: Partial<Figures>): Figures => ({
  students: 0,
  instances: 0,
  amount: 0,
  waived: 0,
  groups: { poverty: 0, dibao: 0, extremePoverty: 0, orphan: 0, disabled: 0 },
  boarders: 0,
  day: 0,
  ...f,
});

function period(
  label: string,
  f: Partial<Figures>,
  programmes: PeriodStats['programmes'] = [],
  stages: PeriodStats['stages'] = [],
  more: Partial<Pick<PeriodStats, 'enrolled' | 'funds' | 'schools'>> = {},
): PeriodStats {
  return {
    period: 'x',
    label,
    programmes,
    sections: programmes.length ? [{ section: 'compulsory', ...figures(f) }] : [],
    stages,
    total: figures(f),
    schools: [],
    enrolled: 0,
    funds: [],
    ...more,
  };
}

describe('work summary', () => {
  it('names the coverage (资助面) and the money received by source when the desk has them', () => {
    const stats: Stats = {
      current: period('2026年秋季学期', { students: 42, instances: 42, amount: 1_312_500 }, [], [], {
        enrolled: 600,
        funds: [
          { source: 'central', amount: 1_000_000 },
          { source: 'county', amount: 400_000 },
        ],
      }),
      previous: period('2026年春季学期', {}),
    };
    expect(workSummary(stats, '青山镇中心学校')).toContain(
      '发放资助资金1.31万元。资助面7.0%（在校学生600人）。本期到账学生资助资金1.40万元（中央1.00万元、县级4000元）。',
    );
  });

  it("gives each school's share when the desk keeps member schools", () => {
    const school = (schoolId: number, schoolName: string, students: number, amount: number) => ({
      schoolId,
      schoolName,
      enrolled: 100,
      ...figures({ students, instances: students, amount }),
    });
    const stats: Stats = {
      current: period('2026年秋季学期', { students: 42, instances: 42, amount: 1_312_500 }, [], [], {
        schools: [school(1, '青山镇中心学校', 30, 937_500), school(2, '岭下村小学', 12, 375_000)],
      }),
      previous: period('2026年春季学期', {}),
    };
    expect(workSummary(stats, '青山镇中心学校')).toContain('分学校：青山镇中心学校30人、9375元；岭下村小学12人、3750元。');
    const one: Stats = { ...stats, current: { ...stats.current, schools: [] } };
    expect(workSummary(one, '青山镇中心学校')).not.toContain('分学校');
  });

  it('writes money as reports do', () => {
    expect(wanYuan(23_450_000)).toBe('23.45万元');
    expect(wanYuan(1_000_000)).toBe('1.00万元');
    expect(wanYuan(31_250)).toBe('312.5元');
    expect(wanYuan(62_500)).toBe('625元');
  });

  it('gives the paragraph of a term with its programmes, groups, boarding and the change from the term before', () => {
    const boarders = {
      programmeCode: 'boarder-subsidy',
      programmeName: '义务教育寄宿生生活补助',
      kind: 'paid' as const,
      section: 'compulsory' as const,
      ...figures({ students: 300, instances: 300, amount: 18_750_000 }),
    };
    const day = {
      programmeCode: 'day-subsidy',
      programmeName: '义务教育非寄宿生生活补助',
      kind: 'paid' as const,
      section: 'compulsory' as const,
      ...figures({ students: 112, instances: 112, amount: 3_500_000 }),
    };
    const stats: Stats = {
      current: period(
        '2026年秋季学期',
        {
          students: 412,
          instances: 412,
          amount: 22_250_000,
          groups: { poverty: 156, dibao: 40, extremePoverty: 3, orphan: 0, disabled: 2 },
          boarders: 300,
          day: 112,
        },
        [boarders, day],
        [
          { stage: 'primary', ...figures({ students: 250 }) },
          { stage: 'junior', ...figures({ students: 162 }) },
        ],
      ),
      previous: period('2026年春季学期', { students: 400, instances: 400, amount: 23_450_000 }),
    };
    expect(workSummary(stats, '青山镇中心学校')).toBe(
      '2026年秋季学期，青山镇中心学校共资助家庭经济困难学生412人、412人次，发放资助资金22.25万元。' +
        '其中义务教育阶段资助412人（小学250人、初中162人）、412人次，发放22.25万元（义务教育寄宿生生活补助300人次、18.75万元；义务教育非寄宿生生活补助112人次、3.50万元）。' +
        '受助学生中，脱贫家庭（含监测对象）学生156人（占37.9%），低保家庭学生40人（占9.7%），特困供养学生3人（占0.7%），残疾学生2人（占0.5%）。' +
        '寄宿生300人，走读生112人。与2026年春季学期相比，受助人数增加12人，资助资金减少1.20万元。',
    );
  });

  it('says so when nothing was paid', () => {
    expect(workSummary({ current: period('2027年春季学期', {}), previous: period('2026年秋季学期', {}) }, '青山镇中心学校')).toBe(
      '2027年春季学期，青山镇中心学校尚未登记任何资助发放。',
    );
  });
});

describe('万元 with integer rounding', () => {
  it('rounds half a hundred yuan up, never down through a float', () => {
    expect(wanYuan(1_005_000)).toBe('1.01万元'); // 10 050 元
    expect(wanYuan(3_275_000)).toBe('3.28万元'); // 32 750 元
    expect(wanYuan(1_000_000)).toBe('1.00万元');
    expect(wanYuan(1_004_999)).toBe('1.00万元');
    expect(wanYuan(123_456_789_00)).toBe('12345.68万元');
    expect(wanYuan(31_250)).toBe('312.5元');
  });
});
