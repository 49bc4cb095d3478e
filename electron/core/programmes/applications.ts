/** Applications: creation in bulk, the state machine with its history, allocation of the quota. */
import type { AllocationResult, ApplicationPage, TransitionResult } from '../../../shared/api/programmes';
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
import { ACTIONS, LIVE_STATUSES, refusal, type ApplicationAction, type TransitionFacts } from '../../../shared/rules/application-status';
import { allocate } from '../../../shared/rules/tiers';
import { previousTerm, schoolYearOfTerm } from '../../../shared/rules/term';
import { nowIso, type CoreContext } from '../context';
import type { ApplicationRow } from '../db/schema';
import { missingForArchive } from '../archive/archive';
import { paidApplications } from '../payments/paid';
import { ensureCatalogue, loadProgramme, loadQuota, programmeForTerm } from './catalogue';
import { checkTerm } from './checks';
import { ineligibility, loadFacts, tierAmount, type StudentFacts } from './facts';

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
): void {
  ctx.store.sqlite
    .prepare(`INSERT INTO application_event (application_id, at, from_status, to_status, actor, note) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(id, at, from, to, actor, note);
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
              `UPDATE application SET status = 'draft', applicant_name = ?, applicant_id_number = ?, rank = NULL, rank_reason = '', funded = NULL, tier = NULL, amount_fen = NULL, tier_reason = '', snapshot = NULL, updated_at = ? WHERE id = ?`,
            )
            .run(f.name, f.idNumber, at, old.id);
          logEvent(ctx, old.id, 'withdrawn', 'draft', '', '重新申请', at);
        } else {
          const id = Number(
            sqlite
              .prepare(
                `INSERT INTO application (student_id, programme_id, term, status, applicant_name, applicant_id_number, created_at, updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)`,
              )
              .run(f.studentId, a.programmeId, a.term, f.name, f.idNumber, at, at).lastInsertRowid,
          );
          logEvent(ctx, id, null, 'draft', '', a.from === 'carryOver' ? `由 ${previousTerm(a.term)} 结转` : '', at);
        }
        created++;
      }
    })
    .immediate();
  return { created, skipped };
}

/** The publicity an application was last posted in, and whether it has closed. */
function publicityClosed(ctx: CoreContext, applicationId: number): boolean {
  const status = ctx.store.sqlite
    .prepare(
      `SELECT p.status FROM publicity_entry e JOIN publicity p ON p.id = e.publicity_id WHERE p.kind = 'programme' AND e.ref_id = ? ORDER BY p.id DESC LIMIT 1`,
    )
    .pluck()
    .get(applicationId) as string | undefined;
  return status === 'closed';
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

export function transition(
  ctx: CoreContext,
  a: { ids: number[]; action: ApplicationAction; note: string; actor: string },
): TransitionResult {
  const sqlite = ctx.store.sqlite;
  const refused: TransitionResult['refused'] = [];
  const at = nowIso(ctx);
  const rows = a.ids.map((id) => loadRow(ctx, id));
  const programmes = new Map<number, Programme>();
  const factsByYear = new Map<string, Map<number, StudentFacts>>();
  // Submission to the county runs the checks first: the county runs them too.
  const findingsByTerm = new Map<string, Finding[]>();
  const blockingFor = (r: Stored, p: Programme): string[] => {
    if (a.action !== 'report') return [];
    const all = findingsByTerm.get(r.term) ?? checkTerm(ctx, r.term as Term, null);
    findingsByTerm.set(r.term, all);
    return all
      .filter((f) => f.severity === 'blocking' && f.programme === p.name && (f.applicationId === r.id || f.applicationId === null))
      .map((f) => f.message);
  };
  const paid = a.action === 'pay' || a.action === 'archive' ? paidApplications(ctx, a.ids) : new Set<number>();
  const archiveMissing = a.action === 'archive' ? missingForArchive(ctx, rows) : new Map<number, string[]>();
  let changed = 0;
  sqlite
    .transaction(() => {
      for (const r of rows) {
        const p = programmes.get(r.programme_id) ?? loadProgramme(ctx, r.programme_id);
        programmes.set(p.id, p);
        const facts = factsByYear.get(p.schoolYear) ?? loadFacts(ctx, p.schoolYear);
        factsByYear.set(p.schoolYear, facts);
        const f = facts.get(r.student_id);
        const known: TransitionFacts = {
          enrolled: f?.enrolled ?? false,
          eligible: !!f && ineligibility(p, f) === null,
          tierSet: r.tier !== null,
          funded: r.funded === null ? null : r.funded === 1,
          publicityClosed: a.action === 'approve' && publicityClosed(ctx, r.id),
          blockingFindings: blockingFor(r, p),
          paymentRecorded: paid.has(r.id),
          archiveMissing: archiveMissing.get(r.id) ?? [],
        };
        const why = refusal(a.action, r.status as ApplicationStatus, known, a.note);
        if (why) {
          refused.push({ applicationId: r.id, name: f?.name ?? r.applicant_name, reason: why });
          continue;
        }
        const to = ACTIONS[a.action].to;
        // An approval is a snapshot: the level, flags and boarding it was decided on stay with it.
        const snapshot = a.action === 'approve' ? JSON.stringify(snapshotOf(f)) : r.snapshot;
        sqlite.prepare(`UPDATE application SET status = ?, snapshot = ?, updated_at = ? WHERE id = ?`).run(to, snapshot, at, r.id);
        // One clerk runs the desk: unless someone else is named (校长 for an approval), it was the clerk.
        logEvent(ctx, r.id, r.status as ApplicationStatus, to, a.actor || '资助专干', a.note, at);
        changed++;
      }
    })
    .immediate();
  return { changed, refused };
}

/** Steps back once: the last step not yet undone, only if it is the one that led to the current status. */
export function undo(ctx: CoreContext, id: number): void {
  const sqlite = ctx.store.sqlite;
  const r = loadRow(ctx, id);
  const last = sqlite
    .prepare(`SELECT * FROM application_event WHERE application_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1`)
    .get(id) as { id: number; from_status: ApplicationStatus | null; to_status: ApplicationStatus } | undefined;
  if (!last || last.to_status !== r.status || last.from_status === null)
    throw new AppError('undo-impossible', '没有可以撤回的上一步（新建的申请请用“撤销”）');
  if (last.to_status === 'publicity') throw new AppError('undo-impossible', '已列入公示的申请不能撤回：请在公示中登记异议并复核处理');
  if (last.to_status === 'paid' && paidApplications(ctx, [id]).size)
    throw new AppError('undo-impossible', '已登记发放成功的申请不能撤回：钱已经发出');
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
const ALLOCATABLE: ApplicationStatus[] = ['applied', 'classReview', 'schoolReview'];

export function allocateApplications(
  ctx: CoreContext,
  a: { programmeId: number; term: Term; quota?: number; dryRun: boolean },
): AllocationResult {
  const p = programmeForTerm(ctx, a.programmeId, a.term);
  const saved = loadQuota(ctx, a.programmeId, a.term);
  const quota = a.quota ?? saved?.count;
  if (quota === undefined) throw new AppError('quota-missing', `还没有填写“${p.name}”${a.term} 的名额：请先在“名额”中填写县里下达的控制数`);
  const facts = loadFacts(ctx, p.schoolYear, { programmeId: p.id, term: a.term });
  const rows = (
    ctx.store.sqlite
      .prepare(`SELECT id, student_id, status FROM application WHERE programme_id = ? AND term = ?`)
      .all(a.programmeId, a.term) as {
      id: number;
      student_id: number;
      status: ApplicationStatus;
    }[]
  ).filter((r) => ALLOCATABLE.includes(r.status));
  const eligible = rows.filter((r) => {
    const f = facts.get(r.student_id);
    return f && f.enrolled && ineligibility(p, f) === null;
  });
  const eligibleIds = new Set(eligible.map((r) => r.id));
  const key = (f: StudentFacts) => (saved?.distribution === 'class' ? String(f.classId ?? '') : (f.grade ?? ''));
  let distribution: Record<string, number> | null = null;
  if (saved && saved.distribution !== 'none') {
    distribution = {};
    if (saved.basis === 'applicants') {
      for (const r of eligible) {
        const k = key(facts.get(r.student_id)!);
        distribution[k] = (distribution[k] ?? 0) + 1;
      }
    } else {
      // Enrolment of the programme's stages, whether or not they applied.
      const placeholders = p.stages.map(() => '?').join(',');
      const counts = ctx.store.sqlite
        .prepare(
          `SELECT c.id, c.grade, count(*) AS n FROM student s JOIN school_class c ON c.id = s.class_id
           WHERE s.status = 'enrolled' AND c.stage IN (${placeholders}) GROUP BY c.id`,
        )
        .all(...p.stages) as { id: number; grade: string; n: number }[];
      for (const c of counts) {
        const k = saved.distribution === 'class' ? String(c.id) : c.grade;
        distribution[k] = (distribution[k] ?? 0) + c.n;
      }
    }
  }
  const result = allocate({
    candidates: eligible.map((r) => {
      const f = facts.get(r.student_id)!;
      return { id: r.id, studentId: r.student_id, level: f.level, groups: f.flags.map((x) => x.group), score: f.score, groupKey: key(f) };
    }),
    quota,
    tiers: p.tiers,
    tierCounts: saved?.tierCounts ?? null,
    priorityGroups: p.topTierGroups,
    distribution,
  });
  let total = 0;
  const values: [number, number | null, string, 0 | 1, number | null, number | null][] = [];
  for (const r of result.rows) {
    const amount = r.funded ? (tierAmount(p, r.tier, facts.get(r.studentId)!.stage) ?? 0) : null;
    total += amount ?? 0;
    values.push([r.id, r.rank, r.reason, r.funded ? 1 : 0, r.tier, amount]);
  }
  for (const r of rows) {
    if (eligibleIds.has(r.id)) continue;
    const f = facts.get(r.student_id);
    values.push([r.id, null, f ? (ineligibility(p, f) ?? '已离校') : '学生不存在', 0, null, null]);
  }
  if (!a.dryRun) {
    // One statement for the whole list: thousands of rows are written in a few milliseconds, in one transaction.
    ctx.store.sqlite
      .prepare(
        `UPDATE application SET rank = v.value ->> 1, rank_reason = v.value ->> 2, funded = v.value ->> 3, tier = v.value ->> 4, amount_fen = v.value ->> 5,
           tier_reason = '', updated_at = ? FROM json_each(?) AS v WHERE application.id = v.value ->> 0`,
      )
      .run(nowIso(ctx), JSON.stringify(values));
  }
  const className = (id: number) => facts.get(id)?.className ?? null;
  return {
    quota,
    funded: result.rows.length - result.unfunded.length,
    tierCounts: result.tierCounts,
    shares: result.shares,
    total,
    unfunded: result.unfunded.map((u) => ({
      applicationId: u.id,
      name: facts.get(u.studentId)!.name,
      className: className(u.studentId),
      rank: u.rank,
      reason: u.reason,
    })),
  };
}

export function setTier(ctx: CoreContext, id: number, tier: TierNumber | null, reason: string): void {
  const r = loadRow(ctx, id);
  if (!ALLOCATABLE.includes(r.status as ApplicationStatus))
    throw new AppError('validation', `“${APPLICATION_STATUS_TEXT[r.status as ApplicationStatus]}”的申请不能再调整档次`);
  const p = loadProgramme(ctx, r.programme_id);
  if (tier !== null && !p.tiers.some((t) => t.tier === tier)) throw new AppError('validation', `“${p.name}”没有第 ${tier} 档`);
  const f = loadFacts(ctx, p.schoolYear).get(r.student_id);
  ctx.store.sqlite
    .prepare(`UPDATE application SET tier = ?, funded = ?, amount_fen = ?, tier_reason = ?, updated_at = ? WHERE id = ?`)
    .run(tier, tier === null ? 0 : 1, tier === null ? null : (tierAmount(p, tier, f?.stage ?? null) ?? 0), reason, nowIso(ctx), id);
}

export function applicationById(ctx: CoreContext, id: number) {
  const row = ctx.store.sqlite.prepare(`SELECT * FROM application WHERE id = ?`).get(id) as Parameters<typeof toApplication>[0];
  const p = programmeForTerm(ctx, row.programme_id, row.term as Parameters<typeof programmeForTerm>[2]);
  return toApplication(row, loadFacts(ctx, p.schoolYear).get(row.student_id), p);
}
