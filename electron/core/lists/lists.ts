import type { CallArgs } from '../../../shared/api';
import type { ListPreview } from '../../../shared/api/lists';
import { LIST_KINDS, type ListKind, type ListLayout, type OfficialList } from '../../../shared/domain/official-list';
import { type PriorityGroup } from '../../../shared/domain/priority-group';
import { AppError } from '../../../shared/errors';
import { checkIdNumber, ID_NUMBER_PROBLEM_TEXT } from '../../../shared/rules/id-number';
import { AREA_GROUPS, areaOfCategory, detectListLayout, groupOfCategory, looksLikeRoster } from '../../../shared/rules/official-list';
import { normalizeName, normalizeText } from '../../../shared/rules/text';
import { nowIso, type CoreContext, type Upload } from '../context';
import { cellText, columnLetter, type Cell } from '../import/read-table';
import { readSetting, writeSetting } from '../settings';
import { getUpload, resolveUpload, tableOf } from '../uploads';

const HEADER_SCAN_ROWS = 30;
const profileKey = (kind: ListKind) => `listProfile:${kind}`;

interface ListRow {
  row: number;
  idNumber: string;
  name: string;
  group: PriorityGroup;
  area: 'rural' | 'urban' | null;
}

interface ReadList {
  rows: ListRow[];
  problems: ListPreview['problems'];
  categories: ListPreview['categories'];
  /** Rows that are not priority-group people (an unknown category) or parents' 15-digit numbers. */
  skipped: number;
}

function sheetOf(upload: Upload, name: string) {
  const sheet = tableOf(upload).sheets.find((s) => s.name === name);
  if (!sheet) throw new AppError('sheet-missing', `文件“${upload.fileName}”中没有名为“${name}”的工作表`);
  return sheet;
}

/**
 * A saved profile fits a file when its ID columns still have ID-number headers on its header row: on the
 * sheet of the same name, or on the only (or first) sheet when the county renamed it (2027年名单). Returns the
 * profile moved to that sheet, or null.
 */
function profileFor(upload: Upload, layout: ListLayout): ListLayout | null {
  const sheet = tableOf(upload).sheets.find((s) => s.name === layout.sheetName) ?? tableOf(upload).sheets[0];
  if (!sheet) return null;
  const detected = detectListLayout([(sheet.rows[layout.headerRow - 1] ?? []).map(cellText)], sheet.name, 1);
  return detected && layout.idColumns.every((c) => detected.idColumns.includes(c)) ? { ...layout, sheetName: sheet.name } : null;
}

function detect(upload: Upload): ListLayout {
  for (const sheet of tableOf(upload).sheets) {
    const layout = detectListLayout(
      sheet.rows.slice(0, HEADER_SCAN_ROWS).map((r) => r.map(cellText)),
      sheet.name,
      HEADER_SCAN_ROWS,
    );
    if (layout) return layout;
  }
  throw new AppError(
    'list-no-header',
    `在“${upload.fileName}”的前 ${HEADER_SCAN_ROWS} 行中找不到身份证号列（如“证件号码”“身份证号”）。请确认选对了文件，或在下方手动指定表头所在行和身份证号列。`,
  );
}

function readList(upload: Upload, kind: ListKind, layout: ListLayout, listArea: 'rural' | 'urban' | null): ReadList {
  const sheet = sheetOf(upload, layout.sheetName);
  const header = (sheet.rows[layout.headerRow - 1] ?? []).map(cellText);
  const width = Math.max(header.length, 1);
  for (const c of [...layout.idColumns, layout.nameColumn, layout.categoryColumn]) {
    if (c !== null && c >= width) throw new AppError('layout-invalid', `第 ${c + 1} 列（${columnLetter(c)}列）在表头行中不存在`);
  }
  if (looksLikeRoster(header, layout.categoryColumn)) {
    throw new AppError(
      'list-looks-like-roster',
      `“${upload.fileName}”看起来是学生名册（有学籍号、年级、班级等列，没有类别列），不是县里发来的${LIST_KINDS[kind].text}：当作名单导入会把表中每个学生都标记为特殊群体。请选县里发来的名单文件；学生名册请在“学生名册 → 导入名册”中导入。`,
    );
  }
  const rows: ListRow[] = [];
  const problems: ListPreview['problems'] = [];
  const categories = new Map<string, { group: PriorityGroup | null; count: number }>();
  let skipped = 0;
  sheet.rows.slice(layout.headerRow).forEach((cells: Cell[], i) => {
    const row = layout.headerRow + i + 1;
    if (cells.every((c) => cellText(c).trim() === '')) return;
    const category = layout.categoryColumn === null ? '' : normalizeText(cellText(cells[layout.categoryColumn])).trim();
    const group = groupOfCategory(category, kind);
    const cat = categories.get(category) ?? { group, count: 0 };
    cat.count++;
    categories.set(category, cat);
    const name = layout.nameColumn === null ? '' : normalizeName(cellText(cells[layout.nameColumn]));
    for (const col of layout.idColumns) {
      const cell = cells[col];
      const raw = cellText(cell).trim();
      const where = `${columnLetter(col)}列（${header[col] ?? ''}）`;
      if (!raw) {
        problems.push({ row, column: where, message: `${name || '此行'}：身份证号为空` });
        continue;
      }
      if (typeof cell === 'number' && raw.length > 15) {
        problems.push({
          row,
          column: where,
          message: `${name || '此行'}：身份证号被 Excel 存成了数字，后几位已丢失。请让发文单位把该列设为文本后重发`,
        });
        continue;
      }
      const check = checkIdNumber(raw);
      if (!check.ok) {
        // Parents on household lists may still carry 15-digit numbers: never a student, nothing to match.
        if (check.problem === 'legacy') skipped++;
        else problems.push({ row, column: where, message: `${name || '此行'}：${ID_NUMBER_PROBLEM_TEXT[check.problem]}` });
        continue;
      }
      if (group === null) {
        skipped++;
        continue;
      }
      rows.push({ row, idNumber: check.idNumber, name, group, area: areaOfCategory(category, group, listArea) });
    }
  });
  if (rows.length === 0 && problems.length === 0) {
    throw new AppError('list-empty', `“${upload.fileName}”的表头（第 ${layout.headerRow} 行）下面没有名单数据`);
  }
  return {
    rows,
    problems,
    skipped,
    categories: [...categories].map(([text, c]) => ({ text: text || '（未分类，按名单类型）', group: c.group, count: c.count })),
  };
}

function rowToList(
  ctx: CoreContext,
  r: { id: number; kind: string; file_name: string; list_date: string; imported_at: string; row_count: number },
): OfficialList {
  const groups = ctx.store.sqlite
    .prepare(`SELECT grp, count(DISTINCT id_number) AS n FROM official_list_entry WHERE list_id = ? GROUP BY grp`)
    .all(r.id) as { grp: PriorityGroup; n: number }[];
  return {
    id: r.id,
    kind: r.kind as ListKind,
    fileName: r.file_name,
    listDate: r.list_date,
    importedAt: r.imported_at,
    rowCount: r.row_count,
    groups: Object.fromEntries(groups.map((g) => [g.grp, g.n])),
  };
}

export async function previewList(ctx: CoreContext, args: CallArgs<'lists.preview'>) {
  const upload = await resolveUpload(ctx, args.upload);
  const saved = readSetting<ListLayout>(ctx, profileKey(args.kind));
  const profile = !args.layout && saved ? profileFor(upload, saved) : null;
  const fromProfile = profile !== null;
  const layout = args.layout ?? profile ?? detect(upload);
  const read = readList(upload, args.kind, layout, args.area);
  const sheet = sheetOf(upload, layout.sheetName);
  const header = (sheet.rows[layout.headerRow - 1] ?? []).map(cellText);
  const data = sheet.rows.slice(layout.headerRow, layout.headerRow + 4);
  const enrolled = ctx.store.sqlite.prepare(`SELECT 1 FROM student WHERE id_number = ? AND status = 'enrolled'`).pluck();
  const people = new Set(read.rows.map((r) => r.idNumber));
  return {
    uploadId: upload.id,
    fileName: upload.fileName,
    sheetNames: tableOf(upload).sheets.map((s) => s.name),
    layout,
    fromProfile,
    columns: header.map((h, index) => ({
      index,
      letter: columnLetter(index),
      header: h,
      samples: data.map((r) => cellText(r[index])).filter(Boolean),
    })),
    rows: read.rows.length + read.problems.length + read.skipped,
    people: people.size,
    categories: read.categories,
    problems: read.problems,
    inRoster: [...people].filter((p) => enrolled.get(p)).length,
    enrolled: enrolledCount(ctx),
    areaUnknown: new Set(read.rows.filter((r) => AREA_GROUPS.includes(r.group) && r.area === null).map((r) => r.idNumber)).size,
  };
}

function enrolledCount(ctx: CoreContext): number {
  return ctx.store.sqlite.prepare(`SELECT count(*) FROM student WHERE status = 'enrolled'`).pluck().get() as number;
}

export function importList(ctx: CoreContext, args: CallArgs<'lists.import'>) {
  const upload = getUpload(ctx, args.uploadId);
  const read = readList(upload, args.kind, args.layout, args.area);
  // A county list names a school's few; one that names most of the school is more likely the wrong file.
  const enrolled = enrolledCount(ctx);
  const enrolledIn = ctx.store.sqlite.prepare(`SELECT 1 FROM student WHERE id_number = ? AND status = 'enrolled'`).pluck();
  const listed = new Set(read.rows.map((r) => r.idNumber).filter((id) => enrolledIn.get(id))).size;
  if (enrolled >= 10 && listed * 2 > enrolled && !args.confirmMany)
    throw new AppError(
      'list-too-many',
      `“${upload.fileName}”列出了本校在校学生 ${enrolled} 人中的 ${listed} 人（超过一半），不像是县里发来的${LIST_KINDS[args.kind].text}。请确认选对了文件；确实如此时，在导入前确认一次。`,
    );
  const sqlite = ctx.store.sqlite;
  const id = sqlite
    .transaction(() => {
      const listId = Number(
        sqlite
          .prepare(`INSERT INTO official_list (kind, file_name, file_sha256, list_date, imported_at, row_count) VALUES (?, ?, ?, ?, ?, ?)`)
          .run(args.kind, upload.fileName, upload.sha256, args.listDate, nowIso(ctx), read.rows.length).lastInsertRowid,
      );
      const insert = sqlite.prepare(`INSERT INTO official_list_entry (list_id, row, id_number, name, grp, area) VALUES (?, ?, ?, ?, ?, ?)`);
      for (const r of read.rows) insert.run(listId, r.row, r.idNumber, r.name, r.group, r.area);
      writeSetting(ctx, profileKey(args.kind), args.layout);
      return listId;
    })
    .immediate();
  ctx.uploads.delete(upload.id);
  const row = sqlite.prepare(`SELECT * FROM official_list WHERE id = ?`).get(id) as Parameters<typeof rowToList>[1];
  return rowToList(ctx, row);
}

export function listLists(ctx: CoreContext) {
  return (ctx.store.sqlite.prepare(`SELECT * FROM official_list ORDER BY id DESC`).all() as Parameters<typeof rowToList>[1][]).map((r) =>
    rowToList(ctx, r),
  );
}
