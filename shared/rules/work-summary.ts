/**
 * The paragraph of figures a work summary (工作总结) needs, written the way schools write them:
 * "2026年秋季学期，我校共资助家庭经济困难学生412人次……发放资助资金23.45万元".
 */
import { FUND_SOURCE_TEXT } from '../domain/funds';
import { STAGE_TEXT } from '../domain/school';
import { SECTION_OF_STAGE, SECTION_TEXT, STATS_GROUP_TEXT, STATS_GROUPS, type Figures, type Stats } from '../domain/stats';
import type { Fen } from './money';

/**
 * Money as reports write it: 万元 with two decimals from ten thousand yuan up, else 元.
 * @example wanYuan(23_450_000) === '23.45万元' · wanYuan(312_50) === '312.5元'
 */
export function wanYuan(fen: Fen): string {
  // Rounded in whole hundreds of yuan (0.01 万元) with integers: 10 050 元 is 1.01万元, never 1.00.
  if (fen >= 1_000_000) {
    const hundreds = Math.floor((fen + 5_000) / 10_000);
    return `${Math.floor(hundreds / 100)}.${String(hundreds % 100).padStart(2, '0')}万元`;
  }
  const yuan = fen / 100;
  return `${Number.isInteger(yuan) ? yuan : yuan.toFixed(2).replace(/0$/, '')}元`;
}

function percent(part: number, whole: number): string {
  return whole ? `${((part / whole) * 100).toFixed(1)}%` : '0%';
}

function change(now: number, before: number, unit: string, text: (n: number) => string = String): string {
  if (now === before) return `与上期持平`;
  return `${now > before ? '增加' : '减少'}${text(Math.abs(now - before))}${unit}`;
}

function groupsSentence(f: Figures): string {
  const named = STATS_GROUPS.filter((g) => f.groups[g] > 0).map(
    (g) => `${STATS_GROUP_TEXT[g]}${f.groups[g]}人（占${percent(f.groups[g], f.students)}）`,
  );
  return named.length ? `受助学生中，${named.join('，')}。` : '';
}

export function workSummary(stats: Stats, schoolName: string): string {
  const { current, previous } = stats;
  const t = current.total;
  const given = current.programmes.filter((p) => p.universal).map((p) => `${p.programmeName}${p.instances}人次、价值${wanYuan(p.waived)}`);
  const inKind = given.length ? `另发放${given.join('，')}。` : '';
  if (t.instances === 0) return `${current.label}，${schoolName}尚未登记任何资助发放。${inKind}`;
  const parts: string[] = [];
  const money = [t.amount ? `发放资助资金${wanYuan(t.amount)}` : '', t.waived ? `减免（实物）资助${wanYuan(t.waived)}` : '']
    .filter(Boolean)
    .join('，');
  parts.push(`${current.label}，${schoolName}共资助家庭经济困难学生${t.students}人、${t.instances}人次，${money}。`);
  if (current.enrolled > 0) parts.push(`资助面${percent(t.students, current.enrolled)}（在校学生${current.enrolled}人）。`);
  const received = current.funds.reduce((s, f) => s + f.amount, 0);
  if (received > 0)
    parts.push(
      `本期到账学生资助资金${wanYuan(received)}（${current.funds.map((f) => `${FUND_SOURCE_TEXT[f.source]}${wanYuan(f.amount)}`).join('、')}）。`,
    );
  for (const s of current.sections) {
    const programmes = current.programmes
      .filter((p) => p.section === s.section && !p.universal)
      .map(
        (p) =>
          `${p.programmeName}${p.instances}人次、${wanYuan(p.amount || p.waived)}${p.kind === 'paid' ? '' : p.kind === 'inKind' ? '（实物）' : '（减免）'}`,
      );
    const stages = current.stages.filter((x) => SECTION_OF_STAGE[x.stage] === s.section);
    const split = stages.length > 1 ? `（${stages.map((x) => `${STAGE_TEXT[x.stage]}${x.students}人`).join('、')}）` : '';
    parts.push(
      `其中${SECTION_TEXT[s.section]}阶段资助${s.students}人${split}、${s.instances}人次，${s.amount ? `发放${wanYuan(s.amount)}` : `减免${wanYuan(s.waived)}`}${programmes.length ? `（${programmes.join('；')}）` : ''}。`,
    );
  }
  // A central school with its member schools: each school's share, in the order of the desk.
  if (current.schools.length > 1)
    parts.push(`分学校：${current.schools.map((x) => `${x.schoolName}${x.students}人、${wanYuan(x.amount + x.waived)}`).join('；')}。`);
  parts.push(groupsSentence(t));
  if (inKind) parts.push(inKind);
  if (t.boarders || t.day) parts.push(`寄宿生${t.boarders}人，走读生${t.day}人。`);
  const p = previous.total;
  if (p.instances > 0) {
    parts.push(
      `与${previous.label}相比，受助人数${change(t.students, p.students, '人')}，资助资金${change(t.amount + t.waived, p.amount + p.waived, '', wanYuan)}。`,
    );
  } else {
    parts.push(`${previous.label}没有登记发放数据，无法比较。`);
  }
  return parts.join('');
}
