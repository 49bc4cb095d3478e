import { AppError } from '../errors';

/** At least 8 characters, not all the same kind: a birthday or 12345678 is the first thing a finder tries. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Why a new password is refused, in the clerk's words, or null when it will do. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `密码至少 ${PASSWORD_MIN} 位`;
  if (password.length > PASSWORD_MAX) return `密码最多 ${PASSWORD_MAX} 位`;
  if (/^\d+$/.test(password)) return '密码不能只有数字（生日、电话号码最容易被猜到），请加上字母';
  if (/^(.)\1*$/.test(password)) return '密码不能是同一个字符重复';
  if (/^[a-z]+$/i.test(password)) return '密码不能只有字母，请加上数字或符号';
  return null;
}

export function checkNewPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('validation', problem);
}

/** A recovery code as typed: any case, with or without dashes and spaces. */
export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
