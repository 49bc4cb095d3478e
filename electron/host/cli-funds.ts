/** The CLI's funds ledger and meal ledger: `funds list|add|receive`, `meals month|term`. */
import { FUND_SOURCE_TEXT, FUND_SOURCES, type FundSource, type LedgerLine } from '../../shared/domain/funds';
import { AppError } from '../../shared/errors';
import { formatYuan, parseYuan, type Fen } from '../../shared/rules/money';
import { termText } from '../../shared/rules/term';
import { today, type CoreContext } from '../core/context';
import { directClient } from '../core/dispatch';
import { UsageError, type Io, type Values } from './cli-common';
import { programmeOf, termOf } from './cli-programmes';

function amountOf(values: Values): Fen {
  const fen = values.amount === undefined ? null : parseYuan(values.amount);
  if (fen === null || fen === 'invalid' || fen <= 0)
    throw new UsageError(`请用 --amount 给出金额（元），如 --amount 12500 或 --amount 312.50`);
  return fen;
}

function sourceOf(values: Values): FundSource {
  const s = values.source as FundSource | undefined;
  if (!s || !FUND_SOURCES.includes(s))
    throw new UsageError(`请用 --source 指定资金来源：${FUND_SOURCES.map((x) => `${x}（${FUND_SOURCE_TEXT[x]}）`).join('、')}`);
  return s;
}

function dateOf(values: Values, name: 'date', fallback: string | null): string {
  const d = values[name] ?? fallback;
  if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new UsageError(`请用 --${name} 给出日期，格式如 2026-11-20`);
  return d;
}

function lineText(l: Omit<LedgerLine, 'programmeId' | 'code' | 'name' | 'kind' | 'sources'>): string {
  return `下达 ${formatYuan(l.allocated)}  到账及结转 ${formatYuan(l.available)}  发放 ${formatYuan(l.paid)}${l.waived ? `  减免 ${formatYuan(l.waived)}` : ''}  待发放 ${formatYuan(l.committed)}  结余 ${formatYuan(l.balance)}`;
}

export async function fundsCommand(ctx: CoreContext, sub: string | undefined, values: Values, io: Io, json: boolean): Promise<number> {
  const c = directClient(ctx);
  const term = termOf(values);
  if (sub === 'list') {
    const l = await c.invoke('funds.ledger', { term });
    if (json) {
      io.out(JSON.stringify(l, null, 2));
      return 0;
    }
    io.out(`${termText(term)}资金台账（金额单位：元）`);
    for (const line of l.lines.filter((x) => x.available || x.allocated || x.paid || x.waived || x.committed)) {
      io.out(`  ${line.name}：${lineText(line)}`);
      for (const s of line.sources)
        io.out(`    ${FUND_SOURCE_TEXT[s.source]}：下达 ${formatYuan(s.allocated)}  到账 ${formatYuan(s.received)}`);
    }
    io.out(`  合计：${lineText(l.total)}`);
    return 0;
  }
  if (sub === 'add') {
    const p = await programmeOf(ctx, values, term);
    if (!values.document) throw new UsageError('请用 --document 给出资金文件的文号');
    const a = await c.invoke('funds.addAllocation', {
      programmeId: p.id,
      term,
      source: sourceOf(values),
      documentNumber: values.document,
      documentDate: dateOf(values, 'date', null),
      amount: amountOf(values),
      note: values.note ?? '',
    });
    if (json) io.out(JSON.stringify(a, null, 2));
    else io.out(`已登记资金文件 ${a.documentNumber}：${p.name} ${termText(term)} ${FUND_SOURCE_TEXT[a.source]} ${formatYuan(a.amount)}`);
    return 0;
  }
  if (sub === 'receive') {
    if (!values.document) throw new UsageError('请用 --document 给出到账资金的文号（先用 aid-desk funds add 登记资金文件）');
    const programme = values.programme ? await programmeOf(ctx, values, term) : null;
    const l = await c.invoke('funds.ledger', { term });
    const candidates = (
      await Promise.all(
        l.lines
          .filter((x) => !programme || x.programmeId === programme.id)
          .map(async (x) => (await c.invoke('funds.programme', { programmeId: x.programmeId, term })).allocations),
      )
    )
      .flat()
      .filter((a) => a.documentNumber === values.document && (!values.source || a.source === values.source));
    if (candidates.length === 0) throw new AppError('not-found', `${termText(term)}没有登记文号为“${values.document}”的资金文件`);
    if (candidates.length > 1)
      throw new UsageError(
        `文号“${values.document}”对应 ${candidates.length} 笔资金文件（多个项目或来源），请用 --programme 和 --source 指明`,
      );
    const m = await c.invoke('funds.receive', {
      allocationId: candidates[0]!.id,
      onDate: dateOf(values, 'date', today(ctx)),
      amount: amountOf(values),
      account: values.account ?? '',
      note: values.note ?? '',
      backdateReason: values.reason ?? null,
    });
    if (json) io.out(JSON.stringify(m, null, 2));
    else io.out(`已登记到账 ${formatYuan(m.amount)}（${m.documentNumber}，${m.onDate}）`);
    return 0;
  }
  throw new UsageError('用法：aid-desk funds list|add|receive --term 学期 …');
}

export async function mealsCommand(ctx: CoreContext, sub: string | undefined, values: Values, io: Io, json: boolean): Promise<number> {
  const c = directClient(ctx);
  if (sub === 'month') {
    if (!values.month) throw new UsageError('请用 --month 指定月份，如 --month 2026-10');
    const m = await c.invoke('meals.month', { month: values.month });
    if (json) {
      io.out(JSON.stringify(m, null, 2));
      return 0;
    }
    io.out(`${values.month} 营养改善计划供餐台账（标准 ${formatYuan(m.standard)}/生/天）`);
    for (const d of m.days)
      io.out(
        `  ${d.date} 星期${d.weekday}  应供餐 ${d.covered}  就餐 ${d.served ?? '（未到）'}${d.teachers ? `  陪餐 ${d.teachers}（${d.teacherNames}）` : ''}${d.note ? `  ${d.note}` : ''}`,
      );
    for (const d of m.closedDays) io.out(`  ${d.date} 停餐${d.note ? `：${d.note}` : ''}`);
    io.out(
      `供餐天数 ${m.servingDays}  受益学生 ${m.students}  人天数 ${m.personDays}  陪餐人次 ${m.teacherMeals}  金额 ${formatYuan(m.amount)}`,
    );
    if (m.daysToCome) io.out(`（本月还有 ${m.daysToCome} 个供餐日未到，未计入）`);
    return 0;
  }
  if (sub === 'term') {
    const t = await c.invoke('meals.term', { term: termOf(values) });
    if (json) {
      io.out(JSON.stringify(t, null, 2));
      return 0;
    }
    io.out(`${termText(t.period.term)}营养改善计划（${t.period.startsOn} 至 ${t.period.endsOn}，标准 ${formatYuan(t.standard)}/生/天）`);
    for (const m of t.months)
      io.out(`  ${m.month}  受益学生 ${m.students}  供餐天数 ${m.servingDays}  人天数 ${m.personDays}  金额 ${formatYuan(m.amount)}`);
    io.out(`合计  供餐天数 ${t.servingDays}  人天数 ${t.personDays}  金额 ${formatYuan(t.amount)}`);
    return 0;
  }
  throw new UsageError('用法：aid-desk meals month --month 2026-10 | aid-desk meals term --term 学期');
}
