/**
 * The checks page's messages: counts of every finding and one page of them, the same findings in the same order as
 * the whole list, read again after any write (the findings are kept between pages only while nothing changed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../shared/domain/application';
import { FINDING_CODE_TEXT } from '../../../shared/domain/application';
import { testCore, type TestCore } from '../../helpers/core';

let core: TestCore;
const term = '2026-autumn' as const;
beforeAll(async () => {
  core = await testCore({ school: false });
  await core.client.invoke('school.createDemo', { students: 300 });
  core.ctx.store.sqlite.prepare(`UPDATE student SET bank_card = NULL`).run();
});
afterAll(async () => core.close());

async function everyPage(code: string | null, limit: number): Promise<Finding[]> {
  const out: Finding[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = await core.client.invoke('checks.page', { term, code, offset, limit });
    expect(page.offset).toBe(offset);
    out.push(...page.findings);
    if (page.findings.length < limit) return out;
  }
}

describe('checks.page', () => {
  it('pages through the same findings as checks.run, in its order, with the counts of all of them', async () => {
    const every = await core.client.invoke('checks.run', { term });
    const codes = new Set(every.map((f) => f.code));
    expect(every.length).toBeGreaterThan(50);
    expect(codes.size).toBeGreaterThan(1);

    const first = await core.client.invoke('checks.page', { term, limit: 7 });
    expect(first.total).toBe(every.length);
    expect(first.matched).toBe(every.length);
    expect(first.blocking).toBe(every.filter((f) => f.severity === 'blocking').length);
    expect(first.missed).toBe(every.filter((f) => f.code === 'nobody-missed' || f.code === 'unfunded-eligible').length);
    expect(first.codes.reduce((n, c) => n + c.count, 0)).toBe(every.length);
    // The blocking kinds first, then the most frequent.
    expect(first.codes[0]!.severity).toBe('blocking');
    expect(await everyPage(null, 7)).toEqual(every);

    for (const code of codes) {
      const some = every.filter((f) => f.code === code);
      expect(await everyPage(code, 10)).toEqual(some);
      expect((await core.client.invoke('checks.page', { term, code, limit: 1 })).matched).toBe(some.length);
    }
    const past = await core.client.invoke('checks.page', { term, offset: every.length + 5 });
    expect(past).toMatchObject({ total: every.length, findings: [] });
    await expect(core.client.invoke('checks.page', { term, limit: 501 })).rejects.toThrow();
  });

  it('reads the findings again after a write: a card filled in, an explanation given', async () => {
    const missing = (await core.client.invoke('checks.page', { term, code: 'bank-card-missing', limit: 500 })).findings;
    expect(missing.length).toBeGreaterThan(1);
    const studentId = missing[0]!.studentId!;
    await core.client.invoke('students.update', { id: studentId, fields: { bankCard: '6217003320001234567' } });
    const after = await core.client.invoke('checks.page', { term, code: 'bank-card-missing', limit: 500 });
    expect(after.matched).toBe(missing.filter((f) => f.studentId !== studentId).length);
    expect(after.findings.map((f) => f.studentId)).not.toContain(studentId);

    const missed = (await core.client.invoke('checks.page', { term, code: 'nobody-missed', limit: 1 })).findings[0]!;
    const p = (await core.client.invoke('programmes.list', {})).find((x) => x.name === missed.programme)!;
    const before = await core.client.invoke('checks.page', { term, programmeId: p.id });
    const explained = await core.client.invoke('checks.acknowledge', {
      term,
      programmeId: p.id,
      studentId: missed.studentId!,
      code: 'nobody-missed',
      reason: '家长书面表示不申请',
    });
    expect(explained).toMatchObject({ studentId: missed.studentId, code: 'nobody-missed', acknowledged: { reason: '家长书面表示不申请' } });
    const now = await core.client.invoke('checks.page', { term, programmeId: p.id });
    expect(now.missed).toBe(before.missed - 1);
    expect(now.total).toBe(before.total);
    // Another programme's page is its own, not the one kept.
    const whole = await core.client.invoke('checks.page', { term });
    expect(whole.total).toBe((await core.client.invoke('checks.run', { term })).length);
  });

  it('runs the checks once for the page, the explanation from it and the term board while nothing is written between', async () => {
    // Each run of the checks reads the term's explanations once.
    const sqlite = core.ctx.store.sqlite;
    const prepare = sqlite.prepare.bind(sqlite);
    let runs = 0;
    sqlite.prepare = ((source: string) => {
      if (/^select .* from "finding_ack"/.test(source)) runs++;
      return prepare(source);
    }) as typeof sqlite.prepare;
    try {
      // The whole term's page (run now, or kept from the test before).
      const missed = (await core.client.invoke('checks.page', { term, code: 'nobody-missed', limit: 1 })).findings[0]!;
      const start = runs;
      await core.client.invoke('board.term', { term });
      expect(runs).toBe(start);
      const p = (await core.client.invoke('programmes.list', {})).find((x) => x.name === missed.programme)!;
      await core.client.invoke('checks.page', { term, programmeId: p.id });
      expect(runs).toBe(start + 1);
      await core.client.invoke('checks.acknowledge', {
        term,
        programmeId: p.id,
        studentId: missed.studentId!,
        code: 'nobody-missed',
        reason: '已转入其他资助项目',
      });
      expect(runs).toBe(start + 1);
      // Written: the next page reads them again.
      await core.client.invoke('checks.page', { term, programmeId: p.id });
      expect(runs).toBe(start + 2);
    } finally {
      sqlite.prepare = prepare;
    }
  });

  it('names every kind of finding the checks can make in the filter', () => {
    const source = readFileSync(join(__dirname, '../../../shared/rules/aid-checks.ts'), 'utf8');
    const made = new Set([...source.matchAll(/add\(\s*(?:'(?:blocking|warning)',\s*)?\n?\s*'([a-z-]+)'/g)].map((m) => m[1]!));
    expect(made.size).toBeGreaterThan(15);
    for (const code of made) expect(FINDING_CODE_TEXT[code], code).toBeTruthy();
  });
});
