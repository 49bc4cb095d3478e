import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoRoster } from '../../../electron/core/school/demo';
import { main } from '../../../electron/host/cli';
import { at, fixture, rawDatabase, TEST_PASSWORD, testCore } from '../../helpers/core';
import { declare, smallSchool } from '../../helpers/scenario';
import { reportedDaySubsidyTerm } from '../../helpers/terms';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aid-desk-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs a command line in this process (the same main() the aid-desk binary runs), capturing what it prints:
 * no process start per call, so the tests do not race a busy machine's clock.
 */
async function aid(...args: string[]) {
  return aidAt(null, ...args);
}

/** The same, with the core's clock on a given day (10:00 in China). */
async function aidAt(date: string | null, ...args: string[]) {
  let out = '';
  let err = '';
  const clock = date === null ? undefined : () => at(date);
  const code = await main(
    args,
    { out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`), err: (t) => (err += t.endsWith('\n') ? t : `${t}\n`) },
    clock,
  );
  return { code, out, err };
}

/** The built command line (dist/node/cli.cjs), as installed: for what only a separate process shows (a kill). */
const BUILT_CLI = join(ROOT, 'dist', 'node', 'cli.cjs');

describe('aid-desk CLI', () => {
  it('sets up a school, imports each fixture roster with the documented JSON and lists students', async () => {
    expect(
      (
        await aid(
          '--data-dir',
          dir,
          'init',
          '--school',
          '青山县青山镇中心学校',
          '--county',
          '青山县',
          '--stages',
          '学前,小学,初中',
          '--term',
          '2026-autumn',
        )
      ).code,
    ).toBe(0);

    const central = await aid('import', 'roster', fixture('roster-qingshan-central-school.xlsx'), '--json', '--data-dir', dir);
    expect(central.code).toBe(1);
    const report = JSON.parse(central.out);
    expect(report).toMatchObject({ imported: 684, updated: 0, unchanged: 0 });
    expect(report.rejected[0]).toEqual({
      row: 122,
      column: '身份证件号',
      code: 'id-number-checksum',
      message: expect.any(String),
      name: '段梓',
    });

    const csv = JSON.parse((await aid('--json', 'import', 'roster', fixture('roster-qingshan-central-school.csv'), '--data-dir', dir)).out);
    expect(csv).toMatchObject({ imported: 0, updated: 0, unchanged: 684 });

    const high = await aid('import', 'roster', fixture('roster-qingshan-no1-high-school.xlsx'), '--dry-run', '--json', '--data-dir', dir);
    expect(high.code).toBe(0);
    expect(JSON.parse(high.out)).toMatchObject({ imported: 532, rejected: [], dryRun: true });

    const listed = await aid('students', 'list', '--class', '一年级1班', '--search', '英志', '--data-dir', dir);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('丁英志');
    expect(listed.out).toContain('4331**********338X');
    expect(listed.out).not.toContain('43312520201010338X');
  });

  it('fails with exit code 2 and a Chinese message when nothing can be done', async () => {
    const noSchool = await aid('import', 'roster', fixture('roster-qingshan-central-school.csv'), '--data-dir', dir, '--json');
    expect(noSchool.code).toBe(2);
    expect(JSON.parse(noSchool.out).error.code).toBe('school-missing');
    expect((await aid('frobnicate', '--data-dir', dir)).err).toContain('未知命令');
    const missing = await aid('import', 'roster', join(dir, 'none.xlsx'), '--data-dir', dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('找不到');
  });

  it('adds a member school and imports its roster into it', async () => {
    await aid('--data-dir', dir, 'init', '--school', '青山县青山镇中心学校', '--stages', '学前,小学,初中', '--term', '2026-autumn');
    await aid('--data-dir', dir, 'import', 'roster', fixture('roster-qingshan-central-school.csv'));
    const missing = await aid(
      '--data-dir',
      dir,
      'import',
      'roster',
      fixture('roster-qingshan-central-school.csv'),
      '--school',
      '岭下村小学',
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('没有名为“岭下村小学”的学校');
    expect((await aid('--data-dir', dir, 'schools', 'add', '岭下村小学')).out).toContain('已添加校点：岭下村小学');
    const file = join(dir, 'village.csv');
    const rows = demoRoster(30, 2026, 77).map((r) => r.map((c) => (c === null ? '' : String(c))).join(','));
    writeFileSync(file, `${rows.join('\n')}\n`);
    const r = JSON.parse((await aid('--json', '--data-dir', dir, 'import', 'roster', file, '--school', '岭下村小学')).out);
    expect(r).toMatchObject({ imported: 30, otherSchool: 0, missing: [] });
    // 一年级（1）班 is in both schools: named alone it is ambiguous, with its school it is one class.
    const ambiguous = await aid('--data-dir', dir, 'students', 'list', '--class', '一年级（1）班');
    expect(ambiguous.err).toContain('不唯一');
    expect(ambiguous.err).toContain('岭下村小学 一年级（1）班');
    const village = JSON.parse((await aid('--json', '--data-dir', dir, 'students', 'list', '--class', '岭下村小学一年级1班')).out);
    expect(village.students.length).toBeGreaterThan(0);
    const list = JSON.parse((await aid('--json', '--data-dir', dir, 'schools', 'list')).out);
    expect(list.schools.map((s: { name: string; studentCount: number }) => [s.name, s.studentCount])).toEqual([
      ['青山县青山镇中心学校', 684],
      ['岭下村小学', 30],
    ]);
    // The central school's roster read into the village: every child is another school's, one reminder each, capped.
    const dual = await aid('--data-dir', dir, 'import', 'roster', fixture('roster-qingshan-central-school.xlsx'), '--school', '岭下村小学');
    const reminders = dual.out.slice(dual.out.indexOf('提醒：')).split('\n\n')[0]!.split('\n');
    expect(reminders.length).toBe(52); // the heading, 50 lines and the count of the rest
    expect(reminders.at(-1)).toMatch(/^ {2}…另有 \d+ 条/);
  });

  it('creates the demo school only into an empty desk', async () => {
    const demo = await aid('demo', '--students', '300', '--json', '--data-dir', dir);
    expect(demo.code).toBe(0);
    expect(JSON.parse(demo.out)).toMatchObject({ students: 300, classes: 21 });
    expect((await aid('demo', '--data-dir', dir)).code).toBe(2);
  });

  it('leaves the database whole when killed in the middle of an import', async () => {
    expect((await aid('init', '--school', '甲校', '--stages', '学前,小学,初中', '--term', '2026-autumn', '--data-dir', dir)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名单').addRows(demoRoster(3000, 2026));
    const file = join(dir, 'big.xlsx');
    await wb.xlsx.writeFile(file);
    for (const delay of [400, 900, 1400]) {
      expect(existsSync(BUILT_CLI), 'npm test builds dist/node/cli.cjs first').toBe(true);
      const child = spawn(process.execPath, [BUILT_CLI, 'import', 'roster', file, '--data-dir', dir], { cwd: ROOT, stdio: 'ignore' });
      // Whenever the kill lands (before, during or after the write), the database is whole and all-or-nothing.
      const exited = new Promise((r) => child.on('exit', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited;
      const db = rawDatabase(dir);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect([0, 3000]).toContain(db.prepare('SELECT count(*) FROM student').pluck().get());
      db.close();
    }
  });
});

describe('aid-desk CLI in a pipe', () => {
  it('stops quietly with exit 0 when the reader closes the pipe early (aid-desk … | head)', async () => {
    await aid('--data-dir', dir, 'init', '--school', '青山县青山镇中心学校', '--stages', '学前,小学,初中', '--term', '2026-autumn');
    await aid('--data-dir', dir, 'import', 'roster', fixture('roster-qingshan-central-school.xlsx'));
    expect(existsSync(BUILT_CLI), 'npm test builds dist/node/cli.cjs first').toBe(true);
    // Listed several times over, so the output is larger than what the pipe holds: the CLI must write after the
    // reader has gone, whatever the speed of the machine.
    const child = spawn(process.execPath, [BUILT_CLI, 'students', 'list', '--data-dir', dir, '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    await new Promise((r) => child.stdout.once('data', r));
    child.stdout.destroy();
    const code = await new Promise((r) => child.on('exit', r));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});

describe('aid-desk CLI for identification', () => {
  it('imports the county lists, cross-checks both ways and applies the flags', async () => {
    await aid('--data-dir', dir, 'init', '--school', '青山县青山镇中心学校', '--stages', '学前,小学,初中', '--term', '2026-autumn');
    await aid('--data-dir', dir, 'import', 'roster', fixture('roster-qingshan-central-school.xlsx'));
    expect((await aid('--data-dir', dir, 'crosscheck')).out).toContain('还没有导入任何县级名单');
    const poverty = await aid(
      '--data-dir',
      dir,
      'import',
      'list',
      fixture('county-list-poverty-monitoring.xlsx'),
      '--kind',
      'poverty',
      '--date',
      '2026-08-15',
      '--json',
    );
    expect(poverty.code).toBe(0);
    expect(JSON.parse(poverty.out)).toMatchObject({ list: { kind: 'poverty', listDate: '2026-08-15' }, problems: [] });
    expect((await aid('--data-dir', dir, 'import', 'list', fixture('county-list-dibao-tekun.xlsx'), '--kind', 'dibao')).code).toBe(0);
    expect((await aid('--data-dir', dir, 'import', 'list', fixture('county-list-dibao-tekun.xlsx'), '--kind', 'nonsense')).code).toBe(2);

    const check = await aid('--data-dir', dir, 'crosscheck', '--json');
    expect(check.code).toBe(1);
    const result = JSON.parse(check.out);
    expect(result.listedNotFlagged.length).toBeGreaterThan(100);
    expect(result).toMatchObject({ flaggedNotListed: [], matched: 0 });
    expect(check.out).not.toMatch(/\d{17}[\dX]/); // no ID numbers in the report

    const applied = JSON.parse((await aid('--data-dir', dir, 'crosscheck', '--apply', '--json')).out);
    expect(applied).toMatchObject({
      flagged: result.listedNotFlagged.length,
      listedNotFlagged: [],
      matched: result.listedNotFlagged.length,
    });
    expect((await aid('--data-dir', dir, 'crosscheck')).code).toBe(0);
  });

  it('exports a class survey workbook and imports it back', async () => {
    await aid('--data-dir', dir, 'init', '--school', '青山县青山镇中心学校', '--stages', '学前,小学,初中', '--term', '2026-autumn');
    await aid('--data-dir', dir, 'import', 'roster', fixture('roster-qingshan-central-school.xlsx'));
    const out = join(dir, 'class.xlsx');
    expect((await aid('--data-dir', dir, 'surveys', 'export-class', '--class', '一年级1班', '--out', out)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('家庭情况')!;
    ws.getCell(2, 5).value = '4';
    ws.getCell(3, 5).value = '很多';
    await wb.xlsx.writeFile(out);
    const r = await aid('--data-dir', dir, 'surveys', 'import', out, '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ applied: 1, students: 1, conflicts: 0 });
    expect(report.problems).toEqual([expect.objectContaining({ sheet: '家庭情况', row: 3, column: 'E（家庭人口数）' })]);
  });
});

describe('aid-desk CLI for programmes', () => {
  it('lists programmes, creates applications, allocates within a quota and runs the checks', async () => {
    await aid('--data-dir', dir, 'init', '--school', '青山县第一中学', '--stages', '普通高中', '--term', '2026-autumn');
    await aid('--data-dir', dir, 'import', 'roster', fixture('roster-qingshan-no1-high-school.xlsx'));
    // Identification happens in the app; here the core does it on the same data folder.
    const { unlockDesk } = await import('../../../electron/core/desk/desk');
    const { createContext } = await import('../../../electron/core/context');
    const { directClient } = await import('../../../electron/core/dispatch');
    const store = (await unlockDesk(dir, TEST_PASSWORD, new Date())).store;
    const client = directClient(createContext(store));
    const ids = store.sqlite.prepare(`SELECT id FROM student ORDER BY id LIMIT 30`).pluck().all() as number[];
    for (const id of ids) {
      await client.invoke('surveys.save', {
        studentId: id,
        status: 'draft',
        fields: {
          householdSize: 4,
          hukou: 'rural',
          members: [{ name: '父', age: 40, relation: '父亲', workplace: '', occupation: '', annualIncome: 200_000, health: 'serious' }],
          factors: ['debt'],
          otherHardship: '',
          incomeSource: null,
          childrenInSchool: 2,
          commitmentSigned: false,
          commitmentDate: null,
          enteredBy: '',
          note: '',
        },
      });
    }
    await client.invoke('identification.score', {});
    const open = (await client.invoke('surveys.cases', {})).filter((c) => c.identification === 'open');
    await client.invoke('identification.decide', {
      decisions: open.map((c) => ({ identificationId: c.identificationId!, level: c.suggestedLevel! })),
      decidedOn: '2026-09-20',
    });
    await store.close();

    const list = await aid('--data-dir', dir, 'programmes', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toContain('senior-grant\t普通高中国家助学金\t普通高中\t发放资金\t每学期 一档（25%）普通高中¥1,500.00');
    const created = JSON.parse(
      (await aid('--data-dir', dir, 'applications', 'create', '--programme', 'senior-grant', '--term', '2026-autumn', '--json')).out,
    );
    expect(created).toEqual({ created: 30, skipped: [] });
    expect((await aid('--data-dir', dir, 'allocate', '--programme', 'nope', '--term', '2026-autumn')).code).toBe(2);

    const reopened = (await unlockDesk(dir, TEST_PASSWORD, new Date())).store;
    const appIds = reopened.sqlite.prepare(`SELECT id FROM application`).pluck().all() as number[];
    const c2 = directClient(createContext(reopened));
    for (const action of ['submit', 'toClassReview', 'toSchoolReview'] as const)
      await c2.invoke('applications.transition', { ids: appIds, action });
    await reopened.close();

    const allocation = await aid(
      '--data-dir',
      dir,
      'allocate',
      '--programme',
      'senior-grant',
      '--term',
      '2026-autumn',
      '--quota',
      '12',
      '--json',
    );
    expect(allocation.code).toBe(0);
    const r = JSON.parse(allocation.out);
    expect(r).toMatchObject({ quota: 12, funded: 12, tierCounts: { 1: 3, 2: 6, 3: 3 } });
    expect(r.unfunded).toHaveLength(18);

    const check = await aid('--data-dir', dir, 'check', '--term', '2026-autumn', '--json');
    const findings = JSON.parse(check.out).findings as { severity: string; code: string; student: string | null; message: string }[];
    expect(check.code).toBe(findings.some((f) => f.severity === 'blocking') ? 1 : 0);
    for (const f of findings) expect(Object.keys(f).sort()).toEqual(['className', 'code', 'message', 'programme', 'severity', 'student']);
    expect(check.out).not.toMatch(/\d{17}[\dX]/);

    // Publicised, closed and approved in the app; then the signature roster from the command line.
    // The list goes up today and comes down two weeks later: the core's clock is moved, the client sends no dates.
    const third = (await unlockDesk(dir, TEST_PASSWORD, new Date())).store;
    let clock = new Date();
    const c3 = directClient(createContext(third, { now: () => clock }));
    const programme = (await c3.invoke('programmes.list', {})).find((p) => p.code === 'senior-grant')!;
    const pub = await c3.invoke('publicity.createProgramme', {
      programmeId: programme.id,
      term: '2026-autumn',
      complaintPhone: '0745-7654321',
    });
    clock = new Date(clock.getTime() + 14 * 86_400_000);
    await c3.invoke('publicity.close', { id: pub.id });
    const posted = third.sqlite.prepare(`SELECT id FROM application WHERE status = 'publicity'`).pluck().all() as number[];
    expect((await c3.invoke('applications.transition', { ids: posted, action: 'approve' })).changed).toBe(12);
    await third.close();

    const pdf = join(dir, 'roster.pdf');
    const printed = await aid('--data-dir', dir, 'roster', '--programme', 'senior-grant', '--term', '2026-autumn', '--out', pdf, '--json');
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.out)).toEqual({ out: pdf, pages: 2 });
    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/Pages:\s+2\n/);
    expect(info).toMatch(/Tagged:\s+no\n/); // untagged like the desktop app's: tagging doubled the print time
    expect(spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '')).toContain('合计：12人');

    const xlsx = join(dir, 'roster.xlsx');
    expect(
      (await aid('--data-dir', dir, 'roster', '--programme', 'senior-grant', '--term', '2026-autumn', '--out', xlsx, '--full-numbers'))
        .code,
    ).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(3).values).toEqual([
      undefined,
      '序号',
      '班级',
      '姓名',
      '身份证号',
      '银行卡号',
      '金额（元）',
      '领取人签字',
      '手印',
      '备注',
    ]);
    const id = ws.getCell(4, 4);
    expect(typeof id.value).toBe('string');
    expect(String(id.value)).toMatch(/^\d{17}[\dX]$/);
    expect(id.numFmt).toBe('@');
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, printTitlesRow: '3:3' });
    const formulas: string[] = [];
    ws.eachRow((row) =>
      row.eachCell((c) => {
        if (c.formula) formulas.push(c.formula);
      }),
    );
    expect(formulas[0]).toMatch(/^SUM\(F4:F\d+\)$/);
    expect(
      (await aid('--data-dir', dir, 'roster', '--programme', 'senior-grant', '--term', '2026-autumn', '--out', join(dir, 'x.doc'))).code,
    ).toBe(2);

    // The county's own template, filled.
    const filled = join(dir, 'filled.xlsx');
    const exported = await aid(
      '--data-dir',
      dir,
      'export',
      '--template',
      fixture('county-template-senior-high-grant.xlsx'),
      '--programme',
      'senior-grant',
      '--term',
      '2026-autumn',
      '--out',
      filled,
      '--json',
    );
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.out)).toMatchObject({ out: filled, rows: 12, written: 12, problems: [] });
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(filled);
    const sheet = out.worksheets[0]!;
    expect(sheet.getCell('A1').value).toBe('青山县第一中学2026年秋季学期普通高中国家助学金受助学生名单');
    expect(String(sheet.getCell('D3').value)).toMatch(/^\d{17}[\dX]$/);
    expect(['一档', '二档', '三档']).toContain(sheet.getCell('I3').value);
    expect(sheet.getCell('B15').value).toBeNull();
  });
});

describe('aid-desk CLI for payments and reports', () => {
  it('imports the bank fixture with the documented JSON, refuses it a second time, and prints the figures and the summary', async () => {
    const core = await testCore();
    try {
      const { students, bank } = await reportedDaySubsidyTerm(core);
      await core.ctx.store.close();
      const d = core.dir;
      const args = [
        'payments',
        'import-bank',
        fixture('bank-return-2026-autumn.xlsx'),
        '--programme',
        'day-subsidy',
        '--term',
        '2026-autumn',
        '--paid-on',
        '2026-11-20',
        '--data-dir',
        d,
      ];
      const r = await aid(...args, '--json');
      expect(r.code).toBe(1);
      const out = JSON.parse(r.out);
      const ours = bank.filter((b) => students.has(b.name));
      expect(out.paid).toBe(ours.filter((b) => b.ok).length);
      expect(out.failed).toEqual(
        expect.arrayContaining(
          ours.filter((b) => !b.ok).map((b) => ({ student: b.name, account: `${'*'.repeat(15)}${b.account.slice(-4)}`, reason: b.reason })),
        ),
      );
      expect(out.failed).toHaveLength(ours.filter((b) => !b.ok).length);
      expect(out.unmatched.map((u: { name: string }) => u.name)).toContain('石梓');
      expect(r.out).not.toMatch(/\d{16,19}/);
      const again = await aid(...args);
      expect(again.code).toBe(2);
      expect(again.err).toMatch(/导入过，不重复登记/);

      const stats = await aid('stats', '--term', '2026-autumn', '--data-dir', d);
      expect(stats.code).toBe(0);
      expect(stats.out).toContain(`合计  ${out.paid} 人  ${out.paid} 人次`);
      const json = JSON.parse((await aid('stats', '--year', '2026-2027', '--json', '--data-dir', d)).out);
      expect(json.current.total.amount).toBe(out.paid * 31250);
      const summary = await aid('summary', '--term', '2026-autumn', '--data-dir', d);
      expect(summary.out).toMatch(new RegExp(`^2026年秋季学期，青山县青山镇中心学校共资助家庭经济困难学生${out.paid}人`));
      expect((await aid('stats', '--year', '2026', '--data-dir', d)).code).toBe(2);
    } finally {
      rmSync(core.dir, { recursive: true, force: true });
    }
  });
});

describe('aid-desk CLI backups', () => {
  it('backs up into a folder and restores it, refusing a folder that is not a backup', async () => {
    await aid('--data-dir', dir, 'init', '--school', '青山县青山镇中心学校', '--stages', '小学', '--term', '2026-autumn');
    await aid('--data-dir', dir, 'import', 'roster', fixture('roster-qingshan-central-school.xlsx'));
    const out = join(dir, 'usb', '2026秋备份');
    const made = await aid('--data-dir', dir, 'backup', '--out', out, '--json');
    expect(made.code).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({ path: out, students: 684 });
    const db = rawDatabase(dir);
    db.prepare(`UPDATE student SET status = 'left', left_reason = 'graduated', left_on = '2027-07-01'`).run();
    db.close();
    const restored = await aid('--data-dir', dir, 'restore', out);
    expect(restored.code).toBe(0);
    expect(restored.out).toContain('已从备份恢复');
    expect((await aid('--data-dir', dir, 'students', 'list', '--json')).out).toContain('丁英志');
    const bad = await aid('--data-dir', dir, 'restore', dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('不是完整的 AidDesk 备份');
  });
});

describe('aid-desk CLI carries a term', () => {
  it('moves applications through review, allocates, posts and closes the list on the core clock, approves and reports', async () => {
    const core = await testCore({ school: false });
    try {
      core.setToday('2026-11-02');
      const ids = await smallSchool(core, [
        { name: '甲', grade: '三年级' },
        { name: '乙', grade: '四年级' },
        { name: '丙', grade: '五年级' },
      ]);
      for (const id of ids.values()) await declare(core, id, ['povertyAlleviated']);
      await core.ctx.store.close();
      const d = core.dir;
      const term = ['--programme', 'day-subsidy', '--term', '2026-autumn', '--data-dir', d];
      expect((await aidAt('2026-11-02', 'applications', 'create', ...term)).out).toContain('新建申请草稿 3 份');
      // Drafts cannot be allocated: the command says why nothing was funded.
      const early = await aidAt('2026-11-02', 'allocate', ...term, '--quota', '3');
      expect(early.out).toContain('草稿须先“提交申请”');
      expect(early.out).toContain('本次获资助 0 人');
      for (const action of ['submit', 'class-review', 'school-review']) {
        const r = await aidAt('2026-11-02', 'applications', 'transition', ...term, '--action', action, '--json');
        expect(r.code).toBe(0);
        expect(JSON.parse(r.out)).toEqual({ changed: 3, refused: [] });
      }
      expect(JSON.parse((await aidAt('2026-11-02', 'allocate', ...term, '--json')).out)).toMatchObject({ funded: 3, note: '' });
      const posted = JSON.parse((await aidAt('2026-11-02', 'publicity', 'create', ...term, '--phone', '0745-1234567', '--json')).out);
      expect(posted).toMatchObject({ startsOn: '2026-11-02', endsOn: '2026-11-06', entries: 3 });
      const tooSoon = await aidAt('2026-11-05', 'publicity', 'close', '--id', String(posted.id), '--data-dir', d);
      expect(tooSoon.code).toBe(2);
      expect(tooSoon.err).toContain('才满 5 个工作日');
      expect((await aidAt('2026-11-09', 'publicity', 'close', '--id', String(posted.id), '--data-dir', d)).out).toContain('已结束公示');
      expect(JSON.parse((await aidAt('2026-11-09', 'applications', 'transition', ...term, '--action', 'approve', '--json')).out)).toEqual({
        changed: 3,
        refused: [],
      });
      const reported = await aidAt('2026-11-09', 'applications', 'transition', ...term, '--action', 'report');
      expect(reported.code).toBe(0);
      expect(reported.out).toContain('“上报” 3 份');
      // Nothing left to reopen, and a reopen always needs a reason.
      expect((await aidAt('2026-11-09', 'applications', 'transition', ...term, '--action', 'reopen')).out).toContain(
        '没有可以“重新审核”的申请',
      );
      expect((await aidAt('2026-11-09', 'applications', 'transition', ...term, '--action', 'frobnicate')).code).toBe(2);
    } finally {
      rmSync(core.dir, { recursive: true, force: true });
    }
  });
});

describe('aid-desk CLI for the funds and meal ledgers', () => {
  it('adds a document, receives money against it, lists the ledger, and prints a month of meals', async () => {
    const core = await testCore({ school: false });
    try {
      await smallSchool(core, [
        { name: '张一', grade: '三年级' },
        { name: '张二', grade: '八年级' },
      ]);
      await core.ctx.store.close();
      const d = core.dir;
      const add = await aidAt(
        '2026-11-20',
        'funds',
        'add',
        '--programme',
        'boarder-subsidy',
        '--term',
        '2026-autumn',
        '--source',
        'central',
        '--document',
        '湘财教〔2026〕88号',
        '--date',
        '2026-11-02',
        '--amount',
        '12500',
        '--data-dir',
        d,
      );
      expect(add.code).toBe(0);
      expect(add.out).toContain('已登记资金文件 湘财教〔2026〕88号');
      const early = await aidAt(
        '2026-11-20',
        'funds',
        'receive',
        '--term',
        '2026-autumn',
        '--document',
        '湘财教〔2026〕88号',
        '--amount',
        '10000',
        '--date',
        '2026-11-18',
        '--data-dir',
        d,
      );
      expect(early.code).toBe(2);
      expect(early.err).toContain('请写明补登原因');
      const got = await aidAt(
        '2026-11-20',
        'funds',
        'receive',
        '--term',
        '2026-autumn',
        '--document',
        '湘财教〔2026〕88号',
        '--amount',
        '10000',
        '--data-dir',
        d,
      );
      expect(got.out).toContain('已登记到账 ¥10,000.00');
      const list = JSON.parse((await aidAt('2026-11-20', 'funds', 'list', '--term', '2026-autumn', '--json', '--data-dir', d)).out);
      const boarder = list.lines.find((l: { code: string }) => l.code === 'boarder-subsidy');
      expect(boarder).toMatchObject({ allocated: 1_250_000, available: 1_000_000, balance: 1_000_000, awaited: 250_000 });

      const month = await aidAt('2026-11-20', 'meals', 'month', '--month', '2026-10', '--json', '--data-dir', d);
      expect(month.code).toBe(0);
      const m = JSON.parse(month.out);
      expect(m).toMatchObject({ servingDays: 18, personDays: 36, amount: 36 * 500 });
      const text = await aidAt('2026-11-20', 'meals', 'month', '--month', '2026-10', '--data-dir', d);
      expect(text.out).toContain('供餐天数 18  受益学生 2  人天数 36');
      expect((await aidAt('2026-11-20', 'meals', 'month', '--month', '2026-13', '--data-dir', d)).err).toContain('月份格式应为 2026-10');
    } finally {
      rmSync(core.dir, { recursive: true, force: true });
    }
  });
});
