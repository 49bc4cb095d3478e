/**
 * Pages laid out by measured heights. Every page of a printed document is a box of the paper's printable
 * size (overflow hidden, its footer pinned to the bottom); rows and text blocks are measured (measure.ts) and
 * given explicit heights, and rows are cut into pages by what fits. So the page count known here is the
 * number of sheets that print, and every sheet carries its footer. tests/e2e/print-layout.test.ts prints
 * hard cases in Chromium and compares.
 */
import { esc } from './document';
import { fitFont, lineCount, PT_MM } from './measure';

export interface Paper {
  orientation: 'portrait' | 'landscape';
  /** Millimetres: top, right, bottom, left. */
  margins: [number, number, number, number];
}

export const A4_PORTRAIT: Paper = { orientation: 'portrait', margins: [14, 12, 14, 12] };

/** Rounding room between the page box and the printable area, so a full box never spills onto a blank sheet. */
const SPILL_GUARD = 1;

/** The printable box of a sheet, in millimetres. */
export function pageBox(p: Paper): { width: number; height: number } {
  const [w, h] = p.orientation === 'portrait' ? [210, 297] : [297, 210];
  return { width: w - p.margins[1] - p.margins[3], height: h - p.margins[0] - p.margins[2] - SPILL_GUARD };
}

/** The CSS that makes each `.page` one sheet of this paper (and a sheet on screen, for the preview). */
export function paperCss(p: Paper): string {
  const box = pageBox(p);
  const [t, r, b, l] = p.margins;
  return `
@page { size: A4 ${p.orientation}; margin: ${t}mm ${r}mm ${b}mm ${l}mm; }
.page { width: ${box.width}mm; height: ${box.height}mm; overflow: hidden; position: relative; }
@media screen { .page { box-sizing: content-box; padding: ${t}mm ${r}mm ${b + SPILL_GUARD}mm ${l}mm; min-height: 0; } }`;
}

/** Table text: sizes, padding and the line height every measured row is drawn with. */
export interface TableStyle {
  fontPt: number;
  lineHeight: number;
  /** Millimetres above and below the text in a cell, and left and right. */
  padV: number;
  padH: number;
  /** The least height of a row (a signing row is tall). */
  minRow: number;
}

/** Each collapsed border adds up to this much to a row: counted when filling a page, never drawn. */
const BORDER = 0.35;

export interface Column {
  /** Millimetres. */
  width: number;
  mono?: boolean;
  /** Shrink the text to keep it on one line (numbers, amounts) rather than wrap it. */
  fit?: boolean;
  minPt?: number;
  /** A smaller size for this column's text (notes), instead of the table's. */
  fontPt?: number;
}

export interface Cell {
  text: string;
  /** Trusted HTML to show instead of the escaped text (the text is still what is measured). */
  html?: string;
  span?: number;
  className?: string;
}

export interface MeasuredRow {
  html: string;
  /** Millimetres the row takes on the page, borders included. */
  height: number;
}

/** Measures a row and renders it with its height and any shrunk font: it prints exactly that tall. */
export function tableRow(
  cells: Cell[],
  columns: Column[],
  style: TableStyle,
  opts: { header?: boolean; className?: string } = {},
): MeasuredRow {
  const tag = opts.header ? 'th' : 'td';
  let col = 0;
  let content = style.fontPt * PT_MM * style.lineHeight;
  const parts: string[] = [];
  for (const cell of cells) {
    const span = cell.span ?? 1;
    const spanned = columns.slice(col, col + span);
    col += span;
    const inner = spanned.reduce((w, c) => w + c.width, 0) - 2 * style.padH - BORDER;
    const first = spanned[0] ?? { width: inner };
    const mono = first.mono ?? false;
    const base = (span === 1 && !opts.header && first.fontPt) || style.fontPt;
    let pt = base;
    if (first.fit && span === 1) pt = fitFont(cell.text, inner, base, first.minPt ?? 6.5, mono);
    // A shrunk text that still does not fit wraps at the smallest size; its lines are counted at that size.
    content = Math.max(content, lineCount(cell.text, inner, pt, mono) * pt * PT_MM * style.lineHeight);
    const attrs = [
      span > 1 ? ` colspan="${span}"` : '',
      cell.className ? ` class="${cell.className}"` : '',
      pt !== style.fontPt ? ` style="font-size:${pt}pt"` : '',
    ].join('');
    parts.push(`<${tag}${attrs}>${cell.html ?? esc(cell.text)}</${tag}>`);
  }
  const height = Math.ceil(Math.max(style.minRow, content + 2 * style.padV) * 10) / 10;
  const cls = opts.className ? ` class="${opts.className}"` : '';
  return { html: `<tr${cls} style="height:${height}mm">${parts.join('')}</tr>`, height: height + BORDER };
}

/** A table of measured rows, its columns fixed in millimetres. */
export function table(columns: Column[], style: TableStyle, head: MeasuredRow, rows: string[], className = ''): string {
  const cols = columns.map((c) => `<col style="width:${c.width}mm">`).join('');
  const width = columns.reduce((w, c) => w + c.width, 0);
  return `<table class="grid ${className}" style="width:${width}mm;font-size:${style.fontPt}pt;line-height:${style.lineHeight}">
    <colgroup>${cols}</colgroup><thead>${head.html}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** CSS for measured tables: the padding and line height the measurement assumed. */
export function tableCss(style: TableStyle, selector = 'table.grid'): string {
  return `${selector} th, ${selector} td { padding: ${style.padV}mm ${style.padH}mm; line-height: ${style.lineHeight}; }`;
}

export interface Block {
  html: string;
  height: number;
}

/** A block of text with a fixed, measured height (wrapping as it must), and room below it. */
export function textBlock(
  text: string,
  widthMm: number,
  opts: { fontPt: number; lineHeight?: number; bold?: boolean; align?: 'left' | 'center' | 'right'; after?: number; html?: string },
): Block {
  const lh = opts.lineHeight ?? 1.5;
  const lines = lineCount(text, widthMm, opts.fontPt * (opts.bold ? 1.05 : 1));
  const height = Math.ceil((lines * opts.fontPt * PT_MM * lh + (opts.after ?? 0)) * 10) / 10;
  const style = [
    `height:${height}mm`,
    `font-size:${opts.fontPt}pt`,
    `line-height:${lh}`,
    `padding-bottom:${opts.after ?? 0}mm`,
    opts.bold ? 'font-weight:bold' : '',
    opts.align ? `text-align:${opts.align}` : '',
  ]
    .filter(Boolean)
    .join(';');
  return { html: `<div class="blk" style="${style}">${opts.html ?? esc(text)}</div>`, height };
}

/**
 * Cuts rows of known heights into pages. `capacity(page)` is the height for rows on that page; `breakBefore`
 * starts a page at those rows; the last page also needs `tail` below its rows (a total, a sign-off): when it
 * does not fit, the last rows move with it to a new page, so a tail never stands alone.
 */
export function pagesByHeight(
  heights: number[],
  capacity: (page: number) => number,
  opts: {
    breakBefore?: (index: number) => boolean;
    /** A heading row: never the last on a page, it goes over with the row after it. */
    keepWithNext?: (index: number) => boolean;
    tail?: number;
    keepWithTail?: number;
  } = {},
): number[][] {
  const pages: number[][] = [[]];
  let used = 0;
  heights.forEach((h, i) => {
    const page = pages[pages.length - 1]!;
    const withNext = opts.keepWithNext?.(i) && i + 1 < heights.length ? heights[i + 1]! : 0;
    if (page.length && (used + h + withNext > capacity(pages.length - 1) || opts.breakBefore?.(i))) {
      pages.push([]);
      used = 0;
    }
    pages[pages.length - 1]!.push(i);
    used += h;
  });
  const tail = opts.tail ?? 0;
  const last = pages[pages.length - 1]!;
  const sum = (ix: number[]) => ix.reduce((s, i) => s + heights[i]!, 0);
  if (tail > 0 && sum(last) + tail > capacity(pages.length - 1)) {
    // The last rows (two by default, fewer if they would not fit with the tail) go over with it.
    let k = Math.min(opts.keepWithTail ?? 2, last.length - 1);
    while (k > 1 && sum(last.slice(-k)) + tail > capacity(pages.length)) k--;
    // A page of one row too tall for its tail: the tail alone on a last page rather than cut off.
    pages.push(k > 0 ? last.splice(last.length - k, k) : []);
  }
  return pages;
}
