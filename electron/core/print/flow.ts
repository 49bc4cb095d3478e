/**
 * A flowing document of measured blocks (paragraphs, headings, tables whose header repeats on each page), cut into
 * pages by height: the letter to families and the 明白卡 can run past a sheet, and the preview still counts the
 * sheets that print. One flow can also be forced onto fresh pages (a student per page) by `pageBreak`.
 */
import type { PrintDocument } from '../../../shared/api/common';
import { measuredDocument } from './document';
import { A4_PORTRAIT, pageBox, paperCss, table, tableCss, tableRow, textBlock, type Column, type TableStyle } from './layout';

const STYLE: TableStyle = { fontPt: 10.5, lineHeight: 1.35, padV: 1, padH: 1.5, minRow: 7 };
const FOOT = 8;

export type FlowItem =
  | { kind: 'text'; text: string; fontPt?: number; bold?: boolean; align?: 'left' | 'center' | 'right'; after?: number; boxed?: boolean }
  | { kind: 'table'; shares: number[]; head: string[]; rows: string[][] }
  | { kind: 'pageBreak' };

export function flowDocument(title: string, items: FlowItem[]): PrintDocument {
  const box = pageBox(A4_PORTRAIT);
  const w = box.width - 1;
  const room = box.height - FOOT;
  const pages: string[][] = [[]];
  let used = 0;
  const newPage = () => {
    if (pages[pages.length - 1]!.length) pages.push([]);
    used = 0;
  };
  const put = (html: string, height: number) => {
    if (used + height > room && used > 0) newPage();
    pages[pages.length - 1]!.push(html);
    used += height;
  };
  for (const item of items) {
    if (item.kind === 'pageBreak') newPage();
    else if (item.kind === 'text') {
      const b = textBlock(item.text, item.boxed ? w - 8 : w, {
        fontPt: item.fontPt ?? 12,
        lineHeight: 1.7,
        bold: item.bold,
        align: item.align,
        after: item.after ?? 2,
      });
      put(
        item.boxed ? `<div style="border:1pt solid #000;padding:0 3mm;margin-bottom:2mm">${b.html}</div>` : b.html,
        b.height + (item.boxed ? 3 : 0),
      );
    } else {
      const total = item.shares.reduce((s, x) => s + x, 0);
      const columns: Column[] = item.shares.map((s) => ({ width: Math.floor(((w * s) / total) * 10) / 10 }));
      const head = tableRow(
        item.head.map((text) => ({ text })),
        columns,
        STYLE,
        { header: true },
      );
      let rows: string[] = [];
      let tableHeight = 0;
      const flush = () => {
        if (rows.length) put(table(columns, STYLE, head, rows), tableHeight);
        rows = [];
        tableHeight = 0;
      };
      for (const r of item.rows) {
        const row = tableRow(
          r.map((text) => ({ text, className: 'left' })),
          columns,
          STYLE,
        );
        // A row that does not fit ends the table on this page; the rest starts a new page under the same header.
        if (used + tableHeight + (rows.length ? 0 : head.height) + row.height > room && (rows.length || used > 0)) {
          flush();
          newPage();
        }
        if (!rows.length) tableHeight = head.height;
        rows.push(row.html);
        tableHeight += row.height;
      }
      flush();
      used += 2;
    }
  }
  return measuredDocument(
    title,
    pages.map((body, i) => ({ body: body.join(''), foot: `<div class="pageno">第 ${i + 1} 页 共 ${pages.length} 页</div>` })),
    `${paperCss(A4_PORTRAIT)}${tableCss(STYLE)}`,
  );
}
