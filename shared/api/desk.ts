import { z } from 'zod';
import type { DeskStatus } from '../domain/desk';
import { IDLE_MINUTES_MAX } from '../domain/desk';
import { PASSWORD_MAX } from '../rules/password';
import { message } from './contract';

const password = z.string().min(1, '请输入密码').max(PASSWORD_MAX, `密码最多 ${PASSWORD_MAX} 位`);
const operator = z.string().trim().min(1, '请填写经办人姓名').max(20, '经办人姓名最多 20 个字');

/** The only messages answered while the desk is locked. */
export const deskApi = {
  'desk.status': message<DeskStatus>()(z.object({})),
  /** Chooses the password of a new desk (or encrypts a desk from before encryption); the recovery code is shown once. */
  'desk.setUp': message<{ recoveryCode: string; status: DeskStatus }>()(z.object({ password, operator })),
  'desk.unlock': message<DeskStatus>()(z.object({ password, operator })),
  /** The recovery code opens the desk and sets a new password. */
  'desk.recover': message<DeskStatus>()(
    z.object({ recoveryCode: z.string().trim().min(1, '请输入恢复码').max(60, '恢复码太长'), newPassword: password, operator }),
  ),
  'desk.lock': message<DeskStatus>()(z.object({})),
  /** Re-keys the desk under the new password; the new recovery code is shown once (the old one is void). */
  'desk.changePassword': message<{ changed: true; recoveryCode: string }>()(z.object({ oldPassword: password, newPassword: password })),
  'desk.setIdleMinutes': message<DeskStatus>()(
    z.object({ minutes: z.number().int().min(1, '至少 1 分钟').max(IDLE_MINUTES_MAX, `最多 ${IDLE_MINUTES_MAX} 分钟`) }),
  ),
};

export const DESK_MESSAGES: ReadonlySet<string> = new Set(Object.keys(deskApi));
