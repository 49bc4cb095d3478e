/** 档案目录 and box labels: what the inspectors read first when they open the archive. */
import type { PrintDocument } from '../../../shared/api/common';
import { ARCHIVE_STATUS_TEXT, type ArchiveDefinition, type ArchiveItem } from '../../../shared/domain/archive';
import { chineseDate, esc, paginate, printDocument } from './document';

const ROWS_PER_PAGE = 32;

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
  const term = items.filter((i) => i.scope === 'term');
  if (term.length) {
    out.push({ kind: 'section', text: '一、学期综合档案' });
    for (const i of term) out.push(item(i.name, '全校', ARCHIVE_STATUS_TEXT[i.status], i.attachments.length, i.note));
  }
  const programmes = [...new Set(items.filter((i) => i.scope === 'programme').map((i) => i.programmeName ?? ''))];
  if (programmes.length) out.push({ kind: 'section', text: '二、项目档案' });
  for (const p of programmes) {
    for (const i of items.filter((x) => x.scope === 'programme' && x.programmeName === p))
      out.push(item(i.name, p, ARCHIVE_STATUS_TEXT[i.status], i.attachments.length, i.note));
  }
  const students = items.filter((i) => i.scope === 'student');
  if (students.length) out.push({ kind: 'section', text: '三、学生个人档案（按班级）' });
  const classes = [...new Set(students.map((i) => i.className ?? '未分班'))];
  for (const c of classes) {
    const ofClass = students.filter((i) => (i.className ?? '未分班') === c);
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

export function archiveCatalogue(items: ArchiveItem[], schoolName: string, periodLabel: string, date: string): PrintDocument {
  const title = `${schoolName}${periodLabel}学生资助档案目录`;
  const pages = paginate(lines(items), ROWS_PER_PAGE);
  const html = pages.map((rows, p) => {
    const body = rows
      .map((l) =>
        l.kind === 'section'
          ? `<tr class="section"><td colspan="6" class="left"><b>${esc(l.text)}</b></td></tr>`
          : `<tr><td>${l.no}</td><td class="left">${esc(l.name)}</td><td class="left">${esc(l.scope)}</td><td>${esc(l.status)}</td><td>${l.files || ''}</td><td class="left">${esc(l.note)}</td></tr>`,
      )
      .join('');
    return `${p === 0 ? `<h1>${esc(title)}</h1><p class="sub">编制日期：${chineseDate(date)}</p>` : `<p class="muted">${esc(title)}（续）</p>`}
      <table class="grid"><colgroup><col style="width:6%"><col style="width:17%"><col style="width:31%"><col style="width:11%"><col style="width:7%"><col style="width:28%"></colgroup>
      <thead><tr><th>序号</th><th>档案名称</th><th>范围</th><th>状态</th><th>附件</th><th>备注</th></tr></thead><tbody>${body}</tbody></table>
      ${p === pages.length - 1 ? '<div class="sign"><span>整理人：</span><span>审核人：</span><span>日期：&emsp;&emsp;年&emsp;&emsp;月&emsp;&emsp;日</span></div>' : ''}
      <div class="pageno">第 ${p + 1} 页 共 ${pages.length} 页</div>`;
  });
  return printDocument(title, html, `tr.section td { background: #f6f6f6; -webkit-print-color-adjust: exact; print-color-adjust: exact; }`);
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
