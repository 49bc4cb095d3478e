/**
 * The roster import reads its file row by row and never holds it (roster.ts): rows sharing an ID number or 学籍号
 * are found by a first read and marked by a second. Here it must give what analysing and planning the whole table
 * at once gives (analyzeRows + planImport, as the demo still does), on random rosters full of what makes the
 * reads differ: copies of keys (valid and not), rows naming known students, blank rows and notes, merged titles.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findHeaderRow, matchColumns } from '../../../shared/rules/roster-columns';
import { seededRandom } from '../../../shared/rules/sample';
import { schoolYearStart } from '../../../shared/rules/term';
import { today } from '../../../electron/core/context';
import { cellText, type Cell } from '../../../electron/core/import/read-table';
import { demoRoster } from '../../../electron/core/school/demo';
import { requireSchool } from '../../../electron/core/school/school';
import { importRoster, previewRoster } from '../../../electron/core/students/roster';
import { analyzeRows, planImport, PlanTally } from '../../../electron/core/students/roster-plan';
import { KnownStudents } from '../../../electron/core/students/known-students';
import { tableOf, uploadFile } from '../../../electron/core/uploads';
import { testCore, type TestCore } from '../../helpers/core';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());

const csv = (rows: Cell[][]) => Buffer.from(rows.map((r) => r.map((c) => cellText(c ?? null)).join(',')).join('\n'));

async function xlsx(rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  // A merged title above the header, as county templates have.
  ws.addRow(['青山县学生名册']);
  ws.mergeCells('A1:Q1');
  for (const r of rows) ws.addRow(r);
  // Each run of one class's rows merged in the class column, as schools lay rosters out (the rows below read it too).
  for (let start = 3, end = 3; start <= rows.length + 1; start = end) {
    const value = ws.getCell(`N${start}`).value;
    for (end = start + 1; end <= rows.length + 1 && value !== null && ws.getCell(`N${end}`).value === value; end++);
    if (end - start > 1) ws.mergeCells(`N${start}:N${end - 1}`);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A roster of new and known students with copies of keys, broken numbers, blank rows and notes. */
function messyRoster(seed: number, known: Cell[][]): Cell[][] {
  const rand = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const [header, ...fresh] = demoRoster(160, 2026, seed + 1000);
  const rows: Cell[][] = [
    ...fresh,
    ...known
      .slice(1)
      .filter(() => rand() < 0.5)
      .map((r) => [...r]),
  ];
  for (const r of rows) if (rand() < 0.2) r[16] = `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`; // a new phone
  for (let i = 0; i < 12; i++) {
    const [a, b] = [pick(rows), pick(rows)];
    if (rand() < 0.5)
      b[5] = a[5]!; // a copied ID number
    else b[0] = a[0]!; // a copied 学籍号
    if (rand() < 0.4) (rand() < 0.5 ? a : b)[3] = '2031-13-40'; // one of them otherwise invalid
  }
  for (let i = 0; i < 3; i++) {
    // A row copied whole, and a third row with its 学籍号: whether the third is kept depends on the copy's ID number.
    const [a, c] = [pick(rows), pick(rows)];
    rows.push([...a]);
    if (a[0]) c[0] = a[0];
  }
  for (let i = 0; i < 4; i++) pick(rows)[5] = '43312520150101001X'; // a wrong check digit
  // Two known students' keys crossed: the ID number of one, the 学籍号 of another.
  if (known.length > 3) rows.push([known[1]![0]!, '错配', '男', '2015-03-03', '汉族', known[2]![5]!, ...known[2]!.slice(6)]);
  for (let i = 0; i < 5; i++) rows.splice(Math.floor(rand() * rows.length), 0, rand() < 0.5 ? [] : ['备注：以上信息已核对']);
  return [header!, ...rows];
}

/** What analysing and planning the whole table at once gives. */
async function wholeTable(upload: Awaited<ReturnType<typeof uploadFile>>) {
  const rows = tableOf(upload).sheets[0]!.rows;
  const headerIndex = findHeaderRow(
    rows.slice(0, 30).map((r) => r.map(cellText)),
    30,
  )!;
  const school = await requireSchool(core.ctx);
  const analyzed = analyzeRows(rows, headerIndex, matchColumns(rows[headerIndex]!.map(cellText)), {
    today: today(core.ctx),
    schoolYearStart: schoolYearStart(school.schoolYear),
    defaultStage: null,
  });
  const plan = planImport(analyzed, KnownStudents.load(core.ctx.store.sqlite));
  const tally = new PlanTally(true);
  plan.rows.forEach((r) => tally.add(r));
  const problems = plan.rows.flatMap((r) =>
    r.analyzed.problems.map(({ row, column, code, message, severity }) => ({ row, column, code, message, severity })),
  );
  return { tally, problems, missing: plan.missing };
}

describe('a roster read row by row', () => {
  it('plans every row as the whole table does, on 12 random rosters (.csv and .xlsx), and imports what it planned', async () => {
    const known = demoRoster(60, 2026, 77);
    await importRoster(core.ctx, await uploadFile(core.ctx, '去年.csv', csv(known)), {});
    let duplicates = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const rows = messyRoster(seed, known);
      const upload = await uploadFile(core.ctx, seed % 2 ? '名册.csv' : '名册.xlsx', seed % 2 ? csv(rows) : await xlsx(rows));
      const expected = await wholeTable(upload);
      const preview = await previewRoster(core.ctx, upload, {});
      expect(preview.counts, `seed ${seed}`).toEqual({
        total: expected.tally.total,
        ...expected.tally.counts,
        warnings: expected.tally.warnings,
        conflicts: expected.tally.conflicts,
      });
      expect(preview.rows, `seed ${seed}`).toEqual(expected.tally.listed);
      expect(preview.changesByField).toEqual(expected.tally.changesByField());
      expect(preview.missing).toEqual(expected.missing);
      const dry = await importRoster(core.ctx, upload, { dryRun: true });
      const listed = (severity: string) =>
        expected.problems.filter((p) => p.severity === severity).map(({ severity: _, ...p }) => expect.objectContaining(p));
      expect(dry.rejected, `seed ${seed}`).toEqual(listed('error'));
      expect(dry.warnings, `seed ${seed}`).toEqual(listed('warning'));
      expect(dry.rejectedRows).toBe(expected.tally.counts.rejected);
      duplicates += expected.problems.filter((p) => p.code.startsWith('duplicate-')).length;
      // Written: one student per row added, none twice.
      const before = core.ctx.store.sqlite.prepare('SELECT count(*) FROM student').pluck().get() as number;
      const done = await importRoster(core.ctx, upload, {});
      expect(done.imported).toBe(expected.tally.counts.add);
      expect(core.ctx.store.sqlite.prepare('SELECT count(*) FROM student').pluck().get()).toBe(before + done.imported);
    }
    // The scenarios did what they are for: copies of keys, kept and refused.
    expect(duplicates).toBeGreaterThan(100);
  });
});

describe("an import's result", () => {
  it('lists the first 5,000 problems of each kind and counts them all, and the upload never holds the rows', async () => {
    const [header, ...rows] = demoRoster(5200, 2026, 3);
    // Every ID number's check digit wrong (a county list typed by hand): 5,200 rows refused, one problem each.
    for (const r of rows) r[5] = `${String(r[5]).slice(0, 17)}${String(r[5]).endsWith('0') ? '1' : '0'}`;
    const upload = await uploadFile(core.ctx, '名册.csv', csv([header!, ...rows]));
    const preview = await previewRoster(core.ctx, upload, {});
    expect(preview.counts.rejected).toBe(5200);
    expect(preview.rows.length).toBe(5000);
    // One line says what all 5,200 have in common, without an ID number in it.
    const kind = {
      severity: 'error',
      code: 'id-number-checksum',
      column: '身份证件号',
      count: 5200,
      example: expect.stringContaining('校验'),
    };
    expect(preview.problemKinds).toEqual([kind]);
    expect(preview.problemKinds[0]!.example).not.toMatch(/第\d+行|\d{6,}/);
    expect(upload.table).toBeUndefined();
    const r = await importRoster(core.ctx, upload, {});
    expect(r.rejectedRows).toBe(5200);
    expect(r.problemCounts.errors).toBeGreaterThanOrEqual(5200);
    expect(r.rejected.length).toBe(5000);
    expect(r.rejected[0]).toMatchObject({ row: 2, code: 'id-number-checksum' });
    expect(r.problemKinds).toEqual([kind]);
    expect(upload.table).toBeUndefined();
  });

  it('lists the first 5,000 students a roster does not name and counts them all', async () => {
    const [header, ...rows] = demoRoster(5200, 2026, 4);
    expect((await importRoster(core.ctx, await uploadFile(core.ctx, '全校.csv', csv([header!, ...rows])), {})).imported).toBe(5200);
    // A class's list taken for the school's roster: nearly everyone is missing from it.
    const named = rows.slice(0, 12);
    const upload = await uploadFile(core.ctx, '一个班.csv', csv([header!, ...named]));
    const preview = await previewRoster(core.ctx, upload, {});
    const r = await importRoster(core.ctx, upload, {});
    const namedIds = new Set(
      named.map((row) => core.ctx.store.sqlite.prepare(`SELECT id FROM student WHERE id_number = ?`).pluck().get(String(row[5]))),
    );
    for (const { missing, missingCount } of [preview, r]) {
      expect(missingCount).toBe(5188);
      expect(missing.length).toBe(5000);
      expect(new Set(missing.map((m) => m.id)).size).toBe(5000);
      expect(missing.some((m) => namedIds.has(m.id))).toBe(false);
    }
  });
});

describe('a database error while the rows are written', () => {
  it('comes out as itself, not as a file that cannot be read, and leaves nothing written (.csv and .xlsx)', async () => {
    core.ctx.store.sqlite.exec(
      `CREATE TRIGGER boom AFTER INSERT ON student WHEN NEW.rowid = 40 BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    const rows = demoRoster(60, 2026, 5);
    for (const [name, data] of [
      ['名册.csv', csv(rows)],
      ['名册.xlsx', await xlsx(rows)],
    ] as const) {
      await expect(importRoster(core.ctx, await uploadFile(core.ctx, name, data), {}), name).rejects.toThrow('disk full');
      expect(core.ctx.store.sqlite.prepare('SELECT count(*) FROM student').pluck().get()).toBe(0);
    }
  });
});
