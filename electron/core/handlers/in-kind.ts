import type { Handlers } from '../../../shared/api/contract';
import type { inKindApi } from '../../../shared/api/in-kind';
import type { CoreContext } from '../context';
import { giveInKind, listInKind, printInKindRoster, removeInKind } from '../inkind/inkind';

export const inKindHandlers: Handlers<typeof inKindApi, CoreContext> = {
  'inKind.list': (ctx, args) => listInKind(ctx, args.programmeId, args.term, args.classId),
  'inKind.give': (ctx, args) => giveInKind(ctx, args),
  'inKind.remove': (ctx, args) => removeInKind(ctx, args.ids),
  'inKind.printRoster': (ctx, args) => printInKindRoster(ctx, args),
};
