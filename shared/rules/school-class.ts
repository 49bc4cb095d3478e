/**
 * Grades and classes as rosters spell them: a grade column (一年级, 七年级, 初一, 高一, 小班) and a class
 * column (1班, （1）班), or one column with both (一年级（1）班, 一(1)班, 高2024级3班, 2024级3班).
 */
import type { Stage } from '../domain/school';
import { normalizeText } from './text';

interface GradeInfo {
  stage: Stage;
  grade: string;
  order: number;
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const PRIMARY = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级'];
const JUNIOR = ['七年级', '八年级', '九年级'];
const SENIOR = ['高一', '高二', '高三'];
const PRESCHOOL: Record<string, number> = { 托班: 0, 小班: 1, 中班: 2, 大班: 3, 学前班: 4 };
const STAGE_ORDER: Record<Stage, number> = { preschool: 0, primary: 10, junior: 20, senior: 30, vocational: 40 };

export const STAGE_NAMES: Record<string, Stage> = {
  学前: 'preschool',
  学前教育: 'preschool',
  幼儿园: 'preschool',
  小学: 'primary',
  初中: 'junior',
  初级中学: 'junior',
  高中: 'senior',
  普通高中: 'senior',
  中职: 'vocational',
  中等职业教育: 'vocational',
  职高: 'vocational',
  中专: 'vocational',
};

export function parseStage(value: string): Stage | null {
  return STAGE_NAMES[normalizeText(value)] ?? null;
}

function cnNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  if (text.length === 1) return CN_DIGITS[text] ?? null;
  return null;
}

/**
 * The grade from its usual spellings, with its stage.
 * `parseGrade('初一')` → `{ stage: 'junior', grade: '七年级', order: 21 }`.
 * Vocational schools say 一年级 too, so the stage column (when there is one) decides.
 */
export function parseGrade(raw: string, stageHint: Stage | null = null): GradeInfo | null {
  const text = normalizeText(raw).replace(/\s+/g, '');
  if (!text) return null;
  if (text in PRESCHOOL) return { stage: 'preschool', grade: text, order: PRESCHOOL[text]! };
  let m = /^(?:初|初中)([一二三123])(?:年级)?$/.exec(text);
  if (m) return junior(cnNumber(m[1]!)! + 6);
  m = /^(?:高|高中)([一二三123])(?:年级)?$/.exec(text);
  if (m) return senior(cnNumber(m[1]!)!);
  m = /^(?:中职|职高)([一二三123])(?:年级)?$/.exec(text);
  if (m) return vocational(cnNumber(m[1]!)!);
  m = /^([一二三四五六七八九1-9])年级$/.exec(text);
  if (m) {
    const n = cnNumber(m[1]!)!;
    if (stageHint === 'vocational' && n <= 3) return vocational(n);
    if (stageHint === 'senior' && n <= 3) return senior(n);
    if (stageHint === 'junior' && n <= 3) return junior(n + 6);
    return n <= 6 ? { stage: 'primary', grade: PRIMARY[n - 1]!, order: STAGE_ORDER.primary + n } : junior(n);
  }
  return null;
}

function junior(n: number): GradeInfo {
  return { stage: 'junior', grade: JUNIOR[n - 7]!, order: STAGE_ORDER.junior + n - 6 };
}
function senior(n: number): GradeInfo {
  return { stage: 'senior', grade: SENIOR[n - 1]!, order: STAGE_ORDER.senior + n };
}
function vocational(n: number): GradeInfo {
  return { stage: 'vocational', grade: `中职${'一二三'[n - 1]}年级`, order: STAGE_ORDER.vocational + n };
}

/** The grade a cohort is in: 2024级 in school year 2026-2027 is the third year of its stage. */
export function gradeOfEntryYear(entryYear: number, schoolYearStart: number, stage: Stage): GradeInfo | null {
  const n = schoolYearStart - entryYear + 1;
  if (n < 1) return null;
  switch (stage) {
    case 'primary':
      return n <= 6 ? { stage, grade: PRIMARY[n - 1]!, order: STAGE_ORDER.primary + n } : null;
    case 'junior':
      return n <= 3 ? junior(n + 6) : null;
    case 'senior':
      return n <= 3 ? senior(n) : null;
    case 'vocational':
      return n <= 3 ? vocational(n) : null;
    case 'preschool':
      return null;
  }
}

export interface ParsedClass {
  stage: Stage;
  grade: string;
  gradeOrder: number;
  /** The class number within the grade, when the roster gives one. */
  number: number | null;
  /** The display name: 一年级（1）班; a class without a number keeps its own name. */
  name: string;
}

export interface ClassContext {
  stage: Stage | null;
  schoolYearStart: number;
  /** The only stage the school teaches, used when nothing else tells. */
  defaultStage: Stage | null;
}

/**
 * One class from the grade and class cells of a roster row. Returns null when no grade can be told.
 * `parseClass('', '一年级（1）班', ctx)` and `parseClass('一年级', '1班', ctx)` both give 一年级（1）班.
 */
export function parseClass(gradeCell: string, classCell: string, ctx: ClassContext): ParsedClass | null {
  const gradeText = normalizeText(gradeCell).replace(/\s+/g, '');
  let classText = normalizeText(classCell).replace(/\s+/g, '');
  const stageHint = ctx.stage ?? ctx.defaultStage;
  // The school's only stage counts as a hint too: a junior school's roster says 一年级 for 七年级.
  let grade = gradeText ? parseGrade(gradeText, stageHint) : null;
  let rest = classText;

  // The class cell may carry the grade: 一年级(1)班, 一(1)班, 初一3班, 高2024级3班, 2024级3班.
  if (classText) {
    const withGrade =
      /^(.*?年级|初[一二三123]|高[一二三123]|[一二三四五六七八九])\(?(\d+)\)?班?$/.exec(classText) ??
      /^(小班|中班|大班|托班|学前班)\(?(\d+)\)?班?$/.exec(classText);
    if (withGrade) {
      const g = withGrade[1]!.length === 1 ? `${withGrade[1]}年级` : withGrade[1]!;
      const parsed = parseGrade(g, stageHint);
      if (parsed) {
        grade ??= parsed;
        rest = `${withGrade[2]}班`;
      }
    }
    const cohort = /^(?:[高初])?(\d{4})级\(?(\d+)\)?班?$/.exec(classText);
    if (cohort) {
      const entry = Number(cohort[1]);
      const stage = classText.startsWith('高') ? 'senior' : classText.startsWith('初') ? 'junior' : stageHint;
      grade ??= stage ? gradeOfEntryYear(entry, ctx.schoolYearStart, stage) : null;
      grade ??= stage ? { stage, grade: `${entry}级`, order: STAGE_ORDER[stage] + 9 } : null;
      rest = `${cohort[2]}班`;
    }
  }
  if (!grade && gradeText) {
    const cohort = /^(\d{4})级$/.exec(gradeText);
    if (cohort && stageHint) {
      const entry = Number(cohort[1]);
      grade = gradeOfEntryYear(entry, ctx.schoolYearStart, stageHint) ?? {
        stage: stageHint,
        grade: `${entry}级`,
        order: STAGE_ORDER[stageHint] + 9,
      };
    }
  }
  if (!grade) return null;
  const num = /^\(?(\d+)\)?班?$/.exec(rest) ?? /^([一二三四五六七八九十])班$/.exec(rest);
  const number = num ? cnNumber(num[1]!) : null;
  classText = rest;
  // A named class is a short name ending in 班 (实验班, 英才班, A班); anything else in the cell (#N/A, 转学,
  // a pasted sentence, symbols) is not a class, and would make a junk one.
  if (number === null && classText && !/^[\p{Script=Han}A-Za-z0-9]{1,8}班$/u.test(classText)) return null;
  const name = number !== null ? `${grade.grade}（${number}）班` : classText ? `${grade.grade}${classText}` : grade.grade;
  return { stage: grade.stage, grade: grade.grade, gradeOrder: grade.order, number, name };
}
