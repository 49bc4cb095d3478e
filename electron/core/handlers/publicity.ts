import type { Handlers } from '../../../shared/api/contract';
import type { publicityApi } from '../../../shared/api/publicity';
import { endOfWorkingDays } from '../../../shared/rules/working-days';
import { today, type CoreContext } from '../context';
import { printSurveyForms } from '../identification/forms';
import { createIdentificationPublicity } from '../identification/publicity';
import { calendarYear, loadCalendar, setCalendarDays } from '../publicity/calendar';
import { decideObjection } from '../publicity/objections';
import { printPublicity } from '../publicity/print';
import { addObjection, closePublicity, getPublicity, listPublicity, publicityRules, savePublicityRules } from '../publicity/publicity';

export const publicityHandlers: Handlers<typeof publicityApi, CoreContext> = {
  'publicity.list': (ctx) => listPublicity(ctx),
  'publicity.get': (ctx, args) => getPublicity(ctx, args.id),
  'publicity.rules': (ctx) => publicityRules(ctx),
  'publicity.saveRules': (ctx, args) => savePublicityRules(ctx, args),
  'calendar.get': (ctx, args) => calendarYear(ctx, args.year),
  'calendar.set': (ctx, args) => {
    setCalendarDays(ctx, args.days);
    return calendarYear(ctx, args.year);
  },
  'calendar.periodEnd': (ctx, args) => {
    const startsOn = args.startsOn ?? today(ctx);
    return { startsOn, endsOn: endOfWorkingDays(startsOn, args.workingDays, loadCalendar(ctx)) };
  },
  'publicity.createIdentification': (ctx, args) => createIdentificationPublicity(ctx, args),
  'publicity.addObjection': (ctx, args) => addObjection(ctx, args),
  'publicity.resolveObjection': (ctx, args) => decideObjection(ctx, args),
  'publicity.close': (ctx, args) => closePublicity(ctx, args.id),
  'print.publicity': (ctx, args) => printPublicity(ctx, args),
  'print.surveyForms': (ctx, args) => printSurveyForms(ctx, args),
};
