/** The rules of a family survey: the form marks fields red with them and the core refuses a save with them. */
import type { FamilySurveyFields, Health, IncomeSource } from '../domain/survey';
import { HEALTH_TEXT, INCOME_SOURCE_TEXT } from '../domain/survey';
import { isPlausiblePhone } from './student';
import { digitsOnly, normalizeText } from './text';

export interface SurveyProblem {
  /** `householdSize`, `members.2.age` … */
  field: string;
  severity: 'error' | 'warning';
  message: string;
}

/** 健康状况 as families write it. */
export function parseHealth(value: string): Health | null | 'invalid' {
  const v = normalizeText(value).replace(/\s+/g, '');
  if (!v) return null;
  for (const [key, text] of Object.entries(HEALTH_TEXT) as [Health, string][]) if (v === text) return key;
  if (/^(良好|正常|健康)$/.test(v)) return 'healthy';
  if (/大病|重病|重残|重度/.test(v)) return 'serious';
  if (/小病|轻残|慢性|轻度/.test(v)) return 'minor';
  if (/已故|去世|死亡/.test(v)) return 'deceased';
  if (/失踪|下落不明/.test(v)) return 'missing';
  if (/离异|离婚/.test(v)) return 'divorced';
  if (/监护/.test(v)) return 'guardian';
  return 'invalid';
}

export function parseIncomeSource(value: string): IncomeSource | null | 'invalid' {
  const v = normalizeText(value).replace(/\s+/g, '');
  if (!v) return null;
  for (const [key, text] of Object.entries(INCOME_SOURCE_TEXT) as [IncomeSource, string][]) if (v === text) return key;
  return 'invalid';
}

/** Whole non-negative numbers as typed or read: `4`, `４`, `4人`. */
export function parseCount(value: string | number, max: number): number | null | 'invalid' {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= max ? value : 'invalid';
  const v = normalizeText(value).replace(/[\s人口岁名个]/g, '');
  if (!v) return null;
  if (!/^\d+$/.test(v)) return 'invalid';
  const n = Number(v);
  return n <= max ? n : 'invalid';
}

/**
 * Problems with a survey. A draft may be incomplete; a survey marked complete needs what the committee
 * reviews: household size, members, hukou, and the signed commitment with its date.
 */
export function checkSurvey(s: FamilySurveyFields, complete: boolean, today: string): SurveyProblem[] {
  const problems: SurveyProblem[] = [];
  const error = (field: string, message: string) => problems.push({ field, severity: 'error', message });
  const warn = (field: string, message: string) => problems.push({ field, severity: 'warning', message });
  if (s.householdSize !== null && (s.householdSize < 1 || s.householdSize > 30)) error('householdSize', '家庭人口数应在 1 到 30 之间');
  if (s.householdSize !== null && s.members.length > s.householdSize) {
    warn('householdSize', `家庭成员表有 ${s.members.length} 人，多于家庭人口数 ${s.householdSize}`);
  }
  const phone = digitsOnly(s.guardianPhone);
  if (s.guardianPhone && !isPlausiblePhone(phone)) error('guardianPhone', '家长手机号不像有效的电话号码');
  s.members.forEach((m, i) => {
    const where = `家庭成员第 ${i + 1} 人`;
    if (!normalizeText(m.name)) error(`members.${i}.name`, `${where}：姓名为空`);
    if (m.age !== null && (m.age < 0 || m.age > 120)) error(`members.${i}.age`, `${where}：年龄应在 0 到 120 之间`);
    if (m.annualIncome !== null && m.annualIncome < 0) error(`members.${i}.annualIncome`, `${where}：年收入不能为负数`);
    if (m.annualIncome !== null && m.annualIncome > 100_000_000) warn(`members.${i}.annualIncome`, `${where}：年收入超过 100 万元，请核对`);
  });
  if (s.commitmentDate && s.commitmentDate > today) error('commitmentDate', '承诺书签字日期不能晚于今天');
  if (s.commitmentDate && !s.commitmentSigned) warn('commitmentSigned', '填了签字日期，但未勾选已签承诺书');
  if (complete) {
    if (s.householdSize === null) error('householdSize', '标为已填齐前，请填写家庭人口数');
    if (s.members.length === 0) error('members', '标为已填齐前，请至少填写一名家庭成员');
    if (s.hukou === null) error('hukou', '标为已填齐前，请选择户口性质');
    if (!s.commitmentSigned || !s.commitmentDate) error('commitmentSigned', '标为已填齐前，须有家长签字的承诺书及签字日期');
  }
  return problems;
}
