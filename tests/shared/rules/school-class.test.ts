import { describe, expect, it } from 'vitest';
import { parseClass, parseGrade, type ClassContext } from '../../../shared/rules/school-class';

const ctx: ClassContext = { stage: null, schoolYearStart: 2026, defaultStage: null };

describe('class names', () => {
  it.each([
    ['一年级', '1班', '一年级（1）班', 'primary'],
    ['', '一年级（1）班', '一年级（1）班', 'primary'],
    ['', '一年级(1)班', '一年级（1）班', 'primary'],
    ['', '一(2)班', '一年级（2）班', 'primary'],
    ['小班', '1班', '小班（1）班', 'preschool'],
    ['九年级', '2班', '九年级（2）班', 'junior'],
    ['初一', '3班', '七年级（3）班', 'junior'],
    ['高一', '1班', '高一（1）班', 'senior'],
    ['', '高2024级3班', '高三（3）班', 'senior'],
  ])('grade %s + class %s → %s', (grade, cls, name, stage) => {
    const parsed = parseClass(grade, cls, ctx);
    expect(parsed?.name).toBe(name);
    expect(parsed?.stage).toBe(stage);
  });

  it('places an entry-year class by the stage column: 2024级 is 三年级 at a primary school in 2026-2027', () => {
    expect(parseClass('', '2024级3班', { ...ctx, stage: 'primary' })?.name).toBe('三年级（3）班');
    expect(parseClass('', '2024级3班', { ...ctx, stage: 'junior' })?.name).toBe('九年级（3）班');
  });

  it('reads 一年级 at a vocational school as the first vocational year', () => {
    expect(parseGrade('一年级', 'vocational')?.grade).toBe('中职一年级');
  });

  it('orders grades across stages', () => {
    const order = ['小班', '大班', '一年级', '六年级', '七年级', '九年级', '高一'].map((g) => parseGrade(g)!.order);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('cannot place text that names no grade', () => {
    expect(parseClass('火箭班', '', ctx)).toBeNull();
  });

  it('makes no class of an odd class cell: a named class is a short name ending in 班', () => {
    const ctx = { stage: null, schoolYearStart: 2026, defaultStage: 'primary' as const };
    for (const odd of ['#N/A', '转学', 'abc', '😀', '一年级一班一年级一班一年级一班', '=A1', '（空）', '1-2'])
      expect(parseClass('一年级', odd, ctx), odd).toBeNull();
    expect(parseClass('一年级', '实验班', ctx)?.name).toBe('一年级实验班');
    expect(parseClass('一年级', 'A班', ctx)?.name).toBe('一年级A班');
    expect(parseClass('一年级', '1', ctx)?.name).toBe('一年级（1）班');
    expect(parseClass('一年级', '', ctx)?.name).toBe('一年级');
  });
});
