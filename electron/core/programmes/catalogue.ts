/** The programme catalogue per school year, and quotas per programme and term. */
import type { CallArgs } from '../../../shared/api';
import { TIER_TEXT, type Programme, type ProgrammeDefinition, type Quota, type TierNumber } from '../../../shared/domain/programme';
import type { SchoolYear, Term } from '../../../shared/domain/school';
import { AppError, notFound } from '../../../shared/errors';
import { DEFAULT_PROGRAMMES } from '../../../shared/rules/programme-catalogue';
import { previousSchoolYear, schoolYearOfTerm } from '../../../shared/rules/term';
import { nowIso, type CoreContext } from '../context';
import type { ProgrammeRow, QuotaRow } from '../db/schema';

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

export function rowToQuota(r: QuotaRow): Quota {
  return {
    programmeId: r.programme_id,
    term: r.term,
    count: r.count,
    tierCounts: r.tier_counts ? (JSON.parse(r.tier_counts) as Partial<Record<TierNumber, number>>) : null,
    budget: r.budget_fen,
    distribution: r.distribution,
    basis: r.basis,
  };
}

export function loadQuota(ctx: CoreContext, programmeId: number, term: string): Quota | null {
  const row = ctx.store.sqlite.prepare(`SELECT * FROM quota WHERE programme_id = ? AND term = ?`).get(programmeId, term) as
    QuotaRow | undefined;
  return row ? rowToQuota(row) : null;
}

export function getQuota(ctx: CoreContext, args: CallArgs<'quotas.get'>) {
  programmeForTerm(ctx, args.programmeId, args.term);
  return loadQuota(ctx, args.programmeId, args.term);
}

export function saveQuota(ctx: CoreContext, args: CallArgs<'quotas.save'>) {
  const p = programmeForTerm(ctx, args.programmeId, args.term);
  const tierCounts = args.tierCounts && Object.keys(args.tierCounts).length ? args.tierCounts : null;
  if (tierCounts) {
    const sum = Object.values(tierCounts).reduce((a, b) => a + (b ?? 0), 0);
    if (sum !== args.count) throw new AppError('validation', `各档人数合计 ${sum} 与名额 ${args.count} 不一致`);
    for (const t of Object.keys(tierCounts)) {
      if (!p.tiers.some((x) => String(x.tier) === t))
        throw new AppError('validation', `“${p.name}”没有${TIER_TEXT[Number(t) as TierNumber]}`);
    }
  }
  ctx.store.sqlite
    .prepare(
      `INSERT INTO quota (programme_id, term, count, tier_counts, budget_fen, distribution, basis, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (programme_id, term) DO UPDATE SET count = excluded.count, tier_counts = excluded.tier_counts, budget_fen = excluded.budget_fen,
         distribution = excluded.distribution, basis = excluded.basis, updated_at = excluded.updated_at`,
    )
    .run(
      args.programmeId,
      args.term,
      args.count,
      tierCounts ? JSON.stringify(tierCounts) : null,
      args.budget,
      args.distribution,
      args.basis,
      nowIso(ctx),
    );
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
