/** What the CLI's command files share: options, output, usage errors, finding a class by its name. */
import type { parseArgs } from 'node:util';
import type { ApiClient } from '../../shared/api';
import { AppError } from '../../shared/errors';
import { normalizeText } from '../../shared/rules/text';

export const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  school: { type: 'string' },
  county: { type: 'string' },
  township: { type: 'string' },
  stages: { type: 'string' },
  term: { type: 'string' },
  'dry-run': { type: 'boolean' },
  strict: { type: 'boolean' },
  sheet: { type: 'string' },
  class: { type: 'string' },
  search: { type: 'string' },
  all: { type: 'boolean' },
  port: { type: 'string' },
  open: { type: 'boolean' },
  students: { type: 'string' },
  kind: { type: 'string' },
  date: { type: 'string' },
  out: { type: 'string' },
  apply: { type: 'boolean' },
  programme: { type: 'string' },
  from: { type: 'string' },
  quota: { type: 'string' },
  portrait: { type: 'boolean' },
  template: { type: 'string' },
  'full-numbers': { type: 'boolean' },
  'paid-on': { type: 'string' },
  year: { type: 'string' },
  action: { type: 'string' },
  note: { type: 'string' },
  actor: { type: 'string' },
  level: { type: 'string' },
  'starts-on': { type: 'string' },
  reason: { type: 'string' },
  days: { type: 'string' },
  phone: { type: 'string' },
  id: { type: 'string' },
  identification: { type: 'boolean' },
  source: { type: 'string' },
  document: { type: 'string' },
  amount: { type: 'string' },
  account: { type: 'string' },
  month: { type: 'string' },
} as const;

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** A command used wrongly: the usage text follows the message. */
export class UsageError extends Error {}

/** The one class a clerk's text names: 一年级1班, 一年级（1）班 … */
export async function findClassId(client: ApiClient, text: string): Promise<number> {
  const wanted = normalizeText(text).replace(/\s+/g, '');
  const classes = await client.invoke('classes.list', {});
  const loose = (s: string) => normalizeText(s).replace(/[\s()（）]/g, '');
  // With member schools a class may be named with its school first (岭下村小学一年级1班): 一年级1班 is in each.
  const found = classes.filter((c) => c.name === wanted || loose(c.name) === loose(wanted) || loose(c.label) === loose(wanted));
  const matches = found.length ? found : classes.filter((c) => loose(c.label).includes(loose(wanted)));
  if (matches.length !== 1) {
    const names = matches.length
      ? `，符合的有：${matches.map((c) => c.label).join('、')}`
      : `。现有班级：${classes.map((c) => c.label).join('、')}`;
    throw new AppError('class-ambiguous', `班级“${text}”${matches.length ? '不唯一' : '不存在'}${names}`);
  }
  return matches[0]!.id;
}
