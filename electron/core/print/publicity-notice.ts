/** 公示名单: only 姓名, 年级, 班级 and the posted value, whatever else the database holds. */
import type { PrintDocument } from '../../../shared/api/common';
import type { PublicityDetail } from '../../../shared/domain/publicity';
import { chineseDate, esc, paginate, printDocument } from './document';

const ROWS_PER_PAGE = 30;

export function publicityNotice(p: PublicityDetail, schoolName: string, valueHeader: string, intro: string): PrintDocument {
  const pages = paginate(p.entries, ROWS_PER_PAGE);
  const html = pages.map((rows, i) => {
    const first = i === 0;
    const last = i === pages.length - 1;
    const head = first ? `<h1>${esc(p.title)}</h1><p>${esc(intro)}</p>` : `<p class="muted">${esc(p.title)}（续）</p>`;
    const body = rows
      .map(
        (e, k) =>
          `<tr><td>${i * ROWS_PER_PAGE + k + 1}</td><td>${esc(e.name)}</td><td>${esc(e.grade)}</td><td>${esc(e.className)}</td><td>${esc(e.value)}</td></tr>`,
      )
      .join('');
    const tail = last
      ? `<p>公示时间：${chineseDate(p.startsOn)}至${chineseDate(p.endsOn)}（${p.workingDays}个工作日）。</p>
         <p>公示期间如有异议，请向学校学生资助工作领导小组反映。监督电话：${esc(p.complaintPhone)}。学校将对反映的问题及时复核并予以答复。</p>
         <p class="right" style="margin-top:8mm">${esc(schoolName)}</p><p class="right">${chineseDate(p.startsOn)}</p>`
      : '';
    return `${head}<table class="grid"><colgroup><col style="width:10%"><col style="width:22%"><col style="width:20%"><col style="width:26%"><col style="width:22%"></colgroup>
      <thead><tr><th>序号</th><th>姓名</th><th>年级</th><th>班级</th><th>${esc(valueHeader)}</th></tr></thead><tbody>${body}</tbody></table>${tail}
      <div class="pageno">第 ${i + 1} 页 共 ${pages.length} 页</div>`;
  });
  return printDocument(p.title, html);
}
