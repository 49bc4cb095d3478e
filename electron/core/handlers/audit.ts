import type { auditApi } from '../../../shared/api/audit';
import type { Handlers } from '../../../shared/api/contract';
import { exportAudit, listAudit } from '../audit/audit';
import type { CoreContext } from '../context';

export const auditHandlers: Handlers<typeof auditApi, CoreContext> = {
  'audit.list': (ctx, args) => listAudit(ctx, args),
  'audit.export': (ctx, args) => exportAudit(ctx, args),
};
