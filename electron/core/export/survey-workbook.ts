/**
 * The class survey workbook (班级家庭经济情况调查表): what goes out to a class teacher and comes back.
 * Both directions share the column list and the canonical text of each value, so an import compares
 * like with like: the value at export (base), in the file (theirs) and in AidDesk now (mine).
 */
import ExcelJS from 'exceljs';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../shared/domain/priority-group';
import type { Hukou } from '../../../shared/domain/student';
import {
  HARDSHIP_FACTOR_TEXT,
  HARDSHIP_FACTORS,
  HEALTH_TEXT,
  INCOME_SOURCE_TEXT,
  type FamilySurveyFields,
  type HouseholdMember,
} from '../../../shared/domain/survey';
import { fenToYuanText } from '../../../shared/rules/money';

export const STUDENT_SHEET = '家庭情况';
export const MEMBER_SHEET = '家庭成员';
export const INFO_SHEET = '填表说明';
export const META_SHEET = 'aiddesk';

/** Groups a family declares on the form (county lists confirm them later). */
export const DECLARABLE_GROUPS: PriorityGroup[] = [
  'povertyAlleviated',
  'monitored',
  'dibao',
  'nearDibao',
  'extremePoverty',
  'orphan',
  'unsupportedChild',
  'disabledStudent',
  'childOfDisabledParent',
  'martyrChild',
  'entitledGroupChild',
  'singleParent',
  'leftBehind',
];

export type ColumnKind = 'key' | 'locked' | 'text' | 'count' | 'yesNo' | 'hukou' | 'incomeSource' | 'date' | 'members';

export interface SurveyColumn {
  /** The flat field: `hukou`, `factor:debt`, `flag:dibao` … */
  field: string;
  header: string;
  kind: ColumnKind;
  width: number;
  max?: number;
}

export const STUDENT_COLUMNS: SurveyColumn[] = [
  { field: 'studentId', header: '学生编号（勿改）', kind: 'key', width: 10 },
  { field: 'name', header: '学生姓名', kind: 'locked', width: 10 },
  { field: 'className', header: '班级', kind: 'locked', width: 14 },
  { field: 'hukou', header: '户口性质', kind: 'hukou', width: 9 },
  { field: 'householdSize', header: '家庭人口数', kind: 'count', width: 9, max: 30 },
  { field: 'address', header: '详细地址', kind: 'text', width: 28, max: 120 },
  { field: 'guardianPhone', header: '家长手机号', kind: 'text', width: 14, max: 20 },
  { field: 'childrenInSchool', header: '在读子女数', kind: 'count', width: 9, max: 20 },
  { field: 'incomeSource', header: '主要收入来源', kind: 'incomeSource', width: 13 },
  ...HARDSHIP_FACTORS.map((f): SurveyColumn => ({ field: `factor:${f}`, header: HARDSHIP_FACTOR_TEXT[f], kind: 'yesNo', width: 10 })),
  { field: 'otherHardship', header: '其他困难情况', kind: 'text', width: 24, max: 300 },
  ...DECLARABLE_GROUPS.map((g): SurveyColumn => ({ field: `flag:${g}`, header: `申报：${PRIORITY_GROUPS[g]}`, kind: 'yesNo', width: 10 })),
  { field: 'commitmentSigned', header: '承诺书已签字', kind: 'yesNo', width: 10 },
  { field: 'commitmentDate', header: '签字日期', kind: 'date', width: 12 },
  { field: 'enteredBy', header: '填表人', kind: 'text', width: 10, max: 20 },
  { field: 'note', header: '备注', kind: 'text', width: 20, max: 300 },
];

export const MEMBER_COLUMNS = [
  { header: '学生编号（勿改）', width: 10 },
  { header: '学生姓名', width: 10 },
  { header: '成员姓名', width: 10 },
  { header: '年龄', width: 6 },
  { header: '与学生关系', width: 10 },
  { header: '工作（学习）单位', width: 22 },
  { header: '职业', width: 12 },
  { header: '年收入（元）', width: 12 },
  { header: '健康状况', width: 12 },
] as const;

/** Member rows the sheet leaves open for teachers to fill. */
const MEMBER_ROWS_PER_STUDENT = 6;

const HUKOU_WORD: Record<Hukou, string> = { rural: '农村', urban: '城镇' };

/** 张三（父亲，42岁，务农，本村，年收入 8000 元，健康）: one member in one line, as the review shows it. */
export function memberText(m: HouseholdMember): string {
  const parts = [
    m.relation,
    m.age === null ? '' : `${m.age}岁`,
    m.occupation,
    m.workplace,
    m.annualIncome === null ? '' : `年收入${fenToYuanText(m.annualIncome)}元`,
    m.health ? HEALTH_TEXT[m.health] : '',
  ].filter(Boolean);
  return `${m.name}（${parts.join('，')}）`;
}

/** The canonical text of every flat field of a survey, as the workbook and the review show it. */
export function flattenSurvey(s: FamilySurveyFields, declared: ReadonlySet<PriorityGroup>): Record<string, string> {
  const flat: Record<string, string> = {
    hukou: s.hukou ? HUKOU_WORD[s.hukou] : '',
    householdSize: s.householdSize === null ? '' : String(s.householdSize),
    address: s.address,
    guardianPhone: s.guardianPhone,
    childrenInSchool: s.childrenInSchool === null ? '' : String(s.childrenInSchool),
    incomeSource: s.incomeSource ? INCOME_SOURCE_TEXT[s.incomeSource] : '',
    otherHardship: s.otherHardship,
    commitmentSigned: s.commitmentSigned ? '是' : '',
    commitmentDate: s.commitmentDate ?? '',
    enteredBy: s.enteredBy,
    note: s.note,
    members: s.members.map(memberText).join('；'),
  };
  for (const f of HARDSHIP_FACTORS) flat[`factor:${f}`] = s.factors.includes(f) ? '是' : '';
  for (const g of DECLARABLE_GROUPS) flat[`flag:${g}`] = declared.has(g) ? '是' : '';
  return flat;
}

export function fieldHeader(field: string): string {
  if (field === 'members') return '家庭成员';
  return STUDENT_COLUMNS.find((c) => c.field === field)?.header ?? field;
}

export interface WorkbookStudent {
  id: number;
  name: string;
  flat: Record<string, string>;
  members: HouseholdMember[];
}

export interface WorkbookInfo {
  exportId: string;
  schoolName: string;
  className: string;
  schoolYear: string;
  exportedAt: string;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const LOCKED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const THIN = { style: 'thin' as const, color: { argb: 'FFBFBFBF' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function listValidation(values: string[]): ExcelJS.DataValidation {
  return {
    type: 'list',
    allowBlank: true,
    formulae: [`"${values.join(',')}"`],
    showErrorMessage: true,
    errorTitle: '请从下拉列表中选择',
    error: `可选：${values.join('、')}`,
  };
}

function validationFor(col: SurveyColumn): ExcelJS.DataValidation | null {
  switch (col.kind) {
    case 'hukou':
      return listValidation(['农村', '城镇']);
    case 'yesNo':
      return listValidation(['是', '否']);
    case 'incomeSource':
      return listValidation(Object.values(INCOME_SOURCE_TEXT));
    case 'count':
      return {
        type: 'whole',
        operator: 'between',
        allowBlank: true,
        formulae: [0, col.max ?? 99],
        showErrorMessage: true,
        error: `请填 0 到 ${col.max ?? 99} 的整数`,
      };
    default:
      return null;
  }
}

/** Builds the class workbook: the students' sheet, the members sheet, instructions, and the export stamp. */
export async function buildSurveyWorkbook(info: WorkbookInfo, students: WorkbookStudent[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'AidDesk 资助工作台';
  wb.created = new Date(info.exportedAt);

  const help = wb.addWorksheet(INFO_SHEET);
  const lines = [
    `${info.schoolName} ${info.className} ${info.schoolYear}学年 家庭经济情况调查表`,
    '',
    '填表说明：',
    '1. 本工作簿由资助专干导出，请班主任按家长填写的《家庭经济困难学生认定申请表》录入，录入后交回资助专干导入。',
    '2. “家庭情况”表每名学生一行；灰色的学生编号、姓名、班级不要修改，也不要增删学生行。',
    '3. “家庭成员”表每名家庭成员一行，先填学生编号和学生姓名（可从已有行复制），年收入填元，不写“元”字。',
    '4. 带下拉箭头的格子请从下拉列表中选择；是否类问题只填“是”或“否”，不清楚的留空，不要填“否”。',
    '5. 签字日期写成 2026-09-01 的格式。',
    '6. 本表含学生及家庭的敏感信息，请勿在班级群或公开场合传阅，交回后请删除本地副本。',
  ];
  lines.forEach((text, i) => {
    const cell = help.getCell(i + 1, 1);
    cell.value = text;
    if (i === 0) cell.font = { bold: true, size: 14 };
  });
  help.getColumn(1).width = 110;

  const ws = wb.addWorksheet(STUDENT_SHEET, { views: [{ state: 'frozen', xSplit: 3, ySplit: 1 }] });
  ws.columns = STUDENT_COLUMNS.map((c) => ({ header: c.header, key: c.field, width: c.width }));
  const header = ws.getRow(1);
  header.height = 36;
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  });
  students.forEach((s, i) => {
    const row = ws.getRow(i + 2);
    STUDENT_COLUMNS.forEach((col, c) => {
      const cell = row.getCell(c + 1);
      const value =
        col.field === 'studentId'
          ? String(s.id)
          : col.field === 'name'
            ? s.name
            : col.field === 'className'
              ? info.className
              : (s.flat[col.field] ?? '');
      if (col.kind === 'count') {
        // A count is a number cell: a text-formatted cell would hold a typed "4" as text, which the whole-number
        // rule refuses (LibreOffice, Excel and WPS alike).
        cell.value = value === '' ? null : Number(value);
        cell.numFmt = '0';
      } else {
        // Everything else is text: phone numbers and dates must come back exactly as written.
        cell.value = value;
        cell.numFmt = '@';
      }
      cell.border = BORDER;
      const locked = col.kind === 'key' || col.kind === 'locked';
      cell.protection = { locked };
      if (locked) cell.fill = LOCKED_FILL;
      const validation = validationFor(col);
      if (validation) cell.dataValidation = validation;
    });
  });
  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });

  const ms = wb.addWorksheet(MEMBER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ms.columns = MEMBER_COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  ms.getRow(1).eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
  });
  let r = 2;
  const healthValidation = listValidation(Object.values(HEALTH_TEXT));
  const writeMemberRow = (s: WorkbookStudent, m: HouseholdMember | null) => {
    const values = m
      ? [
          String(s.id),
          s.name,
          m.name,
          m.age === null ? '' : String(m.age),
          m.relation,
          m.workplace,
          m.occupation,
          m.annualIncome === null ? '' : fenToYuanText(m.annualIncome),
          m.health ? HEALTH_TEXT[m.health] : '',
        ]
      : [String(s.id), s.name, '', '', '', '', '', '', ''];
    values.forEach((v, c) => {
      const cell = ms.getCell(r, c + 1);
      cell.value = v;
      cell.numFmt = '@';
      cell.border = BORDER;
      cell.protection = { locked: c < 2 };
      if (c < 2) cell.fill = LOCKED_FILL;
    });
    ms.getCell(r, 9).dataValidation = healthValidation;
    r++;
  };
  for (const s of students) {
    for (const m of s.members) writeMemberRow(s, m);
    for (let k = s.members.length; k < MEMBER_ROWS_PER_STUDENT; k++) writeMemberRow(s, null);
  }
  await ms.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true, insertRows: true });

  const meta = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  meta.addRows([
    ['exportId', info.exportId],
    ['schoolYear', info.schoolYear],
    ['className', info.className],
    ['exportedAt', info.exportedAt],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
