import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CORE = join(ROOT, 'electron', 'core');

/** Raw SQL writes and kysely's write builders, with the table they name. */
const WRITE =
  /(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)|(?:insertInto|updateTable|deleteFrom|replaceInto)\(\s*'([a-z_]+)'/g;

function writtenTables(source: string): string[] {
  return [...source.matchAll(WRITE)].map((m) => (m[1] ?? m[2])!);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'migrations' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** The area of a core file: its folder under electron/core (a file at the top is its own area). */
function areaOf(file: string): string {
  const parts = relative(CORE, file).split(sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
}

/** Every table and the areas that write it (migrations create the tables; they are not writers). */
function writers(): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const file of sources(CORE)) {
    for (const table of writtenTables(readFileSync(file, 'utf8'))) {
      if (!map.has(table)) map.set(table, new Set());
      map.get(table)!.add(areaOf(file));
    }
  }
  return map;
}

describe('one writer per table', () => {
  it('finds raw and built writes', () => {
    expect(writtenTables("INSERT OR IGNORE INTO priority_flag (a) VALUES (1); UPDATE student SET a = 1; db.deleteFrom('payment')")).toEqual(
      ['priority_flag', 'student', 'payment'],
    );
  });

  it('each table is written by one area module', () => {
    const shared = [...writers()].filter(([, areas]) => areas.size > 1).map(([t, areas]) => `${t}: ${[...areas].join(', ')}`);
    expect(shared).toEqual([]);
  });

  it('the tables with a life of their own are written where the issue says', () => {
    const owner = (t: string) => [...(writers().get(t) ?? [])];
    expect(owner('application')).toEqual(['programmes']);
    expect(owner('application_event')).toEqual(['programmes']);
    expect(owner('student')).toEqual(['students']);
    expect(owner('priority_flag')).toEqual(['students']);
    expect(owner('identification')).toEqual(['identification']);
    expect(owner('publicity')).toEqual(['publicity']);
    expect(owner('payment')).toEqual(['payments']);
    expect(owner('archive_item')).toEqual(['archive']);
  });

  it('no handler writes a table', () => {
    const inHandlers = sources(join(CORE, 'handlers')).filter((f) => writtenTables(readFileSync(f, 'utf8')).length > 0);
    expect(inHandlers.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
