import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAMMES } from '../../../shared/rules/programme-catalogue';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../shared/domain/priority-group';
import {
  eligibilityGroups,
  fourCategories,
  FOUR_CATEGORY_GROUPS,
  ineligibility,
  isNeedBased,
  unknownArea,
  type EligibilityFacts,
} from '../../../shared/rules/eligibility';
import { endOfWorkingDays, workingDaysBetween } from '../../../shared/rules/working-days';
import { SHIPPED_CALENDAR } from '../../../shared/rules/holidays';

const kid = (over: Partial<EligibilityFacts> = {}): EligibilityFacts => ({
  stage: 'primary',
  grade: '三年级',
  boarding: false,
  level: null,
  flags: [],
  ...over,
});
const flag = (group: EligibilityFacts['flags'][number]['group'], area: 'rural' | 'urban' | null = null) => ({ group, listed: true, area });

describe('the 四类', () => {
  it('are 脱贫 with 监测, rural 低保 and 特困, and disabled students identified in hardship', () => {
    expect(fourCategories(kid({ flags: [flag('monitored')] }))).toEqual(['脱贫家庭（含监测对象）']);
    expect(fourCategories(kid({ flags: [flag('dibao', 'rural'), flag('extremePoverty', 'rural')] }))).toEqual(['农村低保', '农村特困供养']);
    expect(fourCategories(kid({ flags: [flag('dibao', 'urban'), flag('extremePoverty', 'urban')] }))).toEqual([]);
    expect(fourCategories(kid({ flags: [flag('disabledStudent')], level: 'none' }))).toEqual([]);
    expect(fourCategories(kid({ flags: [flag('disabledStudent')], level: null }))).toEqual([]);
    expect(fourCategories(kid({ flags: [flag('disabledStudent')], level: 'general' }))).toEqual(['家庭经济困难残疾学生']);
    expect(unknownArea(kid({ flags: [flag('dibao'), flag('extremePoverty', 'rural')] }))).toEqual(['dibao']);
  });

  it('decide the non-boarder subsidy, with its boarding rule and stages', () => {
    const day = DEFAULT_PROGRAMMES['day-subsidy']!;
    expect(ineligibility(day, kid({ flags: [flag('dibao', 'rural')] }))).toBeNull();
    expect(ineligibility(day, kid({ flags: [flag('dibao', 'urban')] }))).toMatch(/四类/);
    expect(ineligibility(day, kid({ flags: [flag('dibao', 'rural')], boarding: true }))).toMatch(/寄宿生/);
    expect(ineligibility(day, kid({ stage: 'senior', flags: [flag('povertyAlleviated')] }))).toBe('不在该项目的学段');
    expect(isNeedBased(day)).toBe(true);
  });

  it('give the 免保育教育费 to the final year only', () => {
    const waiver = DEFAULT_PROGRAMMES['preschool-fee-waiver']!;
    expect(ineligibility(waiver, kid({ stage: 'preschool', grade: '大班' }))).toBeNull();
    expect(ineligibility(waiver, kid({ stage: 'preschool', grade: '小班' }))).toBe('只资助大班的学生');
    expect(isNeedBased(waiver)).toBe(false);
  });

  it('are made of FOUR_CATEGORY_GROUPS only, which the checks use to skip students flagged in other groups', () => {
    const groups = Object.keys(PRIORITY_GROUPS) as PriorityGroup[];
    for (const g of groups) {
      // In hardship, rural and listed: the most a flag of this group can do.
      const f = kid({ level: 'especially', flags: [flag(g, 'rural')] });
      expect([g, fourCategories(f).length > 0]).toEqual([g, FOUR_CATEGORY_GROUPS.includes(g)]);
      expect(unknownArea(kid({ flags: [flag(g)] })).every((x) => FOUR_CATEGORY_GROUPS.includes(x))).toBe(true);
      // A programme of the 四类 with no groups of its own takes exactly these.
      const p = { ...DEFAULT_PROGRAMMES['day-subsidy']!, eligibility: { everyone: false, levels: [], groups: [], fourCategories: true } };
      expect([g, ineligibility(p, f) === null]).toEqual([g, eligibilityGroups(p).includes(g)]);
    }
  });
});

describe('working days on the State Council calendar', () => {
  const calendar = new Map(SHIPPED_CALENDAR.map((d) => [d.date, d.kind] as const));
  it('skip the published holidays and count the swapped Saturdays and Sundays', () => {
    // 2026 Spring Festival: 15–23 February off, Saturday 14 and Saturday 28 worked.
    expect(endOfWorkingDays('2026-02-12', 5, calendar)).toBe('2026-02-25');
    expect(workingDaysBetween('2026-02-14', '2026-02-14', calendar)).toBe(1);
    // National Day 2025 with 中秋: 1–8 October off, Saturday 11 October worked.
    expect(endOfWorkingDays('2025-09-30', 3, calendar)).toBe('2025-10-10');
    expect(endOfWorkingDays('2025-09-30', 4, calendar)).toBe('2025-10-11');
    // Without the calendar, weekdays only.
    expect(endOfWorkingDays('2026-02-12', 5)).toBe('2026-02-18');
  });

  it('ship only published years, each day once', () => {
    const years = new Set(SHIPPED_CALENDAR.map((d) => d.date.slice(0, 4)));
    expect([...years]).toEqual(['2025', '2026']);
    expect(new Set(SHIPPED_CALENDAR.map((d) => d.date)).size).toBe(SHIPPED_CALENDAR.length);
  });
});
