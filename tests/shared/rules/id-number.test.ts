import { describe, expect, it } from 'vitest';
import { checkIdNumber, idNumberCheckChar, normalizeIdNumber } from '../../../shared/rules/id-number';

describe('ID number (GB 11643)', () => {
  it('accepts the standard example 34052419800101001X with its birth date and sex', () => {
    expect(checkIdNumber('34052419800101001X')).toEqual({
      ok: true,
      idNumber: '34052419800101001X',
      birthDate: '1980-01-01',
      sex: 'male',
      areaCode: '340524',
    });
  });

  it('computes the check character with the GB 11643 weights', () => {
    expect(idNumberCheckChar('34052419800101001')).toBe('X');
    expect(idNumberCheckChar('43312520221116493')).toBe('9');
  });

  it('rejects a wrong check digit (the fixture row of 段梓)', () => {
    expect(checkIdNumber('433125202011181401')).toEqual({ ok: false, problem: 'checksum' });
  });

  it('tells sex by the 17th digit: even is female', () => {
    const r = checkIdNumber('433125201810218949');
    expect(r.ok && r.sex).toBe('female');
  });

  it('normalises lower-case x, full-width digits and surrounding spaces', () => {
    expect(normalizeIdNumber('43312520201010338x')).toBe('43312520201010338X');
    expect(normalizeIdNumber('４３３１２５２０２０１２２６２４８０')).toBe('433125202012262480');
    expect(normalizeIdNumber(' 433125202101157623 ')).toBe('433125202101157623');
    expect(checkIdNumber('４３３１２５２０２０１２２６２４８０').ok).toBe(true);
  });

  it('rejects an impossible birth date inside the number', () => {
    const first17 = '43312520170230001';
    expect(checkIdNumber(first17 + idNumberCheckChar(first17))).toEqual({ ok: false, problem: 'birth-date' });
  });

  it('rejects wrong lengths and letters, and names 15-digit legacy numbers', () => {
    expect(checkIdNumber('4331252020')).toEqual({ ok: false, problem: 'format' });
    expect(checkIdNumber('43312520201010338A')).toEqual({ ok: false, problem: 'format' });
    expect(checkIdNumber('340524800101001')).toEqual({ ok: false, problem: 'legacy' });
  });
});
