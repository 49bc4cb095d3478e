/** 家庭经济困难学生认定申请表: one A4 page per student, prefilled for the family to check, correct and sign. */
import type { PrintDocument } from '../../../shared/api/common';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../shared/domain/priority-group';
import {
  HARDSHIP_FACTOR_TEXT,
  HARDSHIP_FACTORS,
  HEALTH_TEXT,
  INCOME_SOURCE_TEXT,
  type FamilySurveyFields,
  type IncomeSource,
} from '../../../shared/domain/survey';
import { fenToYuanText } from '../../../shared/rules/money';
import { perCapitaIncome } from '../../../shared/rules/scoring';
import { esc, printDocument } from './document';

export interface SurveyFormData {
  schoolName: string;
  schoolYear: string;
  name: string;
  sex: string;
  ethnicity: string;
  birthDate: string | null;
  /** Masked unless the clerk chose full numbers for this print. */
  idNumber: string | null;
  studentNumber: string | null;
  className: string | null;
  survey: FamilySurveyFields;
  groups: Set<PriorityGroup>;
}

const MEMBER_ROWS = 6;
const box = (on: boolean) => (on ? '☑' : '☐');

const CSS = `
.form td, .form th { font-size: 10pt; padding: 1.4mm 1.2mm; height: 7.5mm; }
.form td.label { background: #f5f5f5; font-weight: bold; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.checks { text-align: left !important; line-height: 1.9; }
.checks span { display: inline-block; margin-right: 3mm; white-space: nowrap; }
.pledge { border: 0.8pt solid #000; border-top: none; padding: 2mm 3mm; width: calc(100% - 1pt); }
.copy { border-bottom: 0.6pt solid #000; height: 8mm; }
`;

function page(d: SurveyFormData): string {
  const s = d.survey;
  const income = perCapitaIncome(s);
  const members = [
    ...s.members.map((m) => [
      m.name,
      m.age === null ? '' : String(m.age),
      m.relation,
      m.workplace,
      m.occupation,
      m.annualIncome === null ? '' : fenToYuanText(m.annualIncome),
      m.health ? HEALTH_TEXT[m.health] : '',
    ]),
  ];
  while (members.length < MEMBER_ROWS) members.push(['', '', '', '', '', '', '']);
  const hukou = s.hukou === 'rural' ? '农村' : s.hukou === 'urban' ? '城镇' : '□农村 □城镇';
  const groups = (Object.keys(PRIORITY_GROUPS) as PriorityGroup[])
    .map((g) => `<span>${box(d.groups.has(g))}${esc(PRIORITY_GROUPS[g])}</span>`)
    .join('');
  const factors = HARDSHIP_FACTORS.map((f) => `<span>${box(s.factors.includes(f))}${esc(HARDSHIP_FACTOR_TEXT[f])}</span>`).join('');
  const sources = (Object.keys(INCOME_SOURCE_TEXT) as IncomeSource[])
    .map((k) => `<span>${box(s.incomeSource === k)}${esc(INCOME_SOURCE_TEXT[k])}</span>`)
    .join('');
  return `
  <h1>家庭经济困难学生认定申请表</h1>
  <div class="sub">学校：${esc(d.schoolName)}&#12288;&#12288;学年：${esc(d.schoolYear)}&#12288;&#12288;班级：${esc(d.className ?? '')}</div>
  <table class="grid form">
    <colgroup><col style="width:13%"><col style="width:20%"><col style="width:10%"><col style="width:12%"><col style="width:12%"><col style="width:13%"><col style="width:20%"></colgroup>
    <tr><td class="label">学生姓名</td><td>${esc(d.name)}</td><td class="label">性别</td><td>${esc(d.sex)}</td><td class="label">民族</td><td colspan="2">${esc(d.ethnicity)}</td></tr>
    <tr><td class="label">出生年月</td><td>${esc(d.birthDate?.slice(0, 7) ?? '')}</td><td class="label">身份证号</td><td colspan="4">${esc(d.idNumber ?? '')}</td></tr>
    <tr><td class="label">学籍号</td><td colspan="3">${esc(d.studentNumber ?? '')}</td><td class="label">户口性质</td><td colspan="2">${hukou}</td></tr>
    <tr><td class="label">家庭人口数</td><td>${s.householdSize ?? ''}</td><td class="label">家长手机</td><td colspan="2">${esc(s.guardianPhone)}</td><td class="label">在读子女数</td><td>${s.childrenInSchool ?? ''}</td></tr>
    <tr><td class="label">详细地址</td><td colspan="6" class="left">${esc(s.address)}</td></tr>
  </table>
  <h2>家庭成员情况</h2>
  <table class="grid form">
    <colgroup><col style="width:13%"><col style="width:8%"><col style="width:12%"><col style="width:25%"><col style="width:14%"><col style="width:13%"><col style="width:15%"></colgroup>
    <tr><th>姓名</th><th>年龄</th><th>与学生关系</th><th>工作（学习）单位</th><th>职业</th><th>年收入（元）</th><th>健康状况</th></tr>
    ${members.map((m) => `<tr>${m.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}
  </table>
  <h2>家庭经济情况</h2>
  <table class="grid form">
    <colgroup><col style="width:18%"><col style="width:82%"></colgroup>
    <tr><td class="label">特殊群体</td><td class="checks">${groups}</td></tr>
    <tr><td class="label">家庭人均年收入</td><td class="left">${income === null ? '&#12288;&#12288;&#12288;&#12288;元' : `${fenToYuanText(income)} 元`}</td></tr>
    <tr><td class="label">主要收入来源</td><td class="checks">${sources}</td></tr>
    <tr><td class="label">影响家庭经济的因素</td><td class="checks">${factors}<br>其他：${esc(s.otherHardship)}</td></tr>
  </table>
  <div class="pledge">
    <p><strong>个人承诺</strong>（请学生或监护人在下方横线处手写抄录以下承诺）：本人承诺以上所填写资料真实，如有虚假，愿承担相应责任。</p>
    <div class="copy"></div><div class="copy"></div>
    <div class="sign"><span>学生签字：&#12288;&#12288;&#12288;&#12288;&#12288;&#12288;</span><span>监护人签字：&#12288;&#12288;&#12288;&#12288;&#12288;&#12288;</span><span>日期：&#12288;&#12288;年&#12288;&#12288;月&#12288;&#12288;日</span></div>
  </div>
  <p class="muted">本表由学校根据学籍信息预先填写，如有错误请直接在表上更正。表内信息仅用于家庭经济困难学生认定，学校将严格保密。</p>`;
}

export function surveyForms(title: string, forms: SurveyFormData[]): PrintDocument {
  return printDocument(title, forms.map(page), CSS);
}
