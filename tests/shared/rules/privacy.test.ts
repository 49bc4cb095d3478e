import { describe, expect, it } from 'vitest';
import { holdsWholeNumbers, mayFile, OUTPUTS, type OutputKind } from '../../../shared/rules/privacy';

const kinds = Object.keys(OUTPUTS) as OutputKind[];

describe('the privacy rules', () => {
  it('never post numbers where others read them, and keep nothing with whole numbers the school made for itself', () => {
    expect(OUTPUTS.publicityList.numbers).toBe('never');
    expect(OUTPUTS.errorMessage.numbers).toBe('never');
    expect(mayFile('signatureRoster', false)).toBe(true);
    expect(mayFile('signatureRoster', true)).toBe(false);
    expect(mayFile('surveyForms', false)).toBe(false);
    expect(mayFile('bankFile', true)).toBe(false);
    // What was reported to the county and what the bank paid are the record: kept (encrypted) with the archive.
    expect(mayFile('countyExport', true)).toBe(true);
    expect(mayFile('bankReturn', true)).toBe(true);
  });

  it('name every output in Chinese, and count as holding whole numbers only what may hold them', () => {
    for (const kind of kinds) {
      expect(OUTPUTS[kind].text).toMatch(/[\u4e00-\u9fff]/);
      const rule = OUTPUTS[kind];
      expect(holdsWholeNumbers(kind, false)).toBe(rule.numbers === 'whole');
      expect(holdsWholeNumbers(kind, true)).toBe(rule.numbers === 'whole' || rule.numbers === 'on-request');
      // Kept only if-masked means an output that may hold whole numbers on request, never one that always does.
      if (rule.filed === 'if-masked') expect(rule.numbers).toBe('on-request');
    }
  });
});
