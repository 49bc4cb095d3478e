/** Small settings kept in the database as JSON: the scoring rubric, list layouts per kind. */
import type { CoreContext } from './context';
import { nowIso } from './context';

export function readSetting<T>(ctx: CoreContext, key: string): T | null {
  const value = ctx.store.sqlite.prepare(`SELECT value FROM setting WHERE key = ?`).pluck().get(key) as string | undefined;
  return value === undefined ? null : (JSON.parse(value) as T);
}

export function writeSetting(ctx: CoreContext, key: string, value: unknown): void {
  if (value === null) {
    ctx.store.sqlite.prepare(`DELETE FROM setting WHERE key = ?`).run(key);
    return;
  }
  ctx.store.sqlite
    .prepare(
      `INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .run(key, JSON.stringify(value), nowIso(ctx));
}
