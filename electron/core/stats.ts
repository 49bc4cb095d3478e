/**
 * Statistics for reports, computed from what was actually paid (or waived): a payment row marked paid is one
 * aid instance; groups and boarding come from the snapshot frozen when the application was approved.
 */
import ExcelJS from 'exceljs';
import type { FileResult } from '../../shared/api/common';
import type { ApplicationSnapshot } from '../../shared/domain/application';
import type { Programme, ProgrammeKind } from '../../shared/domain/programme';
import { STAGE_TEXT, STAGES, type SchoolYear, type Stage, type Term } from '../../shared/domain/school';
import {
  SECTION_OF_STAGE,
  SECTION_TEXT,
  STATS_GROUP_FLAGS,
  STATS_GROUP_TEXT,
  STATS_GROUPS,
  type Figures,
  type PeriodStats,
  type ProgrammeFigures,
  type Section,
  type Stats,
  type StatsGroup,
} from '../../shared/domain/stats';
import { isSchoolYear, previousSchoolYear, previousTerm, termsOfSchoolYear, termText } from '../../shared/rules/term';
import { workSummary } from '../../shared/rules/work-summary';
import type { CoreContext } from './context';
import { listAllocations, listMovements } from './funds/funds';
import { hasMemberSchools, listMemberSchools } from './school/member-schools';
import { mergeSources, sourceFigures } from '../../shared/rules/funds';

const SECTION_ORDER: Section[] = ['preschool', 'compulsory', 'senior', 'vocational'];

interface Accumulator {
  students: Set<number>;
  instances: number;
  amount: number;
  waived: number;
  groups: Record<StatsGroup, Set<number>>;
  boarders: Set<number>;
  day: Set<number>;
}

const emptyAcc = (): Accumulator => ({
  students: new Set(),
  instances: 0,
  amount: 0,
  waived: 0,
  groups: Object.fromEntries(STATS_GROUPS.map((g) => [g, new Set<number>()])) as Record<StatsGroup, Set<number>>,
  boarders: new Set(),
  day: new Set(),
});

function figures(a: Accumulator): Figures {
  return {
    students: a.students.size,
    instances: a.instances,
    amount: a.amount,
    waived: a.waived,
    groups: Object.fromEntries(STATS_GROUPS.map((g) => [g, a.groups[g].size])) as Record<StatsGroup, number>,
    boarders: a.boarders.size,
    day: a.day.size,
  };
}

function terms(period: Term | SchoolYear): Term[] {
  return isSchoolYear(period) ? termsOfSchoolYear(period) : [period];
}

function periodLabel(period: Term | SchoolYear): string {
  return isSchoolYear(period) ? `${period.slice(0, 4)}—${period.slice(5)}学年` : termText(period);
}

export function periodStats(ctx: CoreContext, period: Term | SchoolYear): PeriodStats {
  const list = terms(period);
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT a.student_id, a.snapshot, p.amount_fen, p.channel, g.code, g.name, g.definition, s.boarding, c.stage, s.school_id
    FROM payment p JOIN application a ON a.id = p.application_id JOIN programme g ON g.id = a.programme_id
    JOIN student s ON s.id = a.student_id LEFT JOIN school_class c ON c.id = s.class_id
    WHERE p.outcome = 'paid' AND a.term IN (${list.map(() => '?').join(',')})
    UNION ALL
    SELECT d.student_id, NULL, d.value_fen, 'inKind', g.code, g.name, g.definition, s.boarding, c.stage, s.school_id
    FROM in_kind_distribution d JOIN programme g ON g.id = d.programme_id
    JOIN student s ON s.id = d.student_id LEFT JOIN school_class c ON c.id = s.class_id
    WHERE d.term IN (${list.map(() => '?').join(',')})
    ORDER BY 5`,
    )
    .all(...list, ...list) as {
    student_id: number;
    snapshot: string | null;
    amount_fen: number;
    channel: string;
    code: string;
    name: string;
    definition: string;
    boarding: number | null;
    stage: string | null;
    school_id: number;
  }[];
  const byProgramme = new Map<
    string,
    { acc: Accumulator; name: string; kind: ProgrammeKind; section: Section; code: string; universal: boolean }
  >();
  const bySection = new Map<Section, Accumulator>();
  const byStage = new Map<Stage, Accumulator>();
  const total = emptyAcc();
  const bySchool = new Map<number, Accumulator>();
  for (const r of rows) {
    const def = JSON.parse(r.definition) as Pick<Programme, 'kind' | 'stages' | 'eligibility'>;
    const snap = r.snapshot ? (JSON.parse(r.snapshot) as ApplicationSnapshot) : null;
    const stage = snap?.stage ?? (r.stage as ApplicationSnapshot['stage']) ?? def.stages[0] ?? 'primary';
    const section = SECTION_OF_STAGE[stage];
    const boarding = snap ? snap.boarding : r.boarding === null ? null : r.boarding === 1;
    const groups = snap?.groups ?? [];
    // A programme spanning sections (校内资助, 社会捐助) is counted in each section it paid in.
    const key = `${r.code}:${section}`;
    // Things given to every student (免费教科书) are counted by value and 人次 in their own row, not as students in hardship aided.
    const universal = def.kind === 'inKind' && def.eligibility.everyone;
    const p = byProgramme.get(key) ?? { acc: emptyAcc(), name: r.name, kind: def.kind, section, code: r.code, universal };
    byProgramme.set(key, p);
    const s = bySection.get(section) ?? emptyAcc();
    const st = byStage.get(stage) ?? emptyAcc();
    const sc = bySchool.get(r.school_id) ?? emptyAcc();
    if (!universal) {
      bySection.set(section, s);
      byStage.set(stage, st);
      bySchool.set(r.school_id, sc);
    }
    for (const acc of universal ? [p.acc] : [p.acc, s, st, sc, total]) {
      acc.students.add(r.student_id);
      acc.instances++;
      if (r.channel === 'waiver' || r.channel === 'inKind') acc.waived += r.amount_fen;
      else acc.amount += r.amount_fen;
      for (const g of STATS_GROUPS) if (STATS_GROUP_FLAGS[g].some((f) => groups.includes(f))) acc.groups[g].add(r.student_id);
      if (boarding === true) acc.boarders.add(r.student_id);
      if (boarding === false) acc.day.add(r.student_id);
    }
  }
  const programmes: ProgrammeFigures[] = [...byProgramme.values()].map((p) => ({
    programmeCode: p.code,
    programmeName: p.name,
    kind: p.kind,
    section: p.section,
    ...(p.universal ? { universal: true } : {}),
    ...figures(p.acc),
  }));
  programmes.sort((a, b) => SECTION_ORDER.indexOf(a.section) - SECTION_ORDER.indexOf(b.section));
  const sections = SECTION_ORDER.filter((s) => bySection.has(s)).map((section) => ({ section, ...figures(bySection.get(section)!) }));
  const stages = STAGES.filter((x) => byStage.has(x)).map((stage) => ({ stage, ...figures(byStage.get(stage)!) }));
  const enrolled = ctx.store.sqlite.prepare(`SELECT count(*) FROM student WHERE status = 'enrolled'`).pluck().get() as number;
  // 中心校 and 校点 apart, every school listed (one with nobody aided shows its zero), only on a desk that keeps several.
  const schools = hasMemberSchools(ctx)
    ? listMemberSchools(ctx).map((m) => ({
        schoolId: m.id,
        schoolName: m.name,
        enrolled: m.studentCount,
        ...figures(bySchool.get(m.id) ?? emptyAcc()),
      }))
    : [];
  const funds = mergeSources(list.map((t) => sourceFigures(listAllocations(ctx, t), listMovements(ctx, t))))
    .map((s) => ({ source: s.source, amount: s.received + s.carriedIn }))
    .filter((s) => s.amount > 0);
  return { period, label: periodLabel(period), programmes, sections, stages, total: figures(total), schools, enrolled, funds };
}

export function stats(ctx: CoreContext, period: Term | SchoolYear): Stats {
  const previous = isSchoolYear(period) ? previousSchoolYear(period) : previousTerm(period);
  return { current: periodStats(ctx, period), previous: periodStats(ctx, previous) };
}

export function summaryText(ctx: CoreContext, period: Term | SchoolYear): string {
  const school = ctx.store.sqlite.prepare(`SELECT name FROM school LIMIT 1`).pluck().get() as string | undefined;
  return workSummary(stats(ctx, period), school ?? '我校');
}

const HEADERS = [
  '学段',
  '项目',
  '人数',
  '人次',
  '发放金额（元）',
  '减免/实物（元）',
  ...STATS_GROUPS.map((g) => STATS_GROUP_TEXT[g]),
  '寄宿生',
  '走读生',
];

function figureCells(f: Figures): (number | string)[] {
  return [f.students, f.instances, f.amount / 100, f.waived / 100, ...STATS_GROUPS.map((g) => f.groups[g]), f.boarders, f.day];
}

/** The same tables as a workbook: this period, the previous one, and the summary paragraph. */
export async function exportStats(ctx: CoreContext, period: Term | SchoolYear): Promise<FileResult> {
  const s = stats(ctx, period);
  const wb = new ExcelJS.Workbook();
  for (const p of [s.current, s.previous]) {
    const ws = wb.addWorksheet(p.label.slice(0, 31), {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    ws.columns = HEADERS.map((h, i) => ({ width: i === 1 ? 30 : Math.max(10, h.length * 2 + 2) }));
    ws.addRow([`${p.label}学生资助统计表`]).font = { bold: true, size: 14 };
    ws.mergeCells(1, 1, 1, HEADERS.length);
    const head = ws.addRow(HEADERS);
    head.font = { bold: true };
    for (const sec of p.sections) {
      for (const pr of p.programmes.filter((x) => x.section === sec.section))
        ws.addRow([SECTION_TEXT[pr.section], pr.programmeName, ...figureCells(pr)]);
      ws.addRow([SECTION_TEXT[sec.section], '小计', ...figureCells(sec)]).font = { bold: true };
    }
    ws.addRow(['合计', '', ...figureCells(p.total)]).font = { bold: true };
    ws.addRow([]);
    ws.addRow(['按学段', '']).font = { bold: true };
    for (const st of p.stages) ws.addRow([STAGE_TEXT[st.stage], '', ...figureCells(st)]);
    if (p.schools.length) {
      ws.addRow([]);
      ws.addRow(['按学校', '在校学生']).font = { bold: true };
      for (const sc of p.schools) ws.addRow([sc.schoolName, sc.enrolled, ...figureCells(sc)]);
    }
    for (const col of [5, 6]) ws.getColumn(col).numFmt = '#,##0.00';
  }
  const text = wb.addWorksheet('工作总结');
  text.getColumn(1).width = 120;
  text.addRow(['工作总结数据（可复制到总结中）']).font = { bold: true };
  const cell = text.addRow([summaryText(ctx, period)]).getCell(1);
  cell.alignment = { wrapText: true, vertical: 'top' };
  text.getRow(2).height = 160;
  const data = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: `${s.current.label}资助统计.xlsx`, dataBase64: data.toString('base64') };
}
