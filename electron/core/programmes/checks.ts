/** Gathers a term's applications and runs the inspectors' checks over them; the findings export to .xlsx. */
import ExcelJS from 'exceljs';
import type { FileResult } from '../../../shared/api/common';
import type { ApplicationStatus, Finding } from '../../../shared/domain/application';
import type { Term } from '../../../shared/domain/school';
import { runChecks, type CheckedApplication, type CheckedProgramme } from '../../../shared/rules/aid-checks';
import { LIVE_STATUSES } from '../../../shared/rules/application-status';
import { schoolYearOfTerm, termText } from '../../../shared/rules/term';
import type { CoreContext } from '../context';
import { ensureCatalogue, loadQuota } from './catalogue';
import { loadFacts } from './facts';
import type { CallArgs } from '../../../shared/api';
import { requireSchool } from '../school/school';

export function checkTerm(ctx: CoreContext, term: Term, programmeId: number | null): Finding[] {
  const year = schoolYearOfTerm(term);
  const catalogue = ensureCatalogue(ctx, year);
  const programmes = new Map<string, CheckedProgramme>();
  const codeOf = new Map<number, string>();
  for (const p of catalogue) {
    const q = loadQuota(ctx, p.id, term);
    programmes.set(p.code, { ...p, quota: q ? { count: q.count, tierCounts: q.tierCounts, budget: q.budget } : null });
    codeOf.set(p.id, p.code);
  }
  const facts = loadFacts(ctx, year);
  const placeholders = LIVE_STATUSES.map(() => '?').join(',');
  // Every programme of the term is loaded even when one is asked for: combining rules look across programmes.
  const rows = ctx.store.sqlite
    .prepare(
      `SELECT id, student_id, programme_id, status, tier, amount_fen, applicant_name, applicant_id_number FROM application WHERE term = ? AND status IN (${placeholders}) ORDER BY id`,
    )
    .all(term, ...LIVE_STATUSES) as {
    id: number;
    student_id: number;
    programme_id: number;
    status: ApplicationStatus;
    tier: 1 | 2 | 3 | null;
    amount_fen: number | null;
    applicant_name: string;
    applicant_id_number: string | null;
  }[];
  const applications: CheckedApplication[] = [];
  for (const r of rows) {
    const f = facts.get(r.student_id);
    const code = codeOf.get(r.programme_id);
    if (!f || !code) continue;
    applications.push({
      id: r.id,
      studentId: r.student_id,
      name: f.name,
      idNumber: f.idNumber,
      birthDate: f.birthDate,
      className: f.className,
      stage: f.stage,
      enrolled: f.enrolled,
      boarding: f.boarding,
      bankCard: f.bankCard,
      applicantName: r.applicant_name,
      applicantIdNumber: r.applicant_id_number,
      programmeCode: code,
      status: r.status,
      tier: r.tier,
      amount: r.amount_fen,
      flags: f.flags,
    });
  }
  const all = runChecks(applications, programmes, `${year.slice(0, 4)}-09-01`);
  if (programmeId === null) return all;
  const name = catalogue.find((p) => p.id === programmeId)?.name;
  return all.filter((f) => f.programme === name);
}

export async function exportFindings(term: Term, findings: Finding[], schoolName: string): Promise<FileResult> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'AidDesk 资助工作台';
  const ws = wb.addWorksheet('检查结果', { views: [{ state: 'frozen', ySplit: 2 }] });
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
  return exportFindings(args.term, checkTerm(ctx, args.term, args.programmeId), (await requireSchool(ctx)).name);
}
