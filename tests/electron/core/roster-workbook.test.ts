import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../../shared/rules/sample';
import { describe, expect, it } from 'vitest';
import { rosterWorkbook } from '../../../electron/core/export/roster-workbook';
import type { RosterInput, RosterLine } from '../../../electron/core/print/signature-roster';

const lines = (classes: number[]): RosterLine[] =>
  classes.flatMap((n, c) =>
    Array.from({ length: n }, (_, i) => ({
      className: `七年级（${c + 1}）班`,
      name: `学生${c}-${i}`,
      idNumber: '4331**********001X',
      bankCard: '***************2333',
      amount: [125_000, 62_500][i % 2]!,
      note: '',
    })),
  );

const input = (ls: RosterLine[], more: Partial<RosterInput> = {}): RosterInput => ({
  schoolName: '甲校',
  title: '签领表',
  termText: '2026年秋季学期',
  programmeName: '生活补助',
  standard: '¥1,250.00',
  orientation: 'landscape',
  lines: ls,
  ...more,
});

async function sheet(data: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  return wb.getWorksheet('签领表')!;
}

/** Rows as text, the manual page breaks, and each formula's cached value. */
async function read(data: Buffer) {
  const ws = await sheet(data);
  const rows: string[] = [];
  ws.eachRow(
    { includeEmpty: true },
    (row, n) =>
      (rows[n] = (row.values as unknown[]).map((v) => (typeof v === 'object' && v ? JSON.stringify(v) : String(v ?? ''))).join('|')),
  );
  // exceljs writes manual breaks but does not read them back: they are read from the sheet's XML.
  const zip = await JSZip.loadAsync(data);
  const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
  const breaks = [...xml.matchAll(/<brk id="(\d+)"/g)].map((m) => Number(m[1]));
  return { ws, rows, breaks };
}

describe('signature roster workbook', () => {
  it('ends every page with its own subtotal and keeps the total with the last rows', async () => {
    const ls = lines([30, 4, 2]);
    const { ws, rows, breaks } = await read(await rosterWorkbook(input(ls, { layout: 'byClass' })));
    // A page per class at least; a 30-student class runs over a page.
    expect(breaks.length).toBeGreaterThanOrEqual(3);
    for (const b of breaks) expect(rows[b]).toContain('本页小计');
    const subtotals = rows.flatMap((r, n) => (r?.includes('本页小计') ? [n] : []));
    expect(subtotals).toHaveLength(breaks.length + 1);
    // Each page subtotal sums its own rows; the total sums the page subtotals.
    let expected = 0;
    let start = 4;
    for (const n of subtotals) {
      let sum = 0;
      for (let r = start; r < n; r++) {
        const v = ws.getCell(r, 6).value;
        if (typeof v === 'number') sum += Math.round(v * 100);
      }
      expect(Math.round((ws.getCell(n, 6).value as { result: number }).result * 100)).toBe(sum);
      expected += sum;
      start = n + 1;
    }
    const totalRow = subtotals.at(-1)! + 1;
    expect(ws.getCell(totalRow, 1).value).toBe('合计（36 人）');
    expect(Math.round((ws.getCell(totalRow, 6).value as { result: number }).result * 100)).toBe(expected);
    expect(String(ws.getCell(totalRow, 7).value)).toMatch(/^大写：人民币/);
    // The last page has rows of its own above the total (never the total alone).
    expect(rows[totalRow - 2]).toMatch(/学生/);
  });

  it('never opens a page with a class subtotal: the class’s last row goes over with it', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rand = seededRandom(seed);
      const sizes = Array.from({ length: 14 }, () => 1 + Math.floor(rand() * 6));
      const { rows, breaks } = await read(await rosterWorkbook(input(lines(sizes), { layout: 'continuous' })));
      for (const b of breaks) expect(rows[b + 1] ?? '', `seed ${seed}, row ${b + 1}`).not.toMatch(/班 小计（/);
    }
  });

  it('runs small classes on with a class subtotal in the continuous layout', async () => {
    const { rows } = await read(await rosterWorkbook(input(lines([3, 2, 4]), { layout: 'continuous' })));
    expect(rows.filter((r) => r?.includes('小计（') && !r.includes('本页'))).toHaveLength(3);
    expect(rows.join('\n')).toContain('七年级（2）班 小计（2 人）');
  });

  const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((f) => existsSync(f));
  it.skipIf(!soffice)('prints in LibreOffice on the pages it cut, the subtotal at the foot of each', async () => {
    for (const orientation of ['landscape', 'portrait'] as const) {
      const data = await rosterWorkbook(input(lines([30, 13, 2]), { orientation, layout: 'byClass' }));
      const { breaks } = await read(data);
      const dir = mkdtempSync(join(tmpdir(), 'aid-desk-roster-'));
      const file = join(dir, 'roster.xlsx');
      writeFileSync(file, data);
      execFileSync(soffice!, ['--headless', '--convert-to', 'pdf', '--outdir', dir, file], { timeout: 120_000 });
      const pdf = join(dir, 'roster.pdf');
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
      expect(pages, orientation).toBe(breaks.length + 1);
      for (let p = 1; p <= pages; p++) {
        const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), pdf, '-'], { encoding: 'utf8' });
        expect(text, `${orientation} 第 ${p} 页`).toContain('本页小计');
        expect(text).toContain('领取人签字');
      }
      const last = execFileSync('pdftotext', ['-f', String(pages), '-l', String(pages), pdf, '-'], { encoding: 'utf8' });
      expect(last).toContain('大写');
      expect(last).toContain('经办人');
    }
  });
});
