/**
 * The typed contract between the renderer and the core: message name → zod args schema → result type.
 * Three transports serve it (Electron IPC, the local web host, direct calls in tests); none of them
 * knows any particular message.
 */
import type { z } from 'zod';

export interface Message<A extends z.ZodType, R> {
  readonly args: A;
  /** Phantom: carries the result type only. */
  readonly __result?: R;
}

/** `message<Result>()(argsSchema)`: the result is named first so the schema's type is inferred. */
export function message<R>() {
  return <A extends z.ZodType>(args: A): Message<A, R> => ({ args });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any message, whatever its schema
export type Contract = Record<string, Message<any, unknown>>;

/** What a caller passes (before defaults). */
export type ArgsOf<M> = M extends Message<infer A, unknown> ? z.input<A> : never;
/** What a handler receives (after parsing). */
export type ParsedArgsOf<M> = M extends Message<infer A, unknown> ? z.output<A> : never;
export type ResultOf<M> = M extends Message<z.ZodType, infer R> ? R : never;

export interface ApiError {
  /** Stable machine code: `validation`, `not-found`, `roster-unreadable` … */
  code: string;
  /** Chinese, written for the clerk: says what and where. Never holds ID, card or phone numbers. */
  message: string;
  details?: unknown;
}

export type ApiResponse<R> = { ok: true; value: R } | { ok: false; error: ApiError };

export type Handlers<C extends Contract, Ctx> = {
  [K in keyof C]: (ctx: Ctx, args: ParsedArgsOf<C[K]>) => ResultOf<C[K]> | Promise<ResultOf<C[K]>>;
};

/** The caller's view of a contract: results come back, failures are thrown as `ApiCallError`. */
export interface Client<C extends Contract> {
  invoke<K extends keyof C & string>(name: K, args: ArgsOf<C[K]>): Promise<ResultOf<C[K]>>;
}

/** A failed call on the caller's side, carrying the error as the core sent it. */
export class ApiCallError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.details = error.details;
  }
}

/** Unwraps a transport's response for a client. */
export function unwrap<R>(response: ApiResponse<R>): R {
  if (response.ok) return response.value;
  throw new ApiCallError(response.error);
}
