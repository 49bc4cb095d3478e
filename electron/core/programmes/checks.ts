/** Gathers a term's applications and runs the inspectors' checks over them; the findings export to .xlsx. */
import ExcelJS from 'exceljs';
import type { FileResult } from '../../../shared/api/common';
import type { Finding, FindingPage } from '../../../shared/domain/application';
import type { Term } from '../../../shared/domain/school';
import { nobodyMissed, runChecks, type CheckedApplication, type CheckedProgramme } from '../../../shared/rules/aid-checks';
import { eligibilityGroups, isNeedBased } from '../../../shared/rules/eligibility';
import type { Programme } from '../../../shared/domain/programme';
import { AppError } from '../../../shared/errors';
import { LIVE_STATUSES } from '../../../shared/rules/application-status';
import { schoolYearOfTerm, termText } from '../../../shared/rules/term';
import { nowIso, type CoreContext } from '../context';
import { all, dataStamp, first, run, tuples } from '../db/query';
import { ensureCatalogue, loadQuota, programmeForTerm } from './catalogue';
import { loadFacts } from './facts';
import { householdMap } from '../students/households';
import type { CallArgs } from '../../../shared/api';
import { requireSchool } from '../school/school';
import { requireMemberSchool } from '../school/member-schools';

/**
 * Programmes whose eligible students must all be seen: the national ones (built in), not the school's own
 * funds or donations, which never promise aid to everyone eligible.
 */
const SCHOOL_FUNDED = ['school-aid', 'donation'];

/**
 * The term's findings; `schoolId`: one school's (its students', its part of a divided quota) with the findings
 * about the desk's programme as a whole, which every school shares.
 */
export function checkTerm(ctx: CoreContext, term: Term, programmeId: number | null, schoolId: number | null = null): Finding[] {
  const year = schoolYearOfTerm(term);
  const catalogue = ensureCatalogue(ctx, year);
  const programmes = new Map<string, CheckedProgramme>();
  const codeOf = new Map<number, string>();
  for (const p of catalogue) {
    const q = loadQuota(ctx, p.id, term);
    programmes.set(p.code, { ...p, quota: q ? { count: q.count, tierCounts: q.tierCounts, budget: q.budget, schools: q.schools } : null });
    codeOf.set(p.id, p.code);
  }
  const scope = missedScope(catalogue, programmeId).map((p) => ({ ...programmes.get(p.code)!, id: p.id }));
  const among = checkedStudents(ctx, term, scope);
  const facts = loadFacts(ctx, year, among ? { studentIds: among } : undefined);
  const households = householdMap(ctx);
  // Every programme of the term is loaded even when one is asked for: combining rules look across programmes.
  const columns = [
    'id',
    'student_id',
    'programme_id',
    'status',
    'funded',
    'tier',
    'amount_fen',
    'applicant_name',
    'applicant_id_number',
  ] as const;
  const rows = tuples(ctx, ctx.store.db.selectFrom('application').select(columns).where('term', '=', term), columns);
  // Sorted here, not by SQL: the term's index gives the rows by student, and a sort of every row in SQLite costs more.
  rows.sort((a, b) => a[0] - b[0]);
  const applications: CheckedApplication[] = [];
  // Every application of a catalogue programme, whatever its status: who applied, for "nobody missed".
  const applied: Parameters<typeof nobodyMissed>[2] = [];
  for (const [id, studentId, programmeId, status, funded, tier, amount, applicantName, applicantIdNumber] of rows) {
    const f = facts.get(studentId);
    const code = codeOf.get(programmeId);
    if (code) applied.push({ id, studentId, programmeCode: code, status, funded: funded === null ? null : funded === 1 });
    if (!f || !code) continue;
    if (!LIVE_STATUSES.includes(status)) continue;
    applications.push({
      id,
      studentId,
      name: f.name,
      idNumber: f.idNumber,
      birthDate: f.birthDate,
      className: f.className,
      schoolId: f.schoolId,
      schoolName: f.schoolName,
      stage: f.stage,
      enrolled: f.enrolled,
      boarding: f.boarding,
      bankCard: f.bankCard,
      applicantName,
      applicantIdNumber,
      programmeCode: code,
      status,
      tier,
      amount,
      flags: f.flags,
      household: households.get(studentId) ?? null,
    });
  }
  const missed = nobodyMissed(
    [...facts.values()].filter((f) => f.enrolled),
    scope,
    applied,
  );
  const found = [
    ...runChecks(applications, programmes, `${year.slice(0, 4)}-09-01`),
    ...withAcknowledgements(ctx, term, catalogue, missed),
  ];
  if (programmeId === null && schoolId === null) return found;
  const name = programmeId === null ? null : catalogue.find((p) => p.id === programmeId)?.name;
  const ofSchool = (f: Finding) =>
    schoolId === null ||
    (f.schoolId !== undefined ? f.schoolId === schoolId : f.studentId === null || facts.get(f.studentId)?.schoolId === schoolId);
  return found.filter((f) => (name === null || f.programme === name) && ofSchool(f));
}

/** The programmes, of those asked for, whose eligible students must all be seen (应助尽助). */
export function missedScope(catalogue: Programme[], programmeId: number | null): Programme[] {
  return catalogue
    .filter((p) => (p.id === programmeId || programmeId === null) && (isNeedBased(p) || (p.kind === 'waiver' && p.eligibility.everyone)))
    .filter((p) => p.builtIn && !SCHOOL_FUNDED.includes(p.code));
}

/**
 * The students the checks must see: every applicant of the term, and everyone who could be eligible for a programme
 * of `scope` without having applied — identified this school year, flagged in a group some programme takes, or in a class of a
 * stage and grade an "everyone" programme covers. Anyone else has no application and is ineligible for every
 * programme in scope (no level, no group, no 四类), so nothing can be found about them: a county desk of 300,000
 * students, few of them identified, took 2 s and 1 GB to open its term board reading every student's facts.
 * null when they are most of the desk: every student is read then, one plain scan being faster than a seek each.
 */
export function checkedStudents(ctx: CoreContext, term: Term, scope: Pick<Programme, 'stages' | 'eligibility'>[]): number[] | null {
  const db = ctx.store.db;
  const year = schoolYearOfTerm(term);
  const count = (r: { n: number } | undefined) => r?.n ?? 0;
  const students = count(
    first(
      ctx,
      db.selectFrom('student').select((eb) => eb.fn.countAll<number>().as('n')),
    ),
  );
  // The applications alone as many as half the students: every student is read, without first gathering who (0.1 s at 100,000).
  const applications = count(
    first(
      ctx,
      db
        .selectFrom('application')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('term', '=', term),
    ),
  );
  if (applications * 2 > students) return null;
  // Flags of groups no programme in scope takes (留守儿童, say: 90,000 of a county's roster) make nobody eligible.
  const groups = [...new Set(scope.flatMap(eligibilityGroups))];
  let q = db
    .selectFrom('application')
    .select('student_id as id')
    .where('term', '=', term)
    .union(db.selectFrom('identification').select('student_id as id').where('school_year', '=', year).where('status', '=', 'decided'));
  if (groups.length) q = q.union(db.selectFrom('priority_flag').select('student_id as id').where('grp', 'in', groups));
  for (const p of scope.filter((x) => x.eligibility.everyone && x.stages.length > 0)) {
    const grades = p.eligibility.grades ?? [];
    q = q.union(
      db
        .selectFrom('student as s')
        .innerJoin('school_class as c', 'c.id', 's.class_id')
        .select('s.id')
        .where('c.stage', 'in', p.stages)
        .$if(grades.length > 0, (w) => w.where('c.grade', 'in', grades)),
    );
  }
  const ids = all(ctx, q).map((r) => r.id);
  return ids.length * 2 > students ? null : ids;
}

/** The clerk's explanations of "nobody missed" findings, kept with them. */
function withAcknowledgements(ctx: CoreContext, term: Term, catalogue: Programme[], findings: Finding[]): Finding[] {
  const rows = all(
    ctx,
    ctx.store.db.selectFrom('finding_ack').select(['programme_id', 'student_id', 'code', 'reason', 'actor', 'at']).where('term', '=', term),
  );
  if (rows.length === 0) return findings;
  const nameOf = new Map(catalogue.map((p) => [p.id, p.name]));
  const acks = new Map(rows.map((r) => [`${nameOf.get(r.programme_id)}:${r.student_id}:${r.code}`, r]));
  return findings.map((f) => {
    const ack = acks.get(`${f.programme}:${f.studentId}:${f.code}`);
    return ack ? { ...f, acknowledged: { reason: ack.reason, at: ack.at, actor: ack.actor } } : f;
  });
}

/** The clerk explains a finding about one student (why an eligible student does not apply, say): kept, shown with it. */
export function acknowledgeFinding(
  ctx: CoreContext,
  a: { term: Term; programmeId: number; studentId: number; code: string; reason: string; actor: string },
): Finding {
  const p = programmeForTerm(ctx, a.programmeId, a.term);
  // The page the clerk explained it from has just read them: not run again unless something was written since.
  const target = shownFindings(ctx, a.term, a.programmeId, null).find((f) => f.studentId === a.studentId && f.code === a.code);
  if (!target) throw new AppError('not-found', `“${p.name}”本学期没有这条检查结果（可能已经处理好了）`);
  if (target.severity === 'blocking') throw new AppError('validation', '“必须处理”的问题不能只写说明：请先处理');
  const at = nowIso(ctx);
  run(
    ctx,
    ctx.store.db
      .insertInto('finding_ack')
      .values({ term: a.term, programme_id: a.programmeId, student_id: a.studentId, code: a.code, reason: a.reason, actor: a.actor, at })
      .onConflict((oc) => oc.columns(['term', 'programme_id', 'student_id', 'code']).doUpdateSet({ reason: a.reason, actor: a.actor, at })),
  );
  return { ...target, acknowledged: { reason: a.reason, at, actor: a.actor } };
}

/** The findings last read for the screen, kept until the next write to the desk (a county's checks take seconds). */
const SHOWN = new WeakMap<object, { key: string; stamp: string; findings: readonly Finding[] }>();

/**
 * The term's findings for the screens (the checks page, the term board): those last read while nothing has been
 * written since, else `checkTerm` again. Shared: never changed by a caller.
 */
export function shownFindings(ctx: CoreContext, term: Term, programmeId: number | null, schoolId: number | null): readonly Finding[] {
  const sqlite = ctx.store.sqlite;
  const key = JSON.stringify([term, programmeId, schoolId]);
  const stamp = dataStamp(sqlite);
  let shown = SHOWN.get(sqlite);
  if (shown?.key !== key || shown.stamp !== stamp) {
    shown = { key, stamp, findings: checkTerm(ctx, term, programmeId, schoolId) };
    SHOWN.set(sqlite, shown);
  }
  return shown.findings;
}

/** The counts of a term's findings and one page of them, of one kind when `code` is given. */
export function findingPage(ctx: CoreContext, a: CallArgs<'checks.page'>): FindingPage {
  const found = shownFindings(ctx, a.term, a.programmeId, a.schoolId);
  const codes = new Map<string, FindingPage['codes'][number]>();
  let blocking = 0;
  let missed = 0;
  for (const f of found) {
    if (f.severity === 'blocking') blocking++;
    if ((f.code === 'nobody-missed' || f.code === 'unfunded-eligible') && !f.acknowledged) missed++;
    const c = codes.get(f.code) ?? { code: f.code, severity: f.severity, count: 0 };
    c.count++;
    codes.set(f.code, c);
  }
  const matched = a.code === null ? found : found.filter((f) => f.code === a.code);
  return {
    total: found.length,
    blocking,
    missed,
    codes: [...codes.values()].sort((x, y) => (x.severity === y.severity ? y.count - x.count : x.severity === 'blocking' ? -1 : 1)),
    matched: matched.length,
    offset: a.offset,
    findings: matched.slice(a.offset, a.offset + a.limit),
  };
}

export async function exportFindings(term: Term, findings: Finding[], schoolName: string): Promise<FileResult> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'AidDesk 资助工作台';
  const ws = wb.addWorksheet('检查结果', {
    views: [{ state: 'frozen', ySplit: 2 }],
    // A4 landscape, one page wide, the header row on every page: it prints as it is read.
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '2:2',
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '第 &P 页 共 &N 页' },
  });
  ws.mergeCells('A1:F1');
  ws.getCell('A1').value = `${schoolName}${termText(term)}资助检查结果（共 ${findings.length} 条）`;
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getRow(2).values = ['序号', '严重程度', '资助项目', '班级', '学生', '问题及处理'];
  ws.getRow(2).font = { bold: true };
  ws.columns = [{ width: 6 }, { width: 10 }, { width: 24 }, { width: 16 }, { width: 10 }, { width: 80 }];
  findings.forEach((f, i) => {
    const row = ws.getRow(i + 3);
    row.values = [
      i + 1,
      f.severity === 'blocking' ? '必须处理' : '提醒',
      f.programme,
      f.className ?? '',
      f.student ?? '（整个项目）',
      f.message,
    ];
    row.getCell(6).alignment = { wrapText: true };
  });
  const data = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: `${termText(term)}资助检查结果.xlsx`, dataBase64: data.toString('base64') };
}

export async function exportChecks(ctx: CoreContext, args: CallArgs<'checks.export'>) {
  const school = args.schoolId === null ? (await requireSchool(ctx)).name : requireMemberSchool(ctx, args.schoolId).name;
  return exportFindings(args.term, checkTerm(ctx, args.term, args.programmeId, args.schoolId), school);
}
