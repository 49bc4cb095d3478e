/**
 * Reads a class survey workbook that came back from a teacher: every cell checked, every problem named by
 * sheet, row and column, and each student's values in the canonical text the review compares.
 */
import type { CellProblem } from '../../../shared/api/surveys';
import type { HouseholdMember } from '../../../shared/domain/survey';
import { HEALTH_TEXT, INCOME_SOURCE_TEXT } from '../../../shared/domain/survey';
import { AppError } from '../../../shared/errors';
import { parseDate } from '../../../shared/rules/dates';
import { quoteCell } from '../../../shared/rules/mask';
import { parseYuan } from '../../../shared/rules/money';
import { isPlausiblePhone, parseHukou, parseYesNo } from '../../../shared/rules/student';
import { parseCount, parseHealth, parseIncomeSource } from '../../../shared/rules/survey';
import { digitsOnly, normalizeName, normalizeText } from '../../../shared/rules/text';
import {
  MEMBER_COLUMNS,
  MEMBER_SHEET,
  memberText,
  META_SHEET,
  STUDENT_COLUMNS,
  STUDENT_SHEET,
  type SurveyColumn,
} from '../export/survey-workbook';
import { cellText, columnLetter, type Cell, type Table } from './read-table';

export interface ReturnedStudent {
  studentId: number;
  name: string;
  row: number;
  /** Canonical text per flat field; fields with an invalid cell are left out. */
  flat: Record<string, string>;
  /** Null when a member row of the student had an invalid cell: members are then not imported. */
  members: HouseholdMember[] | null;
}

export interface ReturnedWorkbook {
  exportId: string;
  students: ReturnedStudent[];
  problems: CellProblem[];
}

function parseCell(col: SurveyColumn, raw: string, today: string): { value: string } | { error: string } {
  const text = normalizeText(raw).trim();
  switch (col.kind) {
    case 'hukou': {
      const v = parseHukou(text);
      return v === 'invalid'
        ? { error: `“${quoteCell(text)}”不是户口性质，请填“农村”或“城镇”` }
        : { value: v === 'rural' ? '农村' : v === 'urban' ? '城镇' : '' };
    }
    case 'count': {
      const v = parseCount(text, col.max ?? 99);
      return v === 'invalid'
        ? { error: `“${quoteCell(text)}”不是 0 到 ${col.max ?? 99} 之间的整数` }
        : { value: v === null ? '' : String(v) };
    }
    case 'yesNo': {
      const v = parseYesNo(text);
      // 否 and blank mean the same here: unknown stays blank, never a recorded 否.
      return v === 'invalid' ? { error: `“${quoteCell(text)}”应填“是”或“否”` } : { value: v ? '是' : '' };
    }
    case 'incomeSource': {
      const v = parseIncomeSource(text);
      return v === 'invalid'
        ? { error: `“${quoteCell(text)}”不在可选的收入来源中（${Object.values(INCOME_SOURCE_TEXT).join('、')}）` }
        : { value: v ? INCOME_SOURCE_TEXT[v] : '' };
    }
    case 'date': {
      if (!text) return { value: '' };
      const d = parseDate(text);
      if (d.kind !== 'day') return { error: `“${quoteCell(text)}”不是有效日期，请写成 2026-09-01` };
      if (d.date > today) return { error: `签字日期 ${d.date} 晚于今天` };
      return { value: d.date };
    }
    case 'text': {
      const v = col.field === 'guardianPhone' ? digitsOnly(text) : text;
      if (col.field === 'guardianPhone' && v && !isPlausiblePhone(v)) return { error: '不像有效的电话号码' };
      if (col.max && v.length > col.max) return { error: `超过 ${col.max} 个字` };
      return { value: v };
    }
    default:
      return { value: text };
  }
}

function headerIndex(headers: string[], wanted: string): number {
  const norm = (text: string) => normalizeText(text).replace(/\s+/g, '');
  return headers.findIndex((h) => norm(h) === norm(wanted));
}

/** Reads a returned workbook; throws a clear message when it is not one AidDesk exported. */
export function readSurveyWorkbook(fileName: string, table: Table, today: string): ReturnedWorkbook {
  const sheet = (name: string) => table.sheets.find((s) => s.name === name);
  const meta = sheet(META_SHEET);
  const students = sheet(STUDENT_SHEET);
  const membersSheet = sheet(MEMBER_SHEET);
  const exportId = meta?.rows.find((r) => cellText(r[0]) === 'exportId')?.[1];
  if (!meta || !students || !exportId) {
    throw new AppError(
      'survey-workbook-unknown',
      `“${fileName}”不是 AidDesk 导出的班级调查表（缺少“${STUDENT_SHEET}”工作表或导出标记）。请用“家庭调查与认定 → 导出调查表”生成的文件收集，不要另建新表。`,
    );
  }
  const problems: CellProblem[] = [];
  const headers = (students.rows[0] ?? []).map(cellText);
  const cols = STUDENT_COLUMNS.map((c) => ({ col: c, index: headerIndex(headers, c.header) }));
  const missing = cols.filter((c) => c.index < 0).map((c) => c.col.header);
  if (missing.length) {
    throw new AppError('survey-workbook-columns', `“${STUDENT_SHEET}”工作表缺少列：${missing.join('、')}。请不要删除或改名表头。`);
  }
  const result: ReturnedStudent[] = [];
  const byId = new Map<number, ReturnedStudent>();
  students.rows.slice(1).forEach((cells: Cell[], i) => {
    const row = i + 2;
    if (cells.every((c) => cellText(c).trim() === '')) return;
    const keyCol = cols[0]!;
    const key = Number(cellText(cells[keyCol.index]).trim());
    if (!Number.isInteger(key) || key <= 0) {
      problems.push({
        sheet: STUDENT_SHEET,
        row,
        column: `${columnLetter(keyCol.index)}（${keyCol.col.header}）`,
        message: '学生编号缺失或被改动，此行未导入',
      });
      return;
    }
    if (byId.has(key)) {
      problems.push({
        sheet: STUDENT_SHEET,
        row,
        column: `${columnLetter(keyCol.index)}（${keyCol.col.header}）`,
        message: `学生编号 ${key} 与第 ${byId.get(key)!.row} 行重复，此行未导入`,
      });
      return;
    }
    const student: ReturnedStudent = {
      studentId: key,
      name: normalizeName(cellText(cells[cols[1]!.index])),
      row,
      flat: {},
      members: membersSheet ? [] : null,
    };
    for (const { col, index } of cols) {
      if (col.kind === 'key' || col.kind === 'locked') continue;
      const parsed = parseCell(col, cellText(cells[index]), today);
      if ('error' in parsed) {
        problems.push({
          sheet: STUDENT_SHEET,
          row,
          column: `${columnLetter(index)}（${col.header}）`,
          message: `${student.name}：${parsed.error}`,
        });
      } else student.flat[col.field] = parsed.value;
    }
    byId.set(key, student);
    result.push(student);
  });

  if (membersSheet) {
    const mh = (membersSheet.rows[0] ?? []).map(cellText);
    const idx = MEMBER_COLUMNS.map((c) => headerIndex(mh, c.header));
    const lost = MEMBER_COLUMNS.filter((_, i) => idx[i]! < 0).map((c) => c.header);
    if (lost.length)
      throw new AppError('survey-workbook-columns', `“${MEMBER_SHEET}”工作表缺少列：${lost.join('、')}。请不要删除或改名表头。`);
    const at = (cells: Cell[], c: number) => normalizeText(cellText(cells[idx[c]!])).trim();
    const where = (row: number, c: number) => ({
      sheet: MEMBER_SHEET,
      row,
      column: `${columnLetter(idx[c]!)}（${MEMBER_COLUMNS[c]!.header}）`,
    });
    membersSheet.rows.slice(1).forEach((cells, i) => {
      const row = i + 2;
      const filled = [2, 3, 4, 5, 6, 7, 8].some((c) => at(cells, c) !== '');
      if (!filled) return;
      const key = Number(at(cells, 0));
      const student = byId.get(key);
      if (!student) {
        problems.push({ ...where(row, 0), message: `学生编号“${quoteCell(at(cells, 0))}”不在“${STUDENT_SHEET}”表中，此成员未导入` });
        return;
      }
      const name = normalizeName(at(cells, 2));
      const age = parseCount(at(cells, 3), 120);
      const income = parseYuan(at(cells, 7));
      const health = parseHealth(at(cells, 8));
      const errors: CellProblem[] = [];
      if (!name) errors.push({ ...where(row, 2), message: `${student.name}的家庭成员：成员姓名为空` });
      if (age === 'invalid')
        errors.push({
          ...where(row, 3),
          message: `${student.name}的家庭成员${name}：年龄“${quoteCell(at(cells, 3))}”不是 0 到 120 的整数`,
        });
      if (income === 'invalid')
        errors.push({
          ...where(row, 7),
          message: `${student.name}的家庭成员${name}：年收入“${quoteCell(at(cells, 7))}”不是金额（只填数字，单位元）`,
        });
      if (health === 'invalid') {
        errors.push({
          ...where(row, 8),
          message: `${student.name}的家庭成员${name}：健康状况“${quoteCell(at(cells, 8))}”不在可选项中（${Object.values(HEALTH_TEXT).join('、')}）`,
        });
      }
      if (errors.length) {
        // Half a family would change the per-capita income: the student's whole member table waits for the
        // correction, and the message says so (once per student) instead of dropping it without a word.
        if (student.members !== null) {
          errors[0] = {
            ...errors[0]!,
            message: `${errors[0]!.message}。${student.name}的家庭成员因此全部未导入（保留原有成员），改好后再导入一次；其他内容照常导入`,
          };
        }
        problems.push(...errors);
        student.members = null;
        return;
      }
      student.members?.push({
        name,
        age: age as number | null,
        relation: at(cells, 4),
        workplace: at(cells, 5),
        occupation: at(cells, 6),
        annualIncome: income as number | null,
        health: health as HouseholdMember['health'],
      });
    });
  }
  for (const s of result) if (s.members) s.flat.members = s.members.map(memberText).join('；');
  return { exportId: cellText(exportId), students: result, problems };
}
