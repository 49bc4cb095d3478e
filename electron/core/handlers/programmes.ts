import type { Handlers } from '../../../shared/api/contract';
import type { programmesApi } from '../../../shared/api/programmes';
import type { CoreContext } from '../context';
import { applicationById, createApplications, history, listApplications, setTier, transition, undo } from '../programmes/applications';
import { allocateApplications } from '../programmes/allocation';
import { ensureCatalogue, getQuota, saveProgramme, saveQuota } from '../programmes/catalogue';
import { acknowledgeFinding, checkTerm, exportChecks, findingPage } from '../programmes/checks';
import { createProgrammePublicity } from '../programmes/recipients';
import { exportSignatureRoster, printSignatureRoster } from '../programmes/signature-roster';
import { yearOf } from '../school/school';

export const programmesHandlers: Handlers<typeof programmesApi, CoreContext> = {
  'programmes.list': async (ctx, args) => ensureCatalogue(ctx, await yearOf(ctx, args.schoolYear)),
  'programmes.save': async (ctx, args) => saveProgramme(ctx, await yearOf(ctx, args.schoolYear), args),
  'quotas.get': (ctx, args) => getQuota(ctx, args),
  'quotas.save': (ctx, args) => saveQuota(ctx, args),
  'applications.list': (ctx, args) =>
    listApplications(ctx, args.programmeId, args.term, args.classId, args.status, undefined, args.schoolId),
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
  'print.signatureRoster': (ctx, args) => printSignatureRoster(ctx, args),
  'export.signatureRoster': (ctx, args) => exportSignatureRoster(ctx, args),
  'checks.run': (ctx, args) => checkTerm(ctx, args.term, args.programmeId, args.schoolId),
  'checks.page': (ctx, args) => findingPage(ctx, args),
  'checks.acknowledge': (ctx, args) => acknowledgeFinding(ctx, args),
  'checks.export': (ctx, args) => exportChecks(ctx, args),
  'publicity.createProgramme': (ctx, args) => createProgrammePublicity(ctx, args),
};
