/** The CLI's programme commands: the catalogue, creating applications, allocating a quota, the checks. */
import type { Programme } from '../../shared/domain/programme';
import { PROGRAMME_KIND_TEXT, TIER_TEXT } from '../../shared/domain/programme';
import { STAGE_TEXT, type Term } from '../../shared/domain/school';
import { AppError } from '../../shared/errors';
import { formatYuan } from '../../shared/rules/money';
import { standardText } from '../../shared/rules/programme-catalogue';
import { isTerm, schoolYearOfTerm, termText } from '../../shared/rules/term';
import type { CoreContext } from '../core/context';
import { directClient } from '../core/dispatch';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { findClassId, UsageError, type Io, type Values } from './cli-common';
import { htmlToPdf } from './pdf';

export function termOf(values: Values): Term {
  if (!values.term || !isTerm(values.term)) throw new UsageError('请用 --term 指定学期，如 2026-autumn 或 2027-spring');
  return values.term;
}

export async function programmeOf(ctx: CoreContext, values: Values, term: Term): Promise<Programme> {
  if (!values.programme) throw new UsageError('请用 --programme 指定项目代码（用 aid-desk programmes list 查看）');
  const list = await directClient(ctx).invoke('programmes.list', { schoolYear: schoolYearOfTerm(term) });
  const p = list.find((x) => x.code === values.programme);
  if (!p)
    throw new AppError(
      'programme-missing',
      `没有代码为“${values.programme}”的项目。可用：${list.map((x) => `${x.code}（${x.name}）`).join('、')}`,
    );
  return p;
}

export async function listProgrammes(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const schoolYear = values.term ? schoolYearOfTerm(termOf(values)) : undefined;
  const list = await directClient(ctx).invoke('programmes.list', { schoolYear });
  if (json) io.out(JSON.stringify({ programmes: list }, null, 2));
  else {
    for (const p of list)
      io.out(
        `${p.code}\t${p.name}\t${p.stages.map((s) => STAGE_TEXT[s]).join('、')}\t${PROGRAMME_KIND_TEXT[p.kind]}\t每学期 ${standardText(p)}`,
      );
  }
  return 0;
}

export async function createApplications(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const term = termOf(values);
  const p = await programmeOf(ctx, values, term);
  const from = values.from === undefined || values.from === 'identified' ? 'identified' : values.from === 'carry-over' ? 'carryOver' : null;
  if (!from) throw new UsageError('--from 只能是 identified（已认定的学生）或 carry-over（上学期受助学生）');
  const client = directClient(ctx);
  const classId = values.class ? await findClassId(client, values.class) : null;
  const r = await client.invoke('applications.create', { programmeId: p.id, term, from, classId });
  if (json) io.out(JSON.stringify(r, null, 2));
  else {
    io.out(`${p.name} ${termText(term)}：新建申请草稿 ${r.created} 份`);
    if (r.skipped.length) io.out(`未建立：\n${r.skipped.map((s) => `  ${s.name}：${s.reason}`).join('\n')}`);
  }
  return 0;
}

export async function allocateCommand(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const term = termOf(values);
  const p = await programmeOf(ctx, values, term);
  const client = directClient(ctx);
  let quota: number | undefined;
  if (values.quota !== undefined) {
    quota = Number(values.quota);
    if (!Number.isInteger(quota) || quota < 0) throw new UsageError(`名额“${values.quota}”应为非负整数`);
    const saved = await client.invoke('quotas.get', { programmeId: p.id, term });
    // The county's number is kept for next time (and for the checks).
    await client.invoke('quotas.save', {
      ...(saved ?? {}),
      programmeId: p.id,
      term,
      count: quota,
      tierCounts: saved?.count === quota ? saved.tierCounts : null,
    });
  }
  const r = await client.invoke('applications.allocate', { programmeId: p.id, term, quota });
  if (json) io.out(JSON.stringify(r, null, 2));
  else {
    if (r.note) io.out(r.note);
    io.out(
      `${p.name} ${termText(term)}：名额 ${r.quota}${r.held ? `（已公示或审核通过 ${r.held} 人）` : ''}，本次获资助 ${r.funded} 人，金额合计 ${formatYuan(r.total)}`,
    );
    if (r.bySchool)
      io.out(
        `名额分到各校，各校分别排序：${r.bySchool.map((x) => `${x.name} 名额 ${x.quota}${x.held ? `（保留 ${x.held}）` : ''}、本次获资助 ${x.funded} 人`).join('；')}`,
      );
    io.out(
      `各档人数：${([1, 2, 3] as const)
        .filter((t) => p.tiers.some((x) => x.tier === t))
        .map((t) => `${TIER_TEXT[t]} ${r.tierCounts[t]} 人`)
        .join('，')}`,
    );
    if (r.unfundedCount)
      io.out(
        `符合条件但名额不足、未获资助 ${r.unfundedCount} 人${r.unfundedCount > r.unfunded.length ? `（列出排名最前的 ${r.unfunded.length} 人，其余的排名和依据见“申请与审核”的申请列表）` : ''}：\n${r.unfunded.map((u) => `  第 ${u.rank} 名 ${u.className ?? ''} ${u.name}（${u.reason}）`).join('\n')}`,
      );
    io.out(`排序规则：${r.tieRule}`);
  }
  return 0;
}

export async function checkCommand(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const term = termOf(values);
  const findings = await directClient(ctx).invoke('checks.run', { term, programmeId: null });
  if (json) {
    io.out(
      JSON.stringify(
        {
          findings: findings.map((f) => ({
            severity: f.severity,
            code: f.code,
            student: f.student,
            className: f.className,
            programme: f.programme,
            message: f.message,
            ...(f.acknowledged ? { acknowledged: f.acknowledged.reason } : {}),
          })),
        },
        null,
        2,
      ),
    );
  } else {
    const blocking = findings.filter((f) => f.severity === 'blocking').length;
    io.out(`${termText(term)}检查：必须处理 ${blocking} 条，提醒 ${findings.length - blocking} 条`);
    for (const f of findings)
      io.out(
        `  [${f.severity === 'blocking' ? '必须处理' : '提醒'}] ${f.programme} ${f.className ?? ''} ${f.student ?? '（整个项目）'}：${f.message}${f.acknowledged ? `（已确认：${f.acknowledged.reason}）` : ''}`,
      );
  }
  return findings.some((f) => f.severity === 'blocking') ? 1 : 0;
}

export async function rosterCommand(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const term = termOf(values);
  const p = await programmeOf(ctx, values, term);
  const out = values.out;
  if (!out || !/\.(pdf|xlsx)$/i.test(out)) throw new UsageError('请用 --out 指定输出文件，扩展名为 .pdf 或 .xlsx');
  const client = directClient(ctx);
  const args = {
    programmeId: p.id,
    term,
    classId: values.class ? await findClassId(client, values.class) : null,
    orientation: values.portrait ? ('portrait' as const) : ('landscape' as const),
    fullNumbers: values['full-numbers'] === true,
  };
  let pages: number | null = null;
  if (/\.pdf$/i.test(out)) {
    const doc = await client.invoke('print.signatureRoster', args);
    await htmlToPdf(doc.html, resolve(out));
    pages = doc.pages;
  } else {
    const file = await client.invoke('export.signatureRoster', args);
    await writeFile(out, Buffer.from(file.dataBase64, 'base64'));
  }
  if (json) io.out(JSON.stringify({ out, pages }));
  else io.out(`已生成签领表：${out}${pages ? `（${pages} 页）` : ''}`);
  return 0;
}

export async function exportTemplate(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const term = termOf(values);
  const p = await programmeOf(ctx, values, term);
  if (!values.template) throw new UsageError('请用 --template 指定县里发来的 Excel 模板（.xlsx）');
  if (!values.out || !/\.xlsx$/i.test(values.out)) throw new UsageError('请用 --out 指定输出的 .xlsx 文件');
  const client = directClient(ctx);
  // A file, a template saved in the app (by name), or a built-in one: list, bank.
  const name = values.template;
  let template: { fileName: string; dataBase64: string } | { templateId: number } | { builtIn: 'list' | 'bank' };
  if (name === 'list' || name === 'bank') template = { builtIn: name };
  else if (existsSync(name)) template = { fileName: basename(name), dataBase64: (await readFile(name)).toString('base64') };
  else {
    const saved = (await client.invoke('templates.list', {})).find((t) => t.name === name || t.fileName === name);
    if (!saved)
      throw new AppError(
        'template-missing',
        `找不到模板“${name}”：既不是文件，也不是程序中保存的模板名称（内置模板：list 受助名单、bank 银行代发文件）`,
      );
    template = { templateId: saved.id };
  }
  const r = await client.invoke('export.countyTemplate', {
    template,
    programmeId: p.id,
    term,
    classId: values.class ? await findClassId(client, values.class) : null,
  });
  if (r.file) await writeFile(values.out, Buffer.from(r.file.dataBase64, 'base64'));
  if (json)
    io.out(
      JSON.stringify(
        { out: r.file ? values.out : null, rows: r.rows, written: r.file ? r.rows : 0, columns: r.columns, problems: r.problems },
        null,
        2,
      ),
    );
  else {
    io.out(`模板各列：${r.columns.map((c) => `${c.letter} ${c.header} → ${c.fieldLabel ?? '（不填）'}`).join('；')}`);
    if (r.file) io.out(`已填写 ${r.rows} 名学生：${values.out}`);
    else
      io.out(
        `有 ${r.problems.length} 个问题，未导出（不会导出有错的表）：\n${r.problems.map((x) => `  ${x.student} ${x.column}：${x.message}`).join('\n')}`,
      );
  }
  return r.file ? 0 : 1;
}
