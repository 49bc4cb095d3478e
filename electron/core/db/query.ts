/**
 * Typed queries that run synchronously: kysely builds the SQL and its result type (a renamed column fails
 * `tsc`), better-sqlite3 runs it inside the caller's synchronous transaction. No casts on query results.
 *
 * @example all(ctx, ctx.store.db.selectFrom('student').select(['id', 'name']).where('status', '=', 'enrolled'))
 *          // → { id: number; name: string }[]
 */
import type { Compilable, InferResult } from 'kysely';
import type { CoreContext } from '../context';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any compiled query; the result type comes from the builder
type Query = Compilable<any>;

function statement(ctx: CoreContext, q: Query) {
  const { sql, parameters } = q.compile();
  return { stmt: ctx.store.sqlite.prepare(sql), parameters: parameters as unknown[] };
}

/** Every row of a select. */
export function all<Q extends Query>(ctx: CoreContext, q: Q): InferResult<Q> {
  const { stmt, parameters } = statement(ctx, q);
  return stmt.all(...parameters) as InferResult<Q>;
}

/** The first row of a select, or undefined. */
export function first<Q extends Query>(ctx: CoreContext, q: Q): InferResult<Q>[number] | undefined {
  const { stmt, parameters } = statement(ctx, q);
  return stmt.get(...parameters) as InferResult<Q>[number] | undefined;
}

/** An insert, update or delete: the changes and the new row's id. */
export function run(ctx: CoreContext, q: Query): { changes: number; lastInsertRowid: number } {
  const { stmt, parameters } = statement(ctx, q);
  const r = stmt.run(...parameters);
  return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
}
