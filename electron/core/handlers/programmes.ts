import type { Handlers } from '../../../shared/api/contract';
import type { programmesApi, RosterArgs } from '../../../shared/api/programmes';
import type { z } from 'zod';
import type { Programme, Quota, TierNumber } from '../../../shared/domain/programme';
import { TIER_TEXT } from '../../../shared/domain/programme';
import { AppError } from '../../../shared/errors';
import { maskBankCard, maskIdNumber } from '../../../shared/rules/mask';
import { formatYuan } from '../../../shared/rules/money';
import { standardText } from '../../../shared/rules/programme-catalogue';
import { termText } from '../../../shared/rules/term';
import { nowIso, type CoreContext } from '../context';
import { ensureCatalogue, loadQuota, saveProgramme } from '../programmes/catalogue';
import {
  allocateApplications,
  createApplications,
  history,
  listApplications,
  programmeForTerm,
  setTier,
  toApplication,
  transition,
  undo,
} from '../programmes/applications';
import { checkTerm, exportFindings } from '../programmes/checks';
import { loadFacts } from '../programmes/facts';
import { rosterWorkbook } from '../export/roster-workbook';
import { recordProduced } from '../archive/archive';
import { signatureRoster, type RosterInput } from '../print/signature-roster';
import { createPublicity, getPublicity } from '../publicity';
import { requireSchool } from './school';
import { yearOf } from './surveys';

/** What a recipient list shows for an application: the tier and amount, nothing else. */
export function postedValue(p: Programme, tier: TierNumber | null, amount: number | null): string {
  if (p.kind === 'waiver') return amount ? `减免 ${formatYuan(amount)}` : '减免';
  if (p.kind === 'recorded') return '受助';
  const money = amount === null ? '' : formatYuan(amount);
  return p.tiers.length > 1 && tier !== null ? `${TIER_TEXT[tier]} ${money}` : money;
}

export const programmesHandlers: Handlers<typeof programmesApi, CoreContext> = {
  'programmes.list': async (ctx, args) => ensureCatalogue(ctx, await yearOf(ctx, args.schoolYear)),
  'programmes.save': async (ctx, args) => saveProgramme(ctx, await yearOf(ctx, args.schoolYear), args),

  'quotas.get': (ctx, args) => {
    programmeForTerm(ctx, args.programmeId, args.term);
    return loadQuota(ctx, args.programmeId, args.term);
  },
  'quotas.save': (ctx, args) => {
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
  },

  'applications.list': (ctx, args) => listApplications(ctx, args.programmeId, args.term, args.classId, args.status),
  'applications.create': (ctx, args) => createApplications(ctx, args),
  'applications.transition': (ctx, args) => transition(ctx, args),
  'applications.undo': (ctx, args) => {
    undo(ctx, args.id);
    return applicationById(ctx, args.id);
  },
  'applications.history': (ctx, args) => history(ctx, args.id),
  'applications.allocate': (ctx, args) => allocateApplications(ctx, args),
  'applications.setTier': (ctx, args) => {
    setTier(ctx, args.id, args.tier, args.reason);
    return applicationById(ctx, args.id);
  },

  'print.signatureRoster': async (ctx, args) => {
    const doc = signatureRoster(await rosterInput(ctx, args));
    if (args.classId === null)
      recordProduced(ctx, 'signatureRoster', args.term, args.programmeId, `${doc.title}.html`, Buffer.from(doc.html));
    return doc;
  },
  'export.signatureRoster': async (ctx, args) => {
    const input = await rosterInput(ctx, args);
    const data = await rosterWorkbook(input);
    if (args.classId === null) recordProduced(ctx, 'signatureRoster', args.term, args.programmeId, `${input.title}.xlsx`, data);
    return { fileName: `${input.title}.xlsx`, dataBase64: data.toString('base64') };
  },

  'checks.run': (ctx, args) => checkTerm(ctx, args.term, args.programmeId),
  'checks.export': async (ctx, args) =>
    exportFindings(args.term, checkTerm(ctx, args.term, args.programmeId), (await requireSchool(ctx)).name),

  'publicity.createProgramme': async (ctx, args) => {
    const school = await requireSchool(ctx);
    const p = programmeForTerm(ctx, args.programmeId, args.term);
    const page = listApplications(ctx, args.programmeId, args.term, null, 'schoolReview');
    const posted = page.rows.filter((a) => a.funded !== false && a.tier !== null);
    if (posted.length === 0) throw new AppError('publicity-empty', `“${p.name}”没有已分配档次、处于“学校审核”的申请可以公示`);
    const findings = checkTerm(ctx, args.term, args.programmeId).filter(
      (f) => f.severity === 'blocking' && (f.applicationId === null || posted.some((a) => a.id === f.applicationId)),
    );
    if (findings.length) {
      throw new AppError(
        'checks-blocking',
        `有 ${findings.length} 个必须先处理的检查问题，不能公示：${findings
          .slice(0, 5)
          .map((f) => `${f.student ?? f.programme}：${f.message}`)
          .join('；')}${findings.length > 5 ? '……' : ''}`,
        { findings },
      );
    }
    const at = nowIso(ctx);
    const id = ctx.store.sqlite
      .transaction(() => {
        const publicityId = createPublicity(ctx, {
          kind: 'programme',
          subject: `programme:${p.code}:${args.term}`,
          title: args.title || `${school.name}${termText(args.term)}${p.name}受助学生名单公示`,
          startsOn: args.startsOn,
          workingDays: args.workingDays,
          complaintPhone: args.complaintPhone,
          entries: posted.map((a) => ({ studentId: a.studentId, value: postedValue(p, a.tier, a.amount), refId: a.id })),
        });
        const move = ctx.store.sqlite.prepare(`UPDATE application SET status = 'publicity', updated_at = ? WHERE id = ?`);
        const log = ctx.store.sqlite.prepare(
          `INSERT INTO application_event (application_id, at, from_status, to_status, actor, note) VALUES (?, ?, 'schoolReview', 'publicity', '资助专干', ?)`,
        );
        for (const a of posted) {
          move.run(at, a.id);
          log.run(a.id, at, `列入公示（${args.startsOn} 起 ${args.workingDays} 个工作日）`);
        }
        return publicityId;
      })
      .immediate();
    return getPublicity(ctx, id);
  },
};

function applicationById(ctx: CoreContext, id: number) {
  const row = ctx.store.sqlite.prepare(`SELECT * FROM application WHERE id = ?`).get(id) as Parameters<typeof toApplication>[0];
  const p = programmeForTerm(ctx, row.programme_id, row.term as Parameters<typeof programmeForTerm>[2]);
  return toApplication(row, loadFacts(ctx, p.schoolYear).get(row.student_id), p);
}

/** Who signs for a programme's term: approved (or later) recipients in roster order, numbers masked unless asked. */
async function rosterInput(ctx: CoreContext, args: z.output<typeof RosterArgs>): Promise<RosterInput> {
  const school = await requireSchool(ctx);
  const p = programmeForTerm(ctx, args.programmeId, args.term);
  const facts = loadFacts(ctx, p.schoolYear);
  const page = listApplications(ctx, args.programmeId, args.term, args.classId, null, facts);
  const recipients = page.rows.filter((a) => ['approved', 'submitted', 'paid', 'archived'].includes(a.status) && a.tier !== null);
  if (recipients.length === 0)
    throw new AppError('roster-empty', `“${p.name}”${termText(args.term)}还没有审核通过的受助学生，无法打印签领表`);
  return {
    schoolName: school.name,
    title: `${termText(args.term)}${p.name}发放签领表`,
    termText: termText(args.term),
    programmeName: p.name,
    standard: standardText(p),
    orientation: args.orientation,
    lines: recipients.map((a) => {
      const f = facts.get(a.studentId);
      const id = f?.idNumber ?? '';
      const card = f?.bankCard ?? '';
      return {
        className: a.className ?? '',
        name: a.name,
        idNumber: args.fullNumbers ? id : (maskIdNumber(id) ?? ''),
        bankCard: args.fullNumbers ? card : (maskBankCard(card) ?? ''),
        amount: a.amount ?? 0,
        note: p.tiers.length > 1 && a.tier ? TIER_TEXT[a.tier] : '',
      };
    }),
  };
}
