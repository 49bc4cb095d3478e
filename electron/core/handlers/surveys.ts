import type { Handlers } from '../../../shared/api/contract';
import type { surveysApi } from '../../../shared/api/surveys';
import type { CoreContext } from '../context';
import { applySurveyImport, exportClassWorkbook, previewSurveyImport } from '../identification/survey-import';
import { carryForward, getSurveyView, listCases, saveSurvey } from '../identification/surveys';
import { holdSurvey, releaseSurvey } from '../identification/held-surveys';
import { addVisit, drawVisitSample, listVisits, visitSamples } from '../identification/visits';

export const surveysHandlers: Handlers<typeof surveysApi, CoreContext> = {
  'surveys.cases': (ctx, args) => listCases(ctx, args),
  'surveys.get': (ctx, args) => getSurveyView(ctx, args),
  'surveys.save': (ctx, args) => saveSurvey(ctx, args),
  'surveys.hold': (ctx, args) => holdSurvey(ctx, args),
  'surveys.release': (ctx, args) => releaseSurvey(ctx, args),
  'surveys.carryForward': (ctx, args) => carryForward(ctx, args),
  'surveys.exportClass': (ctx, args) => exportClassWorkbook(ctx, args),
  'surveys.previewImport': (ctx, args) => previewSurveyImport(ctx, args),
  'surveys.applyImport': (ctx, args) => applySurveyImport(ctx, args),
  'visits.list': (ctx, args) => listVisits(ctx, args),
  'visits.add': (ctx, args) => addVisit(ctx, args),
  'visits.drawSample': (ctx, args) => drawVisitSample(ctx, args),
  'visits.samples': (ctx, args) => visitSamples(ctx, args),
};
