/**
 * Who might be one household: students whose records share the guardian's name and the address, or the guardian's
 * name and phone. Groups are closed under either link (A–B by address, B–C by phone: one group). Only a suggestion:
 * the clerk confirms.
 */
import type { HouseholdReason } from '../domain/household';
import { normalizeName } from './text';

export interface HouseholdFacts {
  studentId: number;
  guardian: string | null;
  address: string | null;
  phone: string | null;
}

const squash = (s: string | null) => (s ?? '').normalize('NFKC').replace(/\s+/g, '');

export function householdGroups(students: readonly HouseholdFacts[]): { ids: number[]; reasons: HouseholdReason[] }[] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const reasonsOf = new Map<number, Set<HouseholdReason>>();
  for (const s of students) parent.set(s.studentId, s.studentId);
  const link = (key: (s: HouseholdFacts) => string | null, reason: HouseholdReason) => {
    const first = new Map<string, number>();
    for (const s of students) {
      const k = key(s);
      if (!k) continue;
      const other = first.get(k);
      if (other === undefined) {
        first.set(k, s.studentId);
        continue;
      }
      const a = find(other);
      const b = find(s.studentId);
      if (a !== b) parent.set(b, a);
      const root = find(a);
      const set = reasonsOf.get(root) ?? new Set();
      set.add(reason);
      reasonsOf.set(root, set);
    }
  };
  const guardian = (s: HouseholdFacts) => (s.guardian ? normalizeName(s.guardian) : '');
  link((s) => (guardian(s) && squash(s.address) ? `${guardian(s)}|${squash(s.address)}` : null), 'guardianAddress');
  link((s) => (guardian(s) && squash(s.phone) ? `${guardian(s)}|${squash(s.phone)}` : null), 'guardianPhone');
  const groups = new Map<number, number[]>();
  for (const s of students) {
    const r = find(s.studentId);
    groups.set(r, [...(groups.get(r) ?? []), s.studentId]);
  }
  const reasonsByRoot = new Map<number, Set<HouseholdReason>>();
  for (const [root, set] of reasonsOf) {
    const r = find(root);
    const merged = reasonsByRoot.get(r) ?? new Set();
    for (const x of set) merged.add(x);
    reasonsByRoot.set(r, merged);
  }
  return [...groups.entries()]
    .filter(([, ids]) => ids.length > 1)
    .map(([root, ids]) => ({ ids, reasons: [...(reasonsByRoot.get(root) ?? [])] }));
}
