/** The CLI's payment and report commands: a bank's result file, the term's figures and the summary paragraph. */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { STAGE_TEXT } from '../../shared/domain/school';
import { SECTION_TEXT, STATS_GROUP_TEXT, STATS_GROUPS, type Figures, type PeriodStats } from '../../shared/domain/stats';
import { formatYuan } from '../../shared/rules/money';
import { isSchoolYear, termText } from '../../shared/rules/term';
import { today, type CoreContext } from '../core/context';
import { directClient } from '../core/dispatch';
import { UsageError, type Io, type Values } from './cli-common';
import { programmeOf, termOf } from './cli-programmes';

/** `payments import-bank FILE`: exit 1 when rows could not be matched (they are listed, nothing is guessed). */
export async function importBankCommand(ctx: CoreContext, file: string, values: Values, io: Io, json: boolean): Promise<number> {
  const term = termOf(values);
  const p = await programmeOf(ctx, values, term);
  const paidOn = values['paid-on'] ?? today(ctx);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(paidOn)) throw new UsageError(`--paid-on 的日期“${paidOn}”格式应为 2026-11-20`);
  const data = await readFile(resolve(file));
  const r = await directClient(ctx).invoke('payments.importBank', {
    upload: { fileName: basename(file), dataBase64: data.toString('base64') },
    programmeId: p.id,
    term,
    paidOn,
    dryRun: values['dry-run'] === true,
  });
  if (json) {
    io.out(
      JSON.stringify(
        {
          paid: r.paid,
          alreadyPaid: r.alreadyPaid,
          alreadyRecorded: r.alreadyRecorded,
          failed: r.failed.map((f) => ({ student: f.student, account: f.account, reason: f.reason })),
          unmatched: r.unmatched,
          rows: r.rows,
          dryRun: r.dryRun,
        },
        null,
        2,
      ),
    );
  } else {
    io.out(`${p.name} ${termText(term)}：回单“${r.fileName}”共 ${r.rows} 行${r.dryRun ? '（预览，未写入）' : ''}`);
    io.out(
      `发放成功 ${r.paid} 人${r.alreadyPaid ? `，此前已登记成功 ${r.alreadyPaid} 人（不重复登记）` : ''}${r.alreadyRecorded ? `，此前导入本文件时已登记 ${r.alreadyRecorded} 行` : ''}`,
    );
    if (r.failed.length)
      io.out(
        `发放失败 ${r.failed.length} 人（请核对卡号后重新发放）：\n${r.failed.map((f) => `  ${f.student}  账号 ${f.account}  ${f.reason}`).join('\n')}`,
      );
    if (r.unmatched.length)
      io.out(
        `无法对应、未登记 ${r.unmatched.length} 行：\n${r.unmatched.map((u) => `  第 ${u.row} 行 ${u.name}  账号 ${u.account}：${u.reason}`).join('\n')}`,
      );
  }
  return r.unmatched.length ? 1 : 0;
}

function periodArgs(values: Values): { term: ReturnType<typeof termOf> } | { schoolYear: string } {
  if (values.year !== undefined) {
    if (!isSchoolYear(values.year)) throw new UsageError(`--year 的学年“${values.year}”格式应为 2026-2027`);
    return { schoolYear: values.year };
  }
  return { term: termOf(values) };
}

function figureLine(label: string, f: Figures): string {
  const groups = STATS_GROUPS.filter((g) => f.groups[g])
    .map((g) => `${STATS_GROUP_TEXT[g]} ${f.groups[g]}`)
    .join('，');
  const waived = f.waived ? `  减免 ${formatYuan(f.waived)}` : '';
  return `${label}  ${f.students} 人  ${f.instances} 人次  发放 ${formatYuan(f.amount)}${waived}${groups ? `  （${groups}）` : ''}  寄宿 ${f.boarders} / 走读 ${f.day}`;
}

function printPeriod(io: Io, s: PeriodStats): void {
  io.out(`${s.label}：`);
  for (const sec of s.sections) {
    for (const p of s.programmes.filter((x) => x.section === sec.section)) io.out(`  ${figureLine(p.programmeName, p)}`);
    io.out(`  ${figureLine(`${SECTION_TEXT[sec.section]}小计`, sec)}`);
  }
  io.out(`  ${figureLine('合计', s.total)}`);
  for (const st of s.stages) io.out(`  ${figureLine(`其中${STAGE_TEXT[st.stage]}`, st)}`);
}

export async function statsCommand(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const s = await directClient(ctx).invoke('stats.get', periodArgs(values));
  if (json) io.out(JSON.stringify(s, null, 2));
  else {
    printPeriod(io, s.current);
    printPeriod(io, s.previous);
  }
  return 0;
}

export async function summaryCommand(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const { text } = await directClient(ctx).invoke('stats.summary', periodArgs(values));
  io.out(json ? JSON.stringify({ text }) : text);
  return 0;
}
