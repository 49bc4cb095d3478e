/** 备份: a copy of the database and every attachment, with a manifest that proves both are whole. */
export interface BackupInfo {
  /** The folder's name, e.g. aid-desk-20261122-100000. */
  name: string;
  path: string;
  createdAt: string;
  /** The last migration the database had: a newer app can restore an older backup, never the other way. */
  schema: string;
  databaseBytes: number;
  attachments: number;
  attachmentBytes: number;
  students: number;
  payments: number;
}
