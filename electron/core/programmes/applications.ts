/** Applications: creation in bulk, the state machine with its history, allocation of the quota. */
import type { ApplicationPage, TransitionResult } from '../../../shared/api/programmes';
import {
  APPLICATION_STATUS_TEXT,
  type Finding,
  type Application,
  type ApplicationEvent,
  type ApplicationSnapshot,
  type ApplicationStatus,
} from '../../../shared/domain/application';
import type { Programme, TierNumber } from '../../../shared/domain/programme';
import type { Term } from '../../../shared/domain/school';
import { AppError, notFound } from '../../../shared/errors';
import {
  ACTIONS,
  eventKindOf,
  LIVE_STATUSES,
  refusal,
  undoRefusal,
  type ApplicationAction,
  type ClerkAction,
  type EventKind,
  type TransitionFacts,
} from '../../../shared/rules/application-status';
import { ineligibility } from '../../../shared/rules/eligibility';
import { approvalRefusal } from '../../../shared/rules/publicity';
import { previousTerm, schoolYearOfTerm } from '../../../shared/rules/term';
import { nowIso, type CoreContext } from '../context';
import type { ApplicationRow } from '../db/schema';
import { missingForArchive } from '../archive/archive';
import { paidApplications } from '../payments/paid';
import { ensureCatalogue, loadProgramme, loadQuota, programmeForTerm } from './catalogue';
import { checkTerm } from './checks';
import { postingsOf, publicityRules } from '../publicity/publicity';
import { loadFacts, tierAmount, type StudentFacts } from './facts';

type Stored = Omit<ApplicationRow, 'id'> & { id: number };

export function toApplication(r: Stored, f: StudentFacts | undefined, p: Programme): Application {
  return {
    id: r.id,
    studentId: r.student_id,
    name: f?.name ?? r.applicant_name,
    className: f?.className ?? null,
    grade: f?.grade ?? null,
    stage: f?.stage ?? null,
    boarding: f?.boarding ?? null,
    programmeId: r.programme_id,
    programmeCode: p.code,
    term: r.term as Term,
    status: r.status as ApplicationStatus,
    level: f?.level ?? null,
    groups: f?.flags.map((x) => x.group) ?? [],
    score: f?.score ?? null,
    rank: r.rank,
    rankReason: r.rank_reason,
    funded: r.funded === null ? null : r.funded === 1,
    tier: r.tier,
    amount: r.amount_fen,
    tierReason: r.tier_reason,
    snapshot: r.snapshot ? (JSON.parse(r.snapshot) as ApplicationSnapshot) : null,
    updatedAt: r.updated_at,
  };
}

function loadRows(ctx: CoreContext, programmeId: number, term: string): Stored[] {
  return ctx.store.sqlite
    .prepare(`SELECT * FROM application WHERE programme_id = ? AND term = ? ORDER BY id`)
    .all(programmeId, term) as Stored[];
}

function loadRow(ctx: CoreContext, id: number): Stored {
  const row = ctx.store.sqlite.prepare(`SELECT * FROM application WHERE id = ?`).get(id) as Stored | undefined;
  if (!row) throw notFound('该申请');
  return row;
}

/** Roster order for any list of applications. */
function byRoster(facts: Map<number, StudentFacts>) {
  return (a: { student_id: number }, b: { student_id: number }) => {
    const fa = facts.get(a.student_id);
    const fb = facts.get(b.student_id);
    return (fa?.gradeOrder ?? 99) - (fb?.gradeOrder ?? 99) || (fa?.classId ?? 0) - (fb?.classId ?? 0) || a.student_id - b.student_id;
  };
}

/** A programme term's applications; `facts` when the caller already loaded them for the school year. */
export function listApplications(
  ctx: CoreContext,
  programmeId: number,
  term: Term,
  classId: number | null,
  status: string | null,
  facts?: Map<number, StudentFacts>,
): ApplicationPage {
  const p = programmeForTerm(ctx, programmeId, term);
  facts ??= loadFacts(ctx, p.schoolYear);
  const rows = loadRows(ctx, programmeId, term).sort(byRoster(facts));
  const counts: ApplicationPage['counts'] = {};
  const tiers: ApplicationPage['tiers'] = {};
  let total = 0;
  for (const r of rows) {
    counts[r.status as ApplicationStatus] = (counts[r.status as ApplicationStatus] ?? 0) + 1;
    if (r.tier !== null && LIVE_STATUSES.includes(r.status as ApplicationStatus)) {
      tiers[r.tier] = (tiers[r.tier] ?? 0) + 1;
      total += r.amount_fen ?? 0;
    }
  }
  const shown = rows.filter(
    (r) => (classId === null || facts.get(r.student_id)?.classId === classId) && (status === null || r.status === status),
  );
  return {
    rows: shown.map((r) => toApplication(r, facts.get(r.student_id), p)),
    counts,
    quota: loadQuota(ctx, programmeId, term),
    tiers,
    total,
  };
}

function logEvent(
  ctx: CoreContext,
  id: number,
  from: ApplicationStatus | null,
  to: ApplicationStatus,
  actor: string,
  note: string,
  at: string,
  kind: EventKind,
): void {
  ctx.store.sqlite
    .prepare(`INSERT INTO application_event (application_id, at, from_status, to_status, actor, note, kind) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(id, at, from, to, actor, note, kind);
}

export function createApplications(
  ctx: CoreContext,
  a: { programmeId: number; term: Term; from: 'identified' | 'carryOver' | 'students'; classId: number | null; studentIds?: number[] },
): { created: number; skipped: { name: string; reason: string }[] } {
  const p = programmeForTerm(ctx, a.programmeId, a.term);
  const facts = loadFacts(ctx, p.schoolYear);
  const sqlite = ctx.store.sqlite;
  let candidates: StudentFacts[];
  const skipped: { name: string; reason: string }[] = [];
  if (a.from === 'students') {
    if (!a.studentIds?.length) throw new AppError('validation', '请选择要申请的学生');
    candidates = a.studentIds.map((id) => {
      const f = facts.get(id);
      if (!f) throw notFound(`编号为 ${id} 的学生`);
      return f;
    });
  } else if (a.from === 'carryOver') {
    const prev = previousTerm(a.term);
    const prevProgramme = ensureCatalogue(ctx, schoolYearOfTerm(prev)).find((x) => x.code === p.code);
    const ids = prevProgramme
      ? (sqlite
          .prepare(
            `SELECT student_id FROM application WHERE programme_id = ? AND term = ? AND status IN ('approved', 'submitted', 'paid', 'archived')`,
          )
          .pluck()
          .all(prevProgramme.id, prev) as number[])
      : [];
    if (ids.length === 0) throw new AppError('carry-over-empty', `${prev} 学期“${p.name}”没有受助学生可以结转`);
    candidates = ids.map((id) => facts.get(id)!).filter(Boolean);
  } else {
    candidates = [...facts.values()].filter(
      (f) => f.enrolled && f.stage && p.stages.includes(f.stage) && (f.level !== null || f.flags.length > 0 || p.eligibility.everyone),
    );
  }
  if (a.classId !== null) candidates = candidates.filter((f) => f.classId === a.classId);
  const existing = new Map(loadRows(ctx, a.programmeId, a.term).map((r) => [r.student_id, r]));
  const at = nowIso(ctx);
  let created = 0;
  sqlite
    .transaction(() => {
      for (const f of candidates.sort(
        (x, y) => (x.gradeOrder ?? 99) - (y.gradeOrder ?? 99) || (x.classId ?? 0) - (y.classId ?? 0) || x.studentId - y.studentId,
      )) {
        const why = !f.enrolled ? '已离校' : ineligibility(p, f);
        if (why) {
          // Listing everyone not eligible would drown the clerk when creating for the whole school.
          if (a.from !== 'identified') skipped.push({ name: f.name, reason: why });
          continue;
        }
        const old = existing.get(f.studentId);
        if (old && old.status !== 'withdrawn') {
          if (a.from !== 'identified')
            skipped.push({ name: f.name, reason: `已有申请（${APPLICATION_STATUS_TEXT[old.status as ApplicationStatus]}）` });
          continue;
        }
        if (old) {
          sqlite
            .prepare(
              `UPDATE application SET applicant_name = ?, applicant_id_number = ?, rank = NULL, rank_reason = '', funded = NULL, tier = NULL, amount_fen = NULL, tier_reason = '', snapshot = NULL, allocated_at = NULL, updated_at = ? WHERE id = ?`,
            )
            .run(f.name, f.idNumber, at, old.id);
          move(ctx, [{ ...old, funded: null, tier: null, amount_fen: null }], 'reapply', '重新申请', '');
        } else {
          const id = Number(
            sqlite
              .prepare(
                `INSERT INTO application (student_id, programme_id, term, status, applicant_name, applicant_id_number, created_at, updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)`,
              )
              .run(f.studentId, a.programmeId, a.term, f.name, f.idNumber, at, at).lastInsertRowid,
          );
          logEvent(ctx, id, null, 'draft', '', a.from === 'carryOver' ? `由 ${previousTerm(a.term)} 结转` : '', at, 'step');
        }
        created++;
      }
    })
    .immediate();
  return { created, skipped };
}

export function snapshotOf(f: StudentFacts | undefined): ApplicationSnapshot {
  return {
    level: f?.level ?? null,
    groups: f?.flags.map((x) => x.group) ?? [],
    boarding: f?.boarding ?? null,
    stage: f?.stage ?? null,
    className: f?.className ?? null,
  };
}

/**
 * Gathers, for many rows at once, what the state machine needs to decide an action: each lookup runs once
 * per batch (the checks once per term, the publicity postings once for all rows).
 */
function factsFor(
  ctx: CoreContext,
  rows: Stored[],
  action: ApplicationAction,
): (r: Stored) => { known: TransitionFacts; name: string; f?: StudentFacts } {
  const programmes = new Map<number, Programme>();
  const factsByYear = new Map<string, Map<number, StudentFacts>>();
  const programmeOf = (id: number) => {
    const p = programmes.get(id) ?? loadProgramme(ctx, id);
    programmes.set(id, p);
    return p;
  };
  const factsOf = (year: string) => {
    const f = factsByYear.get(year) ?? loadFacts(ctx, year);
    factsByYear.set(year, f);
    return f;
  };
  // Recipient publicity and the county's submission run the checks first: the county runs them too. A missing
  // bank card only holds back the submission (a publicity needs no card).
  const findingsByTerm = new Map<string, Finding[]>();
  const blockingFor = (r: Stored, p: Programme): string[] => {
    if (action !== 'report' && action !== 'publicise') return [];
    const all = findingsByTerm.get(r.term) ?? checkTerm(ctx, r.term as Term, null);
    findingsByTerm.set(r.term, all);
    return all
      .filter(
        (x) =>
          x.severity === 'blocking' &&
          (action === 'report' || x.stage !== 'report') &&
          x.programme === p.name &&
          (x.applicationId === r.id || x.applicationId === null),
      )
      .map((x) => x.message);
  };
  const ids = rows.map((r) => r.id);
  const paid = action === 'pay' || action === 'archive' ? paidApplications(ctx, ids) : new Set<number>();
  const archiveMissing = action === 'archive' ? missingForArchive(ctx, rows) : new Map<number, string[]>();
  const postings = action === 'approve' ? postingsOf(ctx, 'programme', ids) : new Map();
  const rules = action === 'approve' ? publicityRules(ctx) : null;
  return (r) => {
    const p = programmeOf(r.programme_id);
    const f = factsOf(p.schoolYear).get(r.student_id);
    const known: TransitionFacts = {
      enrolled: f?.enrolled ?? false,
      eligible: !!f && ineligibility(p, f) === null,
      tierSet: r.tier !== null,
      amountSet: p.kind !== 'paid' || (r.amount_fen ?? 0) > 0,
      funded: r.funded === null ? null : r.funded === 1,
      publicityRefusal: rules ? approvalRefusal(postings.get(r.id) ?? [], rules) : null,
      blockingFindings: blockingFor(r, p),
      paymentRecorded: paid.has(r.id),
      archiveMissing: archiveMissing.get(r.id) ?? [],
    };
    return { known, name: f?.name ?? r.applicant_name, f };
  };
}

/**
 * The one place an application's status changes: asks the state machine (shared/rules/application-status.ts)
 * for each row, writes the new status with its event, and lists the refused ones with why. Joins the
 * caller's transaction when there is one.
 */
function move(ctx: CoreContext, rows: Stored[], action: ApplicationAction, note: string, actor: string): TransitionResult {
  const sqlite = ctx.store.sqlite;
  const refused: TransitionResult['refused'] = [];
  const at = nowIso(ctx);
  const factsOf = factsFor(ctx, rows, action);
  const update = sqlite.prepare(`UPDATE application SET status = ?, snapshot = ?, updated_at = ? WHERE id = ?`);
  let changed = 0;
  sqlite
    .transaction(() => {
      for (const r of rows) {
        const { known, name, f } = factsOf(r);
        const why = refusal(action, r.status as ApplicationStatus, known, note);
        if (why) {
          refused.push({ applicationId: r.id, name, reason: why });
          continue;
        }
        const to = ACTIONS[action].to;
        // An approval is a snapshot: the level, flags and boarding it was decided on stay with it.
        const snapshot = action === 'approve' ? JSON.stringify(snapshotOf(f)) : r.snapshot;
        update.run(to, snapshot, at, r.id);
        // One clerk runs the desk: unless someone else is named (校长 for an approval), it was the clerk.
        logEvent(ctx, r.id, r.status as ApplicationStatus, to, actor || '资助专干', note, at, eventKindOf(action));
        changed++;
      }
    })
    .immediate();
  return { changed, refused };
}

/** The clerk's bulk actions on applications (each row checked on its own). */
export function transition(ctx: CoreContext, a: { ids: number[]; action: ClerkAction; note: string; actor: string }): TransitionResult {
  return move(
    ctx,
    a.ids.map((id) => loadRow(ctx, id)),
    a.action,
    a.note,
    a.actor,
  );
}

/** Posts applications in a recipient publicity. Inside the publicity's transaction: any refusal undoes it all. */
export function publiciseApplications(ctx: CoreContext, ids: number[], note: string): void {
  const r = move(
    ctx,
    ids.map((id) => loadRow(ctx, id)),
    'publicise',
    note,
    '',
  );
  if (r.refused.length) {
    const first = r.refused[0]!;
    throw new AppError('publicity-refused', `${r.refused.length} 份申请不能列入公示（第一份：${first.name}，${first.reason}）`, {
      refused: r.refused,
    });
  }
}

/** An objection upheld: the recipient is taken off the list (an event that a plain undo cannot reverse). */
export function cancelOnObjection(ctx: CoreContext, id: number, note: string): void {
  const r = loadRow(ctx, id);
  const result = move(ctx, [r], 'cancel', note, '学校资助工作组');
  if (result.refused.length) throw new AppError('validation', result.refused[0]!.reason);
  ctx.store.sqlite
    .prepare(`UPDATE application SET funded = 0, tier = NULL, amount_fen = NULL, tier_reason = ?, updated_at = ? WHERE id = ?`)
    .run(`公示异议复核：${note}`, nowIso(ctx), id);
}

/** A payment recorded (by hand or from the bank's file): a reported application becomes 已发放. Inside the payment's transaction. */
export function markPaid(ctx: CoreContext, id: number, note: string, actor: string): void {
  const r = loadRow(ctx, id);
  if (r.status !== 'submitted') return;
  const result = move(ctx, [r], 'pay', note, actor);
  if (result.refused.length) throw new AppError('validation', result.refused[0]!.reason);
}

/** Steps back once: the last review step, only if it is the one that led to the current status. */
export function undo(ctx: CoreContext, id: number): void {
  const sqlite = ctx.store.sqlite;
  const r = loadRow(ctx, id);
  const last = sqlite
    .prepare(
      `SELECT id, from_status, to_status, kind FROM application_event WHERE application_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1`,
    )
    .get(id) as { id: number; from_status: ApplicationStatus | null; to_status: ApplicationStatus; kind: EventKind } | undefined;
  const why = undoRefusal(
    last ? { from: last.from_status, to: last.to_status, kind: last.kind } : null,
    r.status as ApplicationStatus,
    paidApplications(ctx, [id]).size > 0,
  );
  if (why || !last) throw new AppError('undo-impossible', why ?? '没有可以撤回的上一步');
  const at = nowIso(ctx);
  sqlite
    .transaction(() => {
      sqlite.prepare(`UPDATE application_event SET undone = 1 WHERE id = ?`).run(last.id);
      sqlite
        .prepare(
          `UPDATE application SET status = ?, snapshot = CASE WHEN ? = 'approved' THEN NULL ELSE snapshot END, updated_at = ? WHERE id = ?`,
        )
        .run(last.from_status, last.to_status, at, id);
    })
    .immediate();
}

export function history(ctx: CoreContext, id: number): ApplicationEvent[] {
  loadRow(ctx, id);
  const rows = ctx.store.sqlite.prepare(`SELECT * FROM application_event WHERE application_id = ? ORDER BY id DESC`).all(id) as {
    at: string;
    from_status: ApplicationStatus | null;
    to_status: ApplicationStatus;
    actor: string;
    note: string;
    undone: number;
  }[];
  return rows.map((e) => ({ at: e.at, from: e.from_status, to: e.to_status, actor: e.actor, note: e.note, undone: e.undone === 1 }));
}

/** Statuses the allocation ranks: applied and under review, not yet posted. */
export const ALLOCATABLE: ApplicationStatus[] = ['applied', 'classReview', 'schoolReview'];
/** Statuses whose tier is settled: posted, approved or later. They hold their place in the quota. */
export const HOLDING: ApplicationStatus[] = ['publicity', 'approved', 'submitted', 'paid', 'archived'];

/** One row of an allocation: [id, rank, reason, funded, tier, amount]. */
export type AllocationValue = [number, number | null, string, 0 | 1, number | null, number | null];

/** Writes an allocation's ranks and tiers. One statement for the whole list: thousands of rows in a few milliseconds. */
export function writeAllocation(ctx: CoreContext, values: AllocationValue[]): void {
  const at = nowIso(ctx);
  ctx.store.sqlite
    .prepare(
      `UPDATE application SET rank = v.value ->> 1, rank_reason = v.value ->> 2, funded = v.value ->> 3, tier = v.value ->> 4, amount_fen = v.value ->> 5,
         tier_reason = '', allocated_at = ?, updated_at = ? FROM json_each(?) AS v WHERE application.id = v.value ->> 0`,
    )
    .run(at, at, JSON.stringify(values));
}

/** The clerk's override of a tier (or of funding), with the reason kept. */
export function setTier(ctx: CoreContext, id: number, tier: TierNumber | null, reason: string): void {
  const r = loadRow(ctx, id);
  if (!ALLOCATABLE.includes(r.status as ApplicationStatus))
    throw new AppError('validation', `“${APPLICATION_STATUS_TEXT[r.status as ApplicationStatus]}”的申请不能再调整档次`);
  const p = loadProgramme(ctx, r.programme_id);
  if (tier !== null && !p.tiers.some((t) => t.tier === tier)) throw new AppError('validation', `“${p.name}”没有第 ${tier} 档`);
  const f = loadFacts(ctx, p.schoolYear).get(r.student_id);
  const at = nowIso(ctx);
  ctx.store.sqlite
    .prepare(`UPDATE application SET tier = ?, funded = ?, amount_fen = ?, tier_reason = ?, allocated_at = ?, updated_at = ? WHERE id = ?`)
    .run(tier, tier === null ? 0 : 1, tier === null ? null : (tierAmount(p, tier, f?.stage ?? null) ?? 0), reason, at, at, id);
}

/** An objection upheld with a new tier for a posted recipient. Inside the objection's transaction. */
export function retierOnObjection(
  ctx: CoreContext,
  id: number,
  tier: TierNumber,
  note: string,
): { programme: Programme; amount: number | null } {
  const r = loadRow(ctx, id);
  if (r.status !== 'publicity')
    throw new AppError('validation', `“${APPLICATION_STATUS_TEXT[r.status as ApplicationStatus]}”的申请不能再调整档次`);
  const p = loadProgramme(ctx, r.programme_id);
  if (!p.tiers.some((t) => t.tier === tier)) throw new AppError('validation', `“${p.name}”没有第 ${tier} 档`);
  const amount = tierAmount(p, tier, loadFacts(ctx, p.schoolYear).get(r.student_id)?.stage ?? null);
  ctx.store.sqlite
    .prepare(`UPDATE application SET tier = ?, amount_fen = ?, tier_reason = ?, updated_at = ? WHERE id = ?`)
    .run(tier, amount, `公示异议复核：${note}`, nowIso(ctx), id);
  return { programme: p, amount };
}

export function applicationById(ctx: CoreContext, id: number) {
  const row = ctx.store.sqlite.prepare(`SELECT * FROM application WHERE id = ?`).get(id) as Parameters<typeof toApplication>[0];
  const p = programmeForTerm(ctx, row.programme_id, row.term as Parameters<typeof programmeForTerm>[2]);
  return toApplication(row, loadFacts(ctx, p.schoolYear).get(row.student_id), p);
}
