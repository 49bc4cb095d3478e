import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Application, Finding } from '../../../shared/domain/application';
import type { Programme } from '../../../shared/domain/programme';
import { idNumberCheckChar } from '../../../shared/rules/id-number';
import { luhnValid } from '../../../shared/rules/bank-card';
import { importRoster } from '../../../electron/core/students/roster';
import { uploadFile } from '../../../electron/core/uploads';
import { fixture, testCore, type TestCore } from '../../helpers/core';

let core: TestCore;
const TERM = '2026-autumn';
/** A 19-digit card number that passes the Luhn check. */
function luhnCard(prefix18: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${prefix18}${d}`)) return `${prefix18}${d}`;
  throw new Error('unreachable');
}
const sql = <T>(query: string, ...params: unknown[]) => core.ctx.store.sqlite.prepare(query).all(...params) as T[];

async function importHighSchool() {
  await core.client.invoke('school.setup', {
    name: '青山县第一中学',
    county: '青山县',
    township: '',
    stages: ['senior'],
    schoolYear: '2026-2027',
    term: TERM,
  });
  const name = 'roster-qingshan-no1-high-school.xlsx';
  await importRoster(core.ctx, await uploadFile(core.ctx, name, readFileSync(fixture(name))), {});
}

/** Surveys for the first `n` students with incomes spread out, scored and decided as suggested; some declare 低保. */
async function identify(n: number, dibao: number) {
  const students = sql<{ id: number }>(`SELECT id FROM student ORDER BY id LIMIT ?`, n);
  for (const [i, s] of students.entries()) {
    await core.client.invoke('surveys.save', {
      studentId: s.id,
      status: 'draft',
      fields: {
        householdSize: 4,
        hukou: 'rural',
        members: [
          {
            name: '父',
            age: 45,
            relation: '父亲',
            workplace: '',
            occupation: '务农',
            annualIncome: (i % 20) * 250_000,
            health: i % 7 === 0 ? 'serious' : 'healthy',
          },
        ],
        factors: i % 5 === 0 ? ['debt'] : [],
        otherHardship: '',
        incomeSource: 'farming',
        childrenInSchool: 1 + (i % 3),
        commitmentSigned: true,
        commitmentDate: '2026-09-05',
        enteredBy: '',
        note: '',
      },
      flags: i < dibao ? [{ group: 'dibao', source: 'selfDeclared', sourceDate: '2026-09-05' }] : [],
    });
  }
  await core.client.invoke('identification.score', {});
  const open = (await core.client.invoke('surveys.cases', {})).filter((c) => c.identification === 'open');
  await core.client.invoke('identification.decide', {
    decisions: open.map((c) => ({ identificationId: c.identificationId!, level: c.suggestedLevel! })),
    decidedOn: '2026-09-20',
  });
}

async function grant(): Promise<Programme> {
  return (await core.client.invoke('programmes.list', {})).find((p) => p.code === 'senior-grant')!;
}

async function list(p: Programme, status: string | null = null): Promise<Application[]> {
  return (await core.client.invoke('applications.list', { programmeId: p.id, term: TERM, status })).rows;
}

/** A senior-grant term up to school review with the quota allocated: 40 funded in tiers of 10/20/10. */
async function allocatedTerm() {
  await importHighSchool();
  await identify(150, 8);
  const p = await grant();
  await core.client.invoke('quotas.save', { programmeId: p.id, term: TERM, count: 40 });
  const created = await core.client.invoke('applications.create', { programmeId: p.id, term: TERM, from: 'identified' });
  const ids = (await list(p)).map((a) => a.id);
  // Reviewed and allocated on Monday 9 November: the recipient publicity starts that day (the core's clock, moved by the test).
  core.setToday('2026-11-09');
  for (const action of ['submit', 'toClassReview', 'toSchoolReview'] as const) {
    expect((await core.client.invoke('applications.transition', { ids, action })).refused).toEqual([]);
  }
  const allocation = await core.client.invoke('applications.allocate', { programmeId: p.id, term: TERM });
  return { p, created, allocation };
}

beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

describe('programme catalogue', () => {
  it('starts a year from the national defaults and carries the edited standards into the next year', async () => {
    const year = await core.client.invoke('programmes.list', {});
    expect(year.map((p) => p.code)).toEqual([
      'preschool-aid',
      'preschool-fee-waiver',
      'boarder-subsidy',
      'day-subsidy',
      'nutrition',
      'free-textbooks',
      'senior-grant',
      'senior-fee-waiver',
      'vocational-grant',
      'vocational-fee-waiver',
      'vocational-scholarship',
      'school-aid',
      'donation',
    ]);
    const boarder = year.find((p) => p.code === 'boarder-subsidy')!;
    expect(boarder.tiers[0]!.amounts).toEqual({ primary: 62_500, junior: 75_000 });
    expect(year.find((p) => p.code === 'day-subsidy')!.tiers[0]!.amounts).toEqual({ primary: 31_250, junior: 37_500 });
    const { id: _id, code: _code, schoolYear: _y, builtIn: _b, ...definition } = boarder;
    await core.client.invoke('programmes.save', {
      id: boarder.id,
      definition: { ...definition, tiers: [{ tier: 1, proportion: 100, amounts: { primary: 65_000, junior: 78_000 } }] },
    });
    const next = await core.client.invoke('programmes.list', { schoolYear: '2027-2028' });
    expect(next.find((p) => p.code === 'boarder-subsidy')!.tiers[0]!.amounts).toEqual({ primary: 65_000, junior: 78_000 });
    await expect(
      core.client.invoke('programmes.save', {
        id: boarder.id,
        definition: { ...definition, tiers: [{ tier: 1, proportion: 60, amounts: {} }] },
      }),
    ).rejects.toThrow('各档比例合计应为 100%');
    await expect(core.client.invoke('applications.list', { programmeId: next[0]!.id, term: TERM })).rejects.toThrow('属于 2026-2027 学年');
  });
});

describe('a senior-high term, from applications to approval', () => {
  it('ranks, funds 40 in tiers of 10/20/10 with the 低保 students on top, publicises and approves', async () => {
    const { p, created, allocation } = await allocatedTerm();
    const eligible = sql<{ n: number }>(`SELECT count(*) n FROM identification WHERE status = 'decided' AND level <> 'none'`)[0]!.n;
    expect(created.created).toBe(eligible);
    expect(allocation).toMatchObject({ quota: 40, funded: 40, tierCounts: { 1: 10, 2: 20, 3: 10 } });
    expect(allocation.unfunded).toHaveLength(eligible - 40);
    const rows = await list(p);
    const funded = rows.filter((a) => a.funded);
    expect(funded.filter((a) => a.groups.includes('dibao')).every((a) => a.tier === 1)).toBe(true);
    expect(funded.filter((a) => a.tier === 1).map((a) => a.amount)).toEqual(Array(10).fill(150_000));
    expect(rows.find((a) => a.rank === 1)!.rankReason).toMatch(/^特殊群体（最低生活保障）/);
    expect(rows.filter((a) => !a.funded).every((a) => a.rank! > 40)).toBe(true);

    const baseline = await core.client.invoke('checks.run', { term: TERM });
    expect(baseline.filter((f) => f.severity === 'blocking')).toEqual([]);
    expect(baseline.filter((f) => f.code === 'flag-not-listed')).toHaveLength(8);

    const pub = await core.client.invoke('publicity.createProgramme', {
      programmeId: p.id,
      term: TERM,
      startsOn: '2026-11-09',
      complaintPhone: '0745-7654321',
    });
    expect(pub.entries).toHaveLength(40);
    expect(Object.keys(pub.entries[0]!).sort()).toEqual(['className', 'grade', 'name', 'studentId', 'value']);
    expect(pub.entries[0]!.value).toBe('一档 ¥1,500.00');
    const posted = await list(p, 'publicity');
    expect(posted).toHaveLength(40);

    const early = await core.client.invoke('applications.transition', { ids: posted.map((a) => a.id), action: 'approve' });
    expect(early).toMatchObject({ changed: 0 });
    expect(early.refused[0]!.reason).toMatch(/公示尚未结束/);

    const target = posted.find((a) => a.tier === 1 && !a.groups.includes('dibao'))!;
    core.setToday('2026-11-11');
    const o = await core.client.invoke('publicity.addObjection', {
      publicityId: pub.id,
      studentId: target.studentId,
      receivedOn: '2026-11-10',
      raisedBy: '家长',
      content: '档次偏高',
    });
    await core.client.invoke('publicity.resolveObjection', {
      objectionId: o.id,
      outcome: 'changed',
      newTier: 2,
      reviewNote: '复核评分后调整',
      answer: '已调整为二档',
      resolvedOn: '2026-11-11',
    });
    expect((await core.client.invoke('publicity.get', { id: pub.id })).entries.find((e) => e.studentId === target.studentId)!.value).toBe(
      '二档 ¥1,150.00',
    );
    core.setToday('2026-11-16');
    await core.client.invoke('publicity.close', { id: pub.id });
    core.setToday(null);

    const approved = await core.client.invoke('applications.transition', {
      ids: posted.map((a) => a.id),
      action: 'approve',
      actor: '校长',
    });
    expect(approved).toEqual({ changed: 40, refused: [] });
    const done = await list(p, 'approved');
    expect(done.find((a) => a.studentId === target.studentId)).toMatchObject({ tier: 2, amount: 115_000 });
    const one = done[0]!;
    expect(one.snapshot).toEqual({
      level: one.level,
      groups: one.groups,
      boarding: one.boarding,
      stage: 'senior',
      className: one.className,
    });

    // A later change to the student does not touch the approved snapshot.
    await core.client.invoke('students.update', { id: one.studentId, fields: { boarding: one.boarding ? '走读' : '住校' } });
    expect((await list(p, 'approved')).find((a) => a.id === one.id)!.snapshot!.boarding).toBe(one.boarding);

    // Submission to the county runs the checks first: a recipient without a card is held back, named.
    const noCard = done[1]!;
    await core.client.invoke('students.update', { id: noCard.studentId, fields: { bankCard: '' } });
    const reported = await core.client.invoke('applications.transition', { ids: done.slice(1).map((a) => a.id), action: 'report' });
    expect(reported.changed).toBe(38);
    expect(reported.refused).toEqual([{ applicationId: noCard.id, name: noCard.name, reason: expect.stringContaining('没有银行卡号') }]);

    // Undo goes back one step only, and records it.
    await core.client.invoke('applications.undo', { id: one.id });
    expect((await list(p)).find((a) => a.id === one.id)!.status).toBe('publicity');
    await expect(core.client.invoke('applications.undo', { id: one.id })).rejects.toThrow('已列入公示的申请不能撤回');
    const events = await core.client.invoke('applications.history', { id: one.id });
    expect(events.map((e) => [e.from, e.to, e.undone])).toEqual([
      ['publicity', 'approved', true],
      ['schoolReview', 'publicity', false],
      ['classReview', 'schoolReview', false],
      ['applied', 'classReview', false],
      ['draft', 'applied', false],
      [null, 'draft', false],
    ]);
  });

  it('carries last term recipients who are still enrolled into the next term', async () => {
    const { p } = await allocatedTerm();
    const funded = (await list(p)).filter((a) => a.funded);
    await core.client.invoke('publicity.createProgramme', {
      programmeId: p.id,
      term: TERM,
      startsOn: '2026-11-09',
      complaintPhone: '0745-7654321',
    });
    const pub = (await core.client.invoke('publicity.list', {}))[0]!;
    core.setToday('2026-11-16');
    await core.client.invoke('publicity.close', { id: pub.id });
    core.setToday(null);
    await core.client.invoke('applications.transition', { ids: funded.map((a) => a.id), action: 'approve' });
    await core.client.invoke('students.setStatus', {
      ids: [funded[0]!.studentId],
      status: 'left',
      reason: 'transferred',
      date: '2027-01-10',
    });
    const r = await core.client.invoke('applications.create', { programmeId: p.id, term: '2027-spring', from: 'carryOver' });
    expect(r.created).toBe(39);
    expect(r.skipped).toEqual([{ name: funded[0]!.name, reason: '已离校' }]);
  });
});

describe('checks, each provoked by a crafted case and reported exactly once', () => {
  it('finds every problem an inspector would', async () => {
    const { p } = await allocatedTerm();
    const before = await core.client.invoke('checks.run', { term: TERM });
    const funded = (await list(p)).filter((a) => a.funded && !a.groups.length);
    // Generated cards fail the Luhn check now and then (a warning only): E needs a card that passes.
    const clean = funded.filter((a) => !before.some((f) => f.studentId === a.studentId));
    const quiet = funded.filter(
      (a) => !clean.includes(a) && before.filter((f) => f.studentId === a.studentId).every((f) => f.code === 'bank-card-luhn'),
    );
    const E = clean[0];
    const [A, B, C, D, F, G, H] = [...quiet, ...clean.slice(1)];
    const studentOf = (a: Application) =>
      sql<{ id_number: string; sex: string; bank_card: string; birth_date: string }>(`SELECT * FROM student WHERE id = ?`, a.studentId)[0]!;

    // A left the school.
    await core.client.invoke('students.setStatus', { ids: [A!.studentId], status: 'left', reason: 'dropped', date: '2026-11-01' });
    // B's ID number corrected in the roster to an older person: the application no longer matches, and the age is unusual.
    const oldId17 = `43312520050101${studentOf(B!).sex === 'male' ? '013' : '024'}`;
    await core.client.invoke('students.update', {
      id: B!.studentId,
      fields: { idNumber: oldId17 + idNumberCheckChar(oldId17), birthDate: '2005-01-01' },
    });
    // Bank cards: C none, D too short, E fails the Luhn check.
    await core.client.invoke('students.update', { id: C!.studentId, fields: { bankCard: '' } });
    // The form refuses a 12-digit card now (one rule for the form and the checks); a desk may still hold one
    // entered before, so D's is written straight into the database.
    await expect(core.client.invoke('students.update', { id: D!.studentId, fields: { bankCard: '623162576172' } })).rejects.toThrow(
      '银行卡号/社会保障卡号应为16到19位数字',
    );
    core.ctx.store.sqlite.prepare(`UPDATE student SET bank_card = '623162576172' WHERE id = ?`).run(D!.studentId);
    const bad = `${studentOf(E!).bank_card.slice(0, 18)}${(Number(studentOf(E!).bank_card[18]) + 1) % 10}`;
    expect(luhnValid(bad)).toBe(false);
    await core.client.invoke('students.update', { id: E!.studentId, fields: { bankCard: bad } });
    // F entered twice: a second record without an ID number, same name and birth date, funded by hand.
    const f = studentOf(F!);
    const csv = `学籍号,姓名,性别,出生日期,年级,班级,就读方式,社会保障卡号\nJ${f.id_number.slice(0, 17)}9,${F!.name},${f.sex === 'male' ? '男' : '女'},${f.birth_date},${F!.grade},${F!.className},住校,${luhnCard('621700001000000000')}\n`;
    const twin = await importRoster(core.ctx, await uploadFile(core.ctx, 'twin.csv', Buffer.from(csv)), {});
    expect(twin.imported).toBe(1);
    const twinId = sql<{ id: number }>(`SELECT id FROM student WHERE id_number IS NULL AND name = ?`, F!.name)[0]!.id;
    await core.client.invoke('surveys.save', {
      studentId: twinId,
      status: 'draft',
      fields: {
        householdSize: 3,
        hukou: 'rural',
        members: [{ name: '母', age: 40, relation: '母亲', workplace: '', occupation: '', annualIncome: 0, health: 'serious' }],
        factors: ['debt'],
        otherHardship: '',
        incomeSource: null,
        childrenInSchool: 1,
        commitmentSigned: false,
        commitmentDate: null,
        enteredBy: '',
        note: '',
      },
    });
    await core.client.invoke('identification.score', { studentIds: [twinId] });
    const twinCase = (await core.client.invoke('identification.case', { studentId: twinId })).current!;
    await core.client.invoke('identification.decide', {
      decisions: [
        { identificationId: twinCase.id, level: twinCase.suggestedLevel === 'none' ? 'general' : twinCase.suggestedLevel!, reason: '测试' },
      ],
      decidedOn: '2026-09-20',
    });
    await core.client.invoke('applications.create', { programmeId: p.id, term: TERM, from: 'students', studentIds: [twinId] });
    const twinApp = (await list(p)).find((a) => a.studentId === twinId)!;
    for (const action of ['submit', 'toClassReview', 'toSchoolReview'] as const)
      await core.client.invoke('applications.transition', { ids: [twinApp.id], action });
    // Funding the twin by hand also puts 11 in the top tier and 41 over the quota of 40.
    await core.client.invoke('applications.setTier', { id: twinApp.id, tier: 1, reason: '校长特批' });
    // G also holds the school's own aid, which may not be combined, has no standard yet, and is for boarders only while G goes home daily.
    const programmes = await core.client.invoke('programmes.list', {});
    const schoolAid = programmes.find((x) => x.code === 'school-aid')!;
    const strip = ({ id: _i, code: _c, schoolYear: _y, builtIn: _b, ...d }: Programme) => d;
    await core.client.invoke('programmes.save', { id: p.id, definition: { ...strip(p), exclusive: ['school-aid'] } });
    await core.client.invoke('applications.create', {
      programmeId: schoolAid.id,
      term: TERM,
      from: 'students',
      studentIds: [G!.studentId],
    });
    const gApp = (await core.client.invoke('applications.list', { programmeId: schoolAid.id, term: TERM })).rows[0]!;
    for (const action of ['submit', 'toClassReview', 'toSchoolReview'] as const)
      await core.client.invoke('applications.transition', { ids: [gApp.id], action });
    await core.client.invoke('applications.setTier', { id: gApp.id, tier: 1, reason: '学校资助' });
    await core.client.invoke('programmes.save', { id: schoolAid.id, definition: { ...strip(schoolAid), boarding: 'boarder' } });
    await core.client.invoke('students.update', { id: G!.studentId, fields: { boarding: '走读' } });
    // H declares 低保 with no list behind it.
    await core.client.invoke('surveys.save', {
      studentId: H!.studentId,
      status: 'draft',
      fields: {
        householdSize: 4,
        hukou: 'rural',
        members: [],
        factors: [],
        otherHardship: '',
        incomeSource: null,
        childrenInSchool: 1,
        commitmentSigned: false,
        commitmentDate: null,
        enteredBy: '',
        note: '',
      },
      flags: [{ group: 'dibao', source: 'selfDeclared', sourceDate: null }],
    });
    // And a budget below the total.
    await core.client.invoke('quotas.save', { programmeId: p.id, term: TERM, count: 40, budget: 4_000_000 });

    const after = await core.client.invoke('checks.run', { term: TERM });
    const added = after.filter(
      (x) => !before.some((y) => y.code === x.code && y.applicationId === x.applicationId && y.message === x.message),
    );
    const got = (code: string) => added.filter((x) => x.code === code).map((x: Finding) => x.student);
    expect(got('not-enrolled')).toEqual([A!.name]);
    expect(got('name-id-mismatch')).toEqual([B!.name]);
    expect(got('over-age')).toEqual([B!.name]);
    expect(got('bank-card-missing')).toEqual([C!.name]);
    expect(got('bank-card-format')).toEqual([D!.name]);
    expect(got('bank-card-luhn')).toEqual([E!.name]);
    expect(got('duplicate')).toEqual([F!.name]);
    expect(got('exclusive')).toEqual([G!.name]);
    expect(got('standard-missing')).toEqual([G!.name]);
    expect(got('boarding-mismatch')).toEqual([G!.name]);
    expect(got('flag-not-listed')).toEqual([H!.name]);
    expect(got('tier-proportions')).toEqual([null]);
    expect(got('over-quota')).toEqual([null]);
    expect(got('over-budget')).toEqual([null]);
    expect(added).toHaveLength(14);
    for (const x of added) expect(x.message).not.toMatch(/\d{15,}/);

    // Blocking findings stop the recipient publicity, naming them.
    await expect(
      core.client.invoke('publicity.createProgramme', {
        programmeId: p.id,
        term: TERM,
        startsOn: '2026-11-09',
        complaintPhone: '0745-7654321',
      }),
    ).rejects.toThrow(/必须先处理的检查问题/);
    const file = await core.client.invoke('checks.export', { term: TERM });
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(after.length + 2);
    // It prints on A4 across, one page wide, its header on every page.
    expect(wb.worksheets[0]!.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, printTitlesRow: '2:2' });
  });
});

describe('templates kept in the app, and the built-in ones', () => {
  it('keeps a county template with the clerk corrections and fills it; fills the built-in list and bank file', async () => {
    const { p } = await allocatedTerm();
    const funded = (await list(p)).filter((a) => a.funded);
    await core.client.invoke('publicity.createProgramme', {
      programmeId: p.id,
      term: TERM,
      startsOn: '2026-11-09',
      complaintPhone: '0745-7654321',
    });
    const pub = (await core.client.invoke('publicity.list', {}))[0]!;
    core.setToday('2026-11-16');
    await core.client.invoke('publicity.close', { id: pub.id });
    core.setToday(null);
    await core.client.invoke('applications.transition', { ids: funded.map((a) => a.id), action: 'approve' });

    const name = 'county-template-senior-high-grant.xlsx';
    const added = await core.client.invoke('templates.add', {
      file: { fileName: name, dataBase64: readFileSync(fixture(name)).toString('base64') },
      name: '县高中助学金名单',
    });
    expect(added).toMatchObject({ headerRows: '第 2 行', dataStart: 3, totalRow: null });
    expect(added.columns.find((c) => c.letter === 'L')).toMatchObject({ header: '社保卡号', field: 'bankCard' });
    // The clerk says 开户银行 stays blank and 备注 holds the 困难类别.
    // And the county spells 三档 as 三档（困难） in its list, say: the clerk sets how each value is written.
    const corrected = await core.client.invoke('templates.saveMapping', {
      id: added.id,
      mapping: { N: 'category' },
      values: { I: { 三档: '三档' } },
    });
    expect(corrected.columns.find((c) => c.letter === 'N')!.field).toBe('category');
    expect(corrected.columns.find((c) => c.letter === 'I')).toMatchObject({
      ourValues: ['一档', '二档', '三档'],
      values: { 三档: '三档' },
    });
    const spelled = await core.client.invoke('templates.saveMapping', { id: added.id, values: { I: { 一档: '三档' } } });
    expect(spelled.columns.find((c) => c.letter === 'I')!.values).toEqual({ 一档: '三档', 三档: '三档' });
    await core.client.invoke('templates.saveMapping', { id: added.id, values: { I: { 一档: '一档' } } });
    const r = await core.client.invoke('export.countyTemplate', { template: { templateId: added.id }, programmeId: p.id, term: TERM });
    expect(r).toMatchObject({ rows: 40, problems: [] });
    const ExcelJS = (await import('exceljs')).default;
    const read = async (b64: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(b64, 'base64') as unknown as ArrayBuffer);
      return wb.worksheets[0]!;
    };
    const ws = await read(r.file!.dataBase64);
    expect(ws.getCell('N3').value).toMatch(/最低生活保障|困难/);
    expect(ws.getCell('B42').value).not.toBeNull();
    expect(ws.getCell('B43').value).toBeNull();

    const builtIn = await core.client.invoke('export.countyTemplate', { template: { builtIn: 'list' }, programmeId: p.id, term: TERM });
    const list40 = await read(builtIn.file!.dataBase64);
    expect(list40.getCell('A1').value).toBe('青山县第一中学2026年秋季学期普通高中国家助学金受助学生名单');
    expect(list40.getCell('A44').value).toBe('合计');
    expect(list40.getCell('L44').value).toMatchObject({ formula: 'SUM(L4:L43)' });
    // The bank's payment file pays: only what was reported to the county (and not paid yet).
    await expect(
      core.client.invoke('export.countyTemplate', { template: { builtIn: 'bank' }, programmeId: p.id, term: TERM }),
    ).rejects.toThrow('没有已上报、尚未发放的受助学生');
    await core.client.invoke('applications.transition', { ids: funded.map((a) => a.id), action: 'report' });
    const bank = await core.client.invoke('export.countyTemplate', { template: { builtIn: 'bank' }, programmeId: p.id, term: TERM });
    const bankSheet = await read(bank.file!.dataBase64);
    expect(bankSheet.getRow(1).values).toEqual([undefined, '序号', '账号', '户名', '金额', '学生身份证号', '开户行', '备注']);
    expect(String(bankSheet.getCell('B2').value)).toMatch(/^\d{16,19}$/);
    expect(bankSheet.rowCount).toBe(41);
  });
});
