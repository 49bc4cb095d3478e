import type { Handlers } from '../../../shared/api/contract';
import type { countyFindingsApi } from '../../../shared/api/county-findings';
import type { CoreContext } from '../context';
import { attachToFinding, exportFindings, importFindings, listFindings, previewFindings, updateFinding } from '../findings/county-findings';
import { getUpload, resolveUpload } from '../uploads';

export const countyFindingsHandlers: Handlers<typeof countyFindingsApi, CoreContext> = {
  'countyFindings.preview': async (ctx, args) => previewFindings(ctx, await resolveUpload(ctx, args.upload)),
  'countyFindings.import': (ctx, args) => importFindings(ctx, getUpload(ctx, args.uploadId)),
  'countyFindings.list': (ctx, args) => listFindings(ctx, args.status),
  'countyFindings.update': (ctx, args) => updateFinding(ctx, args),
  'countyFindings.attach': (ctx, args) => attachToFinding(ctx, args),
  'countyFindings.export': (ctx) => exportFindings(ctx),
};
