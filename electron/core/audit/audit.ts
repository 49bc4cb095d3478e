/**
 * 操作记录: who changed what, when. Row changes are written by the triggers of migration 0007 (no writer
 * can skip them); this module is the only other writer: an import as one entry with its counts, a look at
 * full numbers, an export that holds them, a restore. It also reads the trail for the page and the .xlsx.
 */
import type { Selectable } from 'kysely';
import type { AuditChange, AuditEntry, AuditFilter, AuditPage } from '../../../shared/domain/audit';
import { AUDIT_ACTION_TEXT, AUDIT_ENTITY_TEXT, auditColumnText, auditValueText } from '../../../shared/domain/audit';
import { localDate, nowIso, today, type CoreContext } from '../context';
import type { AuditEntryRow } from '../db/schema';
import { writePlainList } from '../export/plain-list';

/** Before each call: the triggers record this operator at the core's time. */
export function setActor(ctx: CoreContext): void {
  ctx.store.audit = { operator: ctx.desk?.operator ?? '系统', now: () => ctx.now(), quiet: ctx.store.audit.quiet };
}

export function recordAudit(
  ctx: CoreContext,
  entry: { action: string; entity: string; summary: string; studentId?: number | null; entityKey?: string | null },
): void {
  ctx.store.sqlite
    .prepare(`INSERT INTO audit_entry (at, operator, action, entity, entity_key, student_id, summary) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(
      nowIso(ctx),
      ctx.store.audit.operator,
      entry.action,
      entry.entity,
      entry.entityKey ?? null,
      entry.studentId ?? null,
      entry.summary,
    );
}

/** Runs a bulk write with the row triggers quiet; the caller records the one entry that says what it did. */
export async function quietRows<T>(ctx: CoreContext, run: () => Promise<T> | T): Promise<T> {
  const store = ctx.store;
  store.audit.quiet++;
  try {
    return await run();
  } finally {
    store.audit.quiet--;
  }
}

const COUNT_TEXT: Record<string, string> = {
  imported: '新增',
  added: '新增',
  updated: '更新',
  unchanged: '未变',
  rejected: '不合格',
  applied: '写入',
  conflicts: '冲突未写入',
  paid: '登记发放',
  alreadyPaid: '此前已发放',
  failed: '发放失败',
  unmatched: '未对应',
  flagged: '补标',
  students: '学生',
  classes: '班级',
  matched: '一致',
  rows: '行',
  rowCount: '名单行数',
  cards: '银行卡',
  saved: '保存',
  created: '建立',
  skipped: '跳过',
  changed: '办理',
  refused: '不能办理',
  funded: '获资助',
};

/** "新增 12，更新 3，不合格 1" from a result's counts and lists. */
export function countsOf(result: unknown): string {
  if (!result || typeof result !== 'object') return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
    const text = COUNT_TEXT[key];
    if (!text) continue;
    const n = typeof value === 'number' ? value : Array.isArray(value) ? value.length : null;
    if (n !== null) parts.push(`${text} ${n}`);
  }
  return parts.join('，');
}

const PAGE_MAX = 200;

/** Filters that are one column equal to the value given. */
const EQUALS: [keyof AuditFilter, string][] = [
  ['operator', 'a.operator'],
  ['entity', 'a.entity'],
  ['action', 'a.action'],
  ['studentId', 'a.student_id'],
];

function where(filter: AuditFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [key, column] of EQUALS)
    if (filter[key]) {
      clauses.push(`${column} = ?`);
      params.push(filter[key]);
    }
  // Dates are the clerk's calendar days; entries are stored in UTC, so the day is widened and cut in code.
  if (filter.from) {
    clauses.push('a.at >= ?');
    params.push(new Date(`${filter.from}T00:00:00`).toISOString());
  }
  if (filter.to) {
    clauses.push('a.at < ?');
    const end = new Date(`${filter.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    params.push(end.toISOString());
  }
  if (filter.search) {
    clauses.push(`(s.name LIKE ? ESCAPE '\\' OR a.summary LIKE ? ESCAPE '\\')`);
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(like, like);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

type Row = Selectable<AuditEntryRow> & { student_name: string | null };

/** Ids the trail stores that the clerk knows by name: classes and programmes (read once per list or export). */
type Names = Record<'class_id' | 'programme_id', Map<number, string>>;

function namesOf(ctx: CoreContext): Names {
  const map = (sql: string) => new Map((ctx.store.sqlite.prepare(sql).all() as { id: number; name: string }[]).map((r) => [r.id, r.name]));
  return {
    class_id: map(`SELECT id, name FROM school_class`),
    programme_id: map(`SELECT id, school_year || ' ' || name AS name FROM programme`),
  };
}

function changesOf(row: Row, names: Names): AuditChange[] {
  const before = row.before ? (JSON.parse(row.before) as Record<string, unknown>) : {};
  const after = row.after ? (JSON.parse(row.after) as Record<string, unknown>) : {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const text = (k: string, v: unknown) =>
    (k === 'class_id' || k === 'programme_id') && typeof v === 'number' ? (names[k].get(v) ?? String(v)) : auditValueText(row.entity, k, v);
  return keys.map((k) => ({ field: k, label: auditColumnText(row.entity, k), before: text(k, before[k]), after: text(k, after[k]) }));
}

function entryOf(row: Row, names: Names): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    operator: row.operator,
    action: row.action,
    actionText: AUDIT_ACTION_TEXT[row.action] ?? row.action,
    entity: row.entity,
    entityText: AUDIT_ENTITY_TEXT[row.entity] ?? row.entity,
    entityKey: row.entity_key,
    studentId: row.student_id,
    studentName: row.student_name,
    summary: row.summary,
    changes: changesOf(row, names),
  };
}

const SELECT = `SELECT a.*, s.name AS student_name FROM audit_entry a LEFT JOIN student s ON s.id = a.student_id`;

export function listAudit(ctx: CoreContext, filter: AuditFilter & { offset: number; limit: number }): AuditPage {
  const { sql, params } = where(filter);
  const total = ctx.store.sqlite
    .prepare(`SELECT count(*) FROM audit_entry a LEFT JOIN student s ON s.id = a.student_id ${sql}`)
    .pluck()
    .get(...params) as number;
  const rows = ctx.store.sqlite
    .prepare(`${SELECT} ${sql} ORDER BY a.id DESC LIMIT ? OFFSET ?`)
    .all(...params, Math.min(filter.limit, PAGE_MAX), filter.offset) as Row[];
  const operators = ctx.store.sqlite.prepare(`SELECT DISTINCT operator FROM audit_entry ORDER BY operator`).pluck().all() as string[];
  const names = namesOf(ctx);
  return { total, entries: rows.map((r) => entryOf(r, names)), operators };
}

/** The clerk's local time of a stored UTC timestamp, as a spreadsheet shows it. */
function localTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${localDate(iso)} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * The filtered trail as a workbook, newest first, one line per changed field (at most 100,000 entries),
 * streamed from the database by the plain-list writer.
 */
export async function exportAudit(ctx: CoreContext, filter: AuditFilter): Promise<{ fileName: string; dataBase64: string; rows: number }> {
  const { sql, params } = where(filter);
  const query = ctx.store.sqlite.prepare(`${SELECT} ${sql} ORDER BY a.id DESC LIMIT 100000`);
  let entries = 0;
  const names = namesOf(ctx);
  const lines = function* () {
    for (const row of query.iterate(...params) as Iterable<Row>) {
      const e = entryOf(row, names);
      const head = [localTime(e.at), e.operator, e.actionText, e.entityText, e.studentName ?? ''];
      if (e.summary || e.changes.length === 0) yield [...head, e.summary ?? '', '', ''];
      for (const c of e.changes) yield [...head, c.label, c.before, c.after];
      entries++;
    }
  };
  const { data } = await writePlainList({
    sheetName: '操作记录',
    title: `操作记录（${today(ctx)} 导出）`,
    headers: [
      { text: '时间', width: 20 },
      { text: '经办人', width: 12 },
      { text: '操作', width: 10 },
      { text: '对象', width: 14 },
      { text: '学生', width: 10 },
      { text: '说明或字段', width: 30 },
      { text: '修改前', width: 30 },
      { text: '修改后', width: 30 },
    ],
    // Masked numbers (…1234) stay text, as written.
    textColumns: [6, 7],
    rows: lines(),
  });
  return { fileName: `操作记录-${today(ctx)}.xlsx`, dataBase64: data.toString('base64'), rows: entries };
}
