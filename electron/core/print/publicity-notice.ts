/** 公示名单: only 姓名, 年级, 班级 and the posted value, whatever else the database holds. Pages cut by measured height. */
import type { PrintDocument } from '../../../shared/api/common';
import type { PublicityDetail } from '../../../shared/domain/publicity';
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

const STYLE: TableStyle = { fontPt: 11, lineHeight: 1.3, padV: 1.2, padH: 1.5, minRow: 7 };
/** The page number's line at the foot of every sheet, and the gap above it. */
const FOOT = 8;

export function publicityNotice(p: PublicityDetail, schoolName: string, valueHeader: string, intro: string): PrintDocument {
  const box = pageBox(A4_PORTRAIT);
  const w = box.width - 1;
  const columns: Column[] = [0.1, 0.22, 0.2, 0.26, 0.22].map((f) => ({ width: Math.floor(w * f * 10) / 10 }));
  columns[0]!.fit = true;
  const head = tableRow(
    ['序号', '姓名', '年级', '班级', valueHeader].map((text) => ({ text })),
    columns,
    STYLE,
    { header: true },
  );
  const rows = p.entries.map((e, k) =>
    tableRow([{ text: String(k + 1) }, { text: e.name }, { text: e.grade }, { text: e.className }, { text: e.value }], columns, STYLE),
  );
  const first = [
    textBlock(p.title, w, { fontPt: 17, bold: true, align: 'center', lineHeight: 1.35, after: 3 }),
    textBlock(intro, w, { fontPt: 11, lineHeight: 1.6, after: 2 }),
  ];
  const next = [textBlock(`${p.title}（续）`, w, { fontPt: 9.5, lineHeight: 1.4, after: 2 })];
  const tail = [
    textBlock(`公示时间：${chineseDate(p.startsOn)}至${chineseDate(p.endsOn)}（${p.workingDays}个工作日）。`, w, {
      fontPt: 11,
      lineHeight: 1.6,
      after: 1,
    }),
    textBlock(
      `公示期间如有异议，请向学校学生资助工作领导小组反映。监督电话：${p.complaintPhone}。学校将对反映的问题及时复核并予以答复。`,
      w,
      {
        fontPt: 11,
        lineHeight: 1.6,
        after: 6,
      },
    ),
    textBlock(schoolName, w, { fontPt: 11, lineHeight: 1.6, align: 'right' }),
    textBlock(chineseDate(p.startsOn), w, { fontPt: 11, lineHeight: 1.6, align: 'right' }),
  ];
  const height = (blocks: { height: number }[]) => blocks.reduce((s, b) => s + b.height, 0);
  const tailHeight = 3 + height(tail);
  const capacity = (page: number) => box.height - height(page === 0 ? first : next) - head.height - FOOT;
  const pages = pagesByHeight(
    rows.map((r) => r.height),
    capacity,
    { tail: tailHeight },
  );
  return measuredDocument(
    p.title,
    pages.map((ix, i) => ({
      body: [
        ...(i === 0 ? first : next).map((b) => b.html),
        table(
          columns,
          STYLE,
          head,
          ix.map((k) => rows[k]!.html),
        ),
        i === pages.length - 1 ? `<div style="height:3mm"></div>${tail.map((b) => b.html).join('')}` : '',
      ].join(''),
      foot: `<div class="pageno">第 ${i + 1} 页 共 ${pages.length} 页</div>`,
    })),
    `${paperCss(A4_PORTRAIT)}${tableCss(STYLE)}`,
  );
}
