import { describe, expect, it } from 'vitest';
import { toCapitalAmount } from '../../../shared/rules/capital-amount';

describe('amount in capitals', () => {
  it.each([
    [140_950, '人民币壹仟肆佰零玖元伍角'],
    [600_714, '人民币陆仟零柒元壹角肆分'],
    [168_032, '人民币壹仟陆佰捌拾元零叁角贰分'],
    [10_700_053, '人民币壹拾万柒仟元零伍角叁分'],
    [1_640_902, '人民币壹万陆仟肆佰零玖元零贰分'],
    [32_504, '人民币叁佰贰拾伍元零肆分'],
    [1_280_000, '人民币壹万贰仟捌佰元整'],
  ])('writes %i fen as in DOMAIN.md: %s', (fen, text) => {
    expect(toCapitalAmount(fen)).toBe(text);
  });

  it.each([
    [0, '人民币零元整'],
    [1, '人民币壹分'],
    [10, '人民币壹角'],
    [11, '人民币壹角壹分'],
    [100, '人民币壹元整'],
    [1_000, '人民币壹拾元整'],
    [1_500, '人民币壹拾伍元整'],
    [31_250, '人民币叁佰壹拾贰元伍角'],
    [100_100, '人民币壹仟零壹元整'],
    [1_000_000, '人民币壹万元整'],
    [1_005_000, '人民币壹万零伍拾元整'],
    [10_050_000, '人民币壹拾万零伍佰元整'],
    [100_000_000, '人民币壹佰万元整'],
    [10_000_000_000, '人民币壹亿元整'],
    [10_000_010_000, '人民币壹亿零壹佰元整'],
    [12_345_678_901, '人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分'],
    [205, '人民币贰元零伍分'],
  ])('writes %i fen as %s (zero, large and odd cases)', (fen, text) => {
    expect(toCapitalAmount(fen)).toBe(text);
  });

  it('refuses a negative or fractional amount', () => {
    expect(() => toCapitalAmount(-1)).toThrow(RangeError);
    expect(() => toCapitalAmount(1.5)).toThrow(RangeError);
  });
});
