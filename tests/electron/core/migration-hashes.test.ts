import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/core/db/migrations';

const DIR = join(import.meta.dirname, '..', '..', '..', 'electron', 'core', 'db', 'migrations');

/**
 * A landed migration never changes: a desk that already ran it would never see the change. Each file's text
 * is pinned here; a change to the schema is a new migration (and a new line here).
 */
const LANDED: Record<string, string> = {
  '0001-foundation': '27c73355db832c67d114db37493753c5ac3d2c44e0989fd6eb9527c56439a490',
  '0002-identification': '07b62298d5f86f523f44016a03032d9f513e06dc8eb6978439960acf0e7734e2',
  '0003-programmes': 'dac50340760309690805cf9947eae3eeb1b061f576a577c42dd00a65e778527f',
  '0004-templates': '727ce8ce67803e99df9701aecaf326b14e6f4dc33ec3c25e557aa91898207d20',
  '0005-payments-archive': 'e6a30b3febdc0ae56f08bff6588c9b21c3e25e1ef2db0683919f2695a53903e8',
  '0006-money-path': 'd8cc5bfbf36f2cc84066b1ce16ea0b027012cadd9a1ddde6b31d736006f42553',
  '0007-audit': '4314cab0ee2baa6958789a5928c07928e74cde43c043e185e7ac2d848ab61b29',
  '0008-funds-meals': '6512f3dbbf860b8e4a0f251c2f2f82184f83f7cdb7031b1be26e171750ae8fed',
  '0009-county-findings': '8830fc5b962f69a2624149c573fa341470539e3be836f3956eff15ce097adcf9',
  '0010-education-complaints': 'ccaba058050fd279ee6a04777daf62ecf5ced40a35d5df5c4e494dae948545cf',
  '0011-follow-up': 'f0cf6f25b73fd4958fab2a6578511f4fb9b49394c7810293bc9811bc98c4ae71',
  '0012-student-search': '8dd0bb8fd35d1b395055f9f2f1cac97d9887c3f2ac3daba6650f4c5f2811b079',
  '0013-member-schools': '086a4baa851e7002bd8747f7d7dd86a7b9ec14ca120efffa6b5e2bba093ce56b',
  '0014-search-hashsize': '386d5068adb23da739bd1fe741efa9766e8e102e2e1f00a30cd4eda15e875dc4',
  '0015-search-keys': '1b6a3e15d603f6771cacb930359ef604cf1015673a3d10d0d023a1bb901f2c83',
  '0016-school-quotas': '7d62b99c58bf5f007fd5b67a0e95e2e35a3bc032d3390baa45f65eadc9d8061a',
  '0017-meal-days-per-school': '00a6fc048af9c7d7f03ea62f0a8d9fec13f92e7ec449acef67fbc84b20d8ab47',
  '0018-year-indexes': '93149e51776a1b5d4ebcb6f480788a48849f65b660c6f3b2b786e1d38d7e167e',
};

/** The frozen trigger helper 0010 and 0011 import (0008 and 0009 landed with their own copies): pinned like them. */
const HELPERS: Record<string, string> = {
  'audit-triggers': 'e4f4646ca513f910755b66a9380db49dd8367939b5db2340277e2a7315b48752',
};

const sha256 = (name: string) =>
  createHash('sha256')
    .update(readFileSync(join(DIR, `${name}.ts`)))
    .digest('hex');

describe('landed migrations', () => {
  it('keep the text they landed with', () => {
    expect(Object.fromEntries(Object.keys(LANDED).map((name) => [name, sha256(name)]))).toEqual(LANDED);
  });

  it('import a frozen helper that keeps the text it landed with', () => {
    expect(Object.fromEntries(Object.keys(HELPERS).map((name) => [name, sha256(name)]))).toEqual(HELPERS);
  });

  it('are all listed, in order, and every file in the folder is one of them', () => {
    const files = readdirSync(DIR)
      .filter((f) => /^\d{4}-.*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
    expect(files).toEqual(Object.keys(LANDED));
  });
});
