/**
 * Which automatic backups to keep: every one of the last day (at most 8), the newest of each day for a
 * month, the newest of each month after that; never more than `maxCount` nor `maxBytes` in all (the oldest
 * go first). Manual backups are the clerk's and are never pruned.
 */
export interface KeptBackup {
  name: string;
  /** UTC ISO time. */
  createdAt: string;
  bytes: number;
}

export const RETENTION = { today: 8, days: 30, maxCount: 60, maxBytes: 4 * 1024 ** 3 };

const DAY = 86_400_000;

export function backupsToPrune(backups: KeptBackup[], now: Date, limits = RETENTION): string[] {
  const newestFirst = [...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const keep = new Set<string>();
  const days = new Set<string>();
  const months = new Set<string>();
  let recent = 0;
  for (const b of newestFirst) {
    const age = now.getTime() - new Date(b.createdAt).getTime();
    const day = b.createdAt.slice(0, 10);
    const month = b.createdAt.slice(0, 7);
    if (age < DAY && recent < limits.today) {
      recent++;
      keep.add(b.name);
    } else if (age < limits.days * DAY) {
      if (!days.has(day)) keep.add(b.name);
    } else if (!months.has(month)) keep.add(b.name);
    days.add(day);
    months.add(month);
  }
  let count = 0;
  let bytes = 0;
  for (const b of newestFirst) {
    if (!keep.has(b.name)) continue;
    count++;
    bytes += b.bytes;
    if (count > limits.maxCount || (bytes > limits.maxBytes && count > 1)) keep.delete(b.name);
  }
  return newestFirst.filter((b) => !keep.has(b.name)).map((b) => b.name);
}
