import type { CallArgs } from '../../../shared/api';
import {
  LEVEL_TEXT,
  type DifficultyLevel,
  type Identification,
  type PanelReview,
  type ScoreLine,
} from '../../../shared/domain/identification';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../shared/domain/priority-group';
import type { SchoolYear } from '../../../shared/domain/school';
import { AppError, notFound } from '../../../shared/errors';
import { DEFAULT_RUBRIC, RUBRIC_EXPLANATION, scoreCase, type ScoringRubric } from '../../../shared/rules/scoring';
import { notAfterToday, nowIso, type CoreContext } from '../context';
import type { IdentificationRow } from '../db/schema';
import { loadSurvey } from './survey-rows';
import { readSetting, writeSetting } from '../settings';
import { yearOf } from '../school/school';
import { loadFlags } from '../students/flags';

type StoredIdentification = Omit<IdentificationRow, 'id'> & { id: number; held_on?: string | null };

export function rowToIdentification(r: StoredIdentification): Identification {
  return {
    id: r.id,
    studentId: r.student_id,
    schoolYear: r.school_year as SchoolYear,
    status: r.status,
    score: r.score,
    suggestedLevel: r.suggested_level,
    scoreLines: JSON.parse(r.score_lines) as ScoreLine[],
    direct: r.direct === 1,
    directGroups: JSON.parse(r.direct_groups) as PriorityGroup[],
    panelReviewId: r.panel_review_id,
    panelHeldOn: r.held_on ?? null,
    votes: r.votes_agree === null ? null : { agree: r.votes_agree, disagree: r.votes_disagree ?? 0, abstain: r.votes_abstain ?? 0 },
    panelLevel: r.panel_level,
    level: r.level,
    reason: r.reason,
    decidedOn: r.decided_on,
    decidedBy: r.decided_by,
    reopenReason: r.reopen_reason,
    previousId: r.previous_id,
    createdAt: r.created_at,
  };
}

const RUBRIC_KEY = 'scoringRubric';

export function currentRubric(ctx: CoreContext): ScoringRubric {
  return readSetting<ScoringRubric>(ctx, RUBRIC_KEY) ?? DEFAULT_RUBRIC;
}

function loadIdentification(ctx: CoreContext, id: number): StoredIdentification {
  const row = ctx.store.sqlite
    .prepare(`SELECT i.*, p.held_on FROM identification i LEFT JOIN panel_review p ON p.id = i.panel_review_id WHERE i.id = ?`)
    .get(id) as StoredIdentification | undefined;
  if (!row) throw notFound('该认定记录');
  return row;
}

function studentName(ctx: CoreContext, studentId: number): string {
  return (ctx.store.sqlite.prepare(`SELECT name FROM student WHERE id = ?`).pluck().get(studentId) as string | undefined) ?? '该学生';
}

/** What a decision was made on, frozen with it: later survey edits do not change a past decision. */
function snapshotOf(ctx: CoreContext, studentId: number, year: string): string {
  return JSON.stringify({ survey: loadSurvey(ctx.store.sqlite, studentId, year), flags: loadFlags(ctx, studentId) });
}

/**
 * Decides one open case inside a transaction. The level must match the score's suggestion unless a
 * reason is given; a direct identification carries its own reason.
 */
export function decideCase(
  ctx: CoreContext,
  id: number,
  level: DifficultyLevel,
  reason: string,
  decidedOn: string,
  decidedBy: string,
): void {
  notAfterToday(ctx, decidedOn, '认定日期');
  const row = loadIdentification(ctx, id);
  const name = studentName(ctx, row.student_id);
  if (row.status !== 'open') throw new AppError('identification-not-open', `${name}的认定已经作出，如需调整请先“重新认定”并写明原因`);
  const suggested = row.suggested_level;
  if (!row.direct && suggested !== null && suggested !== level && reason.trim().length < 2) {
    throw new AppError('reason-required', `${name}：认定为“${LEVEL_TEXT[level]}”，与评分建议“${LEVEL_TEXT[suggested]}”不同，请写明理由`, {
      identificationId: id,
    });
  }
  if (!row.direct && suggested === null && reason.trim().length < 2 && row.panel_level === null) {
    throw new AppError('reason-required', `${name}还没有量化评分，也没有班级评议意见：请先评分，或写明认定理由`, { identificationId: id });
  }
  ctx.store.sqlite
    .prepare(
      `UPDATE identification SET status = 'decided', level = ?, reason = ?, decided_on = ?, decided_by = ?, snapshot = ?, updated_at = ? WHERE id = ?`,
    )
    .run(level, reason.trim(), decidedOn, decidedBy, snapshotOf(ctx, row.student_id, row.school_year), nowIso(ctx), id);
}

/** Re-opens a decided case: the old row becomes history and a new open case starts from it. */
export function reopenCase(ctx: CoreContext, id: number, reason: string): number {
  const row = loadIdentification(ctx, id);
  if (row.status !== 'decided')
    throw new AppError('identification-not-decided', `${studentName(ctx, row.student_id)}的认定尚未作出，不需要重新认定`);
  const at = nowIso(ctx);
  ctx.store.sqlite.prepare(`UPDATE identification SET status = 'superseded', updated_at = ? WHERE id = ?`).run(at, id);
  return Number(
    ctx.store.sqlite
      .prepare(
        `INSERT INTO identification (student_id, school_year, status, score, suggested_level, score_lines, direct, direct_groups, reopen_reason, previous_id, created_at, updated_at)
         VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.student_id,
        row.school_year,
        row.score,
        row.suggested_level,
        row.score_lines,
        row.direct,
        row.direct_groups,
        reason,
        id,
        at,
        at,
      ).lastInsertRowid,
  );
}

function scoreStudent(
  ctx: CoreContext,
  studentId: number,
  year: string,
  rubric: ScoringRubric,
): { score: number; level: DifficultyLevel; lines: ScoreLine[] } {
  const survey = loadSurvey(ctx.store.sqlite, studentId, year);
  const groups = loadFlags(ctx, studentId).map((f) => f.group);
  return scoreCase({ survey, perCapitaIncome: survey?.perCapitaIncome ?? null, groups }, rubric);
}

export function getRubric(ctx: CoreContext) {
  const saved = readSetting<ScoringRubric>(ctx, RUBRIC_KEY);
  return { rubric: saved ?? DEFAULT_RUBRIC, isDefault: saved === null, explanation: RUBRIC_EXPLANATION };
}

export function saveRubric(ctx: CoreContext, args: CallArgs<'rubric.save'>) {
  writeSetting(ctx, RUBRIC_KEY, args.rubric);
  return currentRubric(ctx);
}

export async function scoreCases(ctx: CoreContext, args: CallArgs<'identification.score'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const rubric = currentRubric(ctx);
  const sqlite = ctx.store.sqlite;
  let ids: number[];
  if (args.studentIds) ids = args.studentIds;
  else {
    ids = sqlite
      .prepare(
        `SELECT f.student_id FROM family_survey f JOIN student s ON s.id = f.student_id
         WHERE f.school_year = ? AND s.status = 'enrolled' ${args.classId !== null ? 'AND s.class_id = ?' : ''}`,
      )
      .pluck()
      .all(...(args.classId !== null ? [year, args.classId] : [year])) as number[];
  }
  const at = nowIso(ctx);
  return sqlite
    .transaction(() => {
      let scored = 0;
      for (const studentId of ids) {
        if (!loadSurvey(sqlite, studentId, year)) {
          if (args.studentIds) throw new AppError('survey-missing', `${studentName(ctx, studentId)}还没有${year}学年的调查表，无法评分`);
          continue;
        }
        const current = sqlite
          .prepare(`SELECT id, status FROM identification WHERE student_id = ? AND school_year = ? AND status <> 'superseded'`)
          .get(studentId, year) as { id: number; status: string } | undefined;
        if (current?.status === 'decided') continue;
        const result = scoreStudent(ctx, studentId, year, rubric);
        if (current) {
          sqlite
            .prepare(`UPDATE identification SET score = ?, suggested_level = ?, score_lines = ?, updated_at = ? WHERE id = ?`)
            .run(result.score, result.level, JSON.stringify(result.lines), at, current.id);
        } else {
          sqlite
            .prepare(
              `INSERT INTO identification (student_id, school_year, status, score, suggested_level, score_lines, created_at, updated_at) VALUES (?, ?, 'open', ?, ?, ?, ?, ?)`,
            )
            .run(studentId, year, result.score, result.level, JSON.stringify(result.lines), at, at);
        }
        scored++;
      }
      return { scored };
    })
    .immediate();
}

export async function identifyDirectly(ctx: CoreContext, args: CallArgs<'identification.direct'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const sqlite = ctx.store.sqlite;
  const placeholders = args.groups.map(() => '?').join(',');
  const rows = sqlite
    .prepare(
      `SELECT p.student_id, group_concat(DISTINCT p.grp) AS groups FROM priority_flag p JOIN student s ON s.id = p.student_id
       WHERE p.source = 'countyList' AND s.status = 'enrolled' AND p.grp IN (${placeholders}) GROUP BY p.student_id`,
    )
    .all(...args.groups) as { student_id: number; groups: string }[];
  const at = nowIso(ctx);
  return sqlite
    .transaction(() => {
      let identified = 0;
      let skipped = 0;
      for (const r of rows) {
        const current = sqlite
          .prepare(`SELECT id, status FROM identification WHERE student_id = ? AND school_year = ? AND status <> 'superseded'`)
          .get(r.student_id, year) as { id: number; status: string } | undefined;
        if (current?.status === 'decided') {
          skipped++;
          continue;
        }
        const groups = r.groups.split(',') as PriorityGroup[];
        const reason = `县级名单确认：${groups.map((g) => PRIORITY_GROUPS[g]).join('、')}，按规定直接认定`;
        let id = current?.id;
        if (id === undefined) {
          id = Number(
            sqlite
              .prepare(
                `INSERT INTO identification (student_id, school_year, status, direct, direct_groups, created_at, updated_at) VALUES (?, ?, 'open', 1, ?, ?, ?)`,
              )
              .run(r.student_id, year, JSON.stringify(groups), at, at).lastInsertRowid,
          );
        } else {
          sqlite
            .prepare(`UPDATE identification SET direct = 1, direct_groups = ?, updated_at = ? WHERE id = ?`)
            .run(JSON.stringify(groups), at, id);
        }
        decideCase(ctx, id, args.level, reason, args.decidedOn, args.decidedBy);
        identified++;
      }
      return { identified, skipped };
    })
    .immediate();
}

export async function recordPanel(ctx: CoreContext, args: CallArgs<'identification.panel'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const sqlite = ctx.store.sqlite;
  const cls = sqlite.prepare(`SELECT name FROM school_class WHERE id = ?`).pluck().get(args.classId) as string | undefined;
  if (!cls) throw notFound('该班级');
  const at = nowIso(ctx);
  const id = sqlite
    .transaction(() => {
      const reviewId = Number(
        sqlite
          .prepare(`INSERT INTO panel_review (school_year, class_id, held_on, members, created_at) VALUES (?, ?, ?, ?, ?)`)
          .run(year, args.classId, args.heldOn, JSON.stringify(args.members), at).lastInsertRowid,
      );
      for (const v of args.votes) {
        const row = loadIdentification(ctx, v.identificationId);
        const name = studentName(ctx, row.student_id);
        const classId = sqlite.prepare(`SELECT class_id FROM student WHERE id = ?`).pluck().get(row.student_id) as number | null;
        if (classId !== args.classId || row.school_year !== year)
          throw new AppError('panel-wrong-class', `${name}不在${cls}，不能由该班评议小组评议`);
        if (row.status !== 'open')
          throw new AppError('identification-not-open', `${name}的认定已经作出，不能再评议；如需调整请先“重新认定”`);
        if (v.agree + v.disagree + v.abstain > args.members.length) {
          throw new AppError(
            'panel-votes',
            `${name}：票数合计 ${v.agree + v.disagree + v.abstain} 超过评议小组人数 ${args.members.length}`,
          );
        }
        sqlite
          .prepare(
            `UPDATE identification SET panel_review_id = ?, votes_agree = ?, votes_disagree = ?, votes_abstain = ?, panel_level = ?, updated_at = ? WHERE id = ?`,
          )
          .run(reviewId, v.agree, v.disagree, v.abstain, v.proposal, at, v.identificationId);
      }
      return reviewId;
    })
    .immediate();
  return { id, schoolYear: year, classId: args.classId, className: cls, heldOn: args.heldOn, members: args.members };
}

export function decideCases(ctx: CoreContext, args: CallArgs<'identification.decide'>) {
  return ctx.store.sqlite
    .transaction(() => {
      for (const d of args.decisions) decideCase(ctx, d.identificationId, d.level, d.reason, args.decidedOn, args.decidedBy);
      return { decided: args.decisions.length };
    })
    .immediate();
}

export function reopenCases(ctx: CoreContext, args: CallArgs<'identification.reopen'>) {
  const id = ctx.store.sqlite.transaction(() => reopenCase(ctx, args.identificationId, args.reason)).immediate();
  return rowToIdentification(loadIdentification(ctx, id));
}

export async function caseDetail(ctx: CoreContext, args: CallArgs<'identification.case'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT i.*, p.held_on FROM identification i LEFT JOIN panel_review p ON p.id = i.panel_review_id
       WHERE i.student_id = ? ORDER BY i.school_year DESC, i.id DESC`,
    )
    .all(args.studentId) as StoredIdentification[];
  const all = rows.map(rowToIdentification);
  const current = all.find((i) => i.schoolYear === year && i.status !== 'superseded') ?? null;
  return { current, history: all.filter((i) => i !== current) };
}

export async function listPanels(ctx: CoreContext, args: CallArgs<'identification.panels'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT p.*, c.name AS class_name FROM panel_review p JOIN school_class c ON c.id = p.class_id WHERE p.school_year = ? ORDER BY p.id DESC`,
    )
    .all(year) as { id: number; class_id: number; class_name: string; held_on: string; members: string }[];
  return rows.map((r): PanelReview => ({
    id: r.id,
    schoolYear: year,
    classId: r.class_id,
    className: r.class_name,
    heldOn: r.held_on,
    members: JSON.parse(r.members) as string[],
  }));
}
