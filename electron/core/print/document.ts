/**
 * Printed documents are plain HTML with their own print CSS: the renderer previews and prints them, the
 * desktop shell prints them to PDF, tests render them in Chromium. Pagination is done here (fixed rows per
 * page, each page its own table) so page numbers and per-page figures are known before printing.
 */
import type { PrintDocument } from '../../../shared/api/common';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text into HTML. Every value from the database goes through this. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export const PRINT_CSS = `
@page { size: A4 portrait; margin: 14mm 12mm 14mm 12mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; color: #000; }
body { font-family: "Microsoft YaHei", "SimSun", "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 11pt; }
.page { page-break-after: always; break-after: page; position: relative; }
.page:last-child { page-break-after: auto; break-after: auto; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 4mm; font-weight: bold; letter-spacing: 1pt; }
h2 { font-size: 12pt; margin: 4mm 0 2mm; }
p { margin: 1.5mm 0; line-height: 1.6; }
.sub { text-align: center; margin-bottom: 3mm; }
table.grid { border-collapse: collapse; width: calc(100% - 1pt); table-layout: fixed; }
/* No overflow: hidden on cells: break-all already wraps long text, and a clip per cell makes Chromium print a 100-page roster 2 s slower. */
table.grid th, table.grid td { border: 0.8pt solid #000; padding: 1.2mm 1.5mm; text-align: center; vertical-align: middle; word-break: break-all; }
table.grid th { font-weight: bold; background: #f0f0f0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
table.grid td.left { text-align: left; }
table.grid tr { break-inside: avoid; page-break-inside: avoid; }
.pageno { text-align: center; font-size: 9pt; margin-top: 3mm; }
.sign { display: flex; justify-content: space-between; margin-top: 8mm; }
.right { text-align: right; }
.muted { color: #444; font-size: 9.5pt; }
@media screen {
  body { background: #e9ecf1; padding: 12px 0; }
  .page { background: #fff; width: 210mm; min-height: 297mm; margin: 0 auto 12px; padding: 14mm 12mm; box-shadow: 0 1px 4px rgba(0,0,0,.2); }
}
`;

/** Measured pages (layout.ts): each page a box of the paper's size with its footer pinned to the bottom. */
export const MEASURED_CSS = `
.page .foot { position: absolute; left: 0; right: 0; bottom: 0; }
.page .foot .pageno { margin-top: 0; height: 5mm; line-height: 5mm; }
.blk { overflow: hidden; }
table.grid tr { break-inside: auto; page-break-inside: auto; }
`;

/** A whole document from its pages' inner HTML. */
export function printDocument(title: string, pages: string[], extraCss = ''): PrintDocument {
  const body = pages.map((p) => `<section class="page">${p}</section>`).join('\n');
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${PRINT_CSS}${extraCss}</style></head><body>${body}</body></html>`;
  return { title, html, pages: pages.length };
}

/** A document of measured pages: `body` above, `foot` pinned to the bottom of every sheet. */
export function measuredDocument(title: string, pages: { body: string; foot: string }[], css: string): PrintDocument {
  return printDocument(
    title,
    pages.map((p) => `<div class="body">${p.body}</div><div class="foot">${p.foot}</div>`),
    `${MEASURED_CSS}${css}`,
  );
}

/** Splits rows into pages of at most `size` (at least one page, even when empty). */
export function paginate<T>(rows: T[], size: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < rows.length; i += size) pages.push(rows.slice(i, i + size));
  return pages.length ? pages : [[]];
}

/** 2026-11-22 → 2026年11月22日 */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
