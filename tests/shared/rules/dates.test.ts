import { describe, expect, it } from 'vitest';
import { isoDate } from '../../../shared/api/common';
import { ageOn, isoFromExcelSerial, isRealIsoDate, parseDate } from '../../../shared/rules/dates';

describe('dates', () => {
  it.each([
    ['2017-07-19', '2017-07-19'],
    ['2017.07.19', '2017-07-19'],
    ['2017/7/19', '2017-07-19'],
    ['2017年7月19日', '2017-07-19'],
    ['20170719', '2017-07-19'],
    [' ２０１７－０７－１９ ', '2017-07-19'],
  ])('reads %s as a day', (input, iso) => {
    expect(parseDate(input)).toEqual({ kind: 'day', date: iso });
  });

  it('reads month-only 出生年月', () => {
    expect(parseDate('2017年7月')).toEqual({ kind: 'month', year: 2017, month: 7 });
    expect(parseDate('2017.07')).toEqual({ kind: 'month', year: 2017, month: 7 });
  });

  it('reads Excel serials zone-free, including as text from a CSV', () => {
    expect(isoFromExcelSerial(42935)).toBe('2017-07-19');
    expect(parseDate(42935)).toEqual({ kind: 'day', date: '2017-07-19' });
    expect(parseDate('42935')).toEqual({ kind: 'day', date: '2017-07-19' });
  });

  it('reads exceljs Date cells by their UTC parts', () => {
    expect(parseDate(new Date(Date.UTC(2017, 6, 19)))).toEqual({ kind: 'day', date: '2017-07-19' });
  });

  it('never reads a bare year as an Excel serial (2017 is not 1905-07-09)', () => {
    expect(parseDate('2017').kind).toBe('invalid');
    expect(parseDate('2017.0').kind).toBe('invalid');
    expect(parseDate('42935').kind).toBe('day');
  });

  it('checks a contract date is a real day', () => {
    expect(isRealIsoDate('2026-02-28')).toBe(true);
    expect(isRealIsoDate('2026-02-30')).toBe(false);
    expect(isRealIsoDate('2026-2-3')).toBe(false);
    expect(isoDate.safeParse('2026-02-30').success).toBe(false);
    expect(isoDate.safeParse('2028-02-29').success).toBe(true);
  });

  it('refuses impossible dates and noise', () => {
    expect(parseDate('2017-02-30').kind).toBe('invalid');
    expect(parseDate('2017-13-01').kind).toBe('invalid');
    expect(parseDate('不详').kind).toBe('invalid');
  });

  it('counts whole years of age', () => {
    expect(ageOn('2010-09-02', '2026-09-01')).toBe(15);
    expect(ageOn('2010-09-01', '2026-09-01')).toBe(16);
  });
});
