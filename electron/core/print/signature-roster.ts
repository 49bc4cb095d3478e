/**
 * 签领表 (发放花名册): grouped by class with a page break per class, rows tall enough to sign and press a
 * thumb, a subtotal on every page, the grand total in digits and capitals, 第 n 页 共 N 页, and the
 * signatures of 经办人 / 审核人 / 校长. Pages are cut here so the figures on each page are known.
 */
import type { PrintDocument } from '../../../shared/api/common';
import { toCapitalAmount } from '../../../shared/rules/capital-amount';
import { formatYuan } from '../../../shared/rules/money';
import { esc, printDocument } from './document';

export interface RosterLine {
  className: string;
  name: string;
  /** Masked unless the clerk chose full numbers (rosters stay in the school; publicity never shows them). */
  idNumber: string;
  bankCard: string;
  amount: number;
  note: string;
}

export interface RosterInput {
  schoolName: string;
  title: string;
  termText: string;
  programmeName: string;
  standard: string;
  orientation: 'portrait' | 'landscape';
  lines: RosterLine[];
}

/** Rows that fit a page at a signing height of 11 mm, under the header block and above the footer. */
export const ROWS_PER_PAGE = { portrait: 18, landscape: 10 } as const;

const money = (fen: number) => formatYuan(fen).replace('¥', '');

function css(orientation: 'portrait' | 'landscape'): string {
  return `
@page { size: A4 ${orientation}; margin: 10mm 10mm 10mm 10mm; }
@media screen { .page { width: ${orientation === 'portrait' ? '210mm' : '297mm'}; min-height: ${orientation === 'portrait' ? '297mm' : '210mm'}; padding: 10mm; } }
.roster td { height: 11mm; font-size: 10.5pt; padding: 0 1mm; }
.roster th { font-size: 10pt; height: 8mm; }
.roster td.money { text-align: right; padding-right: 2mm; }
.roster tr.subtotal td { height: 8mm; font-weight: bold; background: #fafafa; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.meta { display: flex; justify-content: space-between; gap: 6mm; margin: 0 0 1.5mm; font-size: 10.5pt; white-space: nowrap; }
.total { margin-top: 3mm; font-size: 11pt; }
.mono { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 9.5pt; }
.signs { display: flex; justify-content: space-between; margin-top: 8mm; font-size: 11pt; }
`;
}

/** Pages: each class starts a page; a class longer than a page continues on the next. */
export function paginateRoster(lines: RosterLine[], perPage: number): RosterLine[][] {
  const pages: RosterLine[][] = [];
  let current: RosterLine[] = [];
  let lastClass: string | null = null;
  for (const line of lines) {
    if (current.length && (current.length === perPage || line.className !== lastClass)) {
      pages.push(current);
      current = [];
    }
    current.push(line);
    lastClass = line.className;
  }
  if (current.length || pages.length === 0) pages.push(current);
  return pages;
}

export function signatureRoster(input: RosterInput): PrintDocument {
  const pages = paginateRoster(input.lines, ROWS_PER_PAGE[input.orientation]);
  const total = input.lines.reduce((s, l) => s + l.amount, 0);
  let seq = 0;
  const html = pages.map((rows, i) => {
    const subtotal = rows.reduce((s, l) => s + l.amount, 0);
    const last = i === pages.length - 1;
    const body = rows
      .map((l) => {
        seq++;
        return `<tr><td>${seq}</td><td>${esc(l.className)}</td><td>${esc(l.name)}</td><td class="mono">${esc(l.idNumber)}</td><td class="mono">${esc(l.bankCard)}</td><td class="money">${money(l.amount)}</td><td></td><td></td><td>${esc(l.note)}</td></tr>`;
      })
      .join('');
    return `<h1>${esc(input.title)}</h1>
      <div class="meta"><span>学校：${esc(input.schoolName)}</span><span>项目：${esc(input.programmeName)}</span><span>学期：${esc(input.termText)}</span><span>${esc(rows[0]?.className ?? '')}</span></div>
      <div class="meta"><span>资助标准（每学期）：${esc(input.standard)}</span></div>
      <table class="grid roster">
        <colgroup><col style="width:5%"><col style="width:12%"><col style="width:9%"><col style="width:17%"><col style="width:17%"><col style="width:9%"><col style="width:13%"><col style="width:9%"><col style="width:9%"></colgroup>
        <thead><tr><th>序号</th><th>班级</th><th>姓名</th><th>身份证号</th><th>银行卡号</th><th>金额（元）</th><th>领取人签字</th><th>手印</th><th>备注</th></tr></thead>
        <tbody>${body}<tr class="subtotal"><td colspan="5">本页小计（${rows.length} 人）</td><td class="money">${money(subtotal)}</td><td colspan="3"></td></tr></tbody>
      </table>
      ${
        last
          ? `<p class="total">合计：${input.lines.length} 人，金额 ${money(total)} 元（大写：${toCapitalAmount(total)}）</p>
      <div class="signs"><span>经办人：＿＿＿＿＿＿</span><span>审核人：＿＿＿＿＿＿</span><span>校长：＿＿＿＿＿＿</span><span>日期：＿＿＿＿年＿＿月＿＿日</span></div>`
          : ''
      }
      <div class="pageno">第 ${i + 1} 页 共 ${pages.length} 页</div>`;
  });
  return printDocument(input.title, html, css(input.orientation));
}
