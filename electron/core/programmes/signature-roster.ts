import type { CallArgs } from '../../../shared/api';
import type { RosterArgs } from '../../../shared/api/programmes';
import type { z } from 'zod';
import { TIER_TEXT } from '../../../shared/domain/programme';
import { AppError } from '../../../shared/errors';
import { maskBankCard, maskIdNumber } from '../../../shared/rules/mask';
import { standardText } from '../../../shared/rules/programme-catalogue';
import { termText } from '../../../shared/rules/term';
import { type CoreContext } from '../context';
import { listApplications } from './applications';
import { programmeForTerm } from './catalogue';
import { loadFacts } from './facts';
import { rosterWorkbook } from '../export/roster-workbook';
import { recordProduced } from '../archive/archive';
import { signatureRoster, type RosterInput } from '../print/signature-roster';
import { requireSchool } from '../school/school';
import { schoolScope } from '../school/member-schools';
import { mayFile } from '../../../shared/rules/privacy';

/**
 * A whole-school roster is filed with the archive (as a generated copy) when the privacy rules allow: masked only.
 * One member school's goes with that school's documents; all of them together with the central school's.
 */
const filed = (args: { classId: number | null; fullNumbers: boolean }) =>
  args.classId === null && mayFile('signatureRoster', args.fullNumbers);

export async function printSignatureRoster(ctx: CoreContext, args: CallArgs<'print.signatureRoster'>) {
  const doc = signatureRoster(await rosterInput(ctx, args));
  if (filed(args))
    recordProduced(ctx, 'signatureRoster', args.term, args.programmeId, `${doc.title}.html`, Buffer.from(doc.html), args.schoolId ?? 1);
  return doc;
}

export async function exportSignatureRoster(ctx: CoreContext, args: CallArgs<'export.signatureRoster'>) {
  const input = await rosterInput(ctx, args);
  const data = await rosterWorkbook(input);
  if (filed(args)) recordProduced(ctx, 'signatureRoster', args.term, args.programmeId, `${input.title}.xlsx`, data, args.schoolId ?? 1);
  return { fileName: `${input.title}.xlsx`, dataBase64: data.toString('base64') };
}

/** Who signs for a programme's term: approved (or later) recipients in roster order, numbers masked unless asked. */
async function rosterInput(ctx: CoreContext, args: z.output<typeof RosterArgs>): Promise<RosterInput> {
  const school = await requireSchool(ctx);
  const p = programmeForTerm(ctx, args.programmeId, args.term);
  const facts = loadFacts(ctx, p.schoolYear, { programmeId: p.id, term: args.term });
  const scope = schoolScope(ctx, args.schoolId);
  const page = listApplications(ctx, args.programmeId, args.term, args.classId, null, facts, args.schoolId);
  const recipients = page.rows.filter((a) => ['approved', 'submitted', 'paid', 'archived'].includes(a.status) && a.tier !== null);
  if (recipients.length === 0)
    throw new AppError('roster-empty', `“${p.name}”${termText(args.term)}还没有审核通过的受助学生，无法打印签领表`);
  return {
    schoolName: scope.name ?? school.name,
    title: `${scope.name ?? ''}${termText(args.term)}${p.name}发放签领表`,
    termText: termText(args.term),
    programmeName: p.name,
    standard: standardText(p),
    orientation: args.orientation,
    layout: args.layout,
    lines: recipients.map((a) => {
      const f = facts.get(a.studentId);
      const id = f?.idNumber ?? '';
      const card = f?.bankCard ?? '';
      return {
        className: `${scope.prefix(a.schoolName)}${a.className ?? ''}`,
        name: a.name,
        idNumber: args.fullNumbers ? id : (maskIdNumber(id) ?? ''),
        bankCard: args.fullNumbers ? card : (maskBankCard(card) ?? ''),
        amount: a.amount ?? 0,
        note: p.tiers.length > 1 && a.tier ? TIER_TEXT[a.tier] : '',
      };
    }),
  };
}
