import type { Handlers } from '../../../shared/api/contract';
import type { listsApi } from '../../../shared/api/lists';
import type { CoreContext } from '../context';
import { applyCrosscheck, removeFlag, runCrosscheck } from '../lists/crosscheck';
import { importList, listLists, previewList } from '../lists/lists';

export const listsHandlers: Handlers<typeof listsApi, CoreContext> = {
  'lists.preview': (ctx, args) => previewList(ctx, args),
  'lists.import': (ctx, args) => importList(ctx, args),
  'lists.list': (ctx) => listLists(ctx),
  'crosscheck.run': (ctx) => runCrosscheck(ctx),
  'crosscheck.apply': (ctx, args) => applyCrosscheck(ctx, args),
  'flags.remove': (ctx, args) => removeFlag(ctx, args),
};
