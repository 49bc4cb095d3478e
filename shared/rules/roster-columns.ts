/**
 * Finding the header row of a roster and matching its columns by meaning, from the names real exports
 * of the student-registry system and hand-made lists use.
 */
import { normalizeText } from './text';

export const ROSTER_FIELDS = {
  studentNumber: { label: '学籍号', names: ['学籍号', '全国学籍号', '国家学籍号', '学生学籍号', '全国学籍号码'] },
  name: { label: '姓名', names: ['姓名', '学生姓名', '学生名字', '名字'] },
  idType: { label: '证件类型', names: ['身份证件类型', '证件类型'] },
  idNumber: {
    label: '身份证件号',
    names: ['身份证件号', '身份证号', '证件号码', '身份证号码', '身份证件号码', '公民身份号码', '学生身份证号', '证件号'],
  },
  sex: { label: '性别', names: ['性别'] },
  birthDate: { label: '出生日期', names: ['出生日期', '出生年月', '出生年月日', '生日'] },
  ethnicity: { label: '民族', names: ['民族'] },
  stage: { label: '学段', names: ['学段', '学校类型', '教育阶段'] },
  grade: { label: '年级', names: ['年级', '所在年级', '年级名称', '现年级'] },
  class: { label: '班级', names: ['班级', '所在班级', '班级名称', '班号', '现班级'] },
  boarding: { label: '就读方式', names: ['就读方式', '是否住校', '是否寄宿', '是否寄宿生', '寄宿情况', '住宿情况'] },
  hukou: { label: '户口性质', names: ['户口性质', '户籍性质', '户口类型', '户籍类型'] },
  address: { label: '现住址', names: ['现住址', '家庭住址', '家庭地址', '详细地址', '居住地址', '家庭详细地址'] },
  guardianName: { label: '监护人', names: ['监护人', '监护人姓名', '家长姓名', '家长', '监护人1姓名', '父亲或监护人姓名'] },
  guardianPhone: {
    label: '联系电话',
    names: [
      '联系电话',
      '监护人电话',
      '监护人联系电话',
      '家长电话',
      '家长手机号',
      '联系方式',
      '手机号',
      '手机号码',
      '家长联系电话',
      '监护人1联系电话',
    ],
  },
  bankCard: { label: '银行卡号', names: ['银行卡号', '社会保障卡号', '社保卡号', '一卡通账号', '银行账号', '卡号'] },
  leftBehind: { label: '是否留守儿童', names: ['是否留守儿童', '留守儿童'] },
  orphan: { label: '是否孤儿', names: ['是否孤儿', '孤儿'] },
  disabled: { label: '是否残疾', names: ['是否残疾', '是否残疾学生', '残疾学生'] },
} as const;

export type RosterField = keyof typeof ROSTER_FIELDS;
export const ROSTER_FIELD_KEYS = Object.keys(ROSTER_FIELDS) as RosterField[];

/** Field → 0-based column index in the sheet, or absent. */
export type ColumnMapping = Partial<Record<RosterField, number>>;

/** Header text as compared: no spaces, no required-field stars, no bracketed notes. */
export function normalizeHeader(text: string): string {
  return normalizeText(text)
    .replace(/\s+/g, '')
    .replace(/[*＊※]/g, '')
    .replace(/\((必填|选填|非必填|文本|文本格式|\d+位)\)/g, '');
}

/** How well one header cell names a field: 2 exact, 1 contains a name, 0 not at all. Longest wins ties. */
function matchScore(header: string, field: RosterField): { score: number; length: number } {
  let best = { score: 0, length: 0 };
  for (const name of ROSTER_FIELDS[field].names) {
    if (header === name) return { score: 2, length: name.length };
    if (name.length >= 2 && header.includes(name) && name.length > best.length) best = { score: 1, length: name.length };
  }
  return best;
}

/**
 * Proposes a mapping for a header row: each field goes to the column that names it best, exact names
 * first, and no column serves two fields. 监护人姓名 is the guardian's, not the student's 姓名.
 */
export function matchColumns(headers: string[]): ColumnMapping {
  const candidates: { field: RosterField; col: number; score: number; length: number }[] = [];
  headers.forEach((raw, col) => {
    const header = normalizeHeader(raw);
    if (!header) return;
    for (const field of ROSTER_FIELD_KEYS) {
      const m = matchScore(header, field);
      if (m.score > 0) candidates.push({ field, col, ...m });
    }
  });
  candidates.sort((a, b) => b.score - a.score || b.length - a.length || a.col - b.col);
  const mapping: ColumnMapping = {};
  const usedCols = new Set<number>();
  for (const c of candidates) {
    if (mapping[c.field] !== undefined || usedCols.has(c.col)) continue;
    mapping[c.field] = c.col;
    usedCols.add(c.col);
  }
  return mapping;
}

/**
 * The header row among the first rows of a sheet: the one whose cells name the most fields, with a name
 * column and an identity column. Title rows (one merged cell) and notes above it are skipped.
 * Returns the 0-based row index, or null when no row looks like a roster header.
 */
export function findHeaderRow(rows: string[][], scanRows = 30): number | null {
  let best: { row: number; count: number } | null = null;
  for (let r = 0; r < Math.min(rows.length, scanRows); r++) {
    const cells = rows[r] ?? [];
    const distinct = new Set(cells.map((c) => normalizeHeader(c)).filter(Boolean));
    // A merged title repeats one text across the row: it is one cell, not a header.
    if (distinct.size < 2) continue;
    const mapping = matchColumns(cells);
    const count = Object.keys(mapping).length;
    const hasName = mapping.name !== undefined;
    const hasIdentity = mapping.idNumber !== undefined || mapping.studentNumber !== undefined;
    if (!hasName || !hasIdentity || count < 3) continue;
    if (!best || count > best.count) best = { row: r, count };
  }
  return best?.row ?? null;
}
