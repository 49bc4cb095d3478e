/**
 * Every importer fed mutated copies of the fixtures (and of a survey workbook the app exported): flipped
 * bytes, cut files, cells holding control characters, bidi overrides, formulas, over-long text, missing
 * parts, other delimiters and encodings. Each call must end as a result or as a Chinese message with a known
 * code — never "内部错误" — and the database must stay whole. Seeded: the same files every run.
 */
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../shared/api';
import { seededRandom } from '../../../shared/rules/sample';
import { entriesOf, inflateEntry } from '../../../electron/core/import/zip-bounds';
import { fixture, testCore, type TestCore } from '../../helpers/core';
import { importCentralRoster } from '../../helpers/fixtures';
import { makeZip } from '../../helpers/zip';

const FILES_PER_IMPORTER = Number(process.env.FUZZ_FILES ?? 55);
const random = seededRandom(20261202);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (n: number) => Math.floor(random() * n);

const NASTY = [
  '\u0000\u0007\u001b[31m红\u001b[0m',
  '\u202e生学张',
  '张\u200b三\u200d',
  "=cmd|' /C calc'!A0",
  '<script>alert(1)</script>',
  '1.10101201001E+17',
  '',
  ' ',
  '甲'.repeat(1999),
  '乙'.repeat(2001),
  '😀🏫',
  '"',
  '110101201001010015',
  '-1',
  '9'.repeat(30),
];

function mutateBytes(data: Buffer): Buffer {
  const out = Buffer.from(data);
  const k = 1 + int(20);
  for (let i = 0; i < k; i++) out[int(out.length)] = int(256);
  return out;
}

function mutateXlsx(data: Buffer): Buffer {
  const entries = entriesOf(data)!;
  const parts = entries.map((e) => ({ name: e.name, data: inflateEntry(data, e, 50 * 1024 * 1024) as Buffer }));
  const kind = int(3);
  if (kind === 0)
    parts.splice(int(parts.length), 1); // a part missing
  else {
    // Text of cells (shared strings or inline) replaced by something nasty.
    const targets = parts.filter((p) => /sharedStrings|sheet\d+\.xml/.test(p.name));
    const target = pick(targets.length ? targets : parts);
    let xml = target.data.toString('utf8');
    const times = 1 + int(kind === 1 ? 3 : 40);
    for (let i = 0; i < times; i++) {
      const matches = [...xml.matchAll(/<t(?: [^>]*)?>([^<]*)<\/t>|<v>([^<]*)<\/v>/g)];
      if (!matches.length) break;
      const m = pick(matches);
      const value = pick(NASTY)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        // Control characters as Excel writes them in XML (_x001B_).
        .split('')
        .map((ch) =>
          ch.charCodeAt(0) < 0x20 && !'\t\n\r'.includes(ch) ? `_x${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}_` : ch,
        )
        .join('');
      xml = xml.slice(0, m.index) + m[0].replace(m[1] ?? m[2] ?? '', value) + xml.slice(m.index! + m[0].length);
    }
    target.data = Buffer.from(xml);
  }
  return makeZip(parts);
}

function mutateCsv(data: Buffer): Buffer {
  let lines = data.toString('utf8').split('\n');
  switch (int(7)) {
    case 0:
      return iconv.encode(lines.join('\n'), 'gbk');
    case 1:
      return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(lines.join('\r\n'), 'utf16le')]);
    case 2:
      lines = lines.map((l) => l.replace(/,/g, pick([';', '|', '，', '\t'])));
      break;
    case 3: {
      const l = int(lines.length);
      lines.splice(l, 0, ...Array.from({ length: 1 + int(50) }, () => lines[l] ?? ''));
      break;
    }
    case 4:
      lines.shift();
      break;
    case 5: {
      const l = 1 + int(Math.max(1, lines.length - 1));
      const cells = (lines[l] ?? '').split(',');
      cells[int(cells.length)] = `"${pick(NASTY).replace(/"/g, '""')}"`;
      lines[l] = cells.join(',');
      break;
    }
    default:
      lines[int(lines.length)] += pick(['"', '""', '\u0000', ',,,,,,,,,,']);
  }
  return Buffer.from(lines.join('\n'));
}

function mutate(name: string, data: Buffer): Buffer {
  const r = random();
  if (r < 0.15) return data.subarray(0, int(data.length));
  if (r < 0.35) return mutateBytes(data);
  return name.endsWith('.csv') ? mutateCsv(data) : mutateXlsx(data);
}

let core: TestCore;
let surveyBook: Buffer;
beforeAll(async () => {
  core = await testCore();
  await importCentralRoster(core);
  const classId = (await core.client.invoke('classes.list', {}))[0]!.id;
  const exported = await core.client.invoke('surveys.exportClass', { classId, schoolYear: '2026-2027' });
  surveyBook = Buffer.from(exported.dataBase64, 'base64');
});
afterAll(async () => core?.close());

const outcomes: Record<string, number> = {};
async function expectHandled(what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
    outcomes.ok = (outcomes.ok ?? 0) + 1;
  } catch (e) {
    if (!(e instanceof ApiCallError)) throw new Error(`${what}: 不是约定的错误：${String(e)}`);
    expect(e.code, `${what}: ${e.message}`).not.toBe('internal');
    expect(e.message, what).toMatch(/[\u4e00-\u9fff]/);
    expect(e.message, what).not.toMatch(/\n\s+at |Error:/);
    expect(e.message.length, what).toBeLessThan(600);
    outcomes[e.code] = (outcomes[e.code] ?? 0) + 1;
  }
}

const b64 = (d: Buffer) => d.toString('base64');

describe('every importer, fed mutated files', () => {
  it(`ends each of ${FILES_PER_IMPORTER * 6} files with a result or a Chinese message, and the database stays whole`, async () => {
    const c = core.client;
    const sources: { name: string; data: () => Buffer; run: (fileName: string, data: Buffer) => Promise<unknown> }[] = [
      {
        name: 'roster-qingshan-central-school.xlsx',
        data: () => readFileSync(fixture('roster-qingshan-central-school.xlsx')),
        run: async (fileName, data) => {
          const p = await c.invoke('roster.preview', { upload: { fileName, dataBase64: b64(data) } });
          if (random() < 0.3) await c.invoke('roster.import', { uploadId: p.uploadId, mapping: p.mapping });
        },
      },
      {
        name: 'roster-qingshan-central-school.csv',
        data: () => readFileSync(fixture('roster-qingshan-central-school.csv')),
        run: (fileName, data) => c.invoke('roster.preview', { upload: { fileName, dataBase64: b64(data) } }),
      },
      {
        name: 'county-list-poverty-monitoring.xlsx',
        data: () => readFileSync(fixture('county-list-poverty-monitoring.xlsx')),
        run: (fileName, data) => c.invoke('lists.preview', { upload: { fileName, dataBase64: b64(data) }, kind: 'poverty' }),
      },
      {
        name: 'bank-return-2026-autumn.xlsx',
        data: () => readFileSync(fixture('bank-return-2026-autumn.xlsx')),
        run: async (fileName, data) => {
          await c.invoke('cards.preview', { upload: { fileName, dataBase64: b64(data) } });
        },
      },
      {
        name: '调查表.xlsx',
        data: () => surveyBook,
        run: (fileName, data) => c.invoke('surveys.previewImport', { upload: { fileName, dataBase64: b64(data) } }),
      },
      {
        name: 'county-template-senior-high-grant.xlsx',
        data: () => readFileSync(fixture('county-template-senior-high-grant.xlsx')),
        run: (fileName, data) => c.invoke('templates.add', { file: { fileName, dataBase64: b64(data) } }),
      },
    ];
    let files = 0;
    for (const source of sources)
      for (let i = 0; i < FILES_PER_IMPORTER; i++) {
        const data = mutate(source.name, source.data());
        await expectHandled(`${source.name} #${i}`, () => source.run(source.name, data));
        files++;
      }
    expect(files).toBeGreaterThanOrEqual(300);
    expect(core.ctx.store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(core.ctx.store.sqlite.pragma('foreign_key_check')).toEqual([]);
    // Both kinds of outcome happened: the mutations are neither all harmless nor all fatal.
    expect(outcomes.ok).toBeGreaterThan(20);
    expect(Object.keys(outcomes).length).toBeGreaterThan(3);
    // This file runs in its own process: its lifetime peak bounds the peak of every file in it.
    const peakMb = process.resourceUsage().maxRSS / 1024;
    console.log(`[fuzz] ${files} files, peak ${Math.round(peakMb)} MB:`, JSON.stringify(outcomes));
    expect(peakMb).toBeLessThan(500);
  }, 240_000);
});
