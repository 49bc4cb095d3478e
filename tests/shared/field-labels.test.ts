import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { api } from '../../shared/api';
import { EMPTY_SURVEY_FIELDS } from '../../shared/domain/survey';
import { FIELD_LABELS, fieldPath } from '../../shared/api/field-labels';
import { checkCall } from '../../electron/core/check-call';

/** Every object key anywhere in the contract's argument schemas, with the messages that use it. */
function contractKeys(): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  const seen = new Set<unknown>();
  const walk = (schema: z.ZodType | undefined, message: string): void => {
    if (!schema || seen.has(schema)) return;
    seen.add(schema);
    const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
    const inner = (k: string) => walk(def[k] as z.ZodType, message);
    switch (def.type) {
      case 'object':
        for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) {
          keys.set(k, [...(keys.get(k) ?? []), message]);
          walk(v, message);
        }
        break;
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'nonoptional':
      case 'catch':
        inner('innerType');
        break;
      case 'pipe':
        inner('in');
        inner('out');
        break;
      case 'array':
        inner('element');
        break;
      case 'record':
        inner('valueType');
        break;
      case 'union':
        for (const o of def.options as z.ZodType[]) walk(o, message);
        break;
      case 'intersection':
        inner('left');
        inner('right');
        break;
      case 'lazy':
        walk((def.getter as () => z.ZodType)(), message);
        break;
    }
  };
  for (const [name, m] of Object.entries(api)) walk(m.args as z.ZodType, name);
  return keys;
}

describe('the names of the contract fields in messages', () => {
  it('has a Chinese name for every field of every message', () => {
    const keys = contractKeys();
    expect(keys.size).toBeGreaterThan(150); // the walker reached into the schemas
    const missing = [...keys.keys()].filter((k) => !FIELD_LABELS[k]).map((k) => `${k}（${keys.get(k)![0]}）`);
    expect(missing).toEqual([]);
  });

  it('names nested fields and items by their place', () => {
    expect(fieldPath(['flags', 0, 'group'])).toBe('特殊群体第1项·群体');
    expect(fieldPath(['complaintPhone'])).toBe('监督（投诉）电话');
  });

  it('refuses a call in the clerk’s words: field names, no codes of options or types, a bounded list', () => {
    const phone = checkCall('publicity.createIdentification', { complaintPhone: '1' });
    expect(phone.ok).toBe(false);
    if (phone.ok) return;
    expect(phone.error.message).toBe('提交的内容不正确：监督（投诉）电话：请填写监督（投诉）电话');
    const days = checkCall('publicity.saveRules', { twoLevel: true, minDays: { school: 0, class: 3 } });
    expect(days.ok || days.error.message).toBe('提交的内容不正确：最少天数·学校：学校公示至少 1 个工作日');
    expect(phone.error.message).not.toMatch(/complaintPhone|[a-z]{4,}/);

    const group = checkCall('surveys.hold', {
      studentId: 1,
      version: null,
      // Everything but 家庭人口数, which is missing.
      fields: (({ householdSize: _, ...rest }) => rest)(EMPTY_SURVEY_FIELDS),
      flags: [{ group: 'nobody', source: 'selfDeclared', sourceDate: null }],
    });
    expect(group.ok).toBe(false);
    if (group.ok) return;
    expect(group.error.message).toContain('特殊群体第1项·群体：不是可选的值');
    expect(group.error.message).not.toMatch(/povertyAlleviated|string|undefined/);
    expect(group.error.message).toContain('填写内容·家庭人口数：必须填写');

    const many = checkCall('students.setStatus', { ids: Array.from({ length: 5000 }, () => 'x'), status: 'enrolled' });
    expect(many.ok).toBe(false);
    if (many.ok) return;
    expect(many.error.message.length).toBeLessThan(200);
    expect(many.error.message).toMatch(/另有 4995 处$/);
  });
});
