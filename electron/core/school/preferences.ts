/** What the screens remember between sessions: a small map kept in the settings table, bounded in size. */
import type { Preferences } from '../../../shared/api/school';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { readSetting, writeSetting } from '../settings';

const KEY = 'ui.preferences';
/** More keys than any set of screens needs: a client writing without end is refused, not stored. */
export const MAX_PREFERENCES = 200;

export function preferences(ctx: CoreContext): Preferences {
  return readSetting<Preferences>(ctx, KEY) ?? {};
}

export function remember(ctx: CoreContext, key: string, value: Preferences[string]): Preferences {
  const all = preferences(ctx);
  if (value === null) delete all[key];
  else {
    if (!(key in all) && Object.keys(all).length >= MAX_PREFERENCES)
      throw new AppError('validation', '记住的选择太多，请在设置中清除后再试');
    all[key] = value;
  }
  writeSetting(ctx, KEY, all);
  return all;
}
