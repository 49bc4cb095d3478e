/** Validation of a call against the contract, shared by the core's dispatch and Electron main's relay. */
import { z } from 'zod';
import { api, isMessageName, type ApiError, type MessageName } from '../../shared/api';
import { fieldPath } from '../../shared/api/field-labels';

// Schema messages reach the clerk: in Chinese.
z.config(z.locales.zhCN());

export type CheckedCall = { ok: true; name: MessageName; args: unknown } | { ok: false; error: ApiError };

/** Finds the message and validates its arguments against the contract. Used by dispatch and by Electron main. */
export function checkCall(name: unknown, args: unknown): CheckedCall {
  if (typeof name !== 'string' || !isMessageName(name)) {
    return { ok: false, error: { code: 'unknown-message', message: `程序内部错误：未知的调用“${String(name).slice(0, 60)}”` } };
  }
  const parsed = api[name].args.safeParse(args ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => ({
      path: i.path.join('.'),
      field: fieldPath(i.path),
      message: clerkMessage(i, valueAt(args, i.path)),
    }));
    const more = parsed.error.issues.length - issues.length;
    const text = issues.map((i) => (i.field ? `${i.field}：` : '') + i.message).join('；') + (more > 0 ? `；另有 ${more} 处` : '');
    return { ok: false, error: { code: 'invalid-args', message: `提交的内容不正确：${text}`, details: { issues } } };
  }
  return { ok: true, name, args: parsed.data };
}

/** A refused call names at most this many problems: the message never grows with the input. */
const MAX_ISSUES = 5;

function valueAt(args: unknown, path: readonly PropertyKey[]): unknown {
  let v = args;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/**
 * The schema's own Chinese messages stand; zod's generic ones name types and option codes ("期望 string",
 * "povertyAlleviated"|…) that mean nothing to a clerk, and are replaced.
 */
function clerkMessage(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined || value === null ? '必须填写' : '格式不对';
    case 'invalid_value':
      return '不是可选的值';
    case 'invalid_union':
      return '格式不对';
    case 'unrecognized_keys':
      return '含有无法识别的内容';
    default:
      return issue.message;
  }
}
