import { describe, expect, it } from 'vitest';
import { backupsToPrune, RETENTION, type KeptBackup } from '../../../shared/rules/backup-retention';
import { seededRandom } from '../../../shared/rules/sample';

const NOW = new Date('2026-12-02T08:00:00Z');
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString();

describe('automatic backups kept', () => {
  it('keeps the last day whole, a day each for a month and a month each after', () => {
    const backups: KeptBackup[] = [];
    // Every 15 minutes for the last 3 hours, then every 6 hours for 120 days.
    for (let m = 0; m < 180; m += 15) backups.push({ name: `r${m}`, createdAt: at(m / 60), bytes: 1 });
    for (let h = 6; h < 120 * 24; h += 6) backups.push({ name: `d${h}`, createdAt: at(h), bytes: 1 });
    const pruned = new Set(backupsToPrune(backups, NOW));
    const kept = backups.filter((b) => !pruned.has(b.name));
    // The eight newest, then (still within 24 hours) only the newest of the calendar day before.
    expect(kept.slice(0, RETENTION.today).map((b) => b.name)).toEqual(backups.slice(0, RETENTION.today).map((b) => b.name));
    expect(kept.filter((b) => NOW.getTime() - Date.parse(b.createdAt) < 86_400_000).length).toBeLessThanOrEqual(RETENTION.today + 1);
    // Within the month, one per calendar day at most (beyond the last day's eight).
    const older = kept.filter((b) => NOW.getTime() - Date.parse(b.createdAt) >= 86_400_000);
    const days = older.filter((b) => NOW.getTime() - Date.parse(b.createdAt) < 30 * 86_400_000).map((b) => b.createdAt.slice(0, 10));
    expect(new Set(days).size).toBe(days.length);
    const months = older.filter((b) => NOW.getTime() - Date.parse(b.createdAt) >= 30 * 86_400_000).map((b) => b.createdAt.slice(0, 7));
    expect(new Set(months).size).toBe(months.length);
    expect(kept.length).toBeLessThanOrEqual(RETENTION.maxCount);
    // The newest is always kept.
    expect(pruned.has('r0')).toBe(false);
  });

  it('never keeps more than the count and size bounds, on random histories', () => {
    const random = seededRandom(7);
    for (let run = 0; run < 50; run++) {
      const backups = Array.from({ length: 200 }, (_, i) => ({
        name: `b${i}`,
        createdAt: at(random() * 24 * 400),
        bytes: Math.floor(random() * 200 * 1024 ** 2),
      }));
      const pruned = new Set(backupsToPrune(backups, NOW));
      const kept = backups.filter((b) => !pruned.has(b.name));
      expect(kept.length).toBeLessThanOrEqual(RETENTION.maxCount);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.reduce((n, b) => n + b.bytes, 0)).toBeLessThanOrEqual(Math.max(RETENTION.maxBytes, kept[0]!.bytes));
      const newest = [...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
      expect(pruned.has(newest.name)).toBe(false);
    }
  });
});
