import type { Handlers } from '../../../shared/api/contract';
import type { publicityApi } from '../../../shared/api/publicity';
import type { CoreContext } from '../context';
import { printSurveyForms } from '../identification/forms';
import { createIdentificationPublicity } from '../identification/publicity';
import { decideObjection } from '../publicity/objections';
import { printPublicity } from '../publicity/print';
import { addObjection, closePublicity, getPublicity, listPublicity } from '../publicity/publicity';

export const publicityHandlers: Handlers<typeof publicityApi, CoreContext> = {
  'publicity.list': (ctx) => listPublicity(ctx),
  'publicity.get': (ctx, args) => getPublicity(ctx, args.id),
  'publicity.createIdentification': (ctx, args) => createIdentificationPublicity(ctx, args),
  'publicity.addObjection': (ctx, args) => addObjection(ctx, args),
  'publicity.resolveObjection': (ctx, args) => decideObjection(ctx, args),
  'publicity.close': (ctx, args) => closePublicity(ctx, args.id, args.closedOn),
  'print.publicity': (ctx, args) => printPublicity(ctx, args),
  'print.surveyForms': (ctx, args) => printSurveyForms(ctx, args),
};
