import ExcelJS from 'exceljs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCore, type TestCore } from '../../helpers/core';
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
  await core.client.invoke('payments.importBank', {
    upload: upload('bank-return-2026-autumn.xlsx'),
    programmeId,
    term,
    paidOn: '2026-11-20',
    dryRun: false,
  });
});
afterEach(async () => core.close());

/** A tiny real JPEG-like payload: the archive stores bytes, whatever they are. */
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('会议现场照片'.repeat(200))]);
const filesOnDisk = () =>
  readdirSync(join(core.dir, 'attachments'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

describe('archive checklist', () => {
  it('stores a photo added to two items once, by content, and gives it back byte for byte', async () => {
    const items = await core.client.invoke('archive.items', { term, scope: 'term' });
    expect(items.map((i) => i.name)).toEqual([
      '工作方案',
      '评审小组名单',
      '会议记录',
      '宣传材料与照片',
      '公示名单与照片',
      '上级文件',
      '工作总结',
      '资金文件',
      '银行回单',
      '营养餐供货与验收单据',
    ]);
    const meeting = items.find((i) => i.name === '会议记录')!;
    const photos = items.find((i) => i.name === '宣传材料与照片')!;
    const before = filesOnDisk().length;
    const a = await core.client.invoke('archive.attach', {
      key: meeting,
      fileName: '评审会.jpg',
      dataBase64: PHOTO.toString('base64'),
      thumbnailBase64: Buffer.from('thumb').toString('base64'),
    });
    const b = await core.client.invoke('archive.attach', { key: photos, fileName: '宣传会.jpg', dataBase64: PHOTO.toString('base64') });
    expect(a.sha256).toBe(b.sha256);
    expect(filesOnDisk().length).toBe(before + 1);
    expect(core.ctx.store.sqlite.prepare(`SELECT count(*) FROM attachment WHERE sha256 = ?`).pluck().get(a.sha256)).toBe(1);
    expect(a.thumbnail).toMatch(/^data:image\/jpeg;base64,/);
    await expect(
      core.client.invoke('archive.attach', { key: meeting, fileName: '又一次.jpg', dataBase64: PHOTO.toString('base64') }),
    ).rejects.toThrow(/已附在这一项中/);
    const back = await core.client.invoke('archive.file', { attachmentId: b.id });
    expect(Buffer.from(back.dataBase64, 'base64').equals(PHOTO)).toBe(true);
    // On disk it is sealed under the desk's key: never the photo's own bytes.
    const stored = readFileSync(filesOnDisk().find((f) => f.endsWith(a.sha256))!);
    expect(stored.includes(PHOTO.subarray(4, 200))).toBe(false);
    expect(stored.length).toBe(PHOTO.length + 32);
    // Attaching moves 缺 to 部分; the clerk says when it is 齐全.
    const after = await core.client.invoke('archive.items', { term, scope: 'term' });
    expect(after.find((i) => i.name === '会议记录')).toMatchObject({
      status: 'partial',
      attachments: [expect.objectContaining({ name: '评审会.jpg' })],
    });
    await core.client.invoke('archive.detach', { attachmentId: a.id });
    expect((await core.client.invoke('archive.items', { term, scope: 'term' })).find((i) => i.name === '会议记录')!.attachments).toEqual(
      [],
    );
  });

  it('keeps an application from being archived until its programme and student items are complete, and counts completeness', async () => {
    const paid = (await core.client.invoke('payments.list', { programmeId, term })).lines.filter((l) => l.state === 'paid');
    const first = paid[0]!;
    const refused = await core.client.invoke('applications.transition', { ids: [first.applicationId], action: 'archive' });
    expect(refused.refused[0]!.reason).toMatch(
      /^档案不齐：项目档案“申请表汇总”缺；项目档案“评审记录”缺；项目档案“公示材料”缺；项目档案“上报名单”缺；项目档案“签领表”缺；项目档案“发放凭证”缺；个人档案“申请表”缺；个人档案“承诺书”缺$/,
    );

    const overview0 = await core.client.invoke('archive.overview', { term });
    const n = students.size;
    // 9 term items + 6 programme items + 4 items for each of the reported students.
    expect(overview0.year.total).toBeGreaterThanOrEqual(9 + 6 + 4 * n);
    // The bank's file is kept with 银行回单 and 发放凭证, but a file the app filed is not evidence: nothing is complete yet.
    expect(overview0.termItems).toMatchObject({ total: 10, complete: 0 });
    expect(overview0.programmes[0]).toMatchObject({ total: 6, complete: 0, requiredOpen: 6 });

    // Printing the whole roster files a copy with the 签领表, marked as generated: only the signed paper (a scan)
    // or the clerk's tick completes it, and a 缺 the clerk set stays 缺.
    await core.client.invoke('print.signatureRoster', { programmeId, term });
    const programmeItems = await core.client.invoke('archive.items', { term, scope: 'programme' });
    expect(programmeItems.find((i) => i.name === '签领表')).toMatchObject({
      status: 'missing',
      attachments: [expect.objectContaining({ source: 'generated' })],
    });
    // With full ID and card numbers, the roster is never filed.
    await core.client.invoke('print.signatureRoster', { programmeId, term, fullNumbers: true });
    expect(
      (await core.client.invoke('archive.items', { term, scope: 'programme' })).find((i) => i.name === '签领表')!.attachments,
    ).toHaveLength(1);
    // Printed again after a change (here: in portrait): the newer roster replaces the older one.
    await core.client.invoke('print.signatureRoster', { programmeId, term, orientation: 'portrait' });
    const roster = (await core.client.invoke('archive.items', { term, scope: 'programme' })).find((i) => i.name === '签领表')!;
    expect(roster.attachments).toHaveLength(1);
    expect(roster.attachments[0]!.sha256).not.toBe(programmeItems.find((i) => i.name === '签领表')!.attachments[0]!.sha256);
    await core.client.invoke('archive.set', { keys: programmeItems.filter((i) => i.status !== 'complete'), status: 'complete' });
    const mine = (await core.client.invoke('archive.items', { term, scope: 'student' })).filter(
      (i) => i.studentId === first.studentId && i.required,
    );
    expect(mine.map((i) => [i.name, i.period])).toEqual([
      ['申请表', '2026-2027'],
      ['承诺书', '2026-2027'],
    ]);
    await core.client.invoke('archive.set', { keys: mine, status: 'complete', note: '纸质件在一年级档案盒' });
    const archived = await core.client.invoke('applications.transition', { ids: [first.applicationId], action: 'archive' });
    expect(archived).toEqual({ changed: 1, refused: [] });

    const overview1 = await core.client.invoke('archive.overview', { term });
    expect(overview1.programmes[0]).toMatchObject({ complete: 6, requiredOpen: 0 });
    const cls = overview1.classes.find((c) => c.total > 0 && c.complete > 0)!;
    expect(cls.complete).toBe(2);
    expect(overview1.year.complete).toBe(overview0.year.complete + 6 + 2);
  });

  it('prints the archive catalogue and the box labels', async () => {
    const doc = await core.client.invoke('print.archiveCatalogue', { term });
    expect(doc.title).toBe('青山县青山镇中心学校2026年秋季学期学生资助档案目录');
    for (const text of ['一、学期综合档案', '二、项目档案', '三、学生个人档案（按班级）', '银行回单', '签领表', '齐全 0/'])
      expect(doc.html).toContain(text);
    expect(doc.html).not.toMatch(/\d{17}[\dX]/);
    const labels = await core.client.invoke('print.archiveLabels', { term });
    expect(labels.pages).toBe(2);
    expect(labels.html).toContain('义务教育非寄宿生生活补助');
    expect(labels.html).toContain('30年');
  });

  it('lets the school edit its catalogue: a new item shows for every term, a duplicate name is refused', async () => {
    const added = await core.client.invoke('archive.saveDefinition', { scope: 'programme', name: '家长委托书', required: false });
    expect((await core.client.invoke('archive.items', { term, scope: 'programme' })).map((i) => i.name)).toContain('家长委托书');
    await expect(core.client.invoke('archive.saveDefinition', { scope: 'programme', name: '签领表', required: true })).rejects.toThrow(
      '目录中已有“签领表”',
    );
    await core.client.invoke('archive.saveDefinition', { ...added, active: false });
    expect((await core.client.invoke('archive.items', { term, scope: 'programme' })).map((i) => i.name)).not.toContain('家长委托书');
  });
});

describe('statistics', () => {
  it('equal sums computed independently from the bank file and the county lists', async () => {
    const paid = bank.filter((b) => b.ok && students.has(b.name));
    const s = await core.client.invoke('stats.get', { term });
    expect(s.current.label).toBe('2026年秋季学期');
    expect(s.current.total).toMatchObject({
      students: paid.length,
      instances: paid.length,
      amount: paid.reduce((n, b) => n + b.amount, 0),
      waived: 0,
      boarders: 0,
      day: paid.length,
    });
    expect(s.current.sections).toEqual([expect.objectContaining({ section: 'compulsory', students: paid.length })]);
    // The central school's day students here are all in primary classes: one stage, no split in the paragraph.
    expect(s.current.stages).toEqual([expect.objectContaining({ stage: 'primary', students: paid.length })]);
    const flagged = (groups: string[]) =>
      paid.filter(
        (b) =>
          (core.ctx.store.sqlite
            .prepare(`SELECT count(*) FROM priority_flag WHERE student_id = ? AND grp IN (${groups.map(() => '?').join(',')})`)
            .pluck()
            .get(students.get(b.name), ...groups) as number) > 0,
      ).length;
    expect(s.current.total.groups).toEqual({
      poverty: flagged(['povertyAlleviated', 'monitored']),
      dibao: flagged(['dibao']),
      extremePoverty: flagged(['extremePoverty']),
      orphan: flagged(['orphan', 'unsupportedChild']),
      disabled: flagged(['disabledStudent']),
    });
    expect(s.previous).toMatchObject({ label: '2026年春季学期', total: { instances: 0 } });
    const year = await core.client.invoke('stats.get', { schoolYear: '2026-2027' });
    expect(year.current.total).toEqual(s.current.total);
    expect(year.current.label).toBe('2026—2027学年');

    const { text } = await core.client.invoke('stats.summary', { term });
    const yuan = paid.reduce((n, b) => n + b.amount, 0) / 1_000_000;
    expect(text).toContain(
      `2026年秋季学期，青山县青山镇中心学校共资助家庭经济困难学生${paid.length}人、${paid.length}人次，发放资助资金${yuan.toFixed(2)}万元。`,
    );
    expect(text).toContain(`其中义务教育阶段资助${paid.length}人`);
    expect(text).toContain(`脱贫家庭（含监测对象）学生${flagged(['povertyAlleviated', 'monitored'])}人`);

    const file = await core.client.invoke('stats.export', { term });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['2026年秋季学期', '2026年春季学期', '工作总结']);
    const ws = wb.worksheets[0]!;
    const rowOf = (label: string) => {
      let found = 0;
      ws.eachRow((r, n) => {
        if (r.getCell(1).value === label && !found) found = n;
      });
      return ws.getRow(found);
    };
    for (const label of ['合计', '小学']) {
      const row = rowOf(label);
      expect([row.getCell(1).value, row.getCell(3).value, row.getCell(4).value, row.getCell(5).value]).toEqual([
        label,
        paid.length,
        paid.length,
        paid.reduce((n, b) => n + b.amount, 0) / 100,
      ]);
    }
    expect(wb.getWorksheet('工作总结')!.getCell('A2').value).toBe(text);
  });
});
