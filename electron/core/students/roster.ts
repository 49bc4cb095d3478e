/**
 * The roster import: locate the header, match the columns, then read the rows again one by one from the file, each
 * analysed, planned and (on import) written as it passes, inside one transaction. Nothing holds the whole roster:
 * a county's 300,000 rows pass through a row at a time. Rows sharing an ID number or 学籍号 are known only at the
 * end of a read, so a file that has any is read a second time with them known (roster-plan.ts: DuplicateIndex).
 */
import type { RosterImportResult, RosterPreview, RowProblem } from '../../../shared/api/roster';
import { AppError } from '../../../shared/errors';
import { maskAddress, maskIdNumber } from '../../../shared/rules/mask';
import { findHeaderRow, matchColumns, ROSTER_FIELDS, type ColumnMapping } from '../../../shared/rules/roster-columns';
import { schoolYearStart } from '../../../shared/rules/term';
import { nowIso, today, type CoreContext, type Upload } from '../context';
import { cellText, columnLetter, eachRow, type SheetOutline } from '../import/read-table';
import { collectGarbage } from '../memory';
import { requireSchool } from '../school/school';
import { requireMemberSchool } from '../school/member-schools';
import { CENTRAL_SCHOOL_ID } from '../../../shared/domain/school';
import {
  codedColumns,
  DuplicateIndex,
  LARGE_ROSTER_ROWS,
  Planner,
  PlanTally,
  PREVIEW_LISTED,
  rowAnalyzer,
  writePlanned,
  type AnalyzeEnv,
  type PlannedRow,
} from './roster-plan';
import { KnownStudents } from './known-students';

/** A sample on screen never shows a whole ID number, 学籍号, card or phone: any run of 7 or more digits is masked. */
export function maskSample(v: string): string {
  return /\d{7,}/.test(v) ? (maskIdNumber(v.trim()) ?? '') : v;
}

/** The header is looked for among the first rows only: title rows and notes sit above it. */
const HEADER_SCAN_ROWS = 30;

interface Located {
  /** The sheet's place among the file's sheets (its rows are read again by it). */
  index: number;
  sheet: SheetOutline;
  headerIndex: number;
}

/** The sheet to import: the one named, or the first that holds a roster header. */
function locate(upload: Upload, sheetName?: string): Located {
  const all = upload.outline.sheets.map((sheet, index) => ({ sheet, index }));
  const sheets = sheetName ? all.filter((s) => s.sheet.name === sheetName) : all;
  if (sheetName && sheets.length === 0) throw new AppError('sheet-missing', `文件“${upload.fileName}”中没有名为“${sheetName}”的工作表`);
  for (const { sheet, index } of sheets) {
    const header = findHeaderRow(
      sheet.head.slice(0, HEADER_SCAN_ROWS).map((r) => r.map(cellText)),
      HEADER_SCAN_ROWS,
    );
    if (header !== null) return { index, sheet, headerIndex: header };
  }
  const where = sheetName ? `工作表“${sheetName}”` : `文件“${upload.fileName}”`;
  if (sheets.every((s) => s.sheet.blank)) throw new AppError('roster-empty', `${where}是空的，没有任何内容`);
  throw new AppError(
    'roster-no-header',
    `${where}不像学生名册：在前30行中找不到表头（需要“姓名”列，以及“身份证件号”或“学籍号”列）。请确认选对了文件和工作表`,
  );
}

function checkMapping(mapping: ColumnMapping, columnCount: number): void {
  const missing: string[] = [];
  if (mapping.name === undefined) missing.push('姓名');
  if (mapping.idNumber === undefined && mapping.studentNumber === undefined) missing.push('身份证件号或学籍号');
  if (missing.length) throw new AppError('mapping-incomplete', `列的对应不完整：请为“${missing.join('”和“')}”选择一列`, { missing });
  const used = new Map<number, string>();
  for (const [field, col] of Object.entries(mapping) as [keyof typeof ROSTER_FIELDS, number][]) {
    if (col >= columnCount) throw new AppError('mapping-invalid', `“${ROSTER_FIELDS[field].label}”对应的第${col + 1}列在表中不存在`);
    const other = used.get(col);
    if (other)
      throw new AppError(
        'mapping-invalid',
        `${columnLetter(col)}列同时对应了“${other}”和“${ROSTER_FIELDS[field].label}”，一列只能对应一项`,
      );
    used.set(col, ROSTER_FIELDS[field].label);
  }
}

/** The columns written in codes, from the values the outline kept of each column under the header. */
function codedOf(located: Located, mapping: ColumnMapping) {
  return codedColumns((col) => {
    const values = located.sheet.values[col];
    if (values === null) return null;
    return values ? [...values].filter(([, last]) => last > located.headerIndex).map(([v]) => v) : [];
  }, mapping);
}

/** What every read of one roster shares: where it is, how its columns are read, and the desk it is planned against. */
interface Reading {
  upload: Upload;
  located: Located;
  mapping: ColumnMapping;
  coded: ReturnType<typeof codedOf>;
  env: AnalyzeEnv;
  known: KnownStudents;
  takeFile: Set<string>;
  schoolId: number;
}

async function reading(
  ctx: CoreContext,
  upload: Upload,
  options: { mapping?: ColumnMapping; sheetName?: string; takeFile?: { studentId: number; field: string }[]; schoolId?: number },
): Promise<Reading> {
  const school = await requireSchool(ctx);
  const schoolId = options.schoolId ?? CENTRAL_SCHOOL_ID;
  requireMemberSchool(ctx, schoolId);
  const located = locate(upload, options.sheetName);
  // What the phases before left (a county file's parts, a preview's read) is collected before this read starts:
  // each read keeps only a row at a time, but V8 would keep their garbage beside it (UI path 563 → see benchmarks.md).
  if (located.sheet.rowCount > LARGE_ROSTER_ROWS) collectGarbage();
  const mapping = options.mapping ?? matchColumns((located.sheet.head[located.headerIndex] ?? []).map(cellText));
  checkMapping(mapping, located.sheet.columnCount);
  return {
    upload,
    located,
    mapping,
    coded: codedOf(located, mapping),
    env: {
      today: today(ctx),
      schoolYearStart: schoolYearStart(school.schoolYear),
      defaultStage: school.stages.length === 1 ? school.stages[0]! : null,
    },
    known: KnownStudents.load(ctx.store.sqlite),
    takeFile: new Set((options.takeFile ?? []).map((t) => `${t.studentId}:${t.field}`)),
    schoolId,
  };
}

/**
 * A county-sized read collects its garbage every so many rows. V8 lets the old generation grow to about four times
 * what was alive at its last full collection before the next: with the desk's 300,000 students known (44 MB) the next
 * term's import reached 743 MB of which some 500 were garbage; collected every 50,000 rows (6 × 0.1 s) it stays near
 * what is alive (448 MB, benchmarks.md).
 */
const COLLECT_EVERY = 50_000;

/**
 * One read of the roster's rows: each analysed, marked as a duplicate where `duplicates` is sealed (else noted in
 * it), planned, and handed to `take`. Returns the planner (for the students the file did not name).
 */
function readRows(r: Reading, duplicates: DuplicateIndex, noting: boolean, take: (row: PlannedRow) => void): Planner {
  const { located } = r;
  const analyzer = rowAnalyzer(located.sheet.head[located.headerIndex] ?? [], r.mapping, r.coded, r.env);
  const planner = new Planner(r.known, r.takeFile, r.schoolId);
  let students = 0;
  eachRow(r.upload.fileName, r.upload.data, r.upload.outline, located.index, (index, cells) => {
    if (index <= located.headerIndex) return;
    const row = analyzer.analyze(index, cells);
    if (!row) return;
    if (++students % COLLECT_EVERY === 0 && located.sheet.rowCount > LARGE_ROSTER_ROWS) collectGarbage();
    if (noting) {
      duplicates.note(row);
      // From the first row sharing a key the read only notes: it is read again, and what it wrote rolled back.
      if (duplicates.found) return;
    } else duplicates.mark(row, analyzer.columnName);
    take(planner.plan(row));
  });
  if (students === 0)
    throw new AppError('roster-no-rows', `工作表“${located.sheet.name}”在表头（第${located.headerIndex + 1}行）下面没有学生数据`);
  return planner;
}

/** Thrown out of a first read's transaction that met rows sharing a key: everything it wrote is rolled back. */
const READ_AGAIN = Symbol('read again');

/**
 * Reads the roster as often as it takes: once, or twice when rows share an ID number or 学籍号 (the first read is
 * thrown away, and with it whatever `run` wrapped it in: an import's transaction is rolled back). `run` is handed
 * the read: it passes each planned row to `take` and returns the planner.
 */
function readWhole<T>(r: Reading, run: (read: (take: (row: PlannedRow) => void) => Planner) => T): T {
  const duplicates = new DuplicateIndex();
  try {
    return run((take) => {
      const planner = readRows(r, duplicates, true, take);
      if (duplicates.found) throw READ_AGAIN;
      return planner;
    });
  } catch (e) {
    if (e !== READ_AGAIN) throw e;
  }
  duplicates.seal();
  return run((take) => readRows(r, duplicates, false, take));
}

export async function previewRoster(
  ctx: CoreContext,
  upload: Upload,
  options: { mapping?: ColumnMapping; sheetName?: string; schoolId?: number },
): Promise<RosterPreview> {
  const r = await reading(ctx, upload, options);
  const { located, mapping } = r;
  const { tally, missing } = readWhole(r, (read) => {
    const tally = new PlanTally(true);
    const planner = read((row) => tally.add(row));
    return { tally, missing: planner.missing(PREVIEW_LISTED) };
  });
  const decodeAt = new Map(r.coded.map((c) => [mapping[c.field as keyof ColumnMapping], c.decode]));
  const headers = (located.sheet.head[located.headerIndex] ?? []).map(cellText);
  const dataRows = located.sheet.head.slice(located.headerIndex + 1, located.headerIndex + 6);
  return {
    uploadId: upload.id,
    fileName: upload.fileName,
    sheetName: located.sheet.name,
    sheetNames: upload.outline.sheets.map((s) => s.name),
    headerRow: located.headerIndex + 1,
    columns: headers.map((header, index) => ({
      index,
      letter: columnLetter(index),
      header: header.trim(),
      // Samples help choose a column; sensitive columns are masked by the renderer's own rules too.
      samples: dataRows
        .map((row) => cellText(row[index] ?? null))
        .filter(Boolean)
        .slice(0, 3)
        .map((v) =>
          decodeAt.has(index) ? `${v}（${decodeAt.get(index)!(v)}）` : index === mapping.address ? (maskAddress(v) ?? '') : maskSample(v),
        ),
    })),
    mapping,
    coded: r.coded.map((c) => ({ label: c.label, codes: c.codes })),
    counts: { total: tally.total, ...tally.counts, warnings: tally.warnings, conflicts: tally.conflicts },
    changesByField: tally.changesByField(),
    rows: tally.listed,
    listedPerKind: PREVIEW_LISTED,
    problemKinds: tally.problemKinds(),
    missing: missing.students,
    missingCount: missing.count,
  };
}

type ListedProblem = RosterImportResult['rejected'][number];

/** An import's problems as its result lists them: each severity's first PREVIEW_LISTED (PlanTally counts them all). */
class ProblemList {
  readonly rejected: ListedProblem[] = [];
  readonly warnings: ListedProblem[] = [];

  add(problems: readonly RowProblem[], name: string): void {
    for (const { row, column, code, message, severity } of problems) {
      const list = severity === 'error' ? this.rejected : this.warnings;
      if (list.length < PREVIEW_LISTED) list.push({ row, column, code, message, name });
    }
  }
}

export async function importRoster(
  ctx: CoreContext,
  upload: Upload,
  options: {
    mapping?: ColumnMapping;
    sheetName?: string;
    strict?: boolean;
    dryRun?: boolean;
    takeFile?: { studentId: number; field: string }[];
    schoolId?: number;
  },
): Promise<RosterImportResult> {
  const r = await reading(ctx, upload, options);
  /** One read: every row counted and its problems listed, and written when there is a `write`. */
  const outcome = (read: (take: (row: PlannedRow) => void) => Planner, write?: (row: PlannedRow) => void) => {
    const tally = new PlanTally(false);
    const problems = new ProblemList();
    const planner = read((row) => {
      tally.add(row);
      // Each problem names its student (as the file spells the name), so a rejected row can be found in the roster.
      problems.add(row.analyzed.problems, row.analyzed.fields.name ?? '');
      write?.(row);
    });
    if (options.strict && tally.counts.rejected > 0)
      throw new AppError(
        'rows-rejected',
        `有 ${tally.counts.rejected} 行不合格，按严格模式未导入任何数据。第一个问题：${problems.rejected[0]?.message ?? ''}`,
        { rejected: problems.rejected },
      );
    return { tally, problems, missing: planner.missing(PREVIEW_LISTED), batchId: null as number | null };
  };
  const info = { kind: 'roster' as const, schoolId: r.schoolId, fileName: upload.fileName, sha256: upload.sha256, at: nowIso(ctx) };
  const o = options.dryRun
    ? readWhole(r, (read) => outcome(read))
    : readWhole(r, (read) => {
        let done: ReturnType<typeof outcome> | null = null;
        // One transaction per read, the rows written as they pass.
        const { batchId } = writePlanned(ctx.store.sqlite, info, r.located.sheet.rowCount > LARGE_ROSTER_ROWS, (write) => {
          done = outcome(read, write);
          return done.tally.counts;
        });
        return { ...done!, batchId };
      });
  if (!options.dryRun) ctx.uploads.delete(upload.id);
  const { counts } = o.tally;
  return {
    imported: counts.add,
    updated: counts.update,
    unchanged: counts.unchanged,
    rejected: o.problems.rejected,
    warnings: o.problems.warnings,
    rejectedRows: counts.rejected,
    problemCounts: { errors: o.tally.errors, warnings: o.tally.warnings },
    problemKinds: o.tally.problemKinds(),
    missing: o.missing.students,
    missingCount: o.missing.count,
    conflictsKept: o.tally.conflicts,
    otherSchool: counts.otherSchool,
    batchId: o.batchId,
  };
}
