/**
 * 县级核查整改: the one writer of county_finding. A county's (or the national system's) list of 问题线索 in any
 * layout with an ID-number column and a problem column is matched to the school's students by ID number only —
 * a row that names nobody here is listed, never matched by name — and each match opens a case. A case closes with
 * 核查结果, 整改措施 and 整改日期 (not after today); an attachment (the signed reply, a certificate) may go with it.
 */
import type { FileResult } from '../../../shared/api/common';
import { tableOf } from '../uploads';
import { FINDING_CATEGORY_TEXT, type CountyFindingCase, type FindingsPreview } from '../../../shared/domain/county-finding';
import { AppError, notFound } from '../../../shared/errors';
import { findingCategory, findingsLayout } from '../../../shared/rules/county-findings';
import { normalizeIdNumber } from '../../../shared/rules/id-number';
import { cleanText, normalizeText } from '../../../shared/rules/text';
import { notAfterToday, nowIso, today, type CoreContext, type Upload } from '../context';
import { all, first, run } from '../db/query';
import { storeFile } from '../archive/attachments';
import { writePlainList } from '../export/plain-list';
import { cellText } from '../import/read-table';
import { requireSchool } from '../school/school';

const LISTED = 50;

interface Planned {
  matched: (FindingsPreview['matched'][number] & { key: string })[];
  unmatched: FindingsPreview['unmatched'];
  headerRow: number;
  rows: number;
}

function plan(ctx: CoreContext, upload: Upload): Planned {
  const sheet = tableOf(upload).sheets.find((s) => findingsLayout(s.rows.slice(0, 20).map((r) => r.map(cellText))));
  const layout = sheet && findingsLayout(sheet.rows.slice(0, 20).map((r) => r.map(cellText)));
  if (!sheet || !layout)
    throw new AppError(
      'findings-no-header',
      `“${upload.fileName}”的前 20 行中找不到表头：核查问题清单需要“身份证号”（或“证件号码”）列和“问题描述”（或“问题”“疑点”）列`,
    );
  const students = new Map(
    all(
      ctx,
      ctx.store.db
        .selectFrom('student as s')
        .leftJoin('school_class as c', 'c.id', 's.class_id')
        .select(['s.id', 's.name', 's.id_number', 'c.name as class_name'])
        .where('s.id_number', 'is not', null),
    ).map((s) => [s.id_number!, s]),
  );
  const existing = new Set(
    all(ctx, ctx.store.db.selectFrom('county_finding').select(['student_id', 'problem'])).map((f) => `${f.student_id}|${f.problem}`),
  );
  const matched: Planned['matched'] = [];
  const unmatched: Planned['unmatched'] = [];
  let rows = 0;
  for (let r = layout.header + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r] ?? [];
    const id = normalizeIdNumber(cellText(cells[layout.idNumber] ?? null));
    // Kept as the county wrote it (full-width punctuation and all): it is quoted back in the reply.
    const problem = cleanText(cellText(cells[layout.problem] ?? null));
    const name = layout.name === null ? '' : normalizeText(cellText(cells[layout.name] ?? null));
    if (!id && !problem) continue;
    rows++;
    const row = r + 1;
    if (!problem) {
      unmatched.push({ row, name, reason: '没有问题描述' });
      continue;
    }
    const s = id ? students.get(id) : undefined;
    if (!s) {
      unmatched.push({ row, name, reason: id ? '本校名册中没有这个身份证号' : '没有身份证号' });
      continue;
    }
    if (problem.length > 500) throw new AppError('cell-too-long', `“${upload.fileName}”第 ${row} 行的问题描述超过 500 字`);
    const key = `${s.id}|${problem}`;
    const twice = matched.find((m) => m.key === key);
    if (twice) continue;
    matched.push({
      key,
      row,
      studentId: s.id,
      name: s.name,
      className: s.class_name ?? '',
      category: findingCategory(problem),
      problem,
      already: existing.has(key),
    });
  }
  return { matched, unmatched, headerRow: layout.header + 1, rows };
}

export function previewFindings(ctx: CoreContext, upload: Upload): FindingsPreview {
  const p = plan(ctx, upload);
  return {
    uploadId: upload.id,
    fileName: upload.fileName,
    headerRow: p.headerRow,
    rows: p.rows,
    matched: p.matched.map(({ key: _k, ...m }) => m),
    unmatched: p.unmatched.slice(0, LISTED),
    unmatchedCount: p.unmatched.length,
  };
}

/** Opens a case for each matched row not opened before. One transaction. */
export function importFindings(ctx: CoreContext, upload: Upload): { opened: number; already: number; unmatched: number } {
  const p = plan(ctx, upload);
  const at = nowIso(ctx);
  const fresh = p.matched.filter((m) => !m.already);
  ctx.store.sqlite
    .transaction(() => {
      for (const m of fresh)
        run(
          ctx,
          ctx.store.db.insertInto('county_finding').values({
            source: upload.fileName,
            received_on: today(ctx),
            file_row: m.row,
            student_id: m.studentId,
            category: m.category,
            problem: m.problem,
            status: 'open',
            result: '',
            measure: '',
            corrected_on: null,
            attachment_sha256: null,
            attachment_name: null,
            created_at: at,
            updated_at: at,
          }),
        );
    })
    .immediate();
  return { opened: fresh.length, already: p.matched.length - fresh.length, unmatched: p.unmatched.length };
}

export function listFindings(ctx: CoreContext, status: 'open' | 'closed' | null = null): CountyFindingCase[] {
  let q = ctx.store.db
    .selectFrom('county_finding as f')
    .innerJoin('student as s', 's.id', 'f.student_id')
    .leftJoin('school_class as c', 'c.id', 's.class_id')
    .select([
      'f.id',
      'f.source',
      'f.received_on',
      'f.file_row',
      'f.student_id',
      's.name',
      'c.name as class_name',
      'f.category',
      'f.problem',
    ])
    .select(['f.status', 'f.result', 'f.measure', 'f.corrected_on', 'f.attachment_name'])
    .orderBy('f.status', 'desc')
    .orderBy('f.received_on', 'desc')
    .orderBy('f.id');
  if (status) q = q.where('f.status', '=', status);
  return all(ctx, q).map((r) => ({
    id: r.id,
    source: r.source,
    receivedOn: r.received_on,
    row: r.file_row,
    studentId: r.student_id,
    name: r.name,
    className: r.class_name ?? '',
    category: r.category,
    problem: r.problem,
    status: r.status,
    result: r.result,
    measure: r.measure,
    correctedOn: r.corrected_on,
    attachmentName: r.attachment_name,
  }));
}

export interface FindingUpdate {
  id: number;
  result: string;
  measure: string;
  correctedOn: string | null;
  close: boolean;
}

/** Records what was checked and done; closing needs all three (核查结果, 整改措施, 整改日期). Reopening is allowed. */
export function updateFinding(ctx: CoreContext, args: FindingUpdate): CountyFindingCase {
  const f = first(ctx, ctx.store.db.selectFrom('county_finding').select(['id']).where('id', '=', args.id));
  if (!f) throw notFound('该核查问题');
  if (args.correctedOn) notAfterToday(ctx, args.correctedOn, '整改日期');
  if (args.close) {
    const missing = [!args.result.trim() && '核查结果', !args.measure.trim() && '整改措施', !args.correctedOn && '整改日期'].filter(
      Boolean,
    );
    if (missing.length) throw new AppError('validation', `整改完成前请填写${missing.join('、')}`);
  }
  ctx.store.sqlite
    .transaction(() =>
      run(
        ctx,
        ctx.store.db
          .updateTable('county_finding')
          .set({
            result: args.result.trim(),
            measure: args.measure.trim(),
            corrected_on: args.correctedOn,
            status: args.close ? 'closed' : 'open',
            updated_at: nowIso(ctx),
          })
          .where('id', '=', args.id),
      ),
    )
    .immediate();
  return listFindings(ctx).find((x) => x.id === args.id)!;
}

export function attachToFinding(ctx: CoreContext, args: { id: number; fileName: string; dataBase64: string }): CountyFindingCase {
  const f = first(ctx, ctx.store.db.selectFrom('county_finding').select(['id']).where('id', '=', args.id));
  if (!f) throw notFound('该核查问题');
  const sha = storeFile(ctx, args.fileName, Buffer.from(args.dataBase64, 'base64'));
  ctx.store.sqlite
    .transaction(() =>
      run(
        ctx,
        ctx.store.db
          .updateTable('county_finding')
          .set({ attachment_sha256: sha, attachment_name: args.fileName, updated_at: nowIso(ctx) })
          .where('id', '=', args.id),
      ),
    )
    .immediate();
  return listFindings(ctx).find((x) => x.id === args.id)!;
}

/** The reply to the county: every case with what was checked and done, and the counts (no ID numbers). */
export async function exportFindings(ctx: CoreContext): Promise<FileResult & { open: number; closed: number }> {
  const school = await requireSchool(ctx);
  const cases = listFindings(ctx);
  const open = cases.filter((c) => c.status === 'open').length;
  const title = `${school.name}县级核查问题整改情况（${today(ctx)}，共 ${cases.length} 条，已整改 ${cases.length - open} 条，待整改 ${open} 条）`;
  const { data } = await writePlainList({
    sheetName: '整改情况',
    title,
    headers: [
      ['序号', 6],
      ['姓名', 10],
      ['班级', 14],
      ['问题类型', 12],
      ['问题描述', 36],
      ['核查结果', 30],
      ['整改措施', 30],
      ['整改日期', 12],
      ['状态', 8],
      ['来源', 24],
    ].map(([text, width]) => ({ text: text as string, width: width as number })),
    textColumns: [],
    rows: cases.map((c, i) => [
      i + 1,
      c.name,
      c.className,
      FINDING_CATEGORY_TEXT[c.category],
      c.problem,
      c.result,
      c.measure,
      c.correctedOn,
      c.status === 'closed' ? '已整改' : '待整改',
      c.source,
    ]),
  });
  return { fileName: `${school.name}县级核查问题整改情况.xlsx`, dataBase64: data.toString('base64'), open, closed: cases.length - open };
}
