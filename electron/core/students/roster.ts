/** The roster import: locate the header, match the columns, analyse and plan, then write in one transaction. */
import type { RosterImportResult, RosterPreview } from '../../../shared/api/roster';
import { AppError } from '../../../shared/errors';
import { maskAddress, maskIdNumber } from '../../../shared/rules/mask';
import { findHeaderRow, matchColumns, ROSTER_FIELDS, type ColumnMapping } from '../../../shared/rules/roster-columns';
import { schoolYearStart } from '../../../shared/rules/term';
import { nowIso, today, type CoreContext, type Upload } from '../context';
import { cellText, columnLetter, readTable, type Sheet } from '../import/read-table';
import { collectGarbage } from '../memory';
import { requireSchool } from '../school/school';
import { requireMemberSchool } from '../school/member-schools';
import { CENTRAL_SCHOOL_ID } from '../../../shared/domain/school';
import {
  analyzeRows,
  codedColumns,
  applyPlan,
  LARGE_ROSTER_ROWS,
  changesByField,
  loadExisting,
  planImport,
  previewRows,
  PREVIEW_LISTED,
  type Plan,
  type PlannedRow,
} from './roster-plan';

/** A sample on screen never shows a whole ID number, 学籍号, card or phone: any run of 7 or more digits is masked. */
export function maskSample(v: string): string {
  return /\d{7,}/.test(v) ? (maskIdNumber(v.trim()) ?? '') : v;
}

/** The header is looked for among the first rows only: title rows and notes sit above it. */
const HEADER_SCAN_ROWS = 30;

function countAction(plan: Plan, action: PlannedRow['action']): number {
  return plan.rows.filter((r) => r.action === action).length;
}

interface Located {
  sheet: Sheet;
  headerIndex: number;
}

/** The sheet to import: the one named, or the first that holds a roster header. */
function locate(upload: Upload, sheetName?: string): Located {
  const sheets = sheetName ? upload.table.sheets.filter((s) => s.name === sheetName) : upload.table.sheets;
  if (sheetName && sheets.length === 0) throw new AppError('sheet-missing', `文件“${upload.fileName}”中没有名为“${sheetName}”的工作表`);
  for (const sheet of sheets) {
    const header = findHeaderRow(
      sheet.rows.slice(0, HEADER_SCAN_ROWS).map((r) => r.map(cellText)),
      HEADER_SCAN_ROWS,
    );
    if (header !== null) return { sheet, headerIndex: header };
  }
  const where = sheetName ? `工作表“${sheetName}”` : `文件“${upload.fileName}”`;
  if (sheets.every((s) => s.rows.every((r) => r.every((c) => cellText(c).trim() === '')))) {
    throw new AppError('roster-empty', `${where}是空的，没有任何内容`);
  }
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

async function buildPlan(
  ctx: CoreContext,
  upload: Upload,
  located: Located,
  mapping: ColumnMapping,
  takeFile: Set<string> = new Set(),
  schoolId = CENTRAL_SCHOOL_ID,
  release?: { started: boolean },
): Promise<Plan> {
  const school = await requireSchool(ctx);
  requireMemberSchool(ctx, schoolId);
  const rows = located.sheet.rows;
  checkMapping(
    mapping,
    rows.reduce((n, r) => Math.max(n, r.length), 0),
  );
  if (release) release.started = true;
  // A county's roster: what reading the file left behind is collected as the rows are analysed, and what the
  // analysis left before the plan (V8 on a large machine would keep it all until the import ends: 860 → 565 MB).
  const large = rows.length > LARGE_ROSTER_ROWS;
  const analyzed = analyzeRows(rows, located.headerIndex, mapping, {
    today: today(ctx),
    schoolYearStart: schoolYearStart(school.schoolYear),
    defaultStage: school.stages.length === 1 ? school.stages[0]! : null,
    release: !!release,
    tidy: large ? collectGarbage : undefined,
  });
  if (analyzed.length === 0) {
    throw new AppError('roster-no-rows', `工作表“${located.sheet.name}”在表头（第${located.headerIndex + 1}行）下面没有学生数据`);
  }
  if (large) collectGarbage();
  return planImport(analyzed, loadExisting(ctx.store.sqlite), takeFile, schoolId);
}

export async function previewRoster(
  ctx: CoreContext,
  upload: Upload,
  options: { mapping?: ColumnMapping; sheetName?: string; schoolId?: number },
): Promise<RosterPreview> {
  const located = locate(upload, options.sheetName);
  const headers = (located.sheet.rows[located.headerIndex] ?? []).map(cellText);
  const mapping = options.mapping ?? matchColumns(headers);
  const plan = await buildPlan(ctx, upload, located, mapping, new Set(), options.schoolId);
  const count = (a: PlannedRow['action']) => countAction(plan, a);
  const coded = codedColumns(located.sheet.rows, located.headerIndex, mapping);
  const decodeAt = new Map(coded.map((c) => [mapping[c.field as keyof ColumnMapping], c.decode]));
  const dataRows = located.sheet.rows.slice(located.headerIndex + 1, located.headerIndex + 6);
  return {
    uploadId: upload.id,
    fileName: upload.fileName,
    sheetName: located.sheet.name,
    sheetNames: upload.table.sheets.map((s) => s.name),
    headerRow: located.headerIndex + 1,
    columns: headers.map((header, index) => ({
      index,
      letter: columnLetter(index),
      header: header.trim(),
      // Samples help choose a column; sensitive columns are masked by the renderer's own rules too.
      samples: dataRows
        .map((r) => cellText(r[index] ?? null))
        .filter(Boolean)
        .slice(0, 3)
        .map((v) =>
          decodeAt.has(index) ? `${v}（${decodeAt.get(index)!(v)}）` : index === mapping.address ? (maskAddress(v) ?? '') : maskSample(v),
        ),
    })),
    mapping,
    coded: coded.map((c) => ({ label: c.label, codes: c.codes })),
    counts: {
      total: plan.rows.length,
      add: count('add'),
      update: count('update'),
      unchanged: count('unchanged'),
      rejected: count('rejected'),
      otherSchool: count('otherSchool'),
      warnings: plan.rows.reduce((n, r) => n + r.analyzed.problems.filter((p) => p.severity === 'warning').length, 0),
      conflicts: plan.rows.reduce((n, r) => n + r.conflicts.length, 0),
    },
    changesByField: changesByField(plan),
    rows: previewRows(plan),
    listedPerKind: PREVIEW_LISTED,
    missing: plan.missing,
  };
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
  if (options.dryRun) return writePlan(ctx, upload, await planOf(ctx, upload, options), options);
  // The rows live on in the plan: the sheet's cells go as they are analysed, and what is left before the write
  // (300,000 arrays of a county roster). Should this upload be used again (a refusal, a failed write), its table is
  // read again from the bytes.
  const release = { started: false };
  try {
    const plan = await planOf(ctx, upload, options, release);
    upload.table = { ...upload.table, sheets: [] };
    if (plan.rows.length > LARGE_ROSTER_ROWS) collectGarbage();
    return await writePlan(ctx, upload, plan, options);
  } finally {
    if (release.started && ctx.uploads.has(upload.id)) upload.table = await readTable(upload.fileName, upload.data);
  }
}

async function planOf(
  ctx: CoreContext,
  upload: Upload,
  options: { mapping?: ColumnMapping; sheetName?: string; takeFile?: { studentId: number; field: string }[]; schoolId?: number },
  release?: { started: boolean },
): Promise<Plan> {
  const located = locate(upload, options.sheetName);
  const mapping = options.mapping ?? matchColumns((located.sheet.rows[located.headerIndex] ?? []).map(cellText));
  const takeFile = new Set((options.takeFile ?? []).map((t) => `${t.studentId}:${t.field}`));
  return buildPlan(ctx, upload, located, mapping, takeFile, options.schoolId, release);
}

async function writePlan(
  ctx: CoreContext,
  upload: Upload,
  plan: Plan,
  options: { strict?: boolean; dryRun?: boolean; schoolId?: number },
): Promise<RosterImportResult> {
  // Each problem names its student (as the file spells the name), so a rejected row can be found in the roster.
  const problems = plan.rows.flatMap((r) => r.analyzed.problems.map((p) => ({ ...p, name: r.analyzed.fields.name ?? '' })));
  const pick = (severity: 'error' | 'warning') =>
    problems.filter((p) => p.severity === severity).map(({ row, column, code, message, name }) => ({ row, column, code, message, name }));
  const rejected = pick('error');
  const rejectedRows = countAction(plan, 'rejected');
  if (options.strict && rejectedRows > 0) {
    throw new AppError(
      'rows-rejected',
      `有 ${rejectedRows} 行不合格，按严格模式未导入任何数据。第一个问题：${rejected[0]?.message ?? ''}`,
      { rejected },
    );
  }
  const count = (a: PlannedRow['action']) => countAction(plan, a);
  let batchId: number | null = null;
  if (!options.dryRun) {
    batchId = applyPlan(ctx.store.sqlite, plan, {
      kind: 'roster',
      schoolId: options.schoolId ?? CENTRAL_SCHOOL_ID,
      fileName: upload.fileName,
      sha256: upload.sha256,
      at: nowIso(ctx),
    }).batchId;
    ctx.uploads.delete(upload.id);
  }
  return {
    imported: count('add'),
    updated: count('update'),
    unchanged: count('unchanged'),
    rejected,
    warnings: pick('warning'),
    missing: plan.missing,
    conflictsKept: plan.rows.reduce((n, r) => n + r.conflicts.length, 0),
    otherSchool: count('otherSchool'),
    batchId,
  };
}
