import type { CallArgs } from '../../../shared/api';
import type { SchoolYear } from '../../../shared/domain/school';
import { type HomeVisit, type VisitSample } from '../../../shared/domain/survey';
import { AppError } from '../../../shared/errors';
import { drawSample } from '../../../shared/rules/sample';
import { nowIso, today, type CoreContext } from '../context';
import { yearOf } from '../school/school';
import { loadBasics } from './surveys';

export async function listVisits(ctx: CoreContext, args: CallArgs<'visits.list'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT v.*, s.name AS student_name, c.name AS class_name FROM home_visit v JOIN student s ON s.id = v.student_id
       LEFT JOIN school_class c ON c.id = s.class_id
       WHERE ${args.studentId ? 'v.student_id = ?' : 'v.school_year = ?'} ORDER BY v.visited_on DESC, v.id DESC`,
    )
    .all(args.studentId ?? year) as {
    id: number;
    student_id: number;
    student_name: string;
    class_name: string | null;
    school_year: string;
    visited_on: string;
    visitors: string;
    way: HomeVisit['way'];
    findings: string;
    follow_up: string;
    sample_id: number | null;
  }[];
  return rows.map((r): HomeVisit => ({
    id: r.id,
    studentId: r.student_id,
    studentName: r.student_name,
    className: r.class_name,
    schoolYear: r.school_year as SchoolYear,
    visitedOn: r.visited_on,
    visitors: r.visitors,
    way: r.way,
    findings: r.findings,
    followUp: r.follow_up,
    sampleId: r.sample_id,
  }));
}

export async function addVisit(ctx: CoreContext, args: CallArgs<'visits.add'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const s = loadBasics(ctx, args.studentId);
  if (args.visitedOn > today(ctx)) throw new AppError('validation', `家访日期 ${args.visitedOn} 晚于今天`);
  // A visit to a sampled family counts for the newest sample still waiting for it, unless told otherwise.
  const sampleId =
    args.sampleId ??
    (ctx.store.sqlite
      .prepare(
        `SELECT m.id FROM visit_sample m WHERE m.school_year = ? AND EXISTS (SELECT 1 FROM json_each(m.student_ids) j WHERE j.value = ?)
           AND NOT EXISTS (SELECT 1 FROM home_visit v WHERE v.sample_id = m.id AND v.student_id = ?) ORDER BY m.id DESC LIMIT 1`,
      )
      .pluck()
      .get(year, s.id, s.id) as number | undefined) ??
    null;
  const id = Number(
    ctx.store.sqlite
      .prepare(
        `INSERT INTO home_visit (student_id, school_year, visited_on, visitors, way, findings, follow_up, sample_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.id, year, args.visitedOn, args.visitors, args.way, args.findings, args.followUp, sampleId, nowIso(ctx)).lastInsertRowid,
  );
  return {
    id,
    studentId: s.id,
    studentName: s.name,
    className: s.class_name,
    schoolYear: year,
    visitedOn: args.visitedOn,
    visitors: args.visitors,
    way: args.way,
    findings: args.findings,
    followUp: args.followUp,
    sampleId,
  };
}

export async function drawVisitSample(ctx: CoreContext, args: CallArgs<'visits.drawSample'>) {
  const year = await yearOf(ctx, args.schoolYear);
  const population = ctx.store.sqlite
    .prepare(
      `SELECT i.student_id FROM identification i JOIN student s ON s.id = i.student_id
       WHERE i.school_year = ? AND i.status = 'decided' AND i.level <> 'none' AND s.status = 'enrolled'`,
    )
    .pluck()
    .all(year) as number[];
  if (population.length === 0) throw new AppError('sample-empty', `${year}学年还没有认定为困难的学生，无法抽取核查家访对象`);
  // Recorded with the sample, so anyone can draw it again and get the same students.
  const seed = args.seed || `${year}-${today(ctx)}-${ctx.newId().slice(0, 6)}`;
  const ids = drawSample(population, args.percent, seed);
  const id = Number(
    ctx.store.sqlite
      .prepare(`INSERT INTO visit_sample (school_year, percent, seed, population, student_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(year, args.percent, seed, population.length, JSON.stringify(ids), nowIso(ctx)).lastInsertRowid,
  );
  return loadSamples(ctx, year).find((s) => s.id === id)!;
}

export async function visitSamples(ctx: CoreContext, args: CallArgs<'visits.samples'>) {
  return loadSamples(ctx, await yearOf(ctx, args.schoolYear));
}

function loadSamples(ctx: CoreContext, year: SchoolYear): VisitSample[] {
  const rows = ctx.store.sqlite.prepare(`SELECT * FROM visit_sample WHERE school_year = ? ORDER BY id DESC`).all(year) as {
    id: number;
    percent: number;
    seed: string;
    population: number;
    student_ids: string;
    created_at: string;
  }[];
  const student = ctx.store.sqlite.prepare(
    `SELECT s.name, c.name AS class_name, EXISTS (SELECT 1 FROM home_visit v WHERE v.student_id = s.id AND v.school_year = ? AND v.sample_id = ?) AS visited
     FROM student s LEFT JOIN school_class c ON c.id = s.class_id WHERE s.id = ?`,
  );
  return rows.map((r) => ({
    id: r.id,
    schoolYear: year,
    percent: r.percent,
    seed: r.seed,
    population: r.population,
    createdAt: r.created_at,
    students: (JSON.parse(r.student_ids) as number[]).map((id) => {
      const s = student.get(year, r.id, id) as { name: string; class_name: string | null; visited: number };
      return { id, name: s.name, className: s.class_name, visited: s.visited === 1 };
    }),
  }));
}
