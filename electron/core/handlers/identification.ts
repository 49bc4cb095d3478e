import type { Handlers } from '../../../shared/api/contract';
import type { identificationApi } from '../../../shared/api/identification';
import type { CoreContext } from '../context';
import {
  caseDetail,
  decideCases,
  getRubric,
  identifyDirectly,
  listPanels,
  recordPanel,
  reopenCases,
  saveRubric,
  scoreCases,
} from '../identification/decisions';

export const identificationHandlers: Handlers<typeof identificationApi, CoreContext> = {
  'rubric.get': (ctx) => getRubric(ctx),
  'rubric.save': (ctx, args) => saveRubric(ctx, args),
  'identification.score': (ctx, args) => scoreCases(ctx, args),
  'identification.direct': (ctx, args) => identifyDirectly(ctx, args),
  'identification.panel': (ctx, args) => recordPanel(ctx, args),
  'identification.decide': (ctx, args) => decideCases(ctx, args),
  'identification.reopen': (ctx, args) => reopenCases(ctx, args),
  'identification.case': (ctx, args) => caseDetail(ctx, args),
  'identification.panels': (ctx, args) => listPanels(ctx, args),
};
