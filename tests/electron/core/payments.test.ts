import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, testCore, type TestCore } from '../../helpers/core';
import { upload } from '../../helpers/fixtures';
import { reportedDaySubsidyTerm, type BankRow } from '../../helpers/terms';

let core: TestCore;
let programmeId: number;
let students: Map<string, number>;
let bank: BankRow[];
const term = '2026-autumn' as const;

beforeEach(async () => {
  core = await testCore();
  ({ programmeId, students, bank } = await reportedDaySubsidyTerm(core));
});
afterEach(async () => core.close());

const BANK = 'bank-return-2026-autumn.xlsx';

/** A bank's result file of our own making (another bank's layout: 卡号/姓名/交易金额/状态/备注, no title). */
async function bankFile(rows: [string, string, number, string, string][]): Promise<{ fileName: string; dataBase64: string }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['卡号', '姓名', '交易金额', '状态', '备注']);
  for (const r of rows) ws.addRow(r);
  return { fileName: '补发结果.xlsx', dataBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
}

const ours = () => bank.filter((b) => students.has(b.name));
const paidRows = () => core.ctx.store.sqlite.prepare(`SELECT count(*) FROM payment WHERE outcome = 'paid'`).pluck().get() as number;

describe('payments through the bank fixture', () => {
  it('previews without writing, then pays the successes and leaves exactly the failures outstanding', async () => {
    expect(students.size).toBeGreaterThan(40);
    const preview = await core.client.invoke('payments.importBank', { upload: upload(BANK), programmeId, term, paidOn: '2026-11-20' });
    expect(paidRows()).toBe(0);
    expect(preview.rows).toBe(60);
    expect(preview.paid).toBe(ours().filter((b) => b.ok).length);
    // Rows for other programmes (625 元 boarders) and for people not in the roster are listed, never guessed.
    const strangers = bank.filter((b) => !students.has(b.name));
    expect(preview.unmatched.map((u) => u.name).sort()).toEqual(strangers.map((b) => b.name).sort());
    expect(preview.unmatched.find((u) => u.name === '石梓')!.reason).toMatch(/不在义务教育非寄宿生生活补助本学期的发放名单中/);
    expect(preview.unmatched.every((u) => /^\*+\d{4}$/.test(u.account))).toBe(true);

    const done = await core.client.invoke('payments.importBank', {
      upload: { uploadId: preview.uploadId },
      programmeId,
      term,
      paidOn: '2026-11-20',
      dryRun: false,
    });
    const failures = ours().filter((b) => !b.ok);
    expect(done.failed.map((f) => [f.student, f.reason]).sort()).toEqual(failures.map((b) => [b.name, b.reason]).sort());
    expect(failures.length).toBeGreaterThanOrEqual(4);
    for (const f of failures) expect(['账号不存在', '账号户名不符', '账户已冻结']).toContain(f.reason);

    const { lines, summary } = await core.client.invoke('payments.list', { programmeId, term });
    const outstanding = lines.filter((l) => l.state !== 'paid');
    expect(outstanding.map((l) => l.name).sort()).toEqual(failures.map((b) => b.name).sort());
    expect(outstanding.every((l) => l.state === 'failed' && l.lastAttempt!.failureReason)).toBe(true);
    expect(summary.paid).toEqual({
      count: ours().filter((b) => b.ok).length,
      amount: ours()
        .filter((b) => b.ok)
        .reduce((s, b) => s + b.amount, 0),
    });
    expect(summary.outstanding.count).toBe(failures.length);
    expect(summary.due.amount).toBe(summary.paid.amount + summary.outstanding.amount);
    const statuses = core.ctx.store.sqlite.prepare(`SELECT status, count(*) AS n FROM application GROUP BY status`).all();
    expect(statuses).toEqual(
      expect.arrayContaining([
        { status: 'paid', n: summary.paid.count },
        { status: 'submitted', n: failures.length },
      ]),
    );
    // The bank's file is kept with the archive, as the term's 银行回单 and the programme's 发放凭证, filed by the app:
    // the items stay incomplete until the clerk attaches the stamped paper or ticks them (a file is not evidence).
    const items = await core.client.invoke('archive.items', { term });
    for (const name of ['银行回单', '发放凭证'])
      expect(items.find((i) => i.name === name)).toMatchObject({
        status: 'missing',
        attachments: [expect.objectContaining({ name: BANK, source: 'generated' })],
      });
  });

  it('never pays twice: the same file again, a second file, a manual record and even a raw insert are refused', async () => {
    const first = await core.client.invoke('payments.importBank', {
      upload: upload(BANK),
      programmeId,
      term,
      paidOn: '2026-11-20',
      dryRun: false,
    });
    const paid = paidRows();
    expect(paid).toBe(first.paid);
    await expect(
      core.client.invoke('payments.importBank', { upload: upload(BANK), programmeId, term, paidOn: '2026-11-20', dryRun: false }),
    ).rejects.toThrow(/已于 .* 导入过/);
    const again = await bankFile(
      ours()
        .filter((b) => b.ok)
        .slice(0, 5)
        .map((b) => [b.account, b.name, b.amount / 100, '成功', '']),
    );
    const second = await core.client.invoke('payments.importBank', {
      upload: again,
      programmeId,
      term,
      paidOn: '2026-11-21',
      dryRun: false,
    });
    expect(second).toMatchObject({ paid: 0, alreadyPaid: 5 });
    const one = (await core.client.invoke('payments.list', { programmeId, term })).lines.find((l) => l.state === 'paid')!;
    const manual = await core.client.invoke('payments.record', {
      applicationIds: [one.applicationId],
      paidOn: '2026-11-22',
      channel: 'bankCard',
    });
    expect(manual).toMatchObject({ recorded: 0, refused: [{ reason: '本学期已发放过，不能重复发放' }] });
    expect(() =>
      core.ctx.store.sqlite
        .prepare(
          `INSERT INTO payment (application_id, outcome, amount_fen, paid_on, channel, holder, created_at) VALUES (?, 'paid', 1, '2026-11-22', 'bankCard', 'student', '')`,
        )
        .run(one.applicationId),
    ).toThrow(/UNIQUE/);
    expect(paidRows()).toBe(paid);
  });

  it('pays a corrected card on the next bank file, keeps the correction in history and shows both attempts on the student', async () => {
    await core.client.invoke('payments.importBank', { upload: upload(BANK), programmeId, term, paidOn: '2026-11-20', dryRun: false });
    const failed = ours().find((b) => b.name === '夏小文')!;
    expect(failed.reason).toBe('账号不存在');
    const id = students.get('夏小文')!;
    const corrected = '6217000011112222333';
    await core.client.invoke('students.update', { id, fields: { bankCard: corrected } });
    expect((await core.client.invoke('students.history', { id }))[0]).toMatchObject({
      field: '银行卡号',
      newValue: '***************2333',
      source: 'edit',
    });
    let line = (await core.client.invoke('payments.list', { programmeId, term })).lines.find((l) => l.studentId === id)!;
    expect(line).toMatchObject({ state: 'failed', cardChanged: true, card: '***************2333' });

    // The file for paying again holds only those not yet paid, with the corrected card.
    const outstanding = await core.client.invoke('payments.exportOutstanding', { programmeId, term });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(outstanding.dataBase64, 'base64') as unknown as ArrayBuffer);
    const names: string[] = [];
    wb.worksheets[0]!.eachRow((r) => names.push(String(r.getCell(3).value)));
    const failures = ours()
      .filter((b) => !b.ok)
      .map((b) => b.name);
    expect(names.filter((n) => failures.includes(n)).sort()).toEqual([...failures].sort());
    expect(JSON.stringify(wb.worksheets[0]!.getSheetValues())).toContain(corrected);
    // Cards the bank turned back stay marked until corrected.
    const notes = new Map<string, string>();
    wb.worksheets[0]!.eachRow((r, n) => n > 1 && notes.set(String(r.getCell(3).value), String(r.getCell(7).value ?? '')));
    expect(notes.get('夏小文')).toBe('上次退回：账号不存在，已更正卡号');
    const other = failures.find((n) => n !== '夏小文')!;
    expect(notes.get(other)).toMatch(/^上次退回：.+，卡号未更正$/);

    core.setToday('2026-11-26');
    const repay = await bankFile([[corrected, '夏小文', 312.5, '交易成功', '']]);
    const r = await core.client.invoke('payments.importBank', { upload: repay, programmeId, term, paidOn: '2026-11-25', dryRun: false });
    expect(r).toMatchObject({ paid: 1, failed: [], unmatched: [] });
    line = (await core.client.invoke('payments.list', { programmeId, term })).lines.find((l) => l.studentId === id)!;
    expect(line.state).toBe('paid');
    const history = await core.client.invoke('payments.ofStudent', { studentId: id });
    expect(history.map((p) => [p.outcome, p.paidOn, p.account, p.failureReason])).toEqual([
      ['paid', '2026-11-25', '***************2333', ''],
      ['failed', '2026-11-20', `${'*'.repeat(15)}${failed.account.slice(-4)}`, '账号不存在'],
    ]);
    // The old card in a later file no longer matches: it is listed with why.
    const stale = await bankFile([[failed.account, '夏小文', 312.5, '成功', '']]);
    const s = await core.client.invoke('payments.importBank', { upload: stale, programmeId, term, paidOn: '2026-11-26' });
    expect(s.alreadyPaid + s.paid).toBe(1);
  });

  it('lists rows it cannot trust: a name that does not fit the account, a wrong amount, an unreadable result, a duplicate row', async () => {
    const [a, b, c] = ours().filter((x) => x.ok);
    const file = await bankFile([
      [a!.account, '王小二', 312.5, '成功', ''],
      [b!.account, b!.name, 625, '成功', ''],
      [c!.account, c!.name, 312.5, '处理中', ''],
      [b!.account, b!.name, 312.5, '成功', ''],
      [b!.account, b!.name, 312.5, '成功', ''],
    ]);
    const r = await core.client.invoke('payments.importBank', { upload: file, programmeId, term, paidOn: '2026-11-20' });
    expect(r.unmatched.map((u) => [u.row, u.reason])).toEqual([
      [2, expect.stringMatching(/户名“王小二”与该账号登记的户名（.+）不一致/)],
      [3, expect.stringMatching(/金额 ¥625\.00 与应发金额不一致（.+应发 ¥312\.50）/)],
      [4, '处理结果“处理中”无法识别（应为“成功”或“失败”一类的说法）'],
      [6, '与第 5 行是同一名学生，重复'],
    ]);
    expect(r.paid).toBe(1);
  });

  it('records payments by hand: a guardian account needs a 委托书, a paid programme is never a waiver, no card means no bank payment', async () => {
    const lines = (await core.client.invoke('payments.list', { programmeId, term })).lines;
    const [a, b, c] = lines;
    await expect(
      core.client.invoke('payments.record', {
        applicationIds: [a!.applicationId],
        paidOn: '2026-11-20',
        channel: 'bankCard',
        holder: 'guardian',
      }),
    ).rejects.toThrow(/须有委托书/);
    core.ctx.store.sqlite.prepare(`UPDATE student SET bank_card = NULL WHERE id = ?`).run(c!.studentId);
    const r = await core.client.invoke('payments.record', {
      applicationIds: [a!.applicationId, b!.applicationId, c!.applicationId],
      paidOn: '2026-11-20',
      channel: 'waiver',
    });
    expect(r.refused.map((x) => x.reason)).toEqual(Array(3).fill('这是发放资金的项目，不能登记为“减免”'));
    const ok = await core.client.invoke('payments.record', {
      applicationIds: [a!.applicationId, c!.applicationId],
      paidOn: '2026-11-20',
      channel: 'socialCard',
      holder: 'guardian',
      proxyLetter: true,
      reference: '凭证 2026-118',
    });
    expect(ok).toMatchObject({ recorded: 1, refused: [{ name: c!.name, reason: '没有登记银行卡号/一卡通账号，请先在学生信息中填写' }] });
    const [paid] = await core.client.invoke('payments.ofStudent', { studentId: a!.studentId });
    expect(paid).toMatchObject({
      outcome: 'paid',
      channel: 'socialCard',
      holder: 'guardian',
      proxyLetter: true,
      reference: '凭证 2026-118',
      amount: 31250,
    });
    expect((await core.client.invoke('applications.history', { id: a!.applicationId }))[0]).toMatchObject({
      from: 'submitted',
      to: 'paid',
      note: '发放：凭证 2026-118',
    });
    await expect(core.client.invoke('applications.undo', { id: a!.applicationId })).rejects.toThrow(
      '已登记发放成功的申请不能撤回：钱已经发出',
    );
  });

  it('refuses a file without the columns it needs, and a roster passed off as a bank file, with what is missing', async () => {
    const noResult = new ExcelJS.Workbook();
    noResult.addWorksheet('x').addRow(['账号', '户名', '金额']);
    const data = { fileName: '回单.xlsx', dataBase64: Buffer.from(await noResult.xlsx.writeBuffer()).toString('base64') };
    await expect(core.client.invoke('payments.importBank', { upload: data, programmeId, term, paidOn: '2026-11-20' })).rejects.toThrow(
      /没有“处理结果”或“失败原因”列/,
    );
    await expect(
      core.client.invoke('payments.importBank', {
        upload: upload('roster-qingshan-central-school.xlsx'),
        programmeId,
        term,
        paidOn: '2026-11-20',
      }),
    ).rejects.toThrow(/找不到代发结果的表头/);
    expect(paidRows()).toBe(0);
    expect(readFileSync(fixture(BANK)).length).toBeGreaterThan(0);
  });
});
