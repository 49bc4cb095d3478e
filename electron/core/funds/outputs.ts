/** The funds ledger on paper and in Excel: a programme's book, the term's overview, the fund-use notice. */
import type { FileResult, PrintDocument } from '../../../shared/api/common';
import { FUND_SOURCE_TEXT, type Ledger, type LedgerBookEntry } from '../../../shared/domain/funds';
import type { Term } from '../../../shared/domain/school';
import { formatYuan, type Fen } from '../../../shared/rules/money';
import { termText } from '../../../shared/rules/term';
import { today, type CoreContext } from '../context';
import { writePlainList } from '../export/plain-list';
import { fundsTableDocument } from '../print/funds-ledger';
import { requireSchool } from '../school/school';
import { ledger, ledgerBookOf, programmeLedger } from './funds';

/** Printed amounts: 16,562.50 (the unit, 元, is in the heading). */
const money = (fen: Fen | null) => (fen === null ? '' : formatYuan(fen).replace('¥', ''));

const BOOK_HEADERS = ['日期', '摘要', '资金来源', '下达（元）', '收入（元）', '支出（元）', '结余（元）'];

function bookRow(e: LedgerBookEntry): string[] {
  return [
    e.date,
    e.summary,
    e.source ? FUND_SOURCE_TEXT[e.source] : '',
    money(e.allocated),
    money(e.income),
    money(e.spending),
    money(e.balance),
  ];
}

function bookTotal(book: LedgerBookEntry[]): string[] {
  const add = (k: 'allocated' | 'income' | 'spending') => book.reduce((s, e) => s + (e[k] ?? 0), 0);
  return ['合计', '', '', money(add('allocated')), money(add('income')), money(add('spending')), money(book.at(-1)?.balance ?? 0)];
}

const OVERVIEW_HEADERS = [
  '资助项目',
  '资金来源',
  '下达（元）',
  '到账及结转（元）',
  '发放（元）',
  '减免（元）',
  '待发放（元）',
  '结余（元）',
];

/** The overview: a row per programme and source (spending is the programme's, on its first row). */
function overviewRows(l: Ledger): { rows: string[][]; total: string[] } {
  const rows: string[][] = [];
  for (const line of l.lines) {
    const spent = [money(line.paid), money(line.waived), money(line.committed), money(line.balance)];
    if (line.sources.length === 0) {
      if (line.paid || line.waived || line.committed) rows.push([line.name, '（未登记资金）', '0', '0', ...spent]);
      continue;
    }
    line.sources.forEach((s, i) =>
      rows.push([
        i === 0 ? line.name : '',
        FUND_SOURCE_TEXT[s.source],
        money(s.allocated),
        money(s.available),
        ...(i === 0 ? spent : ['', '', '', '']),
      ]),
    );
  }
  const t = l.total;
  return {
    rows,
    total: ['合计', '', money(t.allocated), money(t.available), money(t.paid), money(t.waived), money(t.committed), money(t.balance)],
  };
}

/** The schools' part of the spending, under the overview (money is the desk's; it is spent school by school). */
function schoolLines(l: Ledger): string[] {
  if (!l.bySchool) return [];
  const parts = l.bySchool.map(
    (x) =>
      `${x.name} 发放 ${formatYuan(x.paid)}${x.waived ? `、减免 ${formatYuan(x.waived)}` : ''}${x.meals ? `、营养餐 ${formatYuan(x.meals)}` : ''}${x.committed ? `、待发放 ${formatYuan(x.committed)}` : ''}`,
  );
  return [`资金由中心校统一收支，按学生所在学校分列支出：${parts.join('；')}。`];
}

const SCHOOL_HEADERS = ['各校支出', '', '', '', '发放（元）', '减免（元）', '待发放（元）', '营养餐（元）'];

export async function printFunds(ctx: CoreContext, programmeId: number | null, term: Term): Promise<PrintDocument> {
  const school = await requireSchool(ctx);
  if (programmeId !== null) {
    const line = programmeLedger(ctx, programmeId, term);
    const book = ledgerBookOf(ctx, programmeId, term);
    return fundsTableDocument({
      title: `${line.name}资金台账`,
      intro: [`单位：${school.name}\u3000\u3000期间：${termText(term)}\u3000\u3000打印日期：${today(ctx)}\u3000\u3000金额单位：元`],
      columns: [
        { header: BOOK_HEADERS[0]!, share: 12 },
        { header: BOOK_HEADERS[1]!, share: 30 },
        { header: BOOK_HEADERS[2]!, share: 9 },
        { header: BOOK_HEADERS[3]!, share: 12, num: true },
        { header: BOOK_HEADERS[4]!, share: 12, num: true },
        { header: BOOK_HEADERS[5]!, share: 12, num: true },
        { header: BOOK_HEADERS[6]!, share: 13, num: true },
      ],
      rows: book.map(bookRow),
      total: bookTotal(book),
      after: [
        `截至 ${today(ctx)}：下达 ${formatYuan(line.allocated)}，到账及结转可用 ${formatYuan(line.available)}，已发放 ${formatYuan(line.paid)}${line.waived ? `，减免 ${formatYuan(line.waived)}` : ''}，结余 ${formatYuan(line.balance)}；已审核待发放 ${line.committedCount} 人 ${formatYuan(line.committed)}${line.awaited ? `；尚未到账 ${formatYuan(line.awaited)}` : ''}。`,
      ],
      signOff: 'ledger',
    });
  }
  const l = await ledger(ctx, term);
  const { rows, total } = overviewRows(l);
  return fundsTableDocument({
    title: `${termText(term)}学生资助资金台账（汇总）`,
    intro: [`单位：${school.name}\u3000\u3000打印日期：${today(ctx)}\u3000\u3000金额单位：元`],
    columns: OVERVIEW_HEADERS.map((header, i) => ({ header, share: i === 0 ? 22 : i === 1 ? 10 : 11, num: i > 1 })),
    rows,
    total,
    after: schoolLines(l),
    signOff: 'ledger',
  });
}

export async function exportFunds(ctx: CoreContext, programmeId: number | null, term: Term): Promise<FileResult> {
  const school = await requireSchool(ctx);
  // The printed text back to a plain number for the sheet: 16,562.50 → 16562.5.
  const num = (s: string) => (s === '' ? null : Number(s.replace(/,/g, '')));
  if (programmeId !== null) {
    const line = programmeLedger(ctx, programmeId, term);
    const book = ledgerBookOf(ctx, programmeId, term);
    const title = `${school.name}${termText(term)}${line.name}资金台账`;
    const { data } = await writePlainList({
      sheetName: '资金台账',
      title,
      headers: BOOK_HEADERS.map((text, i) => ({ text, width: i === 1 ? 40 : 14 })),
      textColumns: [0],
      rows: book.map((e) => bookRow(e).map((v, i) => (i >= 3 ? num(v) : v))),
    });
    return { fileName: `${title}.xlsx`, dataBase64: data.toString('base64') };
  }
  const l = await ledger(ctx, term);
  const { rows, total } = overviewRows(l);
  const title = `${school.name}${termText(term)}学生资助资金台账（汇总）`;
  const { data } = await writePlainList({
    sheetName: '资金汇总',
    title,
    headers: OVERVIEW_HEADERS.map((text, i) => ({ text, width: i === 0 ? 28 : 16 })),
    textColumns: [],
    rows: [
      ...[...rows, total].map((r) => r.map((v, i) => (i >= 2 ? num(v) : v))),
      ...(l.bySchool
        ? [
            [],
            SCHOOL_HEADERS,
            ...l.bySchool.map((x) => [
              x.name,
              '',
              null,
              null,
              num(money(x.paid)),
              num(money(x.waived)),
              num(money(x.committed)),
              num(money(x.meals)),
            ]),
          ]
        : []),
    ],
  });
  return { fileName: `${title}.xlsx`, dataBase64: data.toString('base64') };
}

/** 资金使用情况通报: per programme the money received and spent and how many were aided; nobody named. */
export async function printFundsNotice(ctx: CoreContext, term: Term): Promise<PrintDocument> {
  const school = await requireSchool(ctx);
  const l = await ledger(ctx, term);
  const used = l.lines.filter((x) => x.available || x.paid || x.waived || x.allocated);
  const persons = (x: (typeof used)[number]) => (x.kind === 'meals' ? `${x.paidCount} 人天` : `${x.paidCount} 人次`);
  const bySource = l.bySource.map((s) => `${FUND_SOURCE_TEXT[s.source]}${formatYuan(s.received + s.carriedIn)}`).join('、');
  return fundsTableDocument({
    title: `${school.name}${termText(term)}学生资助资金使用情况通报`,
    intro: [
      `${termText(term)}，我校共收到（含上期结转）学生资助资金 ${formatYuan(l.total.available)}${bySource ? `（${bySource}）` : ''}，已发放和减免 ${formatYuan(l.total.paid + l.total.waived)}，结余 ${formatYuan(l.total.balance)}。各项目情况如下（金额单位：元）：`,
    ],
    columns: [
      { header: '资助项目', share: 30 },
      { header: '下达金额', share: 14, num: true },
      { header: '到账及结转', share: 14, num: true },
      { header: '发放/减免', share: 14, num: true },
      { header: '受助', share: 12, num: true },
      { header: '结余', share: 14, num: true },
    ],
    rows: used.map((x) => [x.name, money(x.allocated), money(x.available), money(x.paid + x.waived), persons(x), money(x.balance)]),
    total: ['合计', money(l.total.allocated), money(l.total.available), money(l.total.paid + l.total.waived), '', money(l.total.balance)],
    after: ['学生资助资金实行专户管理、分账核算，专款专用。学生资助不收取任何费用，如有疑问或发现问题，请向学校学生资助工作领导小组反映。'],
    signOff: { schoolName: school.name, date: today(ctx) },
  });
}
