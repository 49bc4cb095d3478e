/**
 * The desk's lock. new: no password yet (first start); unencrypted: data from before encryption, waiting for
 * a password; locked: the password opens it; open: unlocked by `operator`.
 */
export type DeskState = 'new' | 'unencrypted' | 'locked' | 'open';

export interface DeskStatus {
  state: DeskState;
  /** Who unlocked the desk (asked on every unlock); null while locked. */
  operator: string | null;
  /** Minutes without use before the desk locks itself; null while locked. */
  idleMinutes: number | null;
  /** After an unlock that finished a password change cut short: its new recovery code, to show once. */
  recoveryCode?: string;
}

export const IDLE_MINUTES_DEFAULT = 10;
export const IDLE_MINUTES_MAX = 120;
