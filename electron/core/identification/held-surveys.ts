/**
 * A survey form's unsaved edits, kept in the database while the clerk types (in the settings table, one key
 * per student and year) so that a closed window or a crash loses nothing. A save of the survey drops them;
 * so does the clerk discarding them. Bounded: a client cannot fill the table.
 */
import type { CallArgs } from '../../../shared/api';
import type { HeldSurvey } from '../../../shared/api/surveys';
import type { SchoolYear } from '../../../shared/domain/school';
import { AppError, notFound } from '../../../shared/errors';
import { nowIso, type CoreContext } from '../context';
import { readSetting, writeSetting } from '../settings';
import { yearOf } from '../school/school';

/** More open forms than one clerk ever leaves half-typed. */
export const MAX_HELD_SURVEYS = 200;
const PREFIX = 'held.survey.';

const keyOf = (studentId: number, year: SchoolYear) => `${PREFIX}${year}.${studentId}`;

type Stored = Omit<HeldSurvey, 'hasPrivate'>;

/** The held edits for the view: address and phone left out when the view is masked. */
export function heldSurvey(ctx: CoreContext, studentId: number, year: SchoolYear, masked: boolean): HeldSurvey | null {
  const held = readSetting<Stored>(ctx, keyOf(studentId, year));
  if (!held) return null;
  const hasPrivate = held.fields.address !== undefined || held.fields.guardianPhone !== undefined;
  if (!masked) return { ...held, hasPrivate };
  const { address: _a, guardianPhone: _p, ...rest } = held.fields;
  return { ...held, fields: rest, hasPrivate };
}

export async function holdSurvey(ctx: CoreContext, args: CallArgs<'surveys.hold'>): Promise<{ at: string }> {
  const year = await yearOf(ctx, args.schoolYear);
  const s = ctx.store.sqlite.prepare(`SELECT id, name, status FROM student WHERE id = ?`).get(args.studentId) as
    { id: number; name: string; status: string } | undefined;
  if (!s) throw notFound('学生');
  if (s.status !== 'enrolled') throw new AppError('student-left', `${s.name}已离校，不能再填写调查表`);
  const key = keyOf(s.id, year);
  if (readSetting(ctx, key) === null) {
    const held = ctx.store.sqlite.prepare(`SELECT count(*) FROM setting WHERE key LIKE 'held.survey.%'`).pluck().get() as number;
    if (held >= MAX_HELD_SURVEYS)
      throw new AppError('validation', `已有 ${MAX_HELD_SURVEYS} 份调查表留有未保存的内容，请先保存或放弃其中一些`);
  }
  const at = nowIso(ctx);
  const stored: Stored = { at, version: args.version, fields: args.fields, flags: args.flags };
  writeSetting(ctx, key, stored);
  return { at };
}

export async function releaseSurvey(ctx: CoreContext, args: CallArgs<'surveys.release'>): Promise<{ released: boolean }> {
  const year = await yearOf(ctx, args.schoolYear);
  return { released: dropHeldSurvey(ctx, args.studentId, year) };
}

/** Called by the survey's save, inside its transaction. */
export function dropHeldSurvey(ctx: CoreContext, studentId: number, year: SchoolYear): boolean {
  const key = keyOf(studentId, year);
  const had = readSetting(ctx, key) !== null;
  if (had) writeSetting(ctx, key, null);
  return had;
}
