import { describe, expect, it } from 'vitest';
import { chooseLayout, signatureRoster, type RosterInput, type RosterLine } from '../../../electron/core/print/signature-roster';
import { lineCount, textWidth } from '../../../electron/core/print/measure';
import { pagesByHeight } from '../../../electron/core/print/layout';
import { seededRandom } from '../../../shared/rules/sample';

const line = (className: string, i: number, amount = 115_000): RosterLine => ({
  className,
  name: `学生${i}`,
  idNumber: '4331**********0001',
  bankCard: '***************0001',
  amount,
  note: '',
});

const input = (lines: RosterLine[], more: Partial<RosterInput> = {}): RosterInput => ({
  schoolName: '甲校',
  title: '签领表',
  termText: '2026年秋季学期',
  programmeName: '助学金',
  standard: '¥1,500.00',
  orientation: 'landscape',
  lines,
  ...more,
});

/** The page numbers a document prints, in order. */
const footers = (html: string) => [...html.matchAll(/第 (\d+) 页 共 (\d+) 页/g)].map((m) => `${m[1]}/${m[2]}`);

describe('signature roster', () => {
  it('starts every class on a new page in the class layout, and continues a long class on the next', () => {
    const lines = [
      ...Array.from({ length: 14 }, (_, i) => line('高一（1）班', i)),
      ...Array.from({ length: 3 }, (_, i) => line('高一（2）班', 20 + i)),
    ];
    const doc = signatureRoster(input(lines, { layout: 'byClass' }));
    expect(doc.pages).toBe(3);
    expect(footers(doc.html)).toEqual(['1/3', '2/3', '3/3']);
    const pages = doc.html.split('<section class="page">').slice(1);
    expect(pages[2]).toContain('高一（2）班');
    expect(pages[2]).not.toContain('学生13');
  });

  it('runs classes on in the continuous layout, each with its subtotal', () => {
    const lines = [line('一（1）班', 1), line('一（2）班', 2), line('一（2）班', 3), line('一（3）班', 4, 80_000)];
    const doc = signatureRoster(input(lines, { layout: 'continuous' }));
    expect(doc.pages).toBe(1);
    expect(doc.html).toContain('一（2）班小计（2 人）');
    expect(doc.html).toContain('一（3）班小计（1 人）');
  });

  it('never starts a page with a class subtotal in the continuous layout: the class’s last row goes over with it', () => {
    // Seeded random class sizes of 1 to 6: page boundaries fall after every kind of row.
    for (let seed = 1; seed <= 60; seed++) {
      const rand = seededRandom(seed);
      const lines: RosterLine[] = [];
      for (let c = 0; lines.length < 45; c++) {
        const size = 1 + Math.floor(rand() * 6);
        for (let k = 0; k < size; k++) lines.push(line(`${c + 1}班`, lines.length));
      }
      for (const orientation of ['landscape', 'portrait'] as const) {
        const doc = signatureRoster(input(lines, { layout: 'continuous', orientation }));
        const pages = doc.html.split('<section class="page">').slice(1);
        for (const page of pages) {
          const firstRow = /<tbody>\s*<tr[^>]*>/.exec(page)?.[0] ?? '';
          expect(firstRow, `seed ${seed} ${orientation}`).not.toContain('subtotal');
        }
      }
    }
  });

  it('chooses continuous when classes are small, a page per class when they are big', () => {
    expect(chooseLayout([line('a', 1), line('b', 2), line('c', 3)], 12)).toBe('continuous');
    expect(
      chooseLayout([...Array.from({ length: 10 }, (_, i) => line('a', i)), ...Array.from({ length: 9 }, (_, i) => line('b', i))], 12),
    ).toBe('byClass');
    expect(chooseLayout([line('a', 1)], 12)).toBe('byClass');
  });

  it('prints a subtotal per page, the sign-off on every page, and the total in digits and capitals on the last', () => {
    const lines = [...Array.from({ length: 11 }, (_, i) => line('高一（1）班', i, 150_000)), line('高一（2）班', 30, 80_000)];
    const doc = signatureRoster(input(lines, { layout: 'byClass' }));
    expect(doc.pages).toBe(2);
    expect(doc.html).toContain('本页小计（11 人）</td><td class="money">16,500.00');
    expect(doc.html).toContain('本页小计（1 人）</td><td class="money">800.00');
    expect(doc.html).toContain('合计：12 人，金额 17,300.00 元（大写：人民币壹万柒仟叁佰元整）');
    expect(footers(doc.html)).toEqual(['1/2', '2/2']);
    expect(doc.html.match(/领取人签字/g)).toHaveLength(2);
    expect(doc.html.match(/经办人：/g)).toHaveLength(2);
    expect(doc.html).toContain('size: A4 landscape');
  });

  it('shrinks a full card number to one line on a portrait page rather than wrapping it', () => {
    const full = { ...line('高一（1）班', 1), idNumber: '43312520130101001X', bankCard: '6217000011112222333' };
    const doc = signatureRoster(input([full], { orientation: 'portrait' }));
    expect(doc.html).toMatch(/<td class="mono" style="font-size:[6-9](\.5)?pt">6217000011112222333<\/td>/);
  });
});

describe('measured layout', () => {
  it('measures Chinese wider than digits and wraps by width', () => {
    expect(textWidth('一二三四', 10)).toBeGreaterThan(textWidth('1234', 10) * 1.5);
    expect(lineCount('一二三四五六七八九十', 100, 10)).toBe(1);
    expect(lineCount('一二三四五六七八九十', 12, 10)).toBe(4);
    expect(lineCount('甲\n乙', 100, 10)).toBe(2);
  });

  it('cuts pages by height and keeps the tail with the last rows', () => {
    expect(pagesByHeight([10, 10, 10, 10, 10], () => 25)).toEqual([[0, 1], [2, 3], [4]]);
    expect(pagesByHeight([10, 10, 10], () => 25, { breakBefore: (i) => i === 1 })).toEqual([[0], [1, 2]]);
    // The tail does not fit under the last two rows: they move on with it.
    expect(pagesByHeight([5, 5, 5, 5], () => 22, { tail: 5 })).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(pagesByHeight([5, 5], () => 22, { tail: 5 })).toEqual([[0, 1]]);
    expect(pagesByHeight([], () => 22, { tail: 5 })).toEqual([[]]);
    // A heading that would end a page goes over with the row it heads.
    expect(pagesByHeight([10, 5, 10], () => 20, { keepWithNext: (i) => i === 1 })).toEqual([[0], [1, 2]]);
  });
});
