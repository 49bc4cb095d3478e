/**
 * Roster import: from the rows of a sheet to students, in three steps that share nothing but data.
 * analyze (pure: cells → normalised records and problems), plan (against the database: add, update,
 * unchanged, missing), apply (one transaction). The preview is analyze + plan; the import is all three. Each step
 * takes one row at a time (rowAnalyzer, DuplicateIndex, Planner, writePlanned), so roster.ts streams a file through
 * them; analyzeRows, planImport and applyPlan do the same on rows all in hand (the demo).
 */
import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { indexAfter } from './search-terms';
import { withoutStudentTriggers } from '../db/bulk';
import { bulkWriteCache } from '../db/open';
import type { FieldChange, FieldConflict, MissingStudent, ProblemKind, RosterRowPreview, RowProblem } from '../../../shared/api/roster';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../shared/domain/priority-group';
import type { Stage } from '../../../shared/domain/school';
import type { StudentFields } from '../../../shared/domain/student';
import { ROSTER_FIELDS, type ColumnMapping, type RosterField } from '../../../shared/rules/roster-columns';
import { parseClass, parseStage, type ParsedClass } from '../../../shared/rules/school-class';
import { checkStudent, parseYesNo, type StudentInput } from '../../../shared/rules/student';
import { codeDecoder, codeTableText, type CodedField } from '../../../shared/rules/student-codes';
import { displayPair, fieldLabel } from '../../../shared/rules/student-display';
import { hasInvisible, normalizeText } from '../../../shared/rules/text';
import { fieldsToValues, STUDENT_COLUMNS } from './student-rows';
import { cellText, columnLetter, type Cell } from '../import/read-table';
import { KeyIndex } from './key-index';
import { KnownStudents, STUDENT_FIELDS, type ExistingStudent } from './known-students';

export interface AnalyzeEnv {
  today: string;
  schoolYearStart: number;
  /** The school's only stage, when it teaches one: decides grades like 一年级 at a vocational school. */
  defaultStage: Stage | null;
}

type RosterFlagField = 'leftBehind' | 'orphan' | 'disabled';
const FLAG_GROUPS: Record<RosterFlagField, PriorityGroup> = {
  leftBehind: 'leftBehind',
  orphan: 'orphan',
  disabled: 'disabledStudent',
};

export interface AnalyzedRow {
  /** 1-based row number as the spreadsheet shows it. */
  row: number;
  fields: Partial<StudentFields>;
  schoolClass: ParsedClass | null;
  /** Roster flags stated in the file: true/false, absent when the column is missing or blank. */
  flags: Partial<Record<PriorityGroup, boolean>>;
  problems: RowProblem[];
}

/** A roster this large is read after a full collection (roster.ts) and written with a smaller page cache. */
export const LARGE_ROSTER_ROWS = 20_000;

/** Class wordings remembered by one analysis (a file with more is parsed row by row past this). */
const MAX_CLASS_WORDINGS = 20_000;

/** Numbers typed into Excel keep 15 significant digits; a longer one has already lost its tail. */
const NUMBER_SAFE_DIGITS = 15;
const LOST_DIGITS_FIELDS = new Set<RosterField>(['idNumber', 'studentNumber', 'bankCard']);

function isRowBlank(cells: Cell[]): boolean {
  return cells.every((c) => cellText(c).trim() === '');
}

const CODED_FIELDS: CodedField[] = ['sex', 'ethnicity', 'idType', 'hukou', 'boarding', 'leftBehind', 'orphan'];

/**
 * The columns written in the 学籍 standard's codes (rules/student-codes.ts), each with its decoder: a column is
 * read as codes only when every value in it is one. `valuesOf` gives a column's values under the header (each
 * once is enough), or null when they are not known (the column is then read as words).
 */
export function codedColumns(
  valuesOf: (column: number) => readonly string[] | null,
  mapping: ColumnMapping,
): { field: CodedField; label: string; codes: string; decode: (v: string) => string }[] {
  return CODED_FIELDS.flatMap((field) => {
    const col = mapping[field];
    if (col === undefined) return [];
    const values = valuesOf(col);
    const decode = values && codeDecoder(field, values);
    return decode ? [{ field, label: ROSTER_FIELDS[field].label, codes: codeTableText(field), decode }] : [];
  });
}

/** A sheet's values under its header, column by column (for codedColumns). */
export function columnValues(rows: Cell[][], headerIndex: number): (column: number) => string[] {
  return (col) => rows.slice(headerIndex + 1).map((r) => cellText(r[col] ?? null));
}

/** Cells → normalised records with every problem found, row by row. Duplicates are marked afterwards. */
export function analyzeRows(rows: Cell[][], headerIndex: number, mapping: ColumnMapping, env: AnalyzeEnv): AnalyzedRow[] {
  const analyzer = rowAnalyzer(rows[headerIndex] ?? [], mapping, codedColumns(columnValues(rows, headerIndex), mapping), env);
  const result: AnalyzedRow[] = [];
  for (let r = headerIndex + 1; r < rows.length; r++) {
    const row = analyzer.analyze(r, rows[r] ?? []);
    if (row) result.push(row);
  }
  markDuplicates(result, analyzer.columnName);
  return result;
}

export interface RowAnalyzer {
  /** The row at 0-based `index` as a record with its problems, or null when it is not a student (blank, a note). */
  analyze(index: number, cells: Cell[]): AnalyzedRow | null;
  /** The header a field's column has in the file (what messages call the column). */
  columnName(field: RosterField): string;
}

/** The analysis of one row at a time, for a sheet's header, mapping and coded columns. */
export function rowAnalyzer(
  headerCells: Cell[],
  mapping: ColumnMapping,
  coded: { field: CodedField; decode: (v: string) => string }[],
  env: AnalyzeEnv,
): RowAnalyzer {
  const decoders = new Map(coded.map((c) => [c.field as RosterField, c.decode]));
  /** A cell's text, in words when its column is written in codes. */
  const textOf = (field: RosterField, cell: Cell) => {
    const text = cellText(cell);
    return decoders.get(field)?.(text) ?? text;
  };
  const headers = headerCells.map((c) => normalizeText(cellText(c)));
  const columnName = (field: RosterField) => {
    const col = mapping[field];
    return col === undefined ? ROSTER_FIELDS[field].label : headers[col] || `${columnLetter(col)}列`;
  };
  const classes = new Map<string, ParsedClass | null>();
  const analyze = (r: number, cells: Cell[]): AnalyzedRow | null => {
    // Notes, signatures and totals under the data fill one cell at most: not students.
    if (isRowBlank(cells) || cells.filter((c) => cellText(c).trim() !== '').length < 2) return null;
    const rowNumber = r + 1;
    const problems: RowProblem[] = [];
    const problem = (field: RosterField | null, code: string, severity: 'error' | 'warning', text: string) => {
      const column = field ? columnName(field) : '';
      problems.push({
        row: rowNumber,
        column,
        field,
        code,
        severity,
        message: `第${rowNumber}行${column ? `“${column}”列` : ''}：${text}`,
      });
    };
    const raw = (field: RosterField): Cell | undefined => {
      const col = mapping[field];
      return col === undefined ? undefined : (cells[col] ?? null);
    };

    const input: StudentInput = {};
    for (const field of STUDENT_FIELDS satisfies readonly RosterField[]) {
      const cell = raw(field);
      if (cell === undefined) continue;
      if (LOST_DIGITS_FIELDS.has(field) && isRoundedNumber(cell)) {
        problem(
          field,
          'number-lost-digits',
          'error',
          `${ROSTER_FIELDS[field].label}以数字格式保存，超过15位的部分已被 Excel 改掉，无法确认原号码。请把该列设为“文本”格式并重新录入这一格`,
        );
        continue;
      }
      input[field] = textOf(field, cell);
      // Removed on import (rules/text.ts), and said so: an RTL override or an escape code changes a printed name.
      if (hasInvisible(input[field]))
        problem(
          field,
          'invisible-removed',
          'warning',
          `${ROSTER_FIELDS[field].label}中有看不见的控制字符、零宽字符或文字方向符号，已去除${
            field === 'name' || field === 'guardianName' ? `（导入为“${normalizeText(input[field])}”）` : ''
          }`,
        );
    }
    // Only resident ID cards follow GB 11643; passports and HK/Macao permits are kept as typed.
    const idType = normalizeText(textOf('idType', raw('idType') ?? null));
    if (idType && !/身份证|^$/.test(idType) && input.idNumber) {
      problem('idNumber', 'id-type-other', 'warning', `证件类型为“${idType}”，未按居民身份证规则校验，也不作为身份证件号保存`);
      delete input.idNumber;
    }
    const checked = checkStudent(input, env.today);
    for (const p of checked.problems) problem(p.field, p.code, p.severity, p.message);

    const stageCell = raw('stage');
    const stage = stageCell === undefined ? null : parseStage(cellText(stageCell));
    const gradeText = cellText(raw('grade') ?? null);
    const classText = cellText(raw('class') ?? null);
    let schoolClass: ParsedClass | null = null;
    if (gradeText.trim() || classText.trim()) {
      // Parsed once per wording: a county's 300,000 rows name a few thousand classes (the rows share the object).
      const key = `${stage ?? ''}\u0001${gradeText}\u0001${classText}`;
      schoolClass = classes.has(key)
        ? classes.get(key)!
        : parseClass(gradeText, classText, { stage, schoolYearStart: env.schoolYearStart, defaultStage: env.defaultStage });
      if (classes.size < MAX_CLASS_WORDINGS) classes.set(key, schoolClass);
      if (!schoolClass) {
        problem(
          mapping.grade !== undefined ? 'grade' : 'class',
          'class-unknown',
          'error',
          `无法识别年级/班级“${[gradeText, classText].filter(Boolean).join(' ')}”（可写作“一年级”+“1班”，或“一年级（1）班”“2024级3班”）`,
        );
      }
    } else if (mapping.grade !== undefined || mapping.class !== undefined) {
      problem('class', 'class-missing', 'warning', '没有年级和班级，导入后请在学生信息中补上');
    }

    const flags: Partial<Record<PriorityGroup, boolean>> = {};
    for (const field of Object.keys(FLAG_GROUPS) as RosterFlagField[]) {
      const cell = raw(field);
      if (cell === undefined) continue;
      const yes = parseYesNo(textOf(field, cell));
      if (yes === 'invalid') problem(field, 'flag-invalid', 'warning', `“${cellText(cell)}”应为“是”或“否”，已忽略`);
      else if (yes !== null) flags[FLAG_GROUPS[field]] = yes;
    }

    const fields = checked.value;
    if (
      fields.name &&
      !fields.idNumber &&
      !fields.studentNumber &&
      !problems.some((p) => p.field === 'idNumber' || p.field === 'studentNumber')
    ) {
      if (fields.birthDate) {
        problem('idNumber', 'identity-weak', 'warning', '没有身份证件号和学籍号，再次导入时将按姓名和出生日期认出该学生');
      } else {
        problem('idNumber', 'identity-missing', 'error', '没有身份证件号、学籍号和出生日期，无法确认是哪名学生');
      }
    }
    return { row: rowNumber, fields, schoolClass, flags, problems };
  };
  return { analyze, columnName };
}

function isRoundedNumber(cell: Cell): boolean {
  if (typeof cell === 'number') return Math.abs(cell) >= 10 ** NUMBER_SAFE_DIGITS;
  // A CSV saved from Excel writes such numbers as 4.33125E+17.
  return typeof cell === 'string' && /^\s*\d(\.\d+)?E\+\d+\s*$/i.test(cell);
}

export function isRejected(row: AnalyzedRow): boolean {
  return row.problems.some((p) => p.severity === 'error');
}

const KEYS = ['idNumber', 'studentNumber'] as const;

/** One row of a group sharing an ID number or 学籍号, as its messages name it. */
interface Member {
  row: number;
  /** Not rejected for anything else (for a 学籍号 group: nor as an ID number's copy). */
  valid: boolean;
  name: string;
}

/**
 * The problem a row of a duplicate group gets. When only one of the group is otherwise valid it is kept and the
 * others are rejected as copies of it; when several are valid, none can be trusted and all are rejected. Every
 * message names up to three of the other rows and counts the rest.
 */
function duplicateProblem(key: (typeof KEYS)[number], column: string, group: readonly Member[], self: Member): RowProblem {
  const valid = group.filter((m) => m.valid);
  const keep = valid.length === 1 && valid[0] === self;
  // At most three other rows named, then a count: a column filled down over 3,000 rows gives 3,000 short
  // messages, not 3,000 messages naming each other row (a message never grows with the input).
  const named = group
    .slice(0, 4)
    .filter((o) => o !== self)
    .slice(0, 3);
  const text = named.map((o) => `第${o.row}行（${o.name || '无姓名'}）`).join('、');
  const others = group.length - 1 > named.length ? `${text}等 ${group.length - 1} 行` : text;
  const label = ROSTER_FIELDS[key].label;
  return {
    row: self.row,
    column,
    field: key,
    code: key === 'idNumber' ? 'duplicate-id-number' : 'duplicate-student-number',
    severity: keep ? 'warning' : 'error',
    message: keep
      ? `第${self.row}行“${column}”列：${label}与${others}相同；后者有误未导入，本行照常导入`
      : `第${self.row}行“${column}”列：${label}与${others}重复，请核对后修改`,
  };
}

/** Rows sharing an ID number or 学籍号, with the rows all in hand (duplicateProblem says what each gets). */
function markDuplicates(rows: AnalyzedRow[], columnName: (f: RosterField) => string): void {
  for (const key of KEYS) {
    const groups = new Map<string, AnalyzedRow[]>();
    for (const row of rows) {
      const value = row.fields[key];
      if (!value) continue;
      const group = groups.get(value);
      if (group) group.push(row);
      else groups.set(value, [row]);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      // Validity as the group is marked: a 学籍号 group sees the ID number groups' rejections.
      const members = group.map((r) => ({ row: r.row, valid: !isRejected(r), name: r.fields.name ?? '' }));
      group.forEach((row, i) => row.problems.push(duplicateProblem(key, columnName(key), members, members[i]!)));
    }
  }
}

/**
 * The same marks without the rows in hand: a first read notes each row's keys (`note`: a key and a row number per
 * row, not the row), a second marks each row as it passes (`mark`), as markDuplicates would have.
 */
export class DuplicateIndex {
  /** Each key's first row (negative: a row rejected on its own), the keys' bytes packed (a county's file: 600,000). */
  private first = { idNumber: new KeyIndex(), studentNumber: new KeyIndex() };
  private readonly groups = { idNumber: new Map<string, Member[]>(), studentNumber: new Map<string, Member[]>() };

  /** A row of the first read, before its plan (its validity is its own problems'). */
  note(row: AnalyzedRow): void {
    const valid = !isRejected(row);
    for (const key of KEYS) {
      const value = row.fields[key];
      if (!value) continue;
      const first = this.first[key].get(value);
      if (first === undefined) {
        this.first[key].set(value, valid ? row.row : -row.row);
        continue;
      }
      let group = this.groups[key].get(value);
      // The first row's name is taken when the second read passes it (it comes before the others).
      if (!group) this.groups[key].set(value, (group = [{ row: Math.abs(first), valid: first > 0, name: '' }]));
      group.push({ row: row.row, valid, name: row.fields.name ?? '' });
    }
  }

  /** Whether the file has rows sharing a key (and needs the second read). */
  get found(): boolean {
    return this.groups.idNumber.size > 0 || this.groups.studentNumber.size > 0;
  }

  /** After the first read: the keys go, and a 学籍号 group's validity takes in the ID number groups' rejections. */
  seal(): void {
    this.first = { idNumber: new KeyIndex(), studentNumber: new KeyIndex() };
    const copies = new Set<number>();
    for (const group of this.groups.idNumber.values()) {
      const valid = group.filter((m) => m.valid);
      for (const m of group) if (!(valid.length === 1 && valid[0] === m)) copies.add(m.row);
    }
    for (const group of this.groups.studentNumber.values()) for (const m of group) if (copies.has(m.row)) m.valid = false;
  }

  /** A row of the second read, after its analysis and before its plan. */
  mark(row: AnalyzedRow, columnName: (f: RosterField) => string): void {
    const problems: RowProblem[] = [];
    for (const key of KEYS) {
      const value = row.fields[key];
      const group = value ? this.groups[key].get(value) : undefined;
      const self = group?.find((m) => m.row === row.row);
      if (!group || !self) continue;
      self.name = row.fields.name ?? '';
      problems.push(duplicateProblem(key, columnName(key), group, self));
    }
    row.problems.push(...problems);
  }
}

export interface PlannedRow {
  analyzed: AnalyzedRow;
  /** otherSchool: the student belongs to another school of the desk (疑似双学籍): listed for the clerk, not written. */
  action: 'add' | 'update' | 'unchanged' | 'rejected' | 'otherSchool';
  existing: ExistingStudent | null;
  /** The record after the import: the existing one with the file's non-blank values over it. */
  merged: StudentFields;
  changes: FieldChange[];
  conflicts: FieldConflict[];
  /** The class the row puts the student in (null: leave the class as it is). */
  className: string | null;
}

export interface Plan {
  rows: PlannedRow[];
  missing: MissingStudent[];
}

/** The changes and conflicts of the rows that have none (most of a county's rows): one frozen list for all. */
const NONE: never[] = Object.freeze([]) as unknown as never[];

const EMPTY_FIELDS: StudentFields = {
  name: '',
  idNumber: null,
  studentNumber: null,
  sex: null,
  birthDate: null,
  ethnicity: '',
  hukou: null,
  address: '',
  guardianName: '',
  guardianPhone: '',
  boarding: null,
  bankCard: null,
};

/**
 * Matches every valid row to a stored student (ID number, then 学籍号, then name + birth date) and diffs.
 * A field the clerk changed since the last import is a conflict, kept as the clerk set it unless `takeFile`
 * holds "studentId:field"; a student marked as left stays left whatever the roster says. The roster is the
 * school `schoolId`'s: a student of another school of the desk is not moved or changed but listed (疑似双学籍),
 * and only that school's students can be missing from it.
 */
export function planImport(analyzed: AnalyzedRow[], known: KnownStudents, takeFile: Set<string> = new Set(), schoolId = 1): Plan {
  const planner = new Planner(known, takeFile, schoolId);
  return { rows: analyzed.map((row) => planner.plan(row)), missing: planner.missing().students };
}

/** planImport one row at a time, in the file's order (what it remembers is a few bytes per student of the desk). */
export class Planner {
  /** By the student's place in `known`: the first row that matched it (0: none yet), and whether the file names it. */
  private readonly matchedBy: Int32Array;
  private readonly seen: Uint8Array;

  constructor(
    private readonly known: KnownStudents,
    private readonly takeFile: Set<string> = new Set(),
    private readonly schoolId = 1,
  ) {
    this.matchedBy = new Int32Array(known.size);
    this.seen = new Uint8Array(known.size);
  }

  plan(row: AnalyzedRow): PlannedRow {
    const { known, matchedBy, seen, takeFile, schoolId } = this;
    const f = row.fields;
    const aAt = f.idNumber ? known.find('idNumber', f.idNumber) : undefined;
    const bAt = f.studentNumber ? known.find('studentNumber', f.studentNumber) : undefined;
    // Every identity in the file, rejected rows included, keeps its student off the "missing" list.
    if (aAt !== undefined) seen[aAt] = 1;
    if (bAt !== undefined) seen[bAt] = 1;
    if (isRejected(row)) return rejectedRow(row);
    const a = aAt === undefined ? undefined : known.at(aAt);
    const b = bAt === undefined ? undefined : aAt === bAt ? a : known.at(bAt);
    const reject = (code: string, field: RosterField, text: string) => {
      row.problems.push({ row: row.row, column: fieldLabel(field), field, code, severity: 'error', message: `第${row.row}行：${text}` });
      return rejectedRow(row);
    };
    if (a && b && a.id !== b.id) {
      return reject(
        'identity-conflict',
        'studentNumber',
        `身份证件号属于已有学生“${a.fields.name}”，学籍号却属于“${b.fields.name}”，请先核对这两名学生`,
      );
    }
    let at = aAt ?? bAt;
    if (at === undefined && !f.idNumber && !f.studentNumber && f.birthDate)
      at = known.find('nameBirth', KnownStudents.nameBirthKey(f.name ?? '', f.birthDate));
    const match = at === undefined ? null : (at === aAt ? a : at === bAt ? b : known.at(at))!;
    if (match) {
      const earlier = matchedBy[at!]!;
      if (earlier) return reject('duplicate-student', 'name', `与第${earlier}行是同一名学生（${match.fields.name}）`);
      matchedBy[at!] = row.row;
      seen[at!] = 1;
      if (match.schoolId !== schoolId) {
        row.problems.push({
          row: row.row,
          column: '',
          field: null,
          code: 'other-school',
          severity: 'warning',
          message: `第${row.row}行：${match.fields.name}在“${match.schoolName}”${match.className ?? ''}${match.status === 'left' ? '（已离校）' : '在册'}，疑似双学籍：本次不改动该生，已列入“双学籍核对”，请核实后选择转入本校或保留原校`,
        });
        return {
          analyzed: row,
          action: 'otherSchool',
          existing: match,
          merged: match.fields,
          changes: NONE,
          conflicts: NONE,
          className: row.schoolClass?.name ?? null,
        };
      }
    }
    const base = match?.fields ?? EMPTY_FIELDS;
    const merged: StudentFields = { ...base };
    for (const key of Object.keys(f) as (keyof StudentFields)[]) {
      const value = f[key];
      // A blank cell never erases what the desk already holds.
      if (value === null || value === undefined || value === '') continue;
      (merged as unknown as Record<string, unknown>)[key] = value;
    }
    const changes: FieldChange[] = [];
    const conflicts: FieldConflict[] = [];
    let className = row.schoolClass?.name ?? null;
    if (match) {
      const clerks = (field: string) => match.edited.has(field) && !takeFile.has(`${match.id}:${field}`);
      for (const key of Object.keys(merged) as (keyof StudentFields)[]) {
        if (merged[key] === base[key]) continue;
        const [from, to] = displayPair(key, base[key], merged[key]);
        if (clerks(key)) {
          conflicts.push({ field: key, label: fieldLabel(key), mine: from, file: to });
          (merged as unknown as Record<string, unknown>)[key] = base[key];
        } else changes.push({ field: key, label: fieldLabel(key), from, to });
      }
      if (className !== null && className !== match.className) {
        if (clerks('className')) {
          conflicts.push({ field: 'className', label: '班级', mine: match.className, file: className });
          className = null;
        } else changes.push({ field: 'className', label: '班级', from: match.className, to: className });
      } else className = null;
      if (match.status === 'left') {
        row.problems.push({
          row: row.row,
          column: '',
          field: null,
          code: 'left-in-roster',
          severity: 'warning',
          message: `第${row.row}行：${match.fields.name}已标记为离校，名册中仍有。导入不改变离校状态；如确已返校，请在学生信息中恢复在校`,
        });
      }
      for (const [group, yes] of Object.entries(row.flags) as [PriorityGroup, boolean][]) {
        if (yes !== match.rosterFlags.has(group)) {
          changes.push({
            field: `flag:${group}`,
            label: `名册标记：${PRIORITY_GROUPS[group]}`,
            from: yes ? '否' : '是',
            to: yes ? '是' : '否',
          });
        }
      }
    }
    // A new student's record is the file's row made whole: the row keeps that one object, not two.
    if (!match) row.fields = merged;
    return {
      analyzed: row,
      action: match ? (changes.length ? 'update' : 'unchanged') : 'add',
      existing: match,
      merged,
      changes: changes.length ? changes : NONE,
      conflicts: conflicts.length ? conflicts : NONE,
      className,
    };
  }

  /** After the last row: the school's enrolled students the file did not name (the first `listed`), and how many. */
  missing(listed = Infinity): { students: MissingStudent[]; count: number } {
    return this.known.missing(this.schoolId, (place) => this.seen[place] === 1, listed);
  }
}

function rejectedRow(row: AnalyzedRow): PlannedRow {
  return {
    analyzed: row,
    action: 'rejected',
    existing: null,
    merged: { ...EMPTY_FIELDS, ...row.fields },
    changes: NONE,
    conflicts: NONE,
    className: null,
  };
}

/**
 * Rows listed per kind in a preview (to add, update, reject, of another school): a school's roster is listed whole,
 * a county's 300,000 new students are counted and the first of them shown (the whole list was 38 MB to the screen).
 */
export const PREVIEW_LISTED = 5_000;

/** A problem's message without the row it names (第12行“身份证件号”列：…). */
const withoutRow = (message: string) => message.replace(/^第\d+行(“[^”]*”列)?：/, '');

export type ActionCounts = Record<PlannedRow['action'], number>;

/**
 * What a preview and an import's result say about planned rows, taken one at a time: counts, the fields changed,
 * and the rows listed (each kind's first PREVIEW_LISTED, and every row with a conflict: the clerk chooses each).
 */
export class PlanTally {
  readonly counts: ActionCounts = { add: 0, update: 0, unchanged: 0, rejected: 0, otherSchool: 0 };
  /** Problems of each severity, of every row. */
  errors = 0;
  warnings = 0;
  conflicts = 0;
  readonly listed: RosterRowPreview[] = [];
  private readonly changed = new Map<string, { field: string; label: string; count: number }>();
  private readonly listedOf = new Map<PlannedRow['action'], number>();
  private readonly kinds = new Map<string, ProblemKind>();

  /** `listing`: keep the rows a preview lists (an import's result only counts). */
  constructor(private readonly listing: boolean) {}

  add(r: PlannedRow): void {
    this.counts[r.action]++;
    for (const p of r.analyzed.problems) {
      if (p.severity === 'warning') this.warnings++;
      else this.errors++;
      const key = `${p.severity}\u0001${p.code}\u0001${p.column}`;
      const kind = this.kinds.get(key);
      if (kind) kind.count++;
      // The codes are the analysis's own (a few dozen): the kinds do not grow with the file.
      else this.kinds.set(key, { severity: p.severity, code: p.code, column: p.column, count: 1, example: withoutRow(p.message) });
    }
    this.conflicts += r.conflicts.length;
    for (const c of r.changes) {
      const entry = this.changed.get(c.field) ?? { field: c.field, label: c.label, count: 0 };
      entry.count++;
      this.changed.set(c.field, entry);
    }
    if (!this.listing) return;
    if (r.conflicts.length === 0) {
      if (r.action === 'unchanged' && r.analyzed.problems.length === 0) return;
      const n = this.listedOf.get(r.action) ?? 0;
      this.listedOf.set(r.action, n + 1);
      if (n >= PREVIEW_LISTED) return;
    }
    this.listed.push({
      row: r.analyzed.row,
      action: r.action,
      name: r.analyzed.fields.name ?? '',
      // The class the student is in on this desk (a change of class is among the changes).
      className: r.existing?.className ?? r.analyzed.schoolClass?.name ?? null,
      studentId: r.existing?.id ?? null,
      changes: r.changes,
      conflicts: r.conflicts,
      problems: r.analyzed.problems,
    });
  }

  /** How many students each field changes for, most first. */
  changesByField(): { field: string; label: string; count: number }[] {
    return [...this.changed.values()].sort((a, b) => b.count - a.count);
  }

  /** Every kind of problem with its count, errors first, then the most frequent. */
  problemKinds(): ProblemKind[] {
    return [...this.kinds.values()].sort((a, b) => (a.severity === b.severity ? b.count - a.count : a.severity === 'error' ? -1 : 1));
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

export interface ApplyInfo {
  kind: 'roster' | 'demo';
  /** The school of the desk whose roster this is (1: the central school). */
  schoolId?: number;
  fileName: string;
  sha256: string;
  at: string;
}

export interface ApplyCounts {
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  batchId: number;
}

/** Writes a plan in one transaction (the rows all in hand: the demo's roster). */
export function applyPlan(sqlite: SqliteDatabase.Database, plan: Plan, info: ApplyInfo): ApplyCounts {
  const counts: ActionCounts = { add: 0, update: 0, unchanged: 0, rejected: 0, otherSchool: 0 };
  for (const r of plan.rows) counts[r.action]++;
  return writePlanned(sqlite, info, plan.rows.length > LARGE_ROSTER_ROWS, (write) => {
    for (const r of plan.rows) write(r);
    return counts;
  });
}

/**
 * Writes planned rows as `feed` hands them over, in one transaction: new classes, new students, updated students
 * with one history row per changed field, roster flags, 双学籍 findings. Each row is written as it comes, so a roster
 * read row by row is never held whole. Throws (and writes nothing) if anything fails, `feed` included; `feed`
 * returns the counts the batch records.
 */
export function writePlanned(
  sqlite: SqliteDatabase.Database,
  info: ApplyInfo,
  large: boolean,
  feed: (write: (row: PlannedRow) => void) => ActionCounts,
): ApplyCounts {
  const insertBatch = sqlite.prepare(
    `INSERT INTO import_batch (kind, file_name, file_sha256, imported_at, added, updated, unchanged, rejected)
     VALUES (?, ?, ?, ?, 0, 0, 0, 0)`,
  );
  const countBatch = sqlite.prepare(`UPDATE import_batch SET added = ?, updated = ?, unchanged = ?, rejected = ? WHERE id = ?`);
  const schoolId = info.schoolId ?? 1;
  const classByName = sqlite.prepare(`SELECT id FROM school_class WHERE school_id = ? AND name = ?`).pluck();
  const findClass = (name: string | null): number | null =>
    name === null ? null : ((classByName.get(schoolId, name) as number | undefined) ?? null);
  const insertClass = sqlite.prepare(
    `INSERT INTO school_class (school_id, stage, grade, grade_order, number, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const columns = `${STUDENT_COLUMNS}, class_id`;
  const insertStudent = sqlite.prepare(
    `INSERT INTO student (${columns}, school_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'enrolled', ?, ?)`,
  );
  const listDual = sqlite.prepare(
    `INSERT OR IGNORE INTO dual_enrolment (student_id, school_id, class_name, batch_id, sheet_row, found_on) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  // The status is the clerk's: a roster never puts a student who left back in school.
  const updateStudent = sqlite.prepare(
    `UPDATE student SET (${columns}, updated_at) = (${columns
      .split(',')
      .map(() => '?')
      .join(', ')}, ?) WHERE id = ?`,
  );
  const insertChange = sqlite.prepare(
    `INSERT INTO student_change (student_id, changed_at, field, old_value, new_value, source, batch_id) VALUES (?, ?, ?, ?, ?, 'import', ?)`,
  );
  const addFlag = sqlite.prepare(
    `INSERT OR IGNORE INTO priority_flag (student_id, grp, source, source_date, created_at) VALUES (?, ?, 'roster', ?, ?)`,
  );
  const removeFlag = sqlite.prepare(`DELETE FROM priority_flag WHERE student_id = ? AND grp = ? AND source = 'roster'`);

  const run = sqlite.transaction((): ApplyCounts => {
    const batchId = Number(insertBatch.run(info.kind, info.fileName, info.sha256, info.at).lastInsertRowid);
    const classIds = new Map<string, number>();
    const classId = (c: ParsedClass | null): number | null => {
      if (!c) return null;
      let id = classIds.get(c.name) ?? findClass(c.name);
      id ??= Number(insertClass.run(schoolId, c.stage, c.grade, c.gradeOrder, c.number, c.name, info.at).lastInsertRowid);
      classIds.set(c.name, id);
      return id;
    };
    const values = (m: StudentFields, cls: number | null) => [...fieldsToValues(m), cls];
    // The search index of the students written is built in two statements at the end, not row by row.
    const touched: number[] = [];
    const write = (r: PlannedRow) => {
      if (r.action === 'rejected' || r.action === 'unchanged') return;
      if (r.action === 'otherSchool') {
        listDual.run(r.existing!.id, schoolId, r.className ?? '', batchId, r.analyzed.row, info.at.slice(0, 10));
        return;
      }
      let studentId: number;
      if (r.action === 'add') {
        studentId = Number(
          insertStudent.run(...values(r.merged, classId(r.analyzed.schoolClass)), schoolId, info.at, info.at).lastInsertRowid,
        );
      } else {
        const existing = r.existing!;
        // The row's class, unless it has none or the clerk's own class assignment stands.
        const cls = r.className !== null ? classId(r.analyzed.schoolClass) : findClass(existing.className);
        updateStudent.run(...values(r.merged, cls), info.at, existing.id);
        studentId = existing.id;
        for (const ch of r.changes) {
          const key = ch.field as keyof StudentFields;
          const raw = (v: unknown) => (v === null || v === undefined ? null : String(v));
          const [from, to] = key in r.merged ? [raw(existing.fields[key]), raw(r.merged[key])] : [ch.from, ch.to];
          insertChange.run(studentId, info.at, ch.field, from, to, batchId);
        }
      }
      for (const [group, yes] of Object.entries(r.analyzed.flags) as [PriorityGroup, boolean][]) {
        if (yes) addFlag.run(studentId, group, info.at.slice(0, 10), info.at);
        else if (r.action !== 'add') removeFlag.run(studentId, group); // a new student has no flag to remove
      }
      touched.push(studentId);
    };
    const written = () => touched;
    const counts = indexAfter(sqlite, () => withoutStudentTriggers(sqlite, () => feed(write), written), written);
    countBatch.run(counts.add, counts.update, counts.unchanged, counts.rejected, batchId);
    return { added: counts.add, updated: counts.update, unchanged: counts.unchanged, rejected: counts.rejected, batchId };
  });
  // A county's roster written with a smaller page cache: its pages are written, not read again (peak memory).
  return large ? bulkWriteCache(sqlite, () => run.immediate()) : run.immediate();
}
