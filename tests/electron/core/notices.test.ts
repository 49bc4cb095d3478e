/**
 * 告知: the letter, the 明白卡 and the 告知书 printed to PDF (Chromium) and read back with pdftotext: the policies come
 * from the catalogue, one page per student where personal, and a class batch of 告知书 holds no ID number, no bank
 * card beyond its last 4 digits, no phone and no address.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { htmlToPdf } from '../../../electron/host/pdf';
import type { PrintDocument } from '../../../shared/api/common';
import { fixture, testCore, type TestCore } from '../../helpers/core';
import { reportedDaySubsidyTerm } from '../../helpers/terms';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => core.close());
const term = '2026-autumn' as const;

async function pdfText(doc: PrintDocument): Promise<{ pages: number; text: string }> {
  const pdf = join(mkdtempSync(join(tmpdir(), 'aid-desk-notice-')), 'n.pdf');
  await htmlToPdf(doc.html, pdf);
  const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
  return {
    pages: Number(/Pages:\s+(\d+)/.exec(info)![1]),
    text: spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout,
  };
}

describe('notices to families', () => {
  it('prints the letter from the catalogue, a card per student and a 告知书 per student paid, nothing personal of another family', async () => {
    const c = core.client;
    const { programmeId } = await reportedDaySubsidyTerm(core);
    core.setToday('2026-11-20');
    await c.invoke('payments.importBank', {
      upload: {
        fileName: 'bank.xlsx',
        dataBase64: (await import('node:fs')).readFileSync(fixture('bank-return-2026-autumn.xlsx')).toString('base64'),
      },
      programmeId,
      term,
      paidOn: '2026-11-20',
      dryRun: false,
    });
    await c.invoke('notices.saveTexts', { texts: { ...(await c.invoke('notices.texts', {})), complaintPhone: '0745-7654321' } });

    const letter = await pdfText(await c.invoke('notices.print', { kind: 'letter', term }));
    const flat = letter.text.replace(/\s+/g, '');
    expect(flat).toContain('学生资助不收取任何费用');
    expect(flat).toContain('义务教育寄宿生生活补助');
    expect(flat).toContain('¥625.00'); // 小学 boarders, from the catalogue
    expect(flat).toContain('0745-7654321');

    // The class with the most students paid: its batch of 告知书.
    const cls = core.ctx.store.sqlite
      .prepare(
        `SELECT s.class_id AS id, count(DISTINCT s.id) AS n FROM payment p JOIN application a ON a.id = p.application_id
         JOIN student s ON s.id = a.student_id WHERE p.outcome = 'paid' GROUP BY s.class_id ORDER BY n DESC LIMIT 1`,
      )
      .get() as { id: number; n: number };
    expect(cls.n).toBeGreaterThan(1);
    const doc = await c.invoke('notices.print', { kind: 'paymentNotices', term, classId: cls.id });
    expect(doc.pages).toBe(cls.n);
    const batch = await pdfText(doc);
    expect(batch.pages).toBe(cls.n);
    expect(batch.text).toContain('尾号');
    expect(batch.text).not.toMatch(/\d{15,}/);
    const everyone = core.ctx.store.sqlite
      .prepare(`SELECT id_number, guardian_phone, address, bank_card FROM student WHERE class_id = ?`)
      .all(cls.id) as { id_number: string | null; guardian_phone: string | null; address: string | null; bank_card: string | null }[];
    for (const s of everyone) {
      for (const v of [s.id_number, s.guardian_phone, s.address, s.bank_card])
        if (v) expect(batch.text.replace(/\s+/g, '')).not.toContain(v);
    }

    const classSize = core.ctx.store.sqlite
      .prepare(`SELECT count(*) FROM student WHERE class_id = ? AND status = 'enrolled'`)
      .pluck()
      .get(cls.id);
    const cards = await c.invoke('notices.print', { kind: 'cards', term, classId: cls.id });
    expect(cards.pages).toBe(classSize);
    expect((await pdfText(cards)).pages).toBe(classSize);
    const checklist = await pdfText(await c.invoke('notices.print', { kind: 'checklist', term }));
    expect(checklist.text.replace(/\s+/g, '')).toContain('家庭经济困难学生认定申请表');
  });
});
