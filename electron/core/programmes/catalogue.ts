/** The programme catalogue per school year, and quotas per programme and term. */
import type { CallArgs } from '../../../shared/api';
import {
  TIER_TEXT,
  type Programme,
  type ProgrammeDefinition,
  type Quota,
  type SchoolQuota,
  type TierNumber,
} from '../../../shared/domain/programme';
import type { SchoolYear, Term } from '../../../shared/domain/school';
import { AppError, notFound } from '../../../shared/errors';
import { DEFAULT_PROGRAMMES } from '../../../shared/rules/programme-catalogue';
import { schoolQuotaProblem } from '../../../shared/rules/school-quotas';
import { previousSchoolYear, schoolYearOfTerm } from '../../../shared/rules/term';
import { nowIso, type CoreContext } from '../context';
import type { ProgrammeRow, QuotaRow, SchoolQuotaRow } from '../db/schema';
import { memberSchoolNames } from '../school/member-schools';

type Stored<T> = Omit<T, 'id'> & { id: number };

export function rowToProgramme(r: Stored<ProgrammeRow>): Programme {
  const definition = JSON.parse(r.definition) as ProgrammeDefinition;
  return {
    ...definition,
    // Definitions stored before these settings existed read as "no such rule".
    eligibility: { fourCategories: false, grades: [], ...definition.eligibility },
    id: r.id,
    code: r.code,
    schoolYear: r.school_year as SchoolYear,
    builtIn: r.built_in === 1,
  };
}

/**
 * The year's catalogue, created the first time the year is opened: from last year's (the clerk's edited
 * standards carry over) or, for the first year, from the national defaults.
 */
export function ensureCatalogue(ctx: CoreContext, year: SchoolYear): Programme[] {
  const sqlite = ctx.store.sqlite;
  const load = () =>
    (sqlite.prepare(`SELECT * FROM programme WHERE school_year = ? ORDER BY id`).all(year) as Stored<ProgrammeRow>[]).map(rowToProgramme);
  const existing = load();
  if (existing.length) return existing;
  const last = (
    sqlite.prepare(`SELECT * FROM programme WHERE school_year = ? ORDER BY id`).all(previousSchoolYear(year)) as Stored<ProgrammeRow>[]
  ).map(rowToProgramme);
  const at = nowIso(ctx);
  const insert = sqlite.prepare(
    `INSERT INTO programme (school_year, code, name, definition, built_in, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  sqlite
    .transaction(() => {
      if (last.length) {
        for (const { id: _id, code, schoolYear: _y, builtIn, ...definition } of last)
          insert.run(year, code, definition.name, JSON.stringify(definition), builtIn ? 1 : 0, at, at);
      } else {
        for (const [code, definition] of Object.entries(DEFAULT_PROGRAMMES))
          insert.run(year, code, definition.name, JSON.stringify(definition), 1, at, at);
      }
    })
    .immediate();
  return load();
}

export function loadProgramme(ctx: CoreContext, id: number): Programme {
  const row = ctx.store.sqlite.prepare(`SELECT * FROM programme WHERE id = ?`).get(id) as Stored<ProgrammeRow> | undefined;
  if (!row) throw notFound('该资助项目');
  return rowToProgramme(row);
}

export function saveProgramme(
  ctx: CoreContext,
  year: SchoolYear,
  a: { id?: number; code?: string; definition: ProgrammeDefinition },
): Programme {
  const sqlite = ctx.store.sqlite;
  const at = nowIso(ctx);
  const catalogue = ensureCatalogue(ctx, year);
  for (const code of a.definition.exclusive) {
    if (!catalogue.some((p) => p.code === code)) throw new AppError('validation', `不能兼得的项目“${code}”不在本学年的项目目录中`);
  }
  if (a.id !== undefined) {
    const current = loadProgramme(ctx, a.id);
    sqlite
      .prepare(`UPDATE programme SET name = ?, definition = ?, updated_at = ? WHERE id = ?`)
      .run(a.definition.name, JSON.stringify(a.definition), at, a.id);
    return loadProgramme(ctx, current.id);
  }
  if (!a.code) throw new AppError('validation', '新增项目须填写项目代码（如 school-aid-2）');
  if (catalogue.some((p) => p.code === a.code)) throw new AppError('duplicate', `本学年已有代码为“${a.code}”的项目`);
  const id = Number(
    sqlite
      .prepare(`INSERT INTO programme (school_year, code, name, definition, built_in, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)`)
      .run(year, a.code, a.definition.name, JSON.stringify(a.definition), at, at).lastInsertRowid,
  );
  return loadProgramme(ctx, id);
}

type TierCounts = Partial<Record<TierNumber, number>>;

const tierCountsOf = (json: string | null): TierCounts | null => (json ? (JSON.parse(json) as TierCounts) : null);

export function rowToQuota(r: QuotaRow, schools: SchoolQuota[] = []): Quota {
  return {
    programmeId: r.programme_id,
    term: r.term,
    count: r.count,
    tierCounts: tierCountsOf(r.tier_counts),
    budget: r.budget_fen,
    distribution: r.distribution,
    basis: r.basis,
    schools,
  };
}

/** The quota's division among the desk's schools, in the schools' order; [] when the desk ranks together. */
function loadSchoolQuotas(ctx: CoreContext, programmeId: number, term: string): SchoolQuota[] {
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT q.school_id, q.count, q.tier_counts FROM school_quota q JOIN member_school m ON m.id = q.school_id
       WHERE q.programme_id = ? AND q.term = ? ORDER BY m.id = 1 DESC, m.position, m.id`,
    )
    .all(programmeId, term) as Pick<SchoolQuotaRow, 'school_id' | 'count' | 'tier_counts'>[];
  return rows.map((r) => ({ schoolId: r.school_id, count: r.count, tierCounts: tierCountsOf(r.tier_counts) }));
}

export function loadQuota(ctx: CoreContext, programmeId: number, term: string): Quota | null {
  const row = ctx.store.sqlite.prepare(`SELECT * FROM quota WHERE programme_id = ? AND term = ?`).get(programmeId, term) as
    QuotaRow | undefined;
  return row ? rowToQuota(row, loadSchoolQuotas(ctx, programmeId, term)) : null;
}

export function getQuota(ctx: CoreContext, args: CallArgs<'quotas.get'>) {
  programmeForTerm(ctx, args.programmeId, args.term);
  return loadQuota(ctx, args.programmeId, args.term);
}

const nonEmpty = (t: TierCounts | null | undefined): TierCounts | null => (t && Object.keys(t).length ? t : null);

/** The one writer of `quota` and `school_quota`: the county's figures and their division among the schools, together. */
export function saveQuota(ctx: CoreContext, args: CallArgs<'quotas.save'>) {
  const p = programmeForTerm(ctx, args.programmeId, args.term);
  const tierCounts = nonEmpty(args.tierCounts);
  if (tierCounts) {
    const sum = Object.values(tierCounts).reduce((a, b) => a + (b ?? 0), 0);
    if (sum !== args.count) throw new AppError('validation', `各档人数合计 ${sum} 与名额 ${args.count} 不一致`);
    for (const t of Object.keys(tierCounts)) {
      if (!p.tiers.some((x) => String(x.tier) === t))
        throw new AppError('validation', `“${p.name}”没有${TIER_TEXT[Number(t) as TierNumber]}`);
    }
  }
  const kept = args.schools === undefined;
  const parts: SchoolQuota[] = kept
    ? loadSchoolQuotas(ctx, args.programmeId, args.term)
    : args.schools!.map((x) => ({ schoolId: x.schoolId, count: x.count, tierCounts: nonEmpty(x.tierCounts) }));
  const names = memberSchoolNames(ctx);
  for (const part of parts)
    if (!names.has(part.schoolId)) throw new AppError('not-found', '没有这所学校（校点）：可能已被删除，请刷新后重选');
  const problem = schoolQuotaProblem({ count: args.count, tierCounts }, parts, p.tiers, (id) => names.get(id) ?? '');
  if (problem) throw new AppError('validation', kept ? `名额已分到各校，${problem}：请同时调整各校名额` : problem);
  const sqlite = ctx.store.sqlite;
  const at = nowIso(ctx);
  const upsert = sqlite.prepare(
    `INSERT INTO quota (programme_id, term, count, tier_counts, budget_fen, distribution, basis, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (programme_id, term) DO UPDATE SET count = excluded.count, tier_counts = excluded.tier_counts, budget_fen = excluded.budget_fen,
       distribution = excluded.distribution, basis = excluded.basis, updated_at = excluded.updated_at`,
  );
  // Only the parts that change are written, so the audit trail says what moved.
  const upsertPart = sqlite.prepare(
    `INSERT INTO school_quota (programme_id, term, school_id, count, tier_counts, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (programme_id, term, school_id) DO UPDATE SET count = excluded.count, tier_counts = excluded.tier_counts,
       updated_at = excluded.updated_at WHERE count IS NOT excluded.count OR tier_counts IS NOT excluded.tier_counts`,
  );
  const dropPart = sqlite.prepare(`DELETE FROM school_quota WHERE programme_id = ? AND term = ? AND school_id = ?`);
  sqlite.transaction(() => {
    upsert.run(
      args.programmeId,
      args.term,
      args.count,
      tierCounts ? JSON.stringify(tierCounts) : null,
      args.budget,
      args.distribution,
      args.basis,
      at,
    );
    if (kept) return;
    const wanted = new Set(parts.map((x) => x.schoolId));
    for (const old of loadSchoolQuotas(ctx, args.programmeId, args.term))
      if (!wanted.has(old.schoolId)) dropPart.run(args.programmeId, args.term, old.schoolId);
    for (const part of parts)
      upsertPart.run(args.programmeId, args.term, part.schoolId, part.count, part.tierCounts ? JSON.stringify(part.tierCounts) : null, at);
  })();
  return loadQuota(ctx, args.programmeId, args.term) as Quota;
}

/** The programme, checked to belong to the term's school year. */
export function programmeForTerm(ctx: CoreContext, programmeId: number, term: Term): Programme {
  const p = loadProgramme(ctx, programmeId);
  const year = schoolYearOfTerm(term);
  if (p.schoolYear !== year)
    throw new AppError('validation', `“${p.name}”是 ${p.schoolYear} 学年目录中的项目，${term} 属于 ${year} 学年：请选择该学年的项目`);
  return p;
}
