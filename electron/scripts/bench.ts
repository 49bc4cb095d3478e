/**
 * npm run bench: the performance targets of issue 17, measured (a benchmark, not a timed test).
 *
 * Every scenario runs in its own child process (so its peak memory is its own), several times; a row gives the
 * median, the target, the child's peak RSS, and for imports and exports the ratio to the floor: the bare
 * libraries doing the same work (exceljs or Papa Parse reading the file and prepared inserts of the same rows;
 * exceljs streaming the same rows out), measured in the same run. Data comes from the project's seeded generator
 * (demoRoster): a school of 700, a large school of 3,000, a county of 300,000 in classes of 45.
 *
 *   npm run bench                 all scenarios (about 20 minutes on a 2-core machine), bundled as the app is
 *   npm run bench -- --quick      one run each, and 30,000 students where the target says 300,000
 *   npm run bench -- --only search-county,roster-pdf-1000
 *
 * docs/benchmarks.md records a run, the machine and what each figure means.
 */
import ExcelJS from 'exceljs';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import Papa from 'papaparse';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { matchColumns, type ColumnMapping } from '../../shared/rules/roster-columns';
import { createContext, type CoreContext, type Upload } from '../core/context';
import { openStore } from '../core/db/open';
import { unlockDesk, setUpDesk } from '../core/desk/desk';
import { directClient } from '../core/dispatch';
import { analyzeTemplate, fillTemplate, loadWorkbook, validateRows, type FillRow } from '../core/export/county-template';
import { signatureRoster } from '../core/print/signature-roster';
import { createDemo, demoRoster } from '../core/school/demo';
import { cellText } from '../core/import/read-table';
import { uploadFile } from '../core/uploads';
import { UPLOAD_PART_BYTES } from '../../shared/api/common';
import { appRoot } from '../core/app-root';
import { findBrowser, htmlToPdf } from '../host/pdf';

const SCRIPT = import.meta.filename;
const PASSWORD = 'bench-password-2026';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const time = async (run: () => Promise<unknown> | unknown) => {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
};

/** What a child reports: its times (ms), the floor's times where there is one, and its peak RSS (MB). */
interface Report {
  runs: number[];
  floor?: number[];
  extra?: Record<string, number>;
  peakMb?: number;
}

// ---------------------------------------------------------------------------------------------------------
// The data

function rosterRows(count: number, seed: number) {
  return demoRoster(count, 2026, seed, count > 5000 ? 45 : undefined);
}

async function writeXlsx(file: string, rows: unknown[][]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const ws = wb.addWorksheet('名单');
  for (const r of rows) ws.addRow(r).commit();
  await wb.commit();
}

function writeCsv(file: string, rows: unknown[][]): void {
  writeFileSync(file, rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))).join(',')).join('\n'));
}

const SCHOOL = {
  name: '青山县（基准测试）',
  stages: ['preschool', 'primary', 'junior'],
  schoolYear: '2026-2027',
  term: '2026-autumn',
} as const;

async function withSchool(ctx: CoreContext): Promise<CoreContext> {
  await directClient(ctx).invoke('school.setup', { ...SCHOOL, stages: [...SCHOOL.stages] });
  return ctx;
}

async function memoryDesk(): Promise<CoreContext> {
  return withSchool(createContext(await openStore(':memory:', null)));
}

async function fileDesk(dir: string, fresh: boolean): Promise<CoreContext> {
  if (!fresh) return createContext((await unlockDesk(dir, PASSWORD, new Date())).store);
  return withSchool(createContext((await setUpDesk(dir, PASSWORD, new Date(), { N: 1024, r: 8, p: 1 })).store));
}

// ---------------------------------------------------------------------------------------------------------
// The floors: the bare libraries doing the same work

const FLOOR_COLUMNS = 17;
function floorDb(file: string) {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE r (${Array.from({ length: FLOOR_COLUMNS }, (_, i) => `c${i}`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO r VALUES (${Array.from({ length: FLOOR_COLUMNS }, () => '?').join(', ')})`);
  const row = (cells: unknown[]) =>
    insert.run(...Array.from({ length: FLOOR_COLUMNS }, (_, i) => (cells[i] instanceof Date ? String(cells[i]) : (cells[i] ?? null))));
  return { db, row };
}

async function floorImport(file: string, dir: string): Promise<void> {
  const { db, row } = floorDb(join(dir, `floor-${Date.now()}.sqlite`));
  db.exec('BEGIN');
  if (file.endsWith('.csv')) {
    Papa.parse<string[]>(readFileSync(file, 'utf8'), { step: (r) => row(r.data) });
  } else if (file.endsWith('county.xlsx')) {
    // The county file is streamed, as our import streams it; the school's is loaded whole (exceljs's usual way).
    for await (const ws of new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit' }))
      for await (const r of ws) row((r.values as unknown[]).slice(1));
  } else {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    wb.worksheets[0]!.eachRow((r) => row((r.values as unknown[]).slice(1)));
  }
  db.exec('COMMIT');
  db.close();
}

// ---------------------------------------------------------------------------------------------------------
// The scenarios (each runs in a child: `bench.ts --child NAME DIR`)

const children: Record<string, (dir: string, quick: boolean) => Promise<Report>> = {
  /** One run of our import into a fresh in-memory desk and one run of the floor, five times. */
  'import-3000': async (dir) => {
    const file = join(dir, 'roster-3000.xlsx');
    const data = readFileSync(file);
    const runs: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ctx = await memoryDesk();
      runs.push(
        await time(async () => {
          const upload = await uploadFile(ctx, 'roster-3000.xlsx', data);
          const r = await directClient(ctx).invoke('roster.import', { uploadId: upload.id, mapping: proposedMapping(upload) });
          if (r.imported !== 3000) throw new Error(`imported ${r.imported}`);
        }),
      );
      await ctx.store.close();
      floor.push(await time(() => floorImport(file, dir)));
    }
    return { runs, floor };
  },
  /** One import of the county file into a fresh encrypted desk on disk (the desk is kept for the later scenarios). */
  'import-county-xlsx': async (dir) => importCounty(dir, 'xlsx'),
  'import-county-csv': async (dir) => importCounty(dir, 'csv'),
  /**
   * As the app does it: the file in parts, the preview, then the import the clerk confirms (timed), in a desk of its
   * own (the .csv desk is kept for the later scenarios).
   */
  'import-county-ui': async (dir) => {
    const deskDir = join(dir, 'desk-ui');
    rmSync(deskDir, { recursive: true, force: true });
    const ctx = await fileDesk(deskDir, true);
    const client = directClient(ctx);
    const data = readFileSync(join(dir, 'county.csv'));
    let uploadId = '';
    const sent = await time(async () => {
      for (let offset = 0; offset < data.length; offset += UPLOAD_PART_BYTES) {
        const dataBase64 = data.subarray(offset, offset + UPLOAD_PART_BYTES).toString('base64');
        const part = { uploadId: uploadId || undefined, fileName: 'county.csv', size: data.length, offset, dataBase64 };
        uploadId = (await client.invoke('uploads.part', part)).uploadId;
      }
    });
    let mapping: ColumnMapping = {};
    const previewed = await time(async () => {
      mapping = (await client.invoke('roster.preview', { upload: { uploadId } })).mapping;
    });
    let imported = 0;
    const ms = await time(async () => {
      imported = (await client.invoke('roster.import', { uploadId, mapping })).imported;
    });
    await ctx.store.close();
    rmSync(deskDir, { recursive: true, force: true });
    return { runs: [ms], extra: { 导入人数: imported, 传送毫秒: Math.round(sent), 预览毫秒: Math.round(previewed) } };
  },
  /**
   * The next term's roster into the desk the .csv import filled (a copy of it): the county's usual case, every row
   * matched to a stored student, nearly all unchanged.
   */
  'reimport-county-csv': async (dir) => {
    const deskDir = join(dir, 'desk-reimport');
    rmSync(deskDir, { recursive: true, force: true });
    cpSync(join(dir, 'desk-csv'), deskDir, { recursive: true });
    const ctx = await fileDesk(deskDir, false);
    const data = readFileSync(join(dir, 'county.csv'));
    let unchanged = 0;
    const ms = await time(async () => {
      const upload = await uploadFile(ctx, 'county.csv', data);
      unchanged = (await directClient(ctx).invoke('roster.import', { uploadId: upload.id, mapping: proposedMapping(upload) })).unchanged;
    });
    await ctx.store.close();
    rmSync(deskDir, { recursive: true, force: true });
    return { runs: [ms], extra: { 未变人数: unchanged } };
  },
  'floor-county-xlsx': async (dir) => ({ runs: [await time(() => floorImport(join(dir, 'county.xlsx'), dir))] }),
  'floor-county-csv': async (dir) => ({ runs: [await time(() => floorImport(join(dir, 'county.csv'), dir))] }),

  /** Name substrings, ID fragments, pinyin initials and a class with a fragment, 40 queries each, on the county desk. */
  'search-county': async (dir) => {
    const ctx = await fileDesk(join(dir, 'desk-csv'), false);
    const client = directClient(ctx);
    const sqlite = ctx.store.sqlite;
    const sample = sqlite.prepare(`SELECT name, id_number, class_id FROM student WHERE id % 997 = 0 LIMIT 40`).all() as {
      name: string;
      id_number: string;
      class_id: number;
    }[];
    const { nameInitials } = await import('../core/students/search-terms');
    const kinds: Record<string, { search: string; classId: number | null }[]> = {
      姓名片段: sample.map((s) => ({ search: s.name.slice(-1 - (s.name.length > 2 ? 1 : 0)), classId: null })),
      身份证号片段: sample.map((s) => ({ search: s.id_number.slice(6, 12), classId: null })),
      拼音首字母: sample.map((s) => ({ search: nameInitials(s.name), classId: null })),
      班级内搜索: sample.map((s) => ({ search: s.name.slice(0, 1), classId: s.class_id })),
    };
    const extra: Record<string, number> = {};
    const all: number[] = [];
    for (const [kind, queries] of Object.entries(kinds)) {
      const times: number[] = [];
      for (const q of queries) {
        times.push(await time(() => client.invoke('students.list', { ...q, status: 'enrolled', offset: 0, limit: 200 })));
        // Each search is its own request, as the clerk types: the core's work between requests (reading the
        // roster's keys after the desk was opened) happens there, not inside a search.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      extra[`${kind} p95`] = p95(times);
      all.push(...times);
    }
    await ctx.store.close();
    return { runs: all, extra };
  },

  /** The roster page over the county desk through the web host, in Chromium: time to the first rows. */
  'roster-page-county': async (dir) => {
    const browserPath = findBrowser();
    if (!browserPath) return { runs: [] };
    const { startWebHost } = await import('../host/web');
    const { rendererDir } = await import('../core/app-root');
    const { chromium } = await import('playwright-core');
    const ctx = await fileDesk(join(dir, 'desk-csv'), false);
    // The term board the app opens on, through the contract: the checks of 300,000 students are in it.
    const client = directClient(ctx);
    const boards: number[] = [];
    for (let i = 0; i < 3; i++) boards.push(await time(() => client.invoke('board.term', {})));
    const host = await startWebHost(ctx, { rendererDir: rendererDir() });
    const browser = await chromium.launch({
      executablePath: browserPath,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
    });
    const runs: number[] = [];
    const withLoad: number[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
        const t0 = performance.now();
        await page.goto(host.url);
        await page.getByRole('menuitem', { name: '学生名册' }).click();
        const t1 = performance.now();
        try {
          await page.locator('.roster-scroll .roster-row').first().waitFor({ timeout: 60_000 });
        } catch (e) {
          await page.screenshot({ path: join(dir, 'roster-page.png') });
          throw new Error(`名册页没有出现学生行（截图：${join(dir, 'roster-page.png')}）：${(e as Error).message}`);
        }
        runs.push(performance.now() - t1);
        withLoad.push(performance.now() - t0);
        await page.close();
      }
    } finally {
      await browser.close();
      await host.close();
      await ctx.store.close();
    }
    // From the click on 学生名册 to the first rows; the extra figures count from loading the app, and the board alone.
    return { runs, extra: { 含打开应用毫秒: median(withLoad), 工作台毫秒: median(boards) } };
  },

  /**
   * The machine's speed at the time: a fixed piece of plain computing (strings in a Map, a sort, JSON), the same on
   * every run. It is printed before and after the scenarios, so a slow hour of a shared machine is told from code
   * that became slower.
   */
  'machine-speed': async () => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++)
      runs.push(
        await time(() => {
          const m = new Map<string, number>();
          for (let k = 0; k < 200_000; k++) m.set(`学生${k}|${(k * 7919) % 100_003}`, k);
          const xs = [...m.values()].map((v) => (v * 2_654_435_761) % 1_000_003).sort((a, b) => a - b);
          return JSON.parse(JSON.stringify(xs.slice(0, 50_000))).length;
        }),
      );
    return { runs };
  },
  'allocate-10000': async () => allocateIn(12_000),
  /** The same 10,000 applicants in a desk of 100,000 students (a central school's or a county's): only theirs are read. */
  'allocate-10000-large': async (_dir, quick) => allocateIn(quick ? 30_000 : 100_000, true),

  'checks-100000': async (_dir, quick) => {
    const n = quick ? 30_000 : 100_000;
    const { client } = await programmeDesk(n, n, 'approved');
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) runs.push(await time(() => client.invoke('checks.run', { term: '2026-autumn' })));
    return { runs };
  },

  'template-1000': async () => ({ runs: await fillCounty(1000, 5) }),
  'template-20000': async () => ({ runs: await fillCounty(20_000, 3) }),

  /** The plain list of every student of the county desk, streamed to .xlsx. */
  'export-county': async (dir) => {
    const ctx = await fileDesk(join(dir, 'desk-csv'), false);
    const client = directClient(ctx);
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) runs.push(await time(() => client.invoke('export.list', { list: 'students', fullNumbers: true })));
    await ctx.store.close();
    return { runs };
  },

  /** The floor of the export, in its own process (its peak memory is not the export's): exceljs streams the same rows. */
  'floor-export-county': async (dir) => {
    const ctx = await fileDesk(join(dir, 'desk-csv'), false);
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      runs.push(
        await time(async () => {
          const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, 'floor-export.xlsx'), useSharedStrings: false });
          const ws = wb.addWorksheet('学生');
          const rows = ctx.store.sqlite
            .prepare(
              `SELECT c.name, s.name, s.sex, s.birth_date, s.id_number, s.student_number, s.ethnicity, s.hukou, s.boarding, s.guardian_name, s.guardian_phone, s.status
               FROM student s LEFT JOIN school_class c ON c.id = s.class_id ORDER BY c.grade_order, c.number, s.class_id, s.id`,
            )
            .raw()
            .iterate() as Iterable<unknown[]>;
          for (const r of rows) ws.addRow(r).commit();
          await wb.commit();
        }),
      );
    }
    await ctx.store.close();
    return { runs };
  },

  'roster-pdf-1000': async (dir) => {
    if (!findBrowser()) return { runs: [] };
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const lines = Array.from({ length: 1000 }, (_, k) => ({
        className: `七年级（${Math.floor(k / 50) + 1}）班`,
        name: `学生${k}`,
        idNumber: '4331**********0001',
        bankCard: '***************0001',
        amount: [62_500, 50_000][k % 2]!,
        note: '',
      }));
      runs.push(
        await time(async () => {
          const doc = signatureRoster({
            schoolName: '青山县（基准测试）',
            title: '签领表',
            termText: '2026年秋季学期',
            programmeName: '家庭经济困难学生生活补助',
            standard: '',
            orientation: 'landscape',
            lines,
          });
          await htmlToPdf(doc.html, join(dir, 'roster.pdf'));
        }),
      );
    }
    return { runs };
  },

  /** A backup of the county desk and its verified restore (the manifest's hashes checked before the swap). */
  'backup-restore-county': async (dir) => {
    const ctx = await fileDesk(join(dir, 'desk-csv'), false);
    const client = directClient(ctx);
    const folder = join(dir, 'backups');
    mkdirSync(folder, { recursive: true });
    let name = '';
    const backup = await time(async () => {
      name = (await client.invoke('backup.create', { folder })).name;
    });
    const restore = await time(() => client.invoke('backup.restore', { name, folder }));
    await ctx.store.close();
    return { runs: [backup], extra: { 恢复毫秒: restore } };
  },
};

/** The mapping the preview proposes for a roster whose header is its first row (as the generated files are). */
function proposedMapping(upload: Upload): ColumnMapping {
  return matchColumns((upload.outline.sheets[0]?.head[0] ?? []).map(cellText));
}

async function importCounty(dir: string, format: 'xlsx' | 'csv'): Promise<Report> {
  const deskDir = join(dir, `desk-${format}`);
  rmSync(deskDir, { recursive: true, force: true });
  const ctx = await fileDesk(deskDir, true);
  const data = readFileSync(join(dir, `county.${format}`));
  let imported = 0;
  const ms = await time(async () => {
    // Through the contract, as the app calls it (the rows' audit triggers quiet, the import one audit entry).
    const upload = await uploadFile(ctx, `county.${format}`, data);
    imported = (await directClient(ctx).invoke('roster.import', { uploadId: upload.id, mapping: proposedMapping(upload) })).imported;
  });
  await ctx.store.close();
  return { runs: [ms], extra: { 导入人数: imported } };
}

/** What a decision keeps (decisions.ts: the year's survey and flags), the size of a family of five with a written hardship. */
const DECISION_SNAPSHOT = JSON.stringify({
  survey: {
    id: 1,
    studentId: 1,
    schoolYear: '2026-2027',
    status: 'submitted',
    householdSize: 5,
    hukou: 'rural',
    address: '青山县青山镇石门村三组十七号',
    guardianPhone: '13800000000',
    members: ['父亲', '母亲', '祖父', '祖母', '妹妹'].map((relation, i) => ({
      name: `家人${i}`,
      age: [41, 39, 70, 68, 6][i],
      relation,
      workplace: i < 2 ? '广东省东莞市某电子厂' : '',
      occupation: i < 2 ? '外出务工' : '务农',
      annualIncome: i < 2 ? 1_800_000 : 0,
      health: i === 2 ? 'chronic' : 'healthy',
    })),
    factors: ['chronicIllness', 'elderlyDependents'],
    otherHardship: '祖父患慢性病长期服药，家中两位老人需要照顾，父母在外务工收入不稳定，去年房屋漏雨修缮借款一万元。',
    incomeSource: 'wages',
    childrenInSchool: 2,
    commitmentSigned: true,
    commitmentDate: '2026-09-05',
    enteredBy: '班主任',
    note: '',
    perCapitaIncome: 720_000,
    carriedFrom: null,
    version: 3,
    updatedAt: '2026-09-20T02:00:00.000Z',
  },
  flags: [],
});

/** A desk of `students`, all identified, with `applications` of the school's own aid (statuses as given). */
async function programmeDesk(students: number, applications: number, status: string) {
  const ctx = createContext(await openStore(':memory:', null));
  await createDemo(ctx, students);
  const client = directClient(ctx);
  const sqlite = ctx.store.sqlite;
  const levels = ['especially', 'difficult', 'general'];
  sqlite
    .transaction(() => {
      const ids = sqlite.prepare(`SELECT id FROM student ORDER BY id`).pluck().all() as number[];
      const identify = sqlite.prepare(
        `INSERT INTO identification (student_id, school_year, status, score, level, snapshot, created_at, updated_at) VALUES (?, '2026-2027', 'decided', ?, ?, ?, 'x', 'x')`,
      );
      ids.forEach((id, i) => identify.run(id, (i * 37) % 100, levels[i % 3], DECISION_SNAPSHOT));
    })
    .immediate();
  const aid = (await client.invoke('programmes.list', {})).find((p) => p.code === 'school-aid')!;
  const { id, code: _c, schoolYear: _y, builtIn: _b, ...definition } = aid;
  await client.invoke('programmes.save', {
    id,
    definition: {
      ...definition,
      tiers: [
        { tier: 1, proportion: 30, amounts: { preschool: 50_000, primary: 50_000, junior: 50_000 } },
        { tier: 2, proportion: 70, amounts: { preschool: 30_000, primary: 30_000, junior: 30_000 } },
      ],
    },
  });
  const funded = status === 'approved';
  sqlite
    .prepare(
      `INSERT INTO application (student_id, programme_id, term, status, applicant_name, applicant_id_number, tier, amount_fen, funded, created_at, updated_at)
       SELECT id, ?, '2026-autumn', ?, name, id_number, ?, ?, ?, 'x', 'x' FROM student ORDER BY id LIMIT ?`,
    )
    .run(id, status, funded ? 1 : null, funded ? 50_000 : null, funded ? 1 : null, applications);
  await client.invoke('quotas.save', { programmeId: id, term: '2026-autumn', count: Math.round(applications * 0.3) });
  return { ctx, client, programmeId: id };
}

/**
 * Five allocations of 10,000 applications under review, among `students` students; with `listing`, the programme's
 * list of applications (the page the clerk opens) timed too.
 */
async function allocateIn(students: number, listing = false): Promise<Report> {
  const { ctx, client, programmeId } = await programmeDesk(students, 10_000, 'schoolReview');
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    ctx.store.sqlite.prepare(`UPDATE application SET rank = NULL, rank_reason = '', funded = NULL, tier = NULL, amount_fen = NULL`).run();
    runs.push(await time(() => client.invoke('applications.allocate', { programmeId, term: '2026-autumn' })));
  }
  if (!listing) return { runs };
  const lists: number[] = [];
  let ids: number[] = [];
  for (let i = 0; i < 5; i++)
    lists.push(
      await time(
        async () => (ids = (await client.invoke('applications.list', { programmeId, term: '2026-autumn' })).rows.map((a) => a.id)),
      ),
    );
  // Twenty applications sent back at a time (退回), as the clerk does from the list.
  const moves: number[] = [];
  for (let i = 0; i < 5; i++) {
    const some = ids.slice(i * 20, i * 20 + 20);
    moves.push(await time(() => client.invoke('applications.transition', { ids: some, action: 'return', note: '材料不全' })));
  }
  return { runs, extra: { 列出申请毫秒: median(lists), 退回20份毫秒: median(moves) } };
}

async function fillCounty(count: number, times: number): Promise<number[]> {
  const file = join(appRoot(), '..', 'shared', 'fixtures', 'county-template-compulsory-living-subsidy.xlsx');
  const data = readFileSync(file);
  const rows: FillRow[] = Array.from({ length: count }, (_, i) => ({
    key: String(i),
    name: `学生${i}`,
    idNumber: '34052419800101001X',
    studentNumber: 'G34052419800101001X',
    grade: '四年级',
    className: '四年级（1）班',
    sex: '男',
    boarding: '是',
    category: '最低生活保障',
    amount: 625,
    schoolName: '青山县（基准测试）',
    township: '青山镇',
  }));
  const runs: number[] = [];
  for (let i = 0; i < times; i++) {
    runs.push(
      await time(async () => {
        const wb = await loadWorkbook(data, 'template.xlsx');
        const layout = analyzeTemplate(wb, 'template.xlsx');
        if (validateRows(layout, rows).length) throw new Error('unexpected problems');
        await fillTemplate(wb, layout, rows, { schoolName: '青山县（基准测试）', date: '2026年11月22日', termText: '2026年秋季学期' });
      }),
    );
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------------------
// The table

interface Row {
  scenario: string;
  child: string;
  target: string;
  /** Passes on the median (ms) and the peak (MB). */
  pass: (ms: number, peakMb: number, ratio: number | null, report: Report) => boolean;
  floorChild?: string;
  repeat?: number;
}

function rows(quick: boolean): Row[] {
  const county = quick ? '30,000' : '300,000';
  return [
    {
      scenario: '导入 3,000 行名册 .xlsx（读取+校验+比对+写入）',
      child: 'import-3000',
      target: '< 1 s，吞吐 ≥ 底线的 0.6',
      pass: (ms, _mb, ratio) => ms < 1000 && (ratio ?? 0) >= 0.6,
    },
    {
      scenario: `导入 ${county} 行 .xlsx（加密数据库，含搜索索引）`,
      child: 'import-county-xlsx',
      floorChild: 'floor-county-xlsx',
      target: '< 30 s，峰值 < 600 MB',
      pass: (ms, mb) => ms < 30_000 && mb < 600,
      repeat: quick ? 1 : 3,
    },
    {
      scenario: `导入 ${county} 行 .csv（加密数据库，含搜索索引）`,
      child: 'import-county-csv',
      floorChild: 'floor-county-csv',
      target: '< 30 s，峰值 < 600 MB',
      pass: (ms, mb) => ms < 30_000 && mb < 600,
      repeat: quick ? 1 : 3,
    },
    {
      scenario: `在应用中导入 ${county} 行 .csv（分段传送、预览，计时的是确认导入）`,
      child: 'import-county-ui',
      target: '< 30 s，峰值 < 600 MB',
      pass: (ms, mb) => ms < 30_000 && mb < 600,
    },
    {
      scenario: `下学期再导入同一份 ${county} 行 .csv（每行都对上已有学生）`,
      child: 'reimport-county-csv',
      target: '< 30 s，峰值 < 600 MB',
      pass: (ms, mb) => ms < 30_000 && mb < 600,
    },
    {
      scenario: `在 ${county} 名学生中搜索（姓名片段、身份证号片段、拼音首字母、班级内）`,
      child: 'search-county',
      target: 'p95 < 20 ms',
      pass: (_ms, _mb, _r, report) => p95(report.runs) < 20,
    },
    {
      scenario: `在 Chromium 中打开 ${county} 名学生的名册页（网页模式）`,
      child: 'roster-page-county',
      target: '首批行 < 1.5 s',
      pass: (ms) => ms < 1500,
    },
    { scenario: '分配 10,000 份申请的名额和档次', child: 'allocate-10000', target: '< 200 ms', pass: (ms) => ms < 200 },
    {
      scenario: `在 ${quick ? '30,000' : '100,000'} 名学生的库中分配 10,000 份申请`,
      child: 'allocate-10000-large',
      target: '< 200 ms',
      pass: (ms) => ms < 200,
    },
    {
      scenario: `对 ${quick ? '30,000' : '100,000'} 份申请运行全部检查`,
      child: 'checks-100000',
      target: '< 2 s',
      pass: (ms) => ms < 2000,
    },
    { scenario: '用县里的模板填写 1,000 名受助学生', child: 'template-1000', target: '< 1.5 s', pass: (ms) => ms < 1500 },
    { scenario: '用县里的模板填写 20,000 名受助学生', child: 'template-20000', target: '< 15 s', pass: (ms) => ms < 15_000 },
    {
      scenario: `普通导出 ${county} 行（流式写入）`,
      child: 'export-county',
      floorChild: 'floor-export-county',
      target: '< 20 s，峰值 < 400 MB',
      pass: (ms, mb) => ms < 20_000 && mb < 400,
    },
    { scenario: '1,000 名学生的签领表 PDF', child: 'roster-pdf-1000', target: '< 6 s', pass: (ms) => ms < 6000 },
    {
      scenario: `备份 ${county} 名学生的数据库（恢复见附注）`,
      child: 'backup-restore-county',
      target: '备份、校验后恢复各 < 15 s',
      pass: (ms, _mb, _r, report) => ms < 15_000 && (report.extra?.['恢复毫秒'] ?? Infinity) < 15_000,
    },
  ];
}

function runChild(name: string, dir: string, quick: boolean): Report {
  // The child runs as this process does: the bundle (npm run bench) or the source under tsx.
  const result = spawnSync(process.execPath, [...process.execArgv, SCRIPT, '--child', name, dir, quick ? 'quick' : ''], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !last.startsWith('{')) throw new Error(`场景 ${name} 失败：\n${result.stderr.slice(-2000)}`);
  return JSON.parse(last) as Report;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const [, name, dir, quick] = args as [string, string, string, string];
    const report = await children[name]!(dir, quick === 'quick');
    report.peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(JSON.stringify(report));
    return;
  }
  const quick = args.includes('--quick');
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : null;
  // `--prepare DIR`: only the data, in DIR, for running one child by hand (`--child NAME DIR`).
  const prepared = args.includes('--prepare') ? args[args.indexOf('--prepare') + 1]! : null;
  const dir = prepared ?? mkdtempSync(join(tmpdir(), 'aid-desk-bench-'));
  if (prepared) mkdirSync(prepared, { recursive: true });
  const countySize = quick ? 30_000 : 300_000;
  console.log(
    `机器：${cpus().length} 核 ${cpus()[0]?.model ?? ''}，内存 ${Math.round(totalmem() / 1024 ** 3)} GB，Node ${process.version}`,
  );
  console.log(`生成数据（种子固定）：3,000 行名册、${countySize.toLocaleString('en')} 行县级名册（.xlsx 与 .csv）…`);
  await writeXlsx(join(dir, 'roster-3000.xlsx'), rosterRows(3000, 20260901));
  const county = rosterRows(countySize, 7);
  await writeXlsx(join(dir, 'county.xlsx'), county);
  writeCsv(join(dir, 'county.csv'), county);
  if (prepared) return;
  const lines = ['| 场景 | 中位数 | 目标 | 峰值内存 | 与底线之比 | 结果 |', '|---|---|---|---|---|---|'];
  let allPass = true;
  const speed = () => `${Math.round(median(runChild('machine-speed', dir, quick).runs))} ms`;
  const speedBefore = speed();
  console.log(`本机速度（固定计算，越小越快）：开始时 ${speedBefore}`);
  try {
    for (const row of rows(quick)) {
      if (only && !only.includes(row.child)) continue;
      // The county desk the later scenarios read is the .csv import's: it must exist before them.
      if (!existsSync(join(dir, 'desk-csv')) && row.child !== 'import-county-csv' && /county/.test(row.child))
        runChild('import-county-csv', dir, quick);
      const reports = Array.from({ length: row.repeat ?? 1 }, () => runChild(row.child, dir, quick));
      const report: Report = {
        runs: reports.flatMap((r) => r.runs),
        extra: reports.at(-1)!.extra,
        peakMb: Math.max(...reports.map((r) => r.peakMb ?? 0)),
      };
      if (report.runs.length === 0) {
        lines.push(`| ${row.scenario} | 未测（本机没有 Chromium 类浏览器） | ${row.target} | | | |`);
        continue;
      }
      const floorRuns = row.floorChild
        ? Array.from({ length: row.repeat ?? 1 }, () => runChild(row.floorChild!, dir, quick)).flatMap((r) => r.runs)
        : reports.flatMap((r) => r.floor ?? []);
      const ms = median(report.runs);
      const ratio = floorRuns.length ? median(floorRuns) / ms : null;
      const pass = row.pass(ms, report.peakMb!, ratio, report);
      allPass &&= pass;
      const shown =
        row.child === 'search-county' ? `${ms.toFixed(1)} ms（p95 ${p95(report.runs).toFixed(1)} ms）` : `${(ms / 1000).toFixed(2)} s`;
      const extra = report.extra
        ? `；${Object.entries(report.extra)
            .map(([k, v]) => `${k} ${Math.round(v * 10) / 10}`)
            .join('，')}`
        : '';
      const line = `| ${row.scenario} | ${shown}${extra} | ${row.target} | ${report.peakMb} MB | ${ratio === null ? '' : ratio.toFixed(2)} | ${pass ? '达标' : '未达标'} |`;
      lines.push(line);
      console.log(line);
    }
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
  lines.push('', `本机速度（固定计算，越小越快）：开始时 ${speedBefore}，结束时 ${speed()}`);
  console.log(`\n${lines.join('\n')}\n`);
  console.log(allPass ? '全部达标' : '有未达标的场景（见上表）');
  process.exitCode = allPass ? 0 : 1;
}

await main();
