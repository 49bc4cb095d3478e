import { describe, expect, it } from 'vitest';
import { paginateRoster, signatureRoster, type RosterLine } from '../../../electron/core/print/signature-roster';

const line = (className: string, i: number, amount = 115_000): RosterLine => ({
  className,
  name: `学生${i}`,
  idNumber: '4331**********0001',
  bankCard: '***************0001',
  amount,
  note: '',
});

describe('signature roster', () => {
  it('starts every class on a new page and continues a long class on the next', () => {
    const lines = [
      ...Array.from({ length: 12 }, (_, i) => line('高一（1）班', i)),
      ...Array.from({ length: 3 }, (_, i) => line('高一（2）班', 20 + i)),
    ];
    expect(paginateRoster(lines, 10).map((p) => p.length)).toEqual([10, 2, 3]);
    expect(paginateRoster([], 10)).toEqual([[]]);
  });

  it('prints a subtotal per page, the total in digits and capitals on the last, and page numbers', () => {
    const lines = [...Array.from({ length: 11 }, (_, i) => line('高一（1）班', i, 150_000)), line('高一（2）班', 30, 80_000)];
    const doc = signatureRoster({
      schoolName: '甲校',
      title: '签领表',
      termText: '2026年秋季学期',
      programmeName: '助学金',
      standard: '¥1,500.00',
      orientation: 'landscape',
      lines,
    });
    expect(doc.pages).toBe(3);
    expect(doc.html).toContain('本页小计（10 人）</td><td class="money">15,000.00');
    expect(doc.html).toContain('本页小计（1 人）</td><td class="money">1,500.00');
    expect(doc.html).toContain('合计：12 人，金额 17,300.00 元（大写：人民币壹万柒仟叁佰元整）');
    expect(doc.html).toContain('第 3 页 共 3 页');
    expect(doc.html.match(/领取人签字/g)).toHaveLength(3);
    expect(doc.html).toContain('size: A4 landscape');
  });
});
