import type { Handlers } from '../../../shared/api/contract';
import type { deskApi } from '../../../shared/api/desk';
import type { CoreContext } from '../context';
import { changePassword, deskStatus, lock, recover, setIdleMinutes, setUp, unlock } from '../desk/session';

export const deskHandlers: Handlers<typeof deskApi, CoreContext> = {
  'desk.status': (ctx) => deskStatus(ctx),
  'desk.setUp': (ctx, args) => setUp(ctx, args.password, args.operator),
  'desk.unlock': (ctx, args) => unlock(ctx, args.password, args.operator),
  'desk.recover': (ctx, args) => recover(ctx, args.recoveryCode, args.newPassword, args.operator),
  'desk.lock': (ctx) => lock(ctx),
  'desk.changePassword': (ctx, args) => changePassword(ctx, args.oldPassword, args.newPassword),
  'desk.setIdleMinutes': (ctx, args) => setIdleMinutes(ctx, args.minutes),
};
