/** 备份: a copy of the database and every attachment, with a manifest that proves both are whole. */
export interface BackupInfo {
  /** The folder's name, e.g. aid-desk-20261122-100000. */
  name: string;
  path: string;
  createdAt: string;
  /** The last migration the database had: a newer app can restore an older backup, never the other way. */
  schema: string;
  /** The school's name in the backup (null in backups from before it was recorded). */
  school: string | null;
  appVersion: string | null;
  /** Made under a data key (false: a backup from before encryption, in the clear). */
  encrypted: boolean;
  databaseBytes: number;
  attachments: number;
  attachmentBytes: number;
  students: number;
  payments: number;
  /** A rolling backup the desk made by itself (backups/auto/), not one the clerk made. */
  automatic: boolean;
}
