import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { formatIsoDate } from '../../shared/rules/dates';
import type { Store } from './db/open';
import type { ScryptParams } from './desk/keys';
import type { Table, TableOutline } from './import/read-table';

/** A file the clerk uploaded for preview, kept in memory until imported or expired. */
export interface Upload {
  id: string;
  fileName: string;
  sha256: string;
  /** The bytes as sent, for files that are kept (a bank's result file goes to the archive). */
  data: Buffer;
  /** What the read at upload found (sheets, head rows, sizes): the rows themselves are read again when needed. */
  outline: TableOutline;
  /** The whole table, once an importer asked for it (uploads.ts: tableOf); a roster is streamed instead. */
  table?: Table;
  at: number;
}

/**
 * The desk behind a host (the app, the browser mode, the CLI): its data folder, whether it is unlocked and
 * by whom. Without one (unit tests on `:memory:`) the store is always open.
 */
export interface DeskSession {
  dataDir: string;
  open: boolean;
  /** Who unlocked it: recorded with every change. */
  operator: string | null;
  /** The core's clock (ms) at the last call: the idle lock counts from here. */
  lastCall: number;
  /** Key derivation cost; tests make it cheap. */
  kdf?: ScryptParams;
  /** Rolling backups while the desk is used (the app and the browser mode; not one-off CLI commands). */
  autoBackups?: boolean;
  /** The core's clock (ms) at the last rolling backup, and the connection's change count then. */
  lastAutoBackup?: number;
  backedUpChanges?: number;
}

/** What every handler gets: the database, a clock and an id maker, so tests can fix them. */
export interface CoreContext {
  store: Store;
  now(): Date;
  newId(): string;
  uploads: Map<string, Upload>;
  /** Files arriving in parts (uploads.part), by upload id, until the last part is read into `uploads`. */
  receiving: Map<string, ReceivingUpload>;
  desk?: DeskSession;
}

export interface ReceivingUpload {
  fileName: string;
  data: Buffer;
  received: number;
  at: number;
}

export function createContext(store: Store, options: { now?: () => Date; desk?: DeskSession } = {}): CoreContext {
  return { store, now: options.now ?? (() => new Date()), newId: randomUUID, uploads: new Map(), receiving: new Map(), desk: options.desk };
}

/** The store of a locked desk: anything that reaches for the data is refused. */
export function lockedStore(): Store {
  return new Proxy({} as Store, {
    get: (_target, property) => {
      if (property === 'close') return async () => {};
      if (property === 'key') return null;
      throw new AppError('locked', 'AidDesk 已锁定：请输入密码解锁后再操作');
    },
  });
}

/** Today in the machine's own time zone (the clerk's calendar day). */
export function today(ctx: CoreContext): string {
  const d = ctx.now();
  return formatIsoDate(d.getFullYear(), d.getMonth() + 1, d.getDate());
}

/** The clerk's calendar day of a stored timestamp (timestamps are UTC ISO strings). */
export function localDate(iso: string): string {
  const d = new Date(iso);
  return formatIsoDate(d.getFullYear(), d.getMonth() + 1, d.getDate());
}

/** Refuses a date in the future: what the clerk records (a payment, a decision, an objection) has happened. */
export function notAfterToday(ctx: CoreContext, date: string, what: string): void {
  const t = today(ctx);
  if (date > t) throw new AppError('validation', `${what}（${date}）晚于今天（${t}），不能登记还没有发生的事`);
}

export function nowIso(ctx: CoreContext): string {
  return ctx.now().toISOString();
}

const MAX_UPLOADS = 8;
export const UPLOAD_TTL_MS = 2 * 60 * 60 * 1000;

export function keepUpload(ctx: CoreContext, upload: Omit<Upload, 'id' | 'at'>, uploadId = ctx.newId()): Upload {
  const at = ctx.now().getTime();
  for (const [id, u] of ctx.uploads) if (at - u.at > UPLOAD_TTL_MS) ctx.uploads.delete(id);
  while (ctx.uploads.size >= MAX_UPLOADS) ctx.uploads.delete(ctx.uploads.keys().next().value!);
  const kept = { ...upload, id: uploadId, at };
  ctx.uploads.set(kept.id, kept);
  return kept;
}
