import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrintDocument } from '../../shared/api/common';
import type { PublicityDetail } from '../../shared/domain/publicity';
import type { ArchiveItem } from '../../shared/domain/archive';
import { publicityNotice } from '../../electron/core/print/publicity-notice';
import { archiveCatalogue } from '../../electron/core/print/archive-catalogue';
import { signatureRoster, type RosterLine } from '../../electron/core/print/signature-roster';
import { launchChromium, SCREENSHOTS } from '../helpers/browser';

/**
 * Printing measured, not counted: hard cases (long names, wrapped values, full numbers, pages filled to
 * the last row) printed to PDF in Chromium. The PDF's page count must be the preview's, every sheet must
 * carry its footer, and no page's content may reach into its footer (which would be cut off).
 */
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'aid-desk-print-'));

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function printed(doc: PrintDocument, name: string): Promise<{ pages: number; texts: string[]; overflow: string[] }> {
  const page = await browser.newPage();
  await page.setContent(doc.html);
  await page.emulateMedia({ media: 'print' });
  // Content that reaches below the top of the page's footer, or past the page box, would not print.
  const overflow = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.page')).flatMap((p, i) => {
      const body = p.querySelector('.body');
      const foot = p.querySelector('.foot');
      if (!body || !foot) return [`第 ${i + 1} 页没有 body/foot`];
      const bottom = Math.max(
        ...Array.from(body.querySelectorAll('*')).map((e) => e.getBoundingClientRect().bottom),
        body.getBoundingClientRect().top,
      );
      const limit = foot.getBoundingClientRect().top;
      return bottom > limit + 0.5 ? [`第 ${i + 1} 页：内容到 ${bottom.toFixed(1)}，页脚从 ${limit.toFixed(1)} 开始`] : [];
    }),
  );
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, await page.pdf({ preferCSSPageSize: true }));
  await page.close();
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  const texts = Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', file, '-'], { encoding: 'utf8' }),
  );
  return { pages, texts, overflow };
}

async function expectMeasured(doc: PrintDocument, name: string, screenshotPage?: number) {
  const r = await printed(doc, name);
  expect(r.overflow, name).toEqual([]);
  expect(r.pages, `${name}: 预览 ${doc.pages} 页`).toBe(doc.pages);
  r.texts.forEach((t, i) => expect(t.replace(/\s+/g, ''), `${name} 第 ${i + 1} 页`).toContain(`第${i + 1}页共${doc.pages}页`));
  if (screenshotPage !== undefined) {
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      String(screenshotPage),
      '-l',
      String(screenshotPage),
      join(dir, `${name}.pdf`),
      join(SCREENSHOTS, name),
    ]);
  }
  return r;
}

const NAMES = ['杨丽花', '阿卜杜热合曼·买买提依明', '欧阳晓晓', '古丽米热·艾尔肯', '李', '司马相如', '王小明'];

function publicity(n: number, longValues = false): PublicityDetail {
  return {
    id: 1,
    kind: 'programme',
    subject: 'x',
    title: '青山县青山镇九年一贯制学校2026年秋季学期义务教育家庭经济困难学生生活补助受助学生名单公示',
    startsOn: '2026-11-23',
    workingDays: 5,
    endsOn: '2026-11-27',
    complaintPhone: '0745-7654321',
    status: 'open',
    closedOn: null,
    level: 'school',
    classId: null,
    className: null,
    backdateReason: '',
    entryCount: n,
    openObjections: 0,
    createdAt: '2026-11-23',
    objections: [],
    entries: Array.from({ length: n }, (_, i) => ({
      studentId: i + 1,
      name: NAMES[i % NAMES.length]!,
      grade: i % 5 === 0 ? '九年级（初三）' : '七年级',
      className: i % 4 === 0 ? '七年级（12）班（寄宿实验班）' : '七年级（1）班',
      value: longValues && i % 3 === 0 ? '一档 ¥1,250.00（寄宿生，含营养餐补助）' : '二档 ¥625.00',
    })),
  };
}

function lines(classes: number[], opts: { long?: boolean; full?: boolean } = {}): RosterLine[] {
  return classes.flatMap((size, c) =>
    Array.from({ length: size }, (_, i) => ({
      className: `七年级（${c + 1}）班`,
      name: opts.long ? NAMES[i % NAMES.length]! : `学生${c}${i}`,
      idNumber: opts.full ? '43312520130101001X' : '4331**********001X',
      bankCard: opts.full ? '6217000011112222333' : '***************2333',
      amount: [125_000, 62_500, 100_000][i % 3]!,
      note: opts.long && i % 4 === 0 ? '监护人账户（已收委托书），上次退回：户名不符，已更正卡号' : '',
    })),
  );
}

describe('measured printing', () => {
  it('publicity lists print on the pages the preview counts, the footer on each', async () => {
    for (const n of [0, 1, 24, 25, 26, 27, 48, 95])
      await expectMeasured(
        publicityNotice(publicity(n), '青山镇九年一贯制学校', '档次/金额', '经个人申请、班级评议、学校审核，下列学生拟获资助，现予公示。'),
        `publicity-${n}`,
      );
    const long = await expectMeasured(
      publicityNotice(
        publicity(48, true),
        '青山镇九年一贯制学校',
        '档次/金额',
        '经个人申请、班级评议、学校审核，下列学生拟获资助，现予公示。',
      ),
      'publicity-48-long',
      1,
    );
    // Every name made it onto paper.
    const all = long.texts.join('\n').replace(/\s+/g, '');
    for (const name of NAMES) expect(all).toContain(name.replace(/\s+/g, ''));
    expect(all).toContain('监督电话：0745-7654321');
  });

  it('the archive catalogue prints on the pages the preview counts', async () => {
    const items: ArchiveItem[] = Array.from({ length: 70 }, (_, i) => ({
      definitionId: i,
      period: '2026-autumn',
      schoolId: 1,
      schoolName: '',
      programmeId: i < 20 ? 0 : 1 + (i % 4),
      studentId: i < 40 ? 0 : i,
      name: ['工作方案', '评审小组名单', '会议记录', '宣传材料与照片', '申请表汇总', '签领表'][i % 6]!,
      scope: i < 20 ? 'term' : i < 40 ? 'programme' : 'student',
      required: i % 2 === 0,
      status: (['missing', 'partial', 'complete'] as const)[i % 3]!,
      note: i % 5 === 0 ? '县资助中心2026年11月检查时要求补充会议签到表和照片，已联系班主任收集' : '',
      attachments: [],
      programmeName: i < 20 ? null : ['义务教育家庭经济困难学生生活补助', '营养改善计划', '校内资助', '社会捐助'][i % 4]!,
      studentName: i < 40 ? null : NAMES[i % NAMES.length]!,
      classId: i < 40 ? null : 1 + (i % 9),
      className: i < 40 ? null : `七年级（${1 + (i % 9)}）班`,
      updatedAt: null,
    }));
    await expectMeasured(archiveCatalogue(items, '青山镇九年一贯制学校', '2026年秋季学期', '2026-12-02'), 'archive-catalogue-long', 1);
  });

  it('signature rosters print on the pages the preview counts, in both layouts and orientations', async () => {
    for (const orientation of ['portrait', 'landscape'] as const) {
      for (const layout of ['byClass', 'continuous'] as const) {
        for (const [label, ls] of [
          ['small', lines([3, 1, 5, 2, 6, 4])],
          ['long', lines([25, 13, 2], { long: true, full: true })],
        ] as const) {
          const doc = signatureRoster({
            schoolName: '青山镇九年一贯制学校',
            title: '签领表',
            termText: '2026年秋季学期',
            programmeName: '义务教育家庭经济困难学生生活补助',
            standard: '一档 ¥1,250.00；二档 ¥625.00；三档 ¥1,000.00',
            orientation,
            layout,
            lines: ls,
          });
          const r = await expectMeasured(doc, `roster-${orientation}-${layout}-${label}`, label === 'long' ? 1 : undefined);
          // The sign-off is on every sheet; the total in capitals on the last.
          r.texts.forEach((t) => expect(t).toContain('经办人'));
          expect(r.texts.at(-1)).toContain('大写');
        }
      }
    }
  });
});
