/**
 * 资金台账 prints: a programme's ledger book (明细账) with its running balance, the term's overview by programme
 * and source, and the fund-use notice (资金使用情况通报) for the publicity board — totals only, no names.
 * One measured table per document: pages are cut by height, so the preview counts the printed sheets.
 */
import type { PrintDocument } from '../../../shared/api/common';
import { chineseDate, measuredDocument } from './document';
import {
  A4_PORTRAIT,
  pageBox,
  pagesByHeight,
  paperCss,
  table,
  tableCss,
  tableRow,
  textBlock,
  type Column,
  type TableStyle,
} from './layout';

const STYLE: TableStyle = { fontPt: 10, lineHeight: 1.3, padV: 1, padH: 1.2, minRow: 7 };
const FOOT = 8;

export interface FundsTable {
  title: string;
  /** Lines under the title (school, term, programme). */
  intro: string[];
  /** Column headers and their shares of the width; `num` columns are right-aligned and shrunk to fit. */
  columns: { header: string; share: number; num?: boolean }[];
  rows: string[][];
  /** The total row, drawn bold after the last row. */
  total?: string[];
  /** Paragraphs after the table (the notice's text). */
  after: string[];
  /** 经办人 / 审核人 / 校长 (the ledger) or the school and date (the notice). */
  signOff: 'ledger' | { schoolName: string; date: string };
}

export function fundsTableDocument(t: FundsTable): PrintDocument {
  const box = pageBox(A4_PORTRAIT);
  const w = box.width - 1;
  const shares = t.columns.reduce((s, c) => s + c.share, 0);
  const columns: Column[] = t.columns.map((c) => ({ width: Math.floor(((w * c.share) / shares) * 10) / 10, fit: c.num }));
  const head = tableRow(
    t.columns.map((c) => ({ text: c.header })),
    columns,
    STYLE,
    { header: true },
  );
  const cells = (r: string[]) =>
    r.map((text, i) => ({ text, className: t.columns[i]?.num ? 'num' : i > 0 && !t.columns[i]?.num ? 'left' : undefined }));
  const rows = t.rows.map((r) => tableRow(cells(r), columns, STYLE));
  if (t.total) rows.push(tableRow(cells(t.total), columns, STYLE, { className: 'total' }));
  const first = [
    textBlock(t.title, w, { fontPt: 16, bold: true, align: 'center', lineHeight: 1.35, after: 2 }),
    ...t.intro.map((line) => textBlock(line, w, { fontPt: 10.5, lineHeight: 1.5, after: 0.5 })),
    textBlock('', w, { fontPt: 4, lineHeight: 1 }),
  ];
  const next = [textBlock(`${t.title}（续）`, w, { fontPt: 9.5, lineHeight: 1.4, after: 2 })];
  const tail = [
    ...t.after.map((p) => textBlock(p, w, { fontPt: 11, lineHeight: 1.6, after: 1 })),
    ...(t.signOff === 'ledger'
      ? [
          textBlock('经办人：______________\u3000\u3000审核人：______________\u3000\u3000校长：______________', w, {
            fontPt: 11,
            lineHeight: 1.6,
            after: 0,
          }),
        ]
      : [
          textBlock(t.signOff.schoolName, w, { fontPt: 11, lineHeight: 1.6, align: 'right' }),
          textBlock(chineseDate(t.signOff.date), w, { fontPt: 11, lineHeight: 1.6, align: 'right' }),
        ]),
  ];
  const height = (blocks: { height: number }[]) => blocks.reduce((s, b) => s + b.height, 0);
  const tailHeight = 6 + height(tail);
  const pages = pagesByHeight(
    rows.map((r) => r.height),
    (page) => box.height - height(page === 0 ? first : next) - head.height - FOOT,
    { tail: tailHeight },
  );
  return measuredDocument(
    t.title,
    pages.map((ix, i) => ({
      body: [
        ...(i === 0 ? first : next).map((b) => b.html),
        table(
          columns,
          STYLE,
          head,
          ix.map((k) => rows[k]!.html),
        ),
        i === pages.length - 1 ? `<div style="height:6mm"></div>${tail.map((b) => b.html).join('')}` : '',
      ].join(''),
      foot: `<div class="pageno">第 ${i + 1} 页 共 ${pages.length} 页</div>`,
    })),
    `${paperCss(A4_PORTRAIT)}${tableCss(STYLE)} table.grid td.num { text-align: right; } table.grid tr.total td { font-weight: bold; }`,
  );
}
