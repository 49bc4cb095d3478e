/** 档案目录 and box labels: what the inspectors read first when they open the archive. */
import type { PrintDocument } from '../../../shared/api/common';
import { ARCHIVE_STATUS_TEXT, type ArchiveDefinition, type ArchiveItem } from '../../../shared/domain/archive';
import { chineseDate, esc, measuredDocument, paginate, printDocument } from './document';
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

type Line =
  | { kind: 'section'; text: string }
  | { kind: 'item'; no: number; name: string; scope: string; status: string; files: number; note: string };

/** Student items are summed per class and item: a catalogue lists what is in the folder, not every child. */
function lines(items: ArchiveItem[]): Line[] {
  const out: Line[] = [];
  let no = 0;
  const item = (name: string, scope: string, status: string, files: number, note: string): Line => ({
    kind: 'item',
    no: ++no,
    name,
    scope,
    status,
    files,
    note,
  });
  // The central school with its member schools in one catalogue: every line says whose it is.
  const several = new Set(items.map((i) => i.schoolName)).size > 1;
  const whose = (i: ArchiveItem, what: string) => (several ? `${i.schoolName} ${what}` : what);
  const term = items.filter((i) => i.scope === 'term');
  if (term.length) {
    out.push({ kind: 'section', text: '一、学期综合档案' });
    for (const i of term)
      out.push(item(i.name, several ? i.schoolName : '全校', ARCHIVE_STATUS_TEXT[i.status], i.attachments.length, i.note));
  }
  const programmeOf = (i: ArchiveItem) => whose(i, i.programmeName ?? '');
  const programmes = [...new Set(items.filter((i) => i.scope === 'programme').map(programmeOf))];
  if (programmes.length) out.push({ kind: 'section', text: '二、项目档案' });
  for (const p of programmes) {
    for (const i of items.filter((x) => x.scope === 'programme' && programmeOf(x) === p))
      out.push(item(i.name, p, ARCHIVE_STATUS_TEXT[i.status], i.attachments.length, i.note));
  }
  const students = items.filter((i) => i.scope === 'student');
  if (students.length) out.push({ kind: 'section', text: '三、学生个人档案（按班级）' });
  const classOf = (i: ArchiveItem) => whose(i, i.className ?? '未分班');
  const classes = [...new Set(students.map(classOf))];
  for (const c of classes) {
    const ofClass = students.filter((i) => classOf(i) === c);
    for (const name of [...new Set(ofClass.map((i) => i.name))]) {
      const these = ofClass.filter((i) => i.name === name);
      const done = these.filter((i) => i.status === 'complete').length;
      const short = these
        .filter((i) => i.status !== 'complete')
        .map((i) => i.studentName)
        .slice(0, 6);
      const note = short.length ? `未齐：${short.join('、')}${these.length - done > short.length ? ' 等' : ''}` : '';
      out.push(
        item(
          name,
          c,
          `齐全 ${done}/${these.length}`,
          these.reduce((n, i) => n + i.attachments.length, 0),
          note,
        ),
      );
    }
  }
  return out;
}

const STYLE: TableStyle = { fontPt: 10.5, lineHeight: 1.3, padV: 1, padH: 1.5, minRow: 6.5 };
/** The page number at the foot of every sheet, with the gap above it. */
const FOOT = 8;

export function archiveCatalogue(items: ArchiveItem[], schoolName: string, periodLabel: string, date: string): PrintDocument {
  const title = `${schoolName}${periodLabel}学生资助档案目录`;
  const box = pageBox(A4_PORTRAIT);
  const w = box.width - 1;
  const columns: Column[] = [0.06, 0.17, 0.31, 0.11, 0.07, 0.28].map((f) => ({ width: Math.floor(w * f * 10) / 10 }));
  columns[0]!.fit = true;
  const head = tableRow(
    ['序号', '档案名称', '范围', '状态', '附件', '备注'].map((text) => ({ text })),
    columns,
    STYLE,
    { header: true },
  );
  const flow = lines(items);
  const rows = flow.map((l) =>
    l.kind === 'section'
      ? tableRow([{ text: l.text, span: 6, className: 'left', html: `<b>${esc(l.text)}</b>` }], columns, STYLE, { className: 'section' })
      : tableRow(
          [
            { text: String(l.no) },
            { text: l.name, className: 'left' },
            { text: l.scope, className: 'left' },
            { text: l.status },
            { text: l.files ? String(l.files) : '' },
            { text: l.note, className: 'left' },
          ],
          columns,
          STYLE,
        ),
  );
  const first = [
    textBlock(title, w, { fontPt: 17, bold: true, align: 'center', lineHeight: 1.35, after: 1 }),
    textBlock(`编制日期：${chineseDate(date)}`, w, { fontPt: 11, align: 'center', lineHeight: 1.5, after: 2 }),
  ];
  const next = [textBlock(`${title}（续）`, w, { fontPt: 9.5, lineHeight: 1.4, after: 2 })];
  const sign = textBlock('整理人：　　　　　　　　审核人：　　　　　　　　日期：　　　　年　　月　　日', w, {
    fontPt: 11,
    lineHeight: 1.5,
    html: '<div class="sign"><span>整理人：</span><span>审核人：</span><span>日期：&emsp;&emsp;年&emsp;&emsp;月&emsp;&emsp;日</span></div>',
  });
  const height = (blocks: { height: number }[]) => blocks.reduce((s, b) => s + b.height, 0);
  const pages = pagesByHeight(
    rows.map((r) => r.height),
    (page) => box.height - height(page === 0 ? first : next) - head.height - FOOT,
    { tail: 8 + sign.height, keepWithNext: (i) => flow[i]!.kind === 'section' },
  );
  return measuredDocument(
    title,
    pages.map((ix, p) => ({
      body: [
        ...(p === 0 ? first : next).map((b) => b.html),
        table(
          columns,
          STYLE,
          head,
          ix.map((k) => rows[k]!.html),
        ),
        p === pages.length - 1 ? `<div style="height:8mm"></div>${sign.html}` : '',
      ].join(''),
      foot: `<div class="pageno">第 ${p + 1} 页 共 ${pages.length} 页</div>`,
    })),
    `${paperCss(A4_PORTRAIT)}${tableCss(STYLE)}
tr.section td { background: #f6f6f6; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.blk .sign { margin-top: 0; }`,
  );
}

export interface Label {
  title: string;
  contents: string[];
  retention: string;
}

/** Labels for archive boxes: two to an A4 page, cut along the dashed line. */
export function archiveLabels(labels: Label[], schoolName: string, periodLabel: string): PrintDocument {
  const pages = paginate(labels, 2);
  const html = pages.map((pair) =>
    pair
      .map(
        (l) => `<div class="label">
      <div class="school">${esc(schoolName)}</div>
      <div class="kind">学生资助档案</div>
      <div class="title">${esc(l.title)}</div>
      <div class="period">${esc(periodLabel)}</div>
      <table class="meta"><tr><td>卷内材料</td><td class="left">${l.contents.map(esc).join('、')}</td></tr>
      <tr><td>保管期限</td><td class="left">${esc(l.retention)}</td></tr><tr><td>档&emsp;&emsp;号</td><td></td></tr></table>
    </div>`,
      )
      .join('<div class="cut"></div>'),
  );
  const css = `.label { border: 1.5pt solid #000; height: 125mm; padding: 8mm 10mm; text-align: center; }
    .label .school { font-size: 16pt; font-weight: bold; margin-top: 4mm; }
    .label .kind { font-size: 13pt; margin-top: 3mm; letter-spacing: 4pt; }
    .label .title { font-size: 22pt; font-weight: bold; margin: 8mm 0 4mm; }
    .label .period { font-size: 14pt; margin-bottom: 6mm; }
    .label table.meta { width: 100%; border-collapse: collapse; font-size: 11pt; }
    .label table.meta td { border: 0.8pt solid #000; padding: 2mm; } .label table.meta td:first-child { width: 24%; text-align: center; }
    .left { text-align: left; }
    .cut { border-top: 1pt dashed #666; margin: 6mm 0; }`;
  return printDocument(`${schoolName}${periodLabel}档案标签`, html, css);
}

/** The longest retention among the definitions ("30年" beats "10年"), or 永久 / 长期 words as written. */
export function longestRetention(defs: ArchiveDefinition[], fallback = '10年'): string {
  const years = defs.map((d) => Number(/^(\d+)年$/.exec(d.retention)?.[1] ?? 0));
  const max = Math.max(0, ...years);
  return max ? `${max}年` : fallback;
}
