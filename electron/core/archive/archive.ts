/**
 * The archive checklist: the school's catalogue of documents, an item per definition and term (or school
 * year for students), its status and attachments, and how complete each part of the archive is.
 */
import type {
  ArchiveAttachment,
  ArchiveDefinition,
  ArchiveItem,
  ArchiveKey,
  ArchiveOverview,
  ArchiveScope,
  ArchiveStatus,
  Completeness,
  ProducedBy,
} from '../../../shared/domain/archive';
import { ARCHIVE_STATUS_TEXT } from '../../../shared/domain/archive';
import type { Term } from '../../../shared/domain/school';
import { AppError, notFound } from '../../../shared/errors';
import { LIVE_STATUSES } from '../../../shared/rules/application-status';
import { DEFAULT_ARCHIVE } from '../../../shared/rules/archive-catalogue';
import { isSchoolYear, schoolYearOfTerm, termsOfSchoolYear } from '../../../shared/rules/term';
import { nowIso, type CoreContext } from '../context';
import { removeStoredFile, storeFile } from './attachments';
import { hasMemberSchools, memberSchoolNames } from '../school/member-schools';
import { CENTRAL_SCHOOL_ID } from '../../../shared/domain/school';

interface DefinitionRow {
  id: number;
  scope: ArchiveScope;
  name: string;
  required: number;
  produced_by: ProducedBy | null;
  retention: string;
  sort: number;
  active: number;
}
interface ItemRow {
  id: number;
  definition_id: number;
  period: string;
  programme_id: number;
  student_id: number;
  school_id: number;
  status: ArchiveStatus;
  note: string;
  updated_at: string;
}

const LIVE_SQL = LIVE_STATUSES.map((s) => `'${s}'`).join(', ');

/** The catalogue, seeded with the defaults the first time. */
export function listDefinitions(ctx: CoreContext, includeInactive = false): ArchiveDefinition[] {
  const sqlite = ctx.store.sqlite;
  if ((sqlite.prepare(`SELECT count(*) FROM archive_definition`).pluck().get() as number) === 0) {
    const insert = sqlite.prepare(
      `INSERT INTO archive_definition (scope, name, required, produced_by, retention, sort) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    sqlite
      .transaction(() =>
        DEFAULT_ARCHIVE.forEach((d, i) =>
          insert.run(d.scope, d.name, d.required ? 1 : 0, d.producedBy ?? null, d.retention ?? '', (i + 1) * 10),
        ),
      )
      .immediate();
  }
  const rows = sqlite
    .prepare(`SELECT * FROM archive_definition ${includeInactive ? '' : 'WHERE active = 1'} ORDER BY sort, id`)
    .all() as DefinitionRow[];
  return rows.map((r) => ({
    id: r.id,
    scope: r.scope,
    name: r.name,
    required: r.required === 1,
    producedBy: r.produced_by,
    retention: r.retention,
    sort: r.sort,
    active: r.active === 1,
  }));
}

export function saveDefinition(
  ctx: CoreContext,
  a: { id?: number; scope: ArchiveScope; name: string; required: boolean; retention: string; active: boolean },
): ArchiveDefinition {
  const sqlite = ctx.store.sqlite;
  listDefinitions(ctx);
  const clash = sqlite
    .prepare(`SELECT id FROM archive_definition WHERE scope = ? AND name = ? AND id IS NOT ?`)
    .get(a.scope, a.name, a.id ?? null);
  if (clash) throw new AppError('duplicate', `目录中已有“${a.name}”`);
  let id = a.id;
  if (id) {
    const r = sqlite
      .prepare(`UPDATE archive_definition SET scope = ?, name = ?, required = ?, retention = ?, active = ? WHERE id = ?`)
      .run(a.scope, a.name, a.required ? 1 : 0, a.retention, a.active ? 1 : 0, id);
    if (r.changes === 0) throw notFound('该档案目录项');
  } else {
    const sort = ((sqlite.prepare(`SELECT max(sort) FROM archive_definition`).pluck().get() as number | null) ?? 0) + 10;
    id = Number(
      sqlite
        .prepare(`INSERT INTO archive_definition (scope, name, required, retention, sort, active) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(a.scope, a.name, a.required ? 1 : 0, a.retention, sort, a.active ? 1 : 0).lastInsertRowid,
    );
  }
  return listDefinitions(ctx, true).find((d) => d.id === id)!;
}

/** Checks a key against its definition's scope: programme items name a programme, student items a student and a school year. */
function checkKey(defs: ArchiveDefinition[], key: ArchiveKey): ArchiveDefinition {
  const d = defs.find((x) => x.id === key.definitionId);
  if (!d) throw notFound('该档案目录项');
  const wantsYear = d.scope === 'student';
  if (wantsYear !== isSchoolYear(key.period))
    throw new AppError('validation', wantsYear ? '学生档案按学年归档（如 2026-2027）' : '该档案按学期归档（如 2026-autumn）');
  if ((d.scope === 'programme') !== key.programmeId > 0)
    throw new AppError('validation', d.scope === 'programme' ? '项目档案须指明项目' : '该档案不属于某个项目');
  if ((d.scope === 'student') !== key.studentId > 0)
    throw new AppError('validation', d.scope === 'student' ? '学生档案须指明学生' : '该档案不属于某个学生');
  if (d.scope === 'student' && key.schoolId !== CENTRAL_SCHOOL_ID)
    throw new AppError('validation', '学生档案不按学校分：学生在哪所学校，档案就属于哪所学校');
  return d;
}

function upsertItem(ctx: CoreContext, key: ArchiveKey, status: ArchiveStatus | null, note: string | null): number {
  const sqlite = ctx.store.sqlite;
  const at = nowIso(ctx);
  sqlite
    .prepare(
      `INSERT INTO archive_item (definition_id, period, programme_id, student_id, school_id, status, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (definition_id, period, programme_id, student_id, school_id) DO UPDATE SET status = coalesce(?, status), note = coalesce(?, note), updated_at = excluded.updated_at`,
    )
    .run(key.definitionId, key.period, key.programmeId, key.studentId, key.schoolId, status ?? 'missing', note ?? '', at, status, note);
  return sqlite
    .prepare(`SELECT id FROM archive_item WHERE definition_id = ? AND period = ? AND programme_id = ? AND student_id = ? AND school_id = ?`)
    .pluck()
    .get(key.definitionId, key.period, key.programmeId, key.studentId, key.schoolId) as number;
}

export function setItems(ctx: CoreContext, keys: ArchiveKey[], status: ArchiveStatus | null, note: string | null): number {
  const defs = listDefinitions(ctx, true);
  keys.forEach((k) => checkKey(defs, k));
  ctx.store.sqlite.transaction(() => keys.forEach((k) => upsertItem(ctx, k, status, note))).immediate();
  return keys.length;
}

/** Adds a file the clerk chose; an item still 缺 becomes 部分 (the clerk says when it is 齐全). */
export function attachFile(ctx: CoreContext, key: ArchiveKey, fileName: string, data: Buffer, thumbnail: Buffer | null): ArchiveAttachment {
  checkKey(listDefinitions(ctx, true), key);
  const sqlite = ctx.store.sqlite;
  let linkId = 0;
  sqlite
    .transaction(() => {
      const sha256 = storeFile(ctx, fileName, data, thumbnail);
      const itemId = upsertItem(ctx, key, null, null);
      sqlite.prepare(`UPDATE archive_item SET status = 'partial' WHERE id = ? AND status = 'missing'`).run(itemId);
      const existing = sqlite.prepare(`SELECT id FROM archive_attachment WHERE item_id = ? AND sha256 = ?`).pluck().get(itemId, sha256) as
        number | undefined;
      if (existing) throw new AppError('duplicate', `“${fileName}”已附在这一项中（内容相同的文件只保存一次）`);
      linkId = Number(
        sqlite
          .prepare(`INSERT INTO archive_attachment (item_id, sha256, name, source, added_at) VALUES (?, ?, ?, 'upload', ?)`)
          .run(itemId, sha256, fileName, nowIso(ctx)).lastInsertRowid,
      );
    })
    .immediate();
  return attachmentsOf(ctx, [linkId], 'link')[0]!;
}

/** Removes a file from an item; a file no other item holds is deleted from the data folder too. */
export function detachFile(ctx: CoreContext, linkId: number): void {
  const sqlite = ctx.store.sqlite;
  const gone = sqlite
    .transaction(() => {
      const sha256 = sqlite.prepare(`SELECT sha256 FROM archive_attachment WHERE id = ?`).pluck().get(linkId) as string | undefined;
      if (sha256 === undefined) throw notFound('该附件');
      sqlite.prepare(`DELETE FROM archive_attachment WHERE id = ?`).run(linkId);
      const unused = sqlite
        .prepare(`DELETE FROM attachment WHERE sha256 = ? AND sha256 NOT IN (SELECT sha256 FROM archive_attachment)`)
        .run(sha256);
      return unused.changes > 0 ? sha256 : null;
    })
    .immediate();
  if (gone) removeStoredFile(ctx, gone);
}

/**
 * A document the app made (a roster, a publicity notice, a list sent to the county) or a file it imported (the
 * bank's result file): kept with every item it belongs to, marked as filed by the app. It never changes the
 * item's status: what the inspector checks is the signed paper, so only a scan of it or the clerk's own tick
 * makes an item complete. Documents with full ID or card numbers are never filed (see the callers).
 */
export function recordProduced(
  ctx: CoreContext,
  producedBy: ProducedBy,
  term: Term,
  programmeId: number,
  fileName: string,
  data: Buffer,
  /** The school the document is for (a 校点's own roster or notice); the whole desk's go with the central school. */
  schoolId: number = CENTRAL_SCHOOL_ID,
): void {
  const defs = listDefinitions(ctx).filter((d) => d.producedBy === producedBy && d.scope !== 'student');
  if (defs.length === 0) return;
  const sqlite = ctx.store.sqlite;
  sqlite
    .transaction(() => {
      const sha256 = storeFile(ctx, fileName, data);
      for (const d of defs) {
        const itemId = upsertItem(
          ctx,
          { definitionId: d.id, period: term, programmeId: d.scope === 'programme' ? programmeId : 0, studentId: 0, schoolId },
          null,
          null,
        );
        // Printed again (a corrected roster): the newer version replaces the one of the same name.
        sqlite
          .prepare(`DELETE FROM archive_attachment WHERE item_id = ? AND name = ? AND source = 'generated' AND sha256 <> ?`)
          .run(itemId, fileName, sha256);
        sqlite
          .prepare(
            `INSERT INTO archive_attachment (item_id, sha256, name, source, added_at) VALUES (?, ?, ?, 'generated', ?) ON CONFLICT (item_id, sha256) DO NOTHING`,
          )
          .run(itemId, sha256, fileName, nowIso(ctx));
      }
    })
    .immediate();
}

function attachmentsOf(ctx: CoreContext, ids: number[], by: 'item' | 'link'): (ArchiveAttachment & { itemId: number })[] {
  if (ids.length === 0) return [];
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT l.id, l.item_id, l.sha256, l.name, l.source, l.added_at, a.mime, a.size, a.thumbnail
    FROM archive_attachment l JOIN attachment a ON a.sha256 = l.sha256 WHERE l.${by === 'item' ? 'item_id' : 'id'} IN (${ids.map(() => '?').join(',')}) ORDER BY l.id`,
    )
    .all(...ids) as {
    id: number;
    item_id: number;
    sha256: string;
    name: string;
    source: 'upload' | 'generated';
    added_at: string;
    mime: string;
    size: number;
    thumbnail: Buffer | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    sha256: r.sha256,
    name: r.name,
    mime: r.mime,
    size: r.size,
    source: r.source,
    addedAt: r.added_at,
    thumbnail: r.thumbnail ? `data:image/jpeg;base64,${r.thumbnail.toString('base64')}` : null,
  }));
}

export function attachmentLink(ctx: CoreContext, linkId: number): { sha256: string; name: string } {
  const r = ctx.store.sqlite.prepare(`SELECT sha256, name FROM archive_attachment WHERE id = ?`).get(linkId) as
    { sha256: string; name: string } | undefined;
  if (!r) throw notFound('该附件');
  return r;
}

interface Subject {
  schoolId: number;
  programmeId: number;
  programmeName: string | null;
  studentId: number;
  studentName: string | null;
  classId: number | null;
  className: string | null;
}

/**
 * Programmes with live applications in the term, per school of the desk whose students hold them, and those
 * students (with their school).
 */
function subjects(ctx: CoreContext, term: Term): { programmes: Subject[]; students: Subject[] } {
  const sqlite = ctx.store.sqlite;
  const programmes = (
    sqlite
      .prepare(
        `SELECT DISTINCT p.id, p.name, s.school_id FROM application a JOIN programme p ON p.id = a.programme_id
    JOIN student s ON s.id = a.student_id
    WHERE a.term = ? AND a.status IN (${LIVE_SQL}) ORDER BY s.school_id, p.id`,
      )
      .all(term) as { id: number; name: string; school_id: number }[]
  ).map((p) => ({
    schoolId: p.school_id,
    programmeId: p.id,
    programmeName: p.name,
    studentId: 0,
    studentName: null,
    classId: null,
    className: null,
  }));
  const students = (
    sqlite
      .prepare(
        `SELECT DISTINCT s.id, s.name, s.school_id, c.id AS class_id, c.name AS class_name, c.grade_order FROM application a
    JOIN student s ON s.id = a.student_id LEFT JOIN school_class c ON c.id = s.class_id
    WHERE a.term = ? AND a.status IN (${LIVE_SQL}) ORDER BY s.school_id, c.grade_order, c.id, s.id`,
      )
      .all(term) as { id: number; name: string; school_id: number; class_id: number | null; class_name: string | null }[]
  ).map((s) => ({
    schoolId: s.school_id,
    programmeId: 0,
    programmeName: null,
    studentId: s.id,
    studentName: s.name,
    classId: s.class_id,
    className: s.class_name,
  }));
  return { programmes, students };
}

/** Every item of a term's archive (existing or not yet started), optionally of one scope, programme or class. */
export function listItems(
  ctx: CoreContext,
  term: Term,
  filter: { scope?: ArchiveScope; programmeId?: number | null; classId?: number | null; schoolId?: number | null } = {},
): ArchiveItem[] {
  const year = schoolYearOfTerm(term);
  const defs = listDefinitions(ctx).filter((d) => !filter.scope || d.scope === filter.scope);
  const { programmes, students } = subjects(ctx, term);
  const stored = new Map(
    (ctx.store.sqlite.prepare(`SELECT * FROM archive_item WHERE period IN (?, ?)`).all(term, year) as ItemRow[]).map((r) => [
      `${r.definition_id}|${r.period}|${r.programme_id}|${r.student_id}|${r.school_id}`,
      r,
    ]),
  );
  // Each school of the desk keeps its own term and programme documents (its own publicity, its own signed rosters).
  const names = memberSchoolNames(ctx);
  const inScope = (schoolId: number) => filter.schoolId == null || schoolId === filter.schoolId;
  const items: (ArchiveItem & { itemId: number | null })[] = [];
  const none = (schoolId: number): Subject => ({
    schoolId,
    programmeId: 0,
    programmeName: null,
    studentId: 0,
    studentName: null,
    classId: null,
    className: null,
  });
  for (const d of defs) {
    const period = d.scope === 'student' ? year : term;
    const subjectsOf =
      d.scope === 'term'
        ? [...names.keys()].sort((a, b) => a - b).map(none)
        : d.scope === 'programme'
          ? programmes.filter((p) => !filter.programmeId || p.programmeId === filter.programmeId)
          : students.filter((s) => !filter.classId || s.classId === filter.classId);
    for (const s of subjectsOf) {
      if (!inScope(s.schoolId)) continue;
      // A student's items are keyed under school 1: the student says the school.
      const keySchool = d.scope === 'student' ? CENTRAL_SCHOOL_ID : s.schoolId;
      const row = stored.get(`${d.id}|${period}|${s.programmeId}|${s.studentId}|${keySchool}`);
      items.push({
        definitionId: d.id,
        period,
        programmeId: s.programmeId,
        studentId: s.studentId,
        schoolId: keySchool,
        schoolName: names.get(s.schoolId) ?? '',
        name: d.name,
        scope: d.scope,
        required: d.required,
        status: row?.status ?? 'missing',
        note: row?.note ?? '',
        attachments: [],
        programmeName: s.programmeName,
        studentName: s.studentName,
        classId: s.classId,
        className: s.className,
        updatedAt: row?.updated_at ?? null,
        itemId: row?.id ?? null,
      });
    }
  }
  const withFiles = items.filter((i) => i.itemId !== null);
  const files = attachmentsOf(
    ctx,
    withFiles.map((i) => i.itemId!),
    'item',
  );
  const byItem = new Map<number, ArchiveAttachment[]>();
  for (const f of files) byItem.set(f.itemId, [...(byItem.get(f.itemId) ?? []), f]);
  return items.map(({ itemId, ...i }) => ({ ...i, attachments: itemId ? (byItem.get(itemId) ?? []) : [] }));
}

function tally(label: string, items: ArchiveItem[]): Completeness {
  const c: Completeness = { label, total: items.length, complete: 0, partial: 0, missing: 0, requiredOpen: 0 };
  for (const i of items) {
    c[i.status]++;
    if (i.required && i.status !== 'complete') c.requiredOpen++;
  }
  return c;
}

export function overview(ctx: CoreContext, term: Term, schoolId: number | null = null): ArchiveOverview {
  const year = schoolYearOfTerm(term);
  const items = listItems(ctx, term, { schoolId });
  const otherTerm = termsOfSchoolYear(year).find((t) => t !== term)!;
  // The year: both terms' term and programme items, and the students' items (kept once a year).
  const yearItems = [...items, ...listItems(ctx, otherTerm, { schoolId }).filter((i) => i.scope !== 'student')];
  const programmes = new Map<string, ArchiveItem[]>();
  const classes = new Map<number, { name: string; items: ArchiveItem[] }>();
  const several = hasMemberSchools(ctx);
  for (const i of items) {
    const p = `${i.programmeId}|${i.schoolId}`;
    if (i.scope === 'programme') programmes.set(p, [...(programmes.get(p) ?? []), i]);
    if (i.scope === 'student') {
      const c = classes.get(i.classId ?? 0) ?? { name: `${several ? `${i.schoolName} ` : ''}${i.className ?? '未分班'}`, items: [] };
      c.items.push(i);
      classes.set(i.classId ?? 0, c);
    }
  }
  return {
    term,
    schoolYear: year,
    year: tally(`${year}学年`, yearItems),
    termItems: tally(
      '学期综合档案',
      items.filter((i) => i.scope === 'term'),
    ),
    // With member schools, a programme's documents are counted per school, named with it.
    programmes: [...programmes.values()].map((list) => ({
      programmeId: list[0]!.programmeId,
      schoolId: list[0]!.schoolId,
      ...tally(several ? `${list[0]!.schoolName} ${list[0]!.programmeName ?? ''}` : (list[0]!.programmeName ?? ''), list),
    })),
    classes: [...classes.entries()].map(([classId, c]) => ({ classId, ...tally(c.name, c.items) })),
  };
}

/**
 * What keeps each application from being archived: its programme's required items for the term and the
 * student's required items for the school year that are not 齐全.
 */
export function missingForArchive(
  ctx: CoreContext,
  applications: { id: number; student_id: number; programme_id: number; term: Term }[],
): Map<number, string[]> {
  const defs = listDefinitions(ctx).filter((d) => d.required && d.scope !== 'term');
  const sqlite = ctx.store.sqlite;
  const status = sqlite
    .prepare(
      `SELECT status FROM archive_item WHERE definition_id = ? AND period = ? AND programme_id = ? AND student_id = ? AND school_id = ?`,
    )
    .pluck();
  // A programme's documents are those of the student's school.
  const schoolOf = sqlite.prepare(`SELECT school_id FROM student WHERE id = ?`).pluck();
  const result = new Map<number, string[]>();
  for (const a of applications) {
    const missing: string[] = [];
    for (const d of defs) {
      const key =
        d.scope === 'programme'
          ? [d.id, a.term, a.programme_id, 0, schoolOf.get(a.student_id) as number]
          : [d.id, schoolYearOfTerm(a.term), 0, a.student_id, CENTRAL_SCHOOL_ID];
      const s = (status.get(...key) as ArchiveStatus | undefined) ?? 'missing';
      if (s !== 'complete') missing.push(`${d.scope === 'programme' ? '项目' : '个人'}档案“${d.name}”${ARCHIVE_STATUS_TEXT[s]}`);
    }
    result.set(a.id, missing);
  }
  return result;
}
