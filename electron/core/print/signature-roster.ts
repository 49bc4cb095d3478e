/**
 * 签领表 (发放花名册): rows tall enough to sign and press a thumb, either a page per class or continuous with a
 * subtotal per class (the clerk chooses; continuous when classes are small), a subtotal on every page, the
 * sign-off of 经办人 / 审核人 / 校长 on every sheet, the grand total in digits and capitals with the last rows,
 * and 第 n 页 共 N 页. Pages are cut by measured height (layout.ts), so the preview counts the printed sheets.
 */
import type { PrintDocument } from '../../../shared/api/common';
import { toCapitalAmount } from '../../../shared/rules/capital-amount';
import { formatYuan } from '../../../shared/rules/money';
import { measuredDocument } from './document';
import {
  pageBox,
  pagesByHeight,
  paperCss,
  table,
  tableCss,
  tableRow,
  textBlock,
  type Column,
  type MeasuredRow,
  type Paper,
  type TableStyle,
} from './layout';

export interface RosterLine {
  className: string;
  name: string;
  /** Masked unless the clerk chose full numbers (rosters stay in the school; publicity never shows them). */
  idNumber: string;
  bankCard: string;
  amount: number;
  note: string;
}

/** 按班分页 (each class starts a sheet) or 连续 (classes follow one another, each with its subtotal). */
export type RosterLayout = 'byClass' | 'continuous';

export interface RosterInput {
  schoolName: string;
  title: string;
  termText: string;
  programmeName: string;
  standard: string;
  orientation: 'portrait' | 'landscape';
  /** Absent or 'auto': continuous when the classes are small (on average under half a sheet). */
  layout?: RosterLayout | 'auto';
  /** Things given, not money: no bank card or thumbprint column, 价值 in place of 金额. */
  inKind?: boolean;
  lines: RosterLine[];
}

const STYLE: TableStyle = { fontPt: 10.5, lineHeight: 1.25, padV: 0.8, padH: 1, minRow: 11 };
const SUBTOTAL: TableStyle = { ...STYLE, minRow: 7 };
const HEAD: TableStyle = { ...STYLE, fontPt: 10, minRow: 8 };
type Field = 'seq' | 'className' | 'name' | 'idNumber' | 'bankCard' | 'amount' | 'sign' | 'thumb' | 'note';
const HEADERS: Record<Field, string> = {
  seq: '序号',
  className: '班级',
  name: '姓名',
  idNumber: '身份证号',
  bankCard: '银行卡号',
  amount: '金额（元）',
  sign: '领取人签字',
  thumb: '手印',
  note: '备注',
};
/** Column shares of the width; a page per class names its class above the table, so it has no 班级 column. */
const WIDTHS: Record<RosterLayout, Record<'portrait' | 'landscape', Partial<Record<Field, number>>>> = {
  continuous: {
    landscape: { seq: 0.05, className: 0.11, name: 0.1, idNumber: 0.16, bankCard: 0.17, amount: 0.09, sign: 0.13, thumb: 0.07, note: 0.12 },
    portrait: { seq: 0.05, className: 0.11, name: 0.1, idNumber: 0.18, bankCard: 0.19, amount: 0.1, sign: 0.11, thumb: 0.07, note: 0.09 },
  },
  byClass: {
    landscape: { seq: 0.05, name: 0.11, idNumber: 0.16, bankCard: 0.17, amount: 0.09, sign: 0.16, thumb: 0.09, note: 0.17 },
    portrait: { seq: 0.06, name: 0.12, idNumber: 0.19, bankCard: 0.2, amount: 0.11, sign: 0.13, thumb: 0.08, note: 0.11 },
  },
};
/** The sign-off line and the page number pinned to the foot of every sheet, with the gap above them. */
const FOOT = 17;

const money = (fen: number) => formatYuan(fen).replace('¥', '');

function columns(
  layout: RosterLayout,
  orientation: 'portrait' | 'landscape',
  width: number,
  inKind: boolean,
): { fields: Field[]; cols: Column[] } {
  const shares = WIDTHS[layout][orientation];
  const fields = (Object.keys(HEADERS) as Field[]).filter(
    (f) => shares[f] !== undefined && !(inKind && (f === 'bankCard' || f === 'thumb')),
  );
  // Without the card and thumb columns, the others share the whole width.
  const scale = 1 / fields.reduce((s, f) => s + shares[f]!, 0);
  const cols = fields.map((f) => ({
    width: Math.floor(width * shares[f]! * scale * 10) / 10,
    fit: ['seq', 'idNumber', 'bankCard', 'amount'].includes(f),
    mono: f === 'idNumber' || f === 'bankCard',
    minPt: 6,
    ...(f === 'note' || f === 'className' ? { fontPt: 9 } : {}),
  }));
  return { fields, cols };
}

/** Continuous unless the classes are big enough that a page each wastes little paper. */
export function chooseLayout(lines: RosterLine[], rowsPerPage: number): RosterLayout {
  const classes = new Set(lines.map((l) => l.className)).size;
  return classes > 1 && lines.length / classes < rowsPerPage / 2 ? 'continuous' : 'byClass';
}

type Item = { kind: 'line'; line: RosterLine; seq: number; row: MeasuredRow } | { kind: 'classTotal'; row: MeasuredRow };

export function signatureRoster(input: RosterInput): PrintDocument {
  const paper: Paper = { orientation: input.orientation, margins: [10, 10, 10, 10] };
  const box = pageBox(paper);
  const w = box.width - 1;
  const title = textBlock(input.title, w, { fontPt: 16, bold: true, align: 'center', lineHeight: 1.3, after: 1.5 });
  const meta = (className: string | null) => {
    const parts = [
      `学校：${input.schoolName}`,
      `项目：${input.programmeName}`,
      `学期：${input.termText}`,
      ...(className ? [className] : []),
    ];
    return textBlock(parts.join('　　'), w, { fontPt: 10.5, lineHeight: 1.4, after: 0.5 });
  };
  const standard = textBlock(`${input.inKind ? '发放物品及每生价值' : '资助标准（每学期）'}：${input.standard}`, w, {
    fontPt: 10.5,
    lineHeight: 1.4,
    after: 1.5,
  });
  // The tallest header any page can have (a long class name may wrap the line of particulars).
  const classNames = [...new Set(input.lines.map((l) => l.className))];
  const metaHeight = Math.max(meta(null).height, ...classNames.map((c) => meta(c).height));
  const headerHeight = title.height + metaHeight + standard.height;
  const rowsRoom = box.height - headerHeight - HEAD.minRow - SUBTOTAL.minRow - FOOT;
  const layout =
    input.layout && input.layout !== 'auto' ? input.layout : chooseLayout(input.lines, Math.floor(rowsRoom / (STYLE.minRow + 0.35)));
  const inKind = input.inKind === true;
  const { fields, cols } = columns(layout, input.orientation, w, inKind);
  const headers: Record<Field, string> = { ...HEADERS, ...(inKind ? { amount: '价值（元）' } : {}) };
  // A subtotal's label spans the columns before the amount, its blank the columns after.
  const before = fields.indexOf('amount');
  const after = fields.length - before - 1;
  const subtotal = (text: string, fen: number, className: string) =>
    tableRow(
      [
        { text, span: before },
        { text: money(fen), className: 'money' },
        { text: '', span: after },
      ],
      cols,
      SUBTOTAL,
      { className },
    );
  const head = tableRow(
    fields.map((f) => ({ text: headers[f] })),
    cols,
    HEAD,
    { header: true },
  );
  const capacity = () => box.height - headerHeight - head.height - subtotal('本页小计', 0, '').height - FOOT;

  // The flow: each line, and in the continuous layout a subtotal after each class.
  const items: Item[] = [];
  input.lines.forEach((l, i) => {
    const seq = i + 1;
    const text: Record<Field, { text: string; className?: string }> = {
      seq: { text: String(seq) },
      className: { text: l.className },
      name: { text: l.name },
      idNumber: { text: l.idNumber, className: 'mono' },
      bankCard: { text: l.bankCard, className: 'mono' },
      amount: { text: money(l.amount), className: 'money' },
      sign: { text: '' },
      thumb: { text: '' },
      note: { text: l.note, className: 'note' },
    };
    items.push({
      kind: 'line',
      line: l,
      seq,
      row: tableRow(
        fields.map((f) => text[f]),
        cols,
        STYLE,
      ),
    });
    const next = input.lines[i + 1];
    if (layout === 'continuous' && next?.className !== l.className) {
      const ofClass = input.lines.filter((x) => x.className === l.className);
      const sum = ofClass.reduce((s, x) => s + x.amount, 0);
      items.push({ kind: 'classTotal', row: subtotal(`${l.className}小计（${ofClass.length} 人）`, sum, 'subtotal class') });
    }
  });
  const total = input.lines.reduce((s, l) => s + l.amount, 0);
  const totalBlock = textBlock(
    `合计：${input.lines.length} 人，${inKind ? '价值' : '金额'} ${money(total)} 元（大写：${toCapitalAmount(total)}）`,
    w,
    {
      fontPt: 11,
      lineHeight: 1.5,
    },
  );
  const pages = pagesByHeight(
    items.map((x) => x.row.height),
    capacity,
    {
      tail: 2 + totalBlock.height,
      // A class's subtotal never opens a page: its class's last row goes over with it.
      keepWithNext: (i) => items[i + 1]?.kind === 'classTotal',
      breakBefore: (i) => {
        const item = items[i]!;
        const previous = items[i - 1];
        return layout === 'byClass' && item.kind === 'line' && previous?.kind === 'line' && previous.line.className !== item.line.className;
      },
    },
  );
  const signs = `<div class="signs"><span>经办人：＿＿＿＿＿＿</span><span>审核人：＿＿＿＿＿＿</span><span>校长：＿＿＿＿＿＿</span><span>日期：＿＿＿＿年＿＿月＿＿日</span></div>`;
  return measuredDocument(
    input.title,
    pages.map((ix, i) => {
      const onPage = ix.map((k) => items[k]!);
      const lines = onPage.flatMap((x) => (x.kind === 'line' ? [x.line] : []));
      const className = layout === 'byClass' ? (lines[0]?.className ?? null) : null;
      const pageTotal = subtotal(
        `本页小计（${lines.length} 人）`,
        lines.reduce((s, l) => s + l.amount, 0),
        'subtotal',
      );
      return {
        body: [
          title.html,
          meta(className).html,
          standard.html,
          table(cols, STYLE, head, [...onPage.map((x) => x.row.html), pageTotal.html], 'roster'),
          i === pages.length - 1 ? `<div style="height:2mm"></div>${totalBlock.html}` : '',
        ].join(''),
        foot: `${signs}<div class="pageno">第 ${i + 1} 页 共 ${pages.length} 页</div>`,
      };
    }),
    `${paperCss(paper)}${tableCss(STYLE, 'table.roster')}
.roster td.money { text-align: right; }
.roster td.note { text-align: left; }
.roster tr.subtotal td { font-weight: bold; background: #fafafa; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.roster tr.subtotal.class td { background: #fff; }
.mono { font-family: "DejaVu Sans Mono", Consolas, monospace; }
.signs { display: flex; justify-content: space-between; height: 9mm; margin-bottom: 2mm; font-size: 11pt; align-items: flex-end; }`,
  );
}
