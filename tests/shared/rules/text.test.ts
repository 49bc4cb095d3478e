import { describe, expect, it } from 'vitest';
import { maskAddress, maskedPair, maskIdNumber, maskPhone } from '../../../shared/rules/mask';
import { checkStudentNumber } from '../../../shared/rules/student-number';
import { looksLikeRoster } from '../../../shared/rules/official-list';
import { hasInvisible, normalizeName, normalizeText } from '../../../shared/rules/text';
import { schoolYearOfTerm, termOfDate, termText } from '../../../shared/rules/term';

describe('normalisation', () => {
  it('folds full-width characters and trims', () => {
    expect(normalizeText('　一年级（１）班 ')).toBe('一年级(1)班');
  });
  it('removes spaces inside Chinese names but keeps the middle dot of minority names', () => {
    expect(normalizeName(' 张 三 ')).toBe('张三');
    expect(normalizeName('阿依古丽 · 买买提')).toBe('阿依古丽·买买提');
  });
});

describe('masks', () => {
  it('hide the middle of ID numbers and phones, and the village part of addresses', () => {
    expect(maskIdNumber('433125201810218949')).toBe('4331**********8949');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskAddress('青山县青山镇龙潭村7组')).toBe('青山县青山镇****');
  });
});

describe('student numbers (全国学籍号)', () => {
  it('accepts G + ID, J + 18 digits and L + area + date + 4 digits', () => {
    expect(checkStudentNumber('G43312520201010338X')).toEqual({
      ok: true,
      studentNumber: 'G43312520201010338X',
      embeddedIdNumber: '43312520201010338X',
    });
    expect(checkStudentNumber('J123456789012345678').ok).toBe(true);
    expect(checkStudentNumber('L433125201707191234').ok).toBe(true);
  });
  it('refuses other shapes and impossible dates in L numbers', () => {
    expect(checkStudentNumber('433125201707190853').ok).toBe(false);
    expect(checkStudentNumber('L433125201702301234').ok).toBe(false);
  });
});

describe('terms', () => {
  it('names terms and their school years', () => {
    expect(termText('2026-autumn')).toBe('2026年秋季学期');
    expect(schoolYearOfTerm('2027-spring')).toBe('2026-2027');
    expect(termOfDate('2026-11-22')).toBe('2026-autumn');
    expect(termOfDate('2027-01-10')).toBe('2026-autumn');
    expect(termOfDate('2027-03-01')).toBe('2027-spring');
  });
});

describe('masked pairs', () => {
  it('say when the masks hide the only difference', () => {
    expect(maskedPair('13900001111', '13922221111', maskPhone)).toEqual(['139****1111（打码部分不同）', '139****1111（打码部分不同）']);
    expect(maskedPair('13900001111', '13800001111', maskPhone)).toEqual(['139****1111', '138****1111']);
    expect(maskedPair('青山镇青山村12组', '青山镇白水村3组', maskAddress)).toEqual([
      '青山镇****（打码部分不同）',
      '青山镇****（打码部分不同）',
    ]);
    expect(maskedPair(null, '13800001111', maskPhone)).toEqual([null, '138****1111']);
  });
});

describe('invisible characters', () => {
  it('are taken out of names and cells: control characters, ANSI escapes, zero-width characters, direction overrides', () => {
    expect(normalizeName('\u202e张三\u202c')).toBe('张三');
    expect(normalizeName('李\u200b四\u200d')).toBe('李四');
    expect(normalizeName('\u001b[31m王五\u001b[0m')).toBe('王五'); // the whole escape sequence, not just its ESC
    expect(normalizeText('\u2066433125\u2069\u0007')).toBe('433125');
    // What a name may hold stays: the middle dot of minority names, ordinary spaces between Latin letters.
    expect(normalizeName('阿依古丽·买买提')).toBe('阿依古丽·买买提');
    expect(normalizeName('Anna Li')).toBe('Anna Li');
  });

  it('are found the same on every call (one pattern shared by all calls) and only where they are', () => {
    for (let i = 0; i < 3; i++) {
      expect(hasInvisible('李\u200b四')).toBe(true);
      expect(hasInvisible('\u001b[31m王五')).toBe(true);
      expect(hasInvisible('李四')).toBe(false);
    }
    // Full-width text without invisible characters is still made ASCII (NFKC) and trimmed.
    expect(normalizeText(' ４３３１（1）班 ')).toBe('4331(1)班');
  });
});

describe('a roster offered as a county list', () => {
  it('is told by its school-only columns when there is no category column', () => {
    expect(looksLikeRoster(['序号', '全国学籍号', '姓名', '身份证件号', '年级', '班级', '就读方式'], null)).toBe(true);
    // A 民政 orphan list with birth dates and guardians is a list.
    expect(looksLikeRoster(['姓名', '性别', '出生日期', '身份证号', '监护人', '联系电话'], null)).toBe(false);
    // A list with a category column is never a roster.
    expect(looksLikeRoster(['姓名', '身份证号', '年级', '班级', '人口类型'], 4)).toBe(false);
  });
});
