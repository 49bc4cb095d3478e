/**
 * KeyIndex (the roster's compact string → number index) must answer as a Map does: random keys of every kind the
 * roster has (ID numbers, 学籍号, names with birth dates, the empty key, keys that are prefixes of others), set,
 * overwritten and looked up, across its growing.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../shared/rules/sample';
import { KeyIndex } from '../../../electron/core/students/key-index';

describe('KeyIndex', () => {
  it('answers as a Map does for 20,000 random keys, overwrites included', () => {
    const rand = seededRandom(2026);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
    const names = ['张英志', '欧阳小雨', '李', 'Ōtani', '阿依古丽·买买提'];
    const keyOf = () => {
      const r = rand();
      if (r < 0.4) return `4331${digits(14)}`;
      if (r < 0.7) return `G${digits(18)}`;
      if (r < 0.9) return `${names[Math.floor(rand() * names.length)]}|2015-0${1 + Math.floor(rand() * 9)}-1${digits(1)}`;
      return digits(Math.floor(rand() * 4)); // short keys: '', '7', '12' (prefixes of one another)
    };
    const index = new KeyIndex();
    const map = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const key = keyOf();
      const value = Math.floor(rand() * 2 ** 31) * (rand() < 0.5 ? -1 : 1);
      if (rand() < 0.7) {
        index.set(key, value);
        map.set(key, value);
      }
      const probe = rand() < 0.5 ? key : keyOf();
      expect(index.get(probe)).toBe(map.get(probe));
    }
    expect(index.size).toBe(map.size);
    expect(map.size).toBeGreaterThan(8_000);
    expect(map.has('')).toBe(true);
    for (const [key, value] of map) expect(index.get(key)).toBe(value);
  });

  it('tells apart keys whose hashes are the same', () => {
    // Pairs of ID-number-like keys with the same 32-bit FNV-1a hash (the index's), found among 300,000.
    const fnv = (key: string) => {
      let hash = 0x811c9dc5;
      for (const byte of Buffer.from(key)) hash = Math.imul(hash ^ byte, 0x01000193);
      return hash >>> 0;
    };
    const byHash = new Map<number, string>();
    const pairs: [string, string][] = [];
    for (let i = 0; i < 300_000; i++) {
      const key = `43312520${String(i).padStart(10, '0')}`;
      const other = byHash.get(fnv(key));
      if (other) pairs.push([other, key]);
      else byHash.set(fnv(key), key);
    }
    expect(pairs.length).toBeGreaterThan(2);
    const index = new KeyIndex();
    pairs.forEach(([a], i) => index.set(a, i));
    for (const [i, [a, b]] of pairs.entries()) {
      expect(index.get(a)).toBe(i);
      expect(index.get(b)).toBeUndefined();
    }
    pairs.forEach(([, b], i) => index.set(b, -i - 1));
    for (const [i, [a, b]] of pairs.entries()) expect([index.get(a), index.get(b)]).toEqual([i, -i - 1]);
    expect(index.size).toBe(pairs.length * 2);
  });
});
