import type { Handlers } from '../../../shared/api/contract';
import type { ListPreview, listsApi } from '../../../shared/api/lists';
import {
  LIST_KINDS,
  type CrosscheckItem,
  type CrosscheckResult,
  type ListKind,
  type ListLayout,
  type OfficialList,
} from '../../../shared/domain/official-list';
import { FLAG_SOURCES, PRIORITY_GROUPS, type FlagSource, type PriorityGroup } from '../../../shared/domain/priority-group';
import { AppError, notFound } from '../../../shared/errors';
import { checkIdNumber, ID_NUMBER_PROBLEM_TEXT } from '../../../shared/rules/id-number';
import { detectListLayout, groupOfCategory } from '../../../shared/rules/official-list';
import { normalizeName, normalizeText } from '../../../shared/rules/text';
import { nowIso, type CoreContext, type Upload } from '../context';
import { cellText, columnLetter, type Cell } from '../import/read-table';
import { readSetting, writeSetting } from '../settings';
import { getUpload, resolveUpload } from './roster';

const HEADER_SCAN_ROWS = 30;
const profileKey = (kind: ListKind) => `listProfile:${kind}`;

interface ListRow {
  row: number;
  idNumber: string;
  name: string;
  group: PriorityGroup;
}

interface ReadList {
  rows: ListRow[];
  problems: ListPreview['problems'];
  categories: ListPreview['categories'];
  /** Rows that are not priority-group people (an unknown category) or parents' 15-digit numbers. */
  skipped: number;
}

function sheetOf(upload: Upload, name: string) {
  const sheet = upload.table.sheets.find((s) => s.name === name);
  if (!sheet) throw new AppError('sheet-missing', `文件“${upload.fileName}”中没有名为“${name}”的工作表`);
  return sheet;
}

/** A saved profile fits a file when its ID columns still have ID-number headers on its header row. */
function profileFits(upload: Upload, layout: ListLayout): boolean {
  const sheet = upload.table.sheets.find((s) => s.name === layout.sheetName) ?? upload.table.sheets[0];
  if (!sheet) return false;
  const detected = detectListLayout([(sheet.rows[layout.headerRow - 1] ?? []).map(cellText)], sheet.name, 1);
  return !!detected && layout.idColumns.every((c) => detected.idColumns.includes(c));
}

function detect(upload: Upload): ListLayout {
  for (const sheet of upload.table.sheets) {
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

function readList(upload: Upload, kind: ListKind, layout: ListLayout): ReadList {
  const sheet = sheetOf(upload, layout.sheetName);
  const header = (sheet.rows[layout.headerRow - 1] ?? []).map(cellText);
  const width = Math.max(header.length, 1);
  for (const c of [...layout.idColumns, layout.nameColumn, layout.categoryColumn]) {
    if (c !== null && c >= width) throw new AppError('layout-invalid', `第 ${c + 1} 列（${columnLetter(c)}列）在表头行中不存在`);
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
      rows.push({ row, idNumber: check.idNumber, name, group });
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

interface Listed {
  studentId: number;
  group: PriorityGroup;
  listDate: string;
  fileName: string;
  kind: ListKind;
}

/** Everything the newest list of each kind says about enrolled students, plus the count of other people. */
function compare(ctx: CoreContext): { groups: PriorityGroup[]; listed: Listed[]; notInRoster: number } {
  const sqlite = ctx.store.sqlite;
  const latest = sqlite
    .prepare(`SELECT id, kind, file_name, list_date FROM official_list WHERE id IN (SELECT max(id) FROM official_list GROUP BY kind)`)
    .all() as {
    id: number;
    kind: ListKind;
    file_name: string;
    list_date: string;
  }[];
  const groups = new Set<PriorityGroup>();
  const listed = new Map<string, Listed>();
  const outside = new Set<string>();
  const student = sqlite.prepare(`SELECT id FROM student WHERE id_number = ? AND status = 'enrolled'`).pluck();
  for (const list of latest) {
    groups.add(LIST_KINDS[list.kind].group);
    const entries = sqlite.prepare(`SELECT id_number, grp FROM official_list_entry WHERE list_id = ?`).all(list.id) as {
      id_number: string;
      grp: PriorityGroup;
    }[];
    for (const e of entries) {
      groups.add(e.grp);
      const studentId = student.get(e.id_number) as number | undefined;
      if (studentId === undefined) {
        outside.add(e.id_number);
        continue;
      }
      listed.set(`${studentId}:${e.grp}`, { studentId, group: e.grp, listDate: list.list_date, fileName: list.file_name, kind: list.kind });
    }
  }
  return { groups: [...groups], listed: [...listed.values()], notInRoster: outside.size };
}

function describeStudent(ctx: CoreContext, studentId: number): { name: string; className: string | null } {
  const r = ctx.store.sqlite
    .prepare(`SELECT s.name, c.name AS class_name FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE s.id = ?`)
    .get(studentId) as { name: string; class_name: string | null } | undefined;
  if (!r) throw notFound(`编号为 ${studentId} 的学生`);
  return { name: r.name, className: r.class_name };
}

/** Roster order (grade, class, student) for the report, as the clerk reads the school. */
function rosterOrder(ctx: CoreContext): Map<number, number> {
  const ids = ctx.store.sqlite
    .prepare(`SELECT s.id FROM student s LEFT JOIN school_class c ON c.id = s.class_id ORDER BY c.grade_order, c.number, s.class_id, s.id`)
    .pluck()
    .all() as number[];
  return new Map(ids.map((id, i) => [id, i]));
}

export function crosscheck(ctx: CoreContext): CrosscheckResult {
  const { groups, listed, notInRoster } = compare(ctx);
  if (groups.length === 0) return { groups, listedNotFlagged: [], flaggedNotListed: [], matched: 0, notInRoster: 0 };
  const placeholders = groups.map(() => '?').join(',');
  const flags = ctx.store.sqlite
    .prepare(
      `SELECT p.student_id, p.grp, p.source, p.source_date FROM priority_flag p JOIN student s ON s.id = p.student_id
       WHERE s.status = 'enrolled' AND p.grp IN (${placeholders})`,
    )
    .all(...groups) as { student_id: number; grp: PriorityGroup; source: FlagSource; source_date: string | null }[];
  const flagged = new Map<string, typeof flags>();
  for (const f of flags) {
    const key = `${f.student_id}:${f.grp}`;
    const list = flagged.get(key);
    if (list) list.push(f);
    else flagged.set(key, [f]);
  }
  const listedKeys = new Set(listed.map((l) => `${l.studentId}:${l.group}`));
  const listedNotFlagged: CrosscheckItem[] = [];
  let matched = 0;
  for (const l of listed) {
    const own = flagged.get(`${l.studentId}:${l.group}`) ?? [];
    if (own.some((f) => f.source === 'countyList')) {
      matched++;
      continue;
    }
    listedNotFlagged.push({
      studentId: l.studentId,
      ...describeStudent(ctx, l.studentId),
      group: l.group,
      source: `${LIST_KINDS[l.kind].text}（${l.fileName}）`,
      sourceDate: l.listDate,
      flaggedOtherwise: own.length > 0,
    });
  }
  const flaggedNotListed: CrosscheckItem[] = [];
  for (const [key, own] of flagged) {
    if (listedKeys.has(key)) continue;
    const first = own[0]!;
    flaggedNotListed.push({
      studentId: first.student_id,
      ...describeStudent(ctx, first.student_id),
      group: first.grp,
      source: own.map((f) => FLAG_SOURCES[f.source]).join('、'),
      sourceDate: first.source_date,
      flaggedOtherwise: false,
    });
  }
  const position = rosterOrder(ctx);
  const order = (a: CrosscheckItem, b: CrosscheckItem) =>
    position.get(a.studentId)! - position.get(b.studentId)! || a.group.localeCompare(b.group);
  return { groups, listedNotFlagged: listedNotFlagged.sort(order), flaggedNotListed: flaggedNotListed.sort(order), matched, notInRoster };
}

function logFlagChange(ctx: CoreContext, studentId: number, at: string, from: string | null, to: string | null): void {
  ctx.store.sqlite
    .prepare(
      `INSERT INTO student_change (student_id, changed_at, field, old_value, new_value, source) VALUES (?, ?, 'flags', ?, ?, 'edit')`,
    )
    .run(studentId, at, from, to);
}

export const listsHandlers: Handlers<typeof listsApi, CoreContext> = {
  'lists.preview': async (ctx, args) => {
    const upload = await resolveUpload(ctx, args.upload);
    const profile = readSetting<ListLayout>(ctx, profileKey(args.kind));
    const fromProfile = !args.layout && !!profile && profileFits(upload, profile);
    const layout = args.layout ?? (fromProfile ? profile! : detect(upload));
    const read = readList(upload, args.kind, layout);
    const sheet = sheetOf(upload, layout.sheetName);
    const header = (sheet.rows[layout.headerRow - 1] ?? []).map(cellText);
    const data = sheet.rows.slice(layout.headerRow, layout.headerRow + 4);
    const enrolled = ctx.store.sqlite.prepare(`SELECT 1 FROM student WHERE id_number = ? AND status = 'enrolled'`).pluck();
    const people = new Set(read.rows.map((r) => r.idNumber));
    return {
      uploadId: upload.id,
      fileName: upload.fileName,
      sheetNames: upload.table.sheets.map((s) => s.name),
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
    };
  },

  'lists.import': (ctx, args) => {
    const upload = getUpload(ctx, args.uploadId);
    const read = readList(upload, args.kind, args.layout);
    const sqlite = ctx.store.sqlite;
    const id = sqlite
      .transaction(() => {
        const listId = Number(
          sqlite
            .prepare(
              `INSERT INTO official_list (kind, file_name, file_sha256, list_date, imported_at, row_count) VALUES (?, ?, ?, ?, ?, ?)`,
            )
            .run(args.kind, upload.fileName, upload.sha256, args.listDate, nowIso(ctx), read.rows.length).lastInsertRowid,
        );
        const insert = sqlite.prepare(`INSERT INTO official_list_entry (list_id, row, id_number, name, grp) VALUES (?, ?, ?, ?, ?)`);
        for (const r of read.rows) insert.run(listId, r.row, r.idNumber, r.name, r.group);
        writeSetting(ctx, profileKey(args.kind), args.layout);
        return listId;
      })
      .immediate();
    ctx.uploads.delete(upload.id);
    const row = sqlite.prepare(`SELECT * FROM official_list WHERE id = ?`).get(id) as Parameters<typeof rowToList>[1];
    return rowToList(ctx, row);
  },

  'lists.list': (ctx) =>
    (ctx.store.sqlite.prepare(`SELECT * FROM official_list ORDER BY id DESC`).all() as Parameters<typeof rowToList>[1][]).map((r) =>
      rowToList(ctx, r),
    ),

  'crosscheck.run': (ctx) => crosscheck(ctx),

  'crosscheck.apply': (ctx, args) => {
    const { listed } = compare(ctx);
    const byKey = new Map(listed.map((l) => [`${l.studentId}:${l.group}`, l]));
    const at = nowIso(ctx);
    const sqlite = ctx.store.sqlite;
    return sqlite
      .transaction(() => {
        let flagged = 0;
        for (const item of args.items) {
          const l = byKey.get(`${item.studentId}:${item.group}`);
          if (!l) {
            const s = describeStudent(ctx, item.studentId);
            throw new AppError('not-listed', `${s.name}不在已导入的县级名单（${PRIORITY_GROUPS[item.group]}）中，不能按名单标记`);
          }
          const before = sqlite
            .prepare(`SELECT source_date FROM priority_flag WHERE student_id = ? AND grp = ? AND source = 'countyList'`)
            .pluck()
            .get(item.studentId, item.group) as string | undefined;
          if (before === l.listDate) continue;
          sqlite
            .prepare(
              `INSERT INTO priority_flag (student_id, grp, source, source_date, note, created_at) VALUES (?, ?, 'countyList', ?, ?, ?)
             ON CONFLICT (student_id, grp, source) DO UPDATE SET source_date = excluded.source_date, note = excluded.note`,
            )
            .run(item.studentId, item.group, l.listDate, l.fileName, at);
          logFlagChange(
            ctx,
            item.studentId,
            at,
            before ? `${item.group}（县级名单 ${before}）` : null,
            `${item.group}（县级名单 ${l.listDate}）`,
          );
          flagged++;
        }
        return { flagged };
      })
      .immediate();
  },

  'flags.remove': (ctx, args) => {
    const sqlite = ctx.store.sqlite;
    const at = nowIso(ctx);
    return sqlite
      .transaction(() => {
        const sources = sqlite
          .prepare(`SELECT source FROM priority_flag WHERE student_id = ? AND grp = ?`)
          .pluck()
          .all(args.studentId, args.group) as FlagSource[];
        if (sources.length === 0) return { removed: 0 };
        sqlite.prepare(`DELETE FROM priority_flag WHERE student_id = ? AND grp = ?`).run(args.studentId, args.group);
        logFlagChange(
          ctx,
          args.studentId,
          at,
          `${args.group}（${sources.map((s) => FLAG_SOURCES[s]).join('、')}）`,
          `已取消：${args.reason}`,
        );
        return { removed: sources.length };
      })
      .immediate();
  },
};
