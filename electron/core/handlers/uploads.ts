import type { Handlers } from '../../../shared/api/contract';
import type { uploadsApi } from '../../../shared/api/uploads';
import type { CoreContext } from '../context';
import { receivePart } from '../uploads';

export const uploadsHandlers: Handlers<typeof uploadsApi, CoreContext> = {
  'uploads.part': (ctx, args) => receivePart(ctx, args),
};
