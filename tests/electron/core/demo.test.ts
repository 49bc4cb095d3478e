import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { luhnValid } from '../../../shared/rules/bank-card';
import { testCore, type TestCore } from '../../helpers/core';
import { importCentralRoster } from '../../helpers/fixtures';

let core: TestCore;
beforeEach(async () => {
  core = await testCore({ school: false });
});
afterEach(async () => core.close());

const rows = <T>(sql: string, ...params: unknown[]) => core.ctx.store.sqlite.prepare(sql).all(...params) as T[];
const one = (sql: string, ...params: unknown[]) =>
  core.ctx.store.sqlite
    .prepare(sql)
    .pluck()
    .get(...params);

describe('the demo school', () => {
  it('is in the middle of its year: last term paid (one bank failure corrected) and archived, this term waiting for 上报', async () => {
    // The core's today is 22 November 2026: autumn 2026 is this term, spring 2026 the last.
    const summary = await core.client.invoke('school.createDemo', { students: 300 });
    expect(summary).toMatchObject({ students: 300, school: { name: '青山县示范学校（演示）', term: '2026-autumn' } });
    expect(await core.client.invoke('school.isDemo', {})).toEqual({ demo: true });

    const apps = rows<{ term: string; status: string; n: number }>(
      `SELECT term, status, count(*) AS n FROM application GROUP BY term, status ORDER BY term`,
    );
    expect(apps.map((a) => [a.term, a.status])).toEqual([
      ['2026-autumn', 'approved'],
      ['2026-spring', 'paid'],
    ]);
    expect(apps[0]!.n).toBeGreaterThan(5);
    // Every spring recipient paid once; exactly one bank failure, on a card corrected before it was paid.
    const paid = rows<{ application_id: number; n: number }>(
      `SELECT application_id, count(*) AS n FROM payment WHERE outcome = 'paid' GROUP BY application_id`,
    );
    expect(paid.length).toBe(apps[1]!.n);
    expect(paid.every((p) => p.n === 1)).toBe(true);
    const failed = rows<{ application_id: number; account: string; paid_on: string }>(
      `SELECT application_id, account, paid_on FROM payment WHERE outcome = 'failed'`,
    );
    expect(failed).toHaveLength(1);
    const repaid = one(`SELECT account FROM payment WHERE outcome = 'paid' AND application_id = ?`, failed[0]!.application_id);
    expect(repaid).not.toBe(failed[0]!.account);
    // The money came by two documents and arrived in full before the bank paid: the ledger balances to nothing.
    const boarder = (await core.client.invoke('programmes.list', { schoolYear: '2025-2026' })).find((p) => p.code === 'boarder-subsidy')!;
    const ledger = (await core.client.invoke('funds.programme', { programmeId: boarder.id, term: '2026-spring' })).line;
    expect(ledger.sources.map((x) => x.source)).toEqual(['central', 'provincial']);
    expect(ledger).toMatchObject({ awaited: 0, committed: 0, balance: 0 });
    expect(ledger.paid).toBe(ledger.available);
    // Publicity closed before approval, on the days they ran; nothing recorded after today.
    expect(rows<{ status: string }>(`SELECT status FROM publicity`).every((p) => p.status === 'closed')).toBe(true);
    expect(one(`SELECT max(paid_on) FROM payment`)! <= '2026-11-22').toBe(true);
    expect(one(`SELECT max(ends_on) FROM publicity`)! <= '2026-11-22').toBe(true);
    // Last term's archive complete; this term's recipients all have a valid card, ready for 上报 and the 代发 file.
    expect(one(`SELECT count(*) FROM archive_item WHERE status <> 'complete'`)).toBe(0);
    const cards = rows<{ bank_card: string | null }>(
      `SELECT s.bank_card FROM application a JOIN student s ON s.id = a.student_id WHERE a.term = '2026-autumn'`,
    );
    expect(cards.every((c) => c.bank_card !== null && luhnValid(c.bank_card))).toBe(true);

    // The families' groups come from county lists imported like the county's files, never set without evidence.
    expect((await core.client.invoke('lists.list', {})).map((l) => l.kind).sort()).toEqual(['dibao', 'poverty']);
    expect((await core.client.invoke('crosscheck.run', {})).listedNotFlagged).toEqual([]);
    expect(one(`SELECT count(*) FROM priority_flag WHERE source = 'countyList'`)).toBeGreaterThan(20);

    // The board says what comes next: 上报.
    const board = await core.client.invoke('board.term', {});
    const programme = board.programmes.find((p) => p.name === '义务教育寄宿生生活补助')!;
    expect(programme.next?.label).toContain('上报');
  });

  it('is wiped in one step, and a real desk never is', async () => {
    await core.client.invoke('school.createDemo', { students: 50 });
    expect(await core.client.invoke('school.removeDemo', { confirm: '清除演示数据' })).toEqual({ removed: true });
    expect(await core.client.invoke('school.get', {})).toBeNull();
    expect(one(`SELECT count(*) FROM student`)).toBe(0);
    expect(await core.client.invoke('school.isDemo', {})).toEqual({ demo: false });

    await core.client.invoke('school.setup', {
      name: '青山县青山镇中心学校',
      county: '青山县',
      township: '青山镇',
      stages: ['primary', 'junior'],
      schoolYear: '2026-2027',
      term: '2026-autumn',
    });
    await importCentralRoster(core);
    await expect(core.client.invoke('school.removeDemo', { confirm: '清除演示数据' })).rejects.toThrow('这不是演示数据');
    expect(one(`SELECT count(*) FROM student`)).toBeGreaterThan(600);
  });
});
