import { describe, expect, it } from 'vitest';
import { outcomeOf, RESULT_WORDS } from '../../../shared/rules/bank-return';

describe('bank result wordings', () => {
  for (const w of RESULT_WORDS.paid) it(`reads “${w}” as paid`, () => expect(outcomeOf(w, '')).toBe('paid'));
  for (const w of RESULT_WORDS.failed) it(`reads “${w}” as failed`, () => expect(outcomeOf(w, '')).toBe('failed'));
  for (const w of RESULT_WORDS.pending) it(`does not read “${w}” either way`, () => expect(outcomeOf(w, '')).toBeNull());

  it('reads the wordings the first wave recorded as paid by mistake as failures', () => {
    for (const w of ['未成功', '无法入账', '交易未完成', '未能入账', '不予入账']) expect(outcomeOf(w, '')).toBe('failed');
  });

  it('reads spacing, full-width letters and a final full stop the same', () => {
    expect(outcomeOf(' 成 功 ', '')).toBe('paid');
    expect(outcomeOf('ＳＵＣＣＥＳＳ', '')).toBe('paid');
    expect(outcomeOf('交易失败。', '')).toBe('failed');
  });

  it('takes a failure reason over a success word, and ignores reasons that say nothing', () => {
    expect(outcomeOf('成功', '账户已冻结')).toBe('failed');
    expect(outcomeOf(null, '户名不符')).toBe('failed');
    expect(outcomeOf(null, '')).toBe('paid');
    for (const blank of ['无', '-', '/', '成功', '—']) expect(outcomeOf('成功', blank)).toBe('paid');
  });

  it('lists unknown words and pending rows instead of guessing', () => {
    for (const w of ['已完成？', '见附件', '2', '待定', '已处理']) expect(outcomeOf(w, '')).toBeNull();
  });
});
