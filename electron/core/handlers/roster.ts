import type { Handlers } from '../../../shared/api/contract';
import type { rosterApi } from '../../../shared/api/roster';
import type { CoreContext } from '../context';
import { importRoster, previewRoster } from '../students/roster';
import { getUpload, resolveUpload } from '../uploads';

export const rosterHandlers: Handlers<typeof rosterApi, CoreContext> = {
  'roster.preview': async (ctx, args) => {
    const upload = await resolveUpload(ctx, args.upload);
    return previewRoster(ctx, upload, { mapping: args.mapping, sheetName: args.sheetName, schoolId: args.schoolId });
  },
  'roster.import': (ctx, args) =>
    importRoster(ctx, getUpload(ctx, args.uploadId), {
      mapping: args.mapping,
      sheetName: args.sheetName,
      strict: args.strict,
      takeFile: args.takeFile,
      schoolId: args.schoolId,
    }),
};
