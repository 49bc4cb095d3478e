import type { Handlers } from '../../../shared/api/contract';
import type { householdsApi } from '../../../shared/api/households';
import type { CoreContext } from '../context';
import { linkHousehold, listHouseholds, suggestHouseholds, unlinkHousehold } from '../students/households';

export const householdsHandlers: Handlers<typeof householdsApi, CoreContext> = {
  'households.list': (ctx) => listHouseholds(ctx),
  'households.suggest': (ctx) => suggestHouseholds(ctx),
  'households.link': (ctx, args) => linkHousehold(ctx, args),
  'households.unlink': (ctx, args) => {
    unlinkHousehold(ctx, args.studentId);
    return null;
  },
};
