/**
 * 资金台账 on real SQLite, through the contract: documents, money received, payments from the bank's file, carry-overs
 * and returns give a ledger whose balance is received − paid to the fen, computed here from what the test did; a
 * 代发 file beyond the money is warned or refused by the setting; dates follow the core's clock.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Term } from '../../../shared/domain/school';
import { testCore, type TestCore } from '../../helpers/core';
import { reportedDaySubsidyTerm } from '../../helpers/terms';
import { upload } from '../../helpers/fixtures';

let core: TestCore;
const term: Term = '2026-autumn';
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

const sql = (query: string, ...params: unknown[]) =>
  core.ctx.store.sqlite
    .prepare(query)
    .pluck()
    .get(...params) as number;

describe('the funds ledger', () => {
  it('balances to the fen: received − paid, as the test counts it, and the 代发 file is held to the money received', async () => {
    const c = core.client;
    const { programmeId, students, bank } = await reportedDaySubsidyTerm(core);
    core.setToday('2026-11-16');
    const due = students.size * 31_250;
    expect(due).toBeGreaterThan(100_000);

    // Two documents from two sources; the central money arrives in part.
    const central = await c.invoke('funds.addAllocation', {
      programmeId,
      term,
      source: 'central',
      documentNumber: '湘财教〔2026〕88号',
      documentDate: '2026-10-20',
      amount: due - 50_000,
    });
    const county = await c.invoke('funds.addAllocation', {
      programmeId,
      term,
      source: 'county',
      documentNumber: '青财教〔2026〕15号',
      documentDate: '2026-11-02',
      amount: 50_000,
    });
    await expect(
      c.invoke('funds.addAllocation', {
        programmeId,
        term,
        source: 'central',
        documentNumber: '湘财教〔2026〕88号',
        documentDate: '2026-10-20',
        amount: 1,
      }),
    ).rejects.toThrow(/已登记过中央资金文件 湘财教〔2026〕88号/);
    // The core owns the clock: no money arrives tomorrow, and yesterday's needs a reason.
    await expect(c.invoke('funds.receive', { allocationId: central.id, onDate: '2026-11-17', amount: 10_000 })).rejects.toThrow(/晚于今天/);
    await expect(c.invoke('funds.receive', { allocationId: central.id, onDate: '2026-11-10', amount: 10_000 })).rejects.toThrow(/补登原因/);
    await expect(c.invoke('funds.receive', { allocationId: central.id, onDate: '2026-11-16', amount: due })).rejects.toThrow(
      /超过资金文件/,
    );
    const first = due - 150_000;
    await c.invoke('funds.receive', {
      allocationId: central.id,
      onDate: '2026-11-10',
      amount: first,
      account: '43050162880000001234',
      backdateReason: '按银行回单补登',
    });

    // The bank file would pay `due` from `first`: a warning by default, refused when the school says so.
    const warned = await c.invoke('payments.exportOutstanding', { programmeId, term });
    expect(warned.fundsWarning).toContain(`差 ¥${((due - first) / 100).toLocaleString('en-US')}.00`);
    await c.invoke('funds.saveSettings', { guard: 'block', feeIncome: null, percent: 5 });
    await expect(c.invoke('payments.exportOutstanding', { programmeId, term })).rejects.toThrow(
      /超过“义务教育非寄宿生生活补助”本学期到账资金的结余/,
    );
    await c.invoke('funds.receive', { allocationId: central.id, onDate: '2026-11-16', amount: 100_000 });
    await c.invoke('funds.receive', { allocationId: county.id, onDate: '2026-11-16', amount: 50_000 });
    const ok = await c.invoke('payments.exportOutstanding', { programmeId, term });
    expect(ok.fundsWarning).toBeNull();

    // The bank pays; its failures stay committed.
    await c.invoke('payments.importBank', {
      upload: upload('bank-return-2026-autumn.xlsx'),
      programmeId,
      term,
      paidOn: '2026-11-16',
      dryRun: false,
    });
    const received = first + 100_000 + 50_000;
    const paidByBank = sql(
      `SELECT COALESCE(SUM(p.amount_fen), 0) FROM payment p JOIN application a ON a.id = p.application_id WHERE a.programme_id = ? AND p.outcome = 'paid'`,
      programmeId,
    );
    const mine = [...students.keys()];
    const paidFromFile = bank
      .filter((b) => b.ok && !b.reason && mine.includes(b.name) && b.amount === 31_250)
      .reduce((s, b) => s + b.amount, 0);
    expect(paidByBank).toBe(paidFromFile);
    const line = (await c.invoke('funds.programme', { programmeId, term })).line;
    expect(line).toMatchObject({
      allocated: due,
      available: received,
      paid: paidFromFile,
      balance: received - paidFromFile,
      committed: due - paidFromFile,
      free: received - due,
      awaited: 0,
    });
    expect(line.sources.map((s) => [s.source, s.allocated, s.received])).toEqual([
      ['central', due - 50_000, first + 100_000],
      ['county', 50_000, 50_000],
    ]);

    // Money out: never more than is left, a carry-over lands in the next term as a pair.
    const left = received - paidFromFile;
    await expect(
      c.invoke('funds.return', { programmeId, term, source: 'county', amount: 50_001, onDate: '2026-11-16', note: '结余退回' }),
    ).rejects.toThrow(/超过/);
    await c.invoke('funds.carryOver', {
      programmeId,
      fromTerm: term,
      toTerm: '2027-spring',
      source: 'central',
      amount: 20_000,
      onDate: '2026-11-16',
    });
    const spring = (await c.invoke('programmes.list', { schoolYear: '2026-2027' })).find((p) => p.code === 'day-subsidy')!;
    const springLine = (await c.invoke('funds.programme', { programmeId: spring.id, term: '2027-spring' })).line;
    expect(springLine).toMatchObject({ available: 20_000, balance: 20_000 });
    const after = (await c.invoke('funds.programme', { programmeId, term })).line;
    expect(after.balance).toBe(left - 20_000);

    // The ledger book runs its balance to the same figure; the database agrees row by row.
    const { book } = await c.invoke('funds.programme', { programmeId, term });
    expect(book.at(-1)!.balance).toBe(after.balance);
    const moved = sql(
      `SELECT COALESCE(SUM(CASE WHEN kind IN ('receipt', 'carryIn') THEN amount_fen ELSE -amount_fen END), 0) FROM fund_movement WHERE programme_id = ? AND term = ?`,
      programmeId,
      term,
    );
    expect(moved - paidByBank).toBe(after.balance);

    // Taking back the receipt that paid families would leave the account short: refused, nothing removed.
    const receipts = (await c.invoke('funds.programme', { programmeId, term })).movements.filter((m) => m.kind === 'receipt');
    await expect(c.invoke('funds.remove', { entry: 'movement', entryId: receipts[0]!.id })).rejects.toThrow(/不能撤销/);
    expect(sql(`SELECT count(*) FROM fund_movement WHERE kind = 'receipt'`)).toBe(3);
    // The movement list shows the account's last four digits only.
    expect(receipts[0]!.account).toBe('…1234');

    // The audit trail has every entry, the account masked.
    const trail = core.ctx.store.sqlite
      .prepare(`SELECT after FROM audit_entry WHERE entity = 'fund_movement' AND action = 'insert'`)
      .pluck()
      .all() as string[];
    expect(trail.length).toBe(5);
    expect(trail.join()).not.toContain('43050162880000001234');
  });

  it('prints the book and the fund-use notice (totals, no names) and exports the book that reads back', async () => {
    const c = core.client;
    const { programmeId, students } = await reportedDaySubsidyTerm(core);
    core.setToday('2026-11-16');
    const a = await c.invoke('funds.addAllocation', {
      programmeId,
      term,
      source: 'central',
      documentNumber: '湘财教〔2026〕88号',
      documentDate: '2026-10-20',
      amount: 1_000_000,
    });
    await c.invoke('funds.receive', { allocationId: a.id, onDate: '2026-11-16', amount: 600_000 });
    await c.invoke('payments.record', {
      applicationIds: (await c.invoke('payments.list', { programmeId, term })).lines.slice(0, 3).map((l) => l.applicationId),
      paidOn: '2026-11-16',
      channel: 'bankCard',
    });
    const book = await c.invoke('funds.print', { programmeId, term });
    expect(book.html).toContain('湘财教〔2026〕88号');
    expect(book.html).toContain('发放（银行卡） 3 人');
    expect(book.html).toContain('5,062.50'); // 6000 − 3 × 312.5
    const notice = await c.invoke('funds.printNotice', { term });
    expect(notice.html).toContain('资金使用情况通报');
    expect(notice.html).toContain('学生资助不收取任何费用');
    for (const name of students.keys()) expect(notice.html).not.toContain(name);
    const overview = await c.invoke('funds.print', { term });
    expect(overview.html).toContain('义务教育非寄宿生生活补助');

    const file = await c.invoke('funds.export', { programmeId, term });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[1]).toEqual(['日期', '摘要', '资金来源', '下达（元）', '收入（元）', '支出（元）', '结余（元）']);
    expect(rows.slice(2).map((r) => r[6])).toEqual([0, 6000, 5062.5]);
  });

  it('keeps a random run of documents, receipts, payments, carry-overs and returns true to the database', async () => {
    const c = core.client;
    const { programmeId } = await reportedDaySubsidyTerm(core);
    core.setToday('2026-11-16');
    const lines = (await c.invoke('payments.list', { programmeId, term })).lines;
    // mulberry32: a seeded generator good to 2^32 (the same run every time).
    let seed = 20261202;
    const rand = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
    };
    const sources = ['central', 'provincial', 'county'] as const;
    const allocations: { id: number; amount: number; received: number }[] = [];
    let paidNext = 0;
    let refused = 0;
    for (let step = 0; step < 60; step++) {
      // Receipts twice as often as anything else: money mostly arrives before it leaves.
      const op = [0, 1, 1, 2, 3, 4][rand(6)]!;
      try {
        if (op === 0) {
          const amount = 100_000 + rand(1_000_000);
          const a = await c.invoke('funds.addAllocation', {
            programmeId,
            term,
            source: sources[rand(3)]!,
            documentNumber: `文${step}`,
            documentDate: '2026-11-01',
            amount,
          });
          allocations.push({ id: a.id, amount, received: 0 });
        } else if (op === 1 && allocations.length) {
          const a = allocations[rand(allocations.length)]!;
          await c.invoke('funds.receive', { allocationId: a.id, onDate: '2026-11-16', amount: 1 + rand(a.amount) });
        } else if (op === 2 && paidNext < Math.min(8, lines.length)) {
          await c.invoke('payments.record', {
            applicationIds: [lines[paidNext++]!.applicationId],
            paidOn: '2026-11-16',
            channel: 'bankCard',
          });
        } else if (op === 3) {
          await c.invoke('funds.carryOver', {
            programmeId,
            fromTerm: term,
            toTerm: '2027-spring',
            source: sources[rand(3)]!,
            amount: 1 + rand(20_000),
            onDate: '2026-11-16',
          });
        } else if (op === 4) {
          await c.invoke('funds.return', {
            programmeId,
            term,
            source: sources[rand(3)]!,
            amount: 1 + rand(20_000),
            onDate: '2026-11-16',
            note: '退回',
          });
        }
      } catch (e) {
        // Refusals are part of the run (more than a document, more than is left); they leave nothing behind.
        expect((e as Error).message).toMatch(/超过|不能/);
        refused++;
      }
      // After every step the ledger is the database, and no document has more money than it assigned.
      const l = (await c.invoke('funds.programme', { programmeId, term })).line;
      const moved = sql(
        `SELECT COALESCE(SUM(CASE WHEN kind IN ('receipt', 'carryIn') THEN amount_fen ELSE -amount_fen END), 0) FROM fund_movement WHERE programme_id = ? AND term = ?`,
        programmeId,
        term,
      );
      const paid = sql(
        `SELECT COALESCE(SUM(p.amount_fen), 0) FROM payment p JOIN application a ON a.id = p.application_id WHERE a.programme_id = ? AND p.outcome = 'paid'`,
        programmeId,
      );
      expect(l.balance).toBe(moved - paid);
      expect(
        sql(
          `SELECT count(*) FROM fund_allocation a WHERE (SELECT COALESCE(SUM(amount_fen), 0) FROM fund_movement WHERE allocation_id = a.id) > a.amount_fen`,
        ),
      ).toBe(0);
      // Money that left by carry-over or return was there to leave: each source's figures never go below zero.
      for (const s of l.sources) expect(s.available).toBeGreaterThanOrEqual(0);
      expect(sql(`SELECT count(*) FROM fund_movement WHERE kind = 'carryOut'`)).toBe(
        sql(`SELECT count(*) FROM fund_movement WHERE kind = 'carryIn'`),
      );
    }
    expect(allocations.length).toBeGreaterThan(5);
    expect(paidNext).toBeGreaterThan(3);
    expect(refused).toBeGreaterThan(0);
    expect(sql(`SELECT count(*) FROM fund_movement WHERE kind = 'receipt'`)).toBeGreaterThan(3);
    expect(sql(`SELECT count(*) FROM fund_movement WHERE kind = 'carryOut'`)).toBeGreaterThan(0);
    expect(sql(`SELECT count(*) FROM fund_movement WHERE kind = 'return'`)).toBeGreaterThan(0);
  });
});

describe('校内资助 set-aside', () => {
  it('gives what a senior school must set aside from its fee income, what it set aside and what it spent', async () => {
    const c = core.client;
    await c.invoke('school.setup', {
      name: '青山县第一中学',
      county: '青山县',
      township: '',
      stages: ['senior'],
      schoolYear: '2026-2027',
      term: '2026-autumn',
    });
    core.setToday('2026-11-16');
    const aid = (await c.invoke('programmes.list', {})).find((p) => p.code === 'school-aid')!;
    expect((await c.invoke('funds.settings', {})).setAside).toMatchObject({ feeIncome: null, percent: 5, required: null, setAside: 0 });
    await c.invoke('funds.saveSettings', { guard: 'warn', feeIncome: 123_456_700, percent: 4 });
    const doc = await c.invoke('funds.addAllocation', {
      programmeId: aid.id,
      term,
      source: 'school',
      documentNumber: '校长办公会〔2026〕3号',
      documentDate: '2026-09-10',
      amount: 3_000_000,
    });
    await c.invoke('funds.receive', { allocationId: doc.id, onDate: '2026-11-16', amount: 2_500_000 });
    const s = (await c.invoke('funds.settings', {})).setAside;
    // 1,234,567 元 × 4 % = 49,382.68 元, to the fen.
    expect(s).toEqual({ schoolYear: '2026-2027', feeIncome: 123_456_700, percent: 4, required: 4_938_268, setAside: 2_500_000, spent: 0 });
  });
});

describe('the provincial nutrition subsidy in cash', () => {
  it('is a programme that pays like the others: boarders only, 400 元 a term', async () => {
    const c = core.client;
    const { smallSchool } = await import('../../helpers/scenario');
    const ids = await smallSchool(core, [
      { name: '住校生', grade: '五年级', boarding: true },
      { name: '走读生', grade: '五年级', boarding: false },
    ]);
    const p = await c.invoke('programmes.save', {
      code: 'provincial-nutrition',
      definition: {
        name: '省供营养改善计划',
        stages: ['primary', 'junior'],
        kind: 'paid',
        boarding: 'boarder',
        tiers: [{ tier: 1, proportion: 100, amounts: { primary: 40_000, junior: 40_000 } }],
        eligibility: { everyone: true, levels: [], groups: [] },
        exclusive: [],
        topTierGroups: [],
        note: '寄宿生每生每学期 400 元',
      },
    });
    const r = await c.invoke('applications.create', { programmeId: p.id, term, from: 'students', studentIds: [...ids.values()] });
    expect(r.created).toBe(1);
    expect(r.skipped).toEqual([{ name: '走读生', reason: expect.stringContaining('寄宿') }]);
  });
});

describe('waivers the school applies itself', () => {
  it('作业本费 waived for 建档立卡 (脱贫) students only: the existing waiver kind with that eligibility', async () => {
    const c = core.client;
    const { smallSchool, declare } = await import('../../helpers/scenario');
    const ids = await smallSchool(core, [
      { name: '脱贫生', grade: '三年级' },
      { name: '普通生', grade: '三年级' },
    ]);
    await declare(core, ids.get('脱贫生')!, ['povertyAlleviated']);
    const p = await c.invoke('programmes.save', {
      code: 'exercise-book-waiver',
      definition: {
        name: '免作业本费',
        stages: ['primary', 'junior'],
        kind: 'waiver',
        boarding: 'any',
        tiers: [{ tier: 1, proportion: 100, amounts: { primary: 2_000, junior: 3_000 } }],
        eligibility: { everyone: false, levels: [], groups: ['povertyAlleviated', 'monitored'] },
        exclusive: [],
        topTierGroups: [],
        note: '建档立卡（脱贫家庭含监测对象）学生免收作业本费',
      },
    });
    const r = await c.invoke('applications.create', { programmeId: p.id, term, from: 'students', studentIds: [...ids.values()] });
    expect(r.created).toBe(1);
    expect(r.skipped.map((s) => s.name)).toEqual(['普通生']);
  });
});
