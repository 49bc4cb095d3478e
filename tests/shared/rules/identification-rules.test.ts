import { describe, expect, it } from 'vitest';
import { formatYuan, parseYuan } from '../../../shared/rules/money';
import { detectListLayout, groupOfCategory } from '../../../shared/rules/official-list';
import { drawSample, sampleSize } from '../../../shared/rules/sample';
import { DEFAULT_RUBRIC, perCapitaIncome, scoreCase, suggestLevel } from '../../../shared/rules/scoring';
import { checkSurvey, parseHealth } from '../../../shared/rules/survey';
import { endOfWorkingDays, isWorkingDay } from '../../../shared/rules/working-days';
import { EMPTY_SURVEY_FIELDS, type FamilySurveyFields } from '../../../shared/domain/survey';

const survey = (over: Partial<FamilySurveyFields> = {}): FamilySurveyFields => ({ ...EMPTY_SURVEY_FIELDS, ...over });
const member = (annualIncome: number | null) => ({
  name: '甲',
  age: 40,
  relation: '父亲',
  workplace: '',
  occupation: '',
  annualIncome,
  health: null,
});

describe('money', () => {
  it('parses yuan as people write them into fen, and refuses anything else', () => {
    expect(parseYuan('1250')).toBe(125_000);
    expect(parseYuan('1,250.5元')).toBe(125_050);
    expect(parseYuan('１２５０')).toBe(125_000);
    expect(parseYuan(312.5)).toBe(31_250);
    expect(parseYuan('')).toBeNull();
    for (const bad of ['6千', '-5', '1.234', 'abc']) expect(parseYuan(bad)).toBe('invalid');
    expect(formatYuan(125_000)).toBe('¥1,250.00');
  });
});

describe('quoting a cell in a message', () => {
  it('masks phone, ID and card numbers typed into the wrong column', async () => {
    const { quoteCell } = await import('../../../shared/rules/mask');
    expect(quoteCell('13812345678')).toBe('1381***5678');
    expect(quoteCell('433125201511014540')).toBe('4331**********4540');
    expect(quoteCell('四口')).toBe('四口');
    expect(quoteCell('x'.repeat(40))).toHaveLength(31);
  });
});

describe('working days', () => {
  it('counts five working days over a weekend', () => {
    expect(isWorkingDay('2026-11-21')).toBe(false);
    expect(endOfWorkingDays('2026-11-20', 5)).toBe('2026-11-26');
    expect(endOfWorkingDays('2026-11-21', 5)).toBe('2026-11-27'); // starts on a Saturday
    expect(endOfWorkingDays('2026-11-23', 1)).toBe('2026-11-23');
  });
});

describe('verification sample', () => {
  it('is the same for the same seed, differs with another seed, and takes at least one', () => {
    const ids = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(drawSample(ids, 20, 'a')).toEqual(drawSample([...ids].reverse(), 20, 'a'));
    expect(drawSample(ids, 20, 'a')).not.toEqual(drawSample(ids, 20, 'b'));
    expect(drawSample(ids, 20, 'a')).toHaveLength(10);
    expect(new Set(drawSample(ids, 20, 'a')).size).toBe(10);
    expect(sampleSize(3, 5)).toBe(1);
    expect(sampleSize(0, 50)).toBe(0);
  });
});

describe('scoring', () => {
  it('computes per-capita income over the household size, or the members listed', () => {
    expect(perCapitaIncome(survey({ householdSize: 4, members: [member(1_000_000), member(200_000), member(null)] }))).toBe(300_000);
    expect(perCapitaIncome(survey({ members: [member(600_000), member(0)] }))).toBe(300_000);
    expect(perCapitaIncome(survey({ members: [member(null)] }))).toBeNull();
  });

  it('counts the highest priority group only, and suggests levels by the thresholds', () => {
    const r = scoreCase({ survey: null, perCapitaIncome: null, groups: ['leftBehind', 'dibao', 'povertyAlleviated'] }, DEFAULT_RUBRIC);
    expect(r.lines).toEqual([{ label: '特殊群体：最低生活保障', points: 30 }]);
    expect(suggestLevel(70, DEFAULT_RUBRIC)).toBe('especially');
    expect(suggestLevel(69, DEFAULT_RUBRIC)).toBe('difficult');
    expect(suggestLevel(25, DEFAULT_RUBRIC)).toBe('general');
    expect(suggestLevel(24, DEFAULT_RUBRIC)).toBe('none');
  });
});

describe('survey rules', () => {
  it('reads health as families write it', () => {
    expect(parseHealth('良好')).toBe('healthy');
    expect(parseHealth('患大病')).toBe('serious');
    expect(parseHealth('去世')).toBe('deceased');
    expect(parseHealth('很好')).toBe('invalid');
  });

  it('lets a draft be incomplete but not a complete survey', () => {
    expect(checkSurvey(survey(), false, '2026-11-22')).toEqual([]);
    expect(checkSurvey(survey(), true, '2026-11-22').map((p) => p.field)).toEqual([
      'householdSize',
      'members',
      'hukou',
      'commitmentSigned',
    ]);
    expect(checkSurvey(survey({ commitmentSigned: true, commitmentDate: '2026-12-01' }), false, '2026-11-22')[0]!.message).toContain(
      '不能晚于今天',
    );
  });
});

describe('official lists', () => {
  it('maps category texts to priority groups', () => {
    expect(groupOfCategory('脱贫人口', 'poverty')).toBe('povertyAlleviated');
    expect(groupOfCategory('监测对象', 'poverty')).toBe('monitored');
    expect(groupOfCategory('边缘易致贫户', 'poverty')).toBe('monitored');
    expect(groupOfCategory('农村低保', 'dibao')).toBe('dibao');
    expect(groupOfCategory('低保边缘', 'dibao')).toBe('nearDibao');
    expect(groupOfCategory('特困供养', 'dibao')).toBe('extremePoverty');
    expect(groupOfCategory('', 'orphan')).toBe('orphan');
    expect(groupOfCategory('一般农户', 'poverty')).toBeNull();
  });

  it('skips a merged title and a 户主 ID column when finding the layout', () => {
    const rows = [
      ['名单', '名单', '名单'],
      ['序号', '户主身份证号', '成员姓名', '证件号码', '人口类型'],
    ];
    expect(detectListLayout(rows, 's')).toEqual({ sheetName: 's', headerRow: 2, idColumns: [3], nameColumn: 2, categoryColumn: 4 });
  });
});

describe('county findings and the 学籍 codes', () => {
  it('sorts a finding by what it says, and names codes in order', async () => {
    const { findingCategory } = await import('../../../shared/rules/county-findings');
    const { codeTableText, codeDecoder } = await import('../../../shared/rules/student-codes');
    expect(findingCategory('学籍状态为转出，仍在资助名单中')).toBe('notEnrolled');
    expect(findingCategory('疑似双学籍')).toBe('doubleRegistration');
    expect(findingCategory('与外县重复享受生活补助')).toBe('duplicateAid');
    expect(findingCategory('身份证号码校验错误')).toBe('idNumber');
    expect(findingCategory('家庭情况与实际不符')).toBe('other');
    expect(codeTableText('ethnicity')).toBe('01 汉族、02 蒙古族、03 回族、04 藏族…');
    expect(codeDecoder('ethnicity', ['1', '12', ''])!('12')).toBe('侗族');
    expect(codeDecoder('boarding', ['1', '住校'])).toBeNull();
  });
});

describe('notes for families', () => {
  it('leave out the clerk reminders of the catalogue notes', async () => {
    const { forFamilies } = await import('../../../electron/core/notices/notices');
    expect(forFamilies('每生每天 5 元（标准在“营养餐”中按学年设置），在校的义务教育学生按日供餐')).toBe(
      '每生每天 5 元，在校的义务教育学生按日供餐',
    );
    expect(forFamilies('平均每生每年 2300 元（2025 年春季起），分档标准由省里在范围内确定，请按县里通知修改')).toBe(
      '平均每生每年 2300 元（2025 年春季起），分档标准由省里在范围内确定',
    );
  });
});
