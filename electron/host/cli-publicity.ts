/** The CLI's review steps and publicity: moving a term's applications on, posting and closing lists. */
import type { ClerkAction } from '../../shared/rules/application-status';
import { ACTIONS } from '../../shared/rules/application-status';
import { PUBLICITY_STATUS_TEXT } from '../../shared/domain/publicity';
import { termText } from '../../shared/rules/term';
import type { CoreContext } from '../core/context';
import { directClient } from '../core/dispatch';
import { findClassId, UsageError, type Io, type Values } from './cli-common';
import { programmeOf, termOf } from './cli-programmes';

/** The CLI's spelling of each action the clerk may take on applications. */
const CLI_ACTIONS: Record<string, ClerkAction> = {
  submit: 'submit',
  'class-review': 'toClassReview',
  'school-review': 'toSchoolReview',
  approve: 'approve',
  reject: 'reject',
  return: 'return',
  withdraw: 'withdraw',
  report: 'report',
  reopen: 'reopen',
  archive: 'archive',
};

/**
 * Moves every application of a programme's term (or of one class) that the action applies to, each checked by
 * the same state machine as in the app. Exit 1 when some were refused (they are listed with why).
 */
export async function transitionCommand(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const term = termOf(values);
  const p = await programmeOf(ctx, values, term);
  const action = CLI_ACTIONS[values.action ?? ''];
  if (!action) throw new UsageError(`请用 --action 指定操作：${Object.keys(CLI_ACTIONS).join('、')}`);
  const client = directClient(ctx);
  const classId = values.class ? await findClassId(client, values.class) : null;
  const page = await client.invoke('applications.list', { programmeId: p.id, term, classId });
  const ids = page.rows.filter((a) => ACTIONS[action].from.includes(a.status)).map((a) => a.id);
  const text = ACTIONS[action].text;
  if (ids.length === 0) {
    const msg = `${p.name} ${termText(term)}没有可以“${text}”的申请（当前状态：${
      Object.entries(page.counts)
        .map(([s, n]) => `${s} ${n}`)
        .join('、') || '无申请'
    }）`;
    if (json) io.out(JSON.stringify({ changed: 0, refused: [], note: msg }, null, 2));
    else io.out(msg);
    return 0;
  }
  const r = await client.invoke('applications.transition', { ids, action, note: values.note ?? '', actor: values.actor ?? '' });
  if (json) io.out(JSON.stringify(r, null, 2));
  else {
    io.out(`${p.name} ${termText(term)}：“${text}” ${r.changed} 份`);
    if (r.refused.length) {
      io.out(`未能“${text}” ${r.refused.length} 份：`);
      for (const x of r.refused.slice(0, 200)) io.out(`  ${x.name}：${x.reason}`);
      if (r.refused.length > 200) io.out(`  ……（共 ${r.refused.length} 份，请用 --json 查看全部）`);
    }
  }
  return r.refused.length ? 1 : 0;
}

/** Posts a programme's recipients (or the year's identification results) from today, or from --starts-on with --reason. */
export async function publicityCreate(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const client = directClient(ctx);
  if (!values.phone) throw new UsageError('请用 --phone 填写监督（投诉）电话');
  const level = values.level === undefined ? 'school' : values.level;
  if (level !== 'school' && level !== 'class') throw new UsageError('--level 只能是 school（学校公示）或 class（班级公示）');
  const classId = values.class ? await findClassId(client, values.class) : null;
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) throw new UsageError(`公示天数“${values.days}”应为正整数`);
  const period = {
    level,
    classId,
    startsOn: values['starts-on'],
    backdateReason: values.reason ?? '',
    workingDays: days,
    complaintPhone: values.phone,
  } as const;
  const pub = values.identification
    ? await client.invoke('publicity.createIdentification', period)
    : await (async () => {
        const term = termOf(values);
        const p = await programmeOf(ctx, values, term);
        return client.invoke('publicity.createProgramme', { ...period, programmeId: p.id, term });
      })();
  if (json)
    io.out(JSON.stringify({ id: pub.id, title: pub.title, startsOn: pub.startsOn, endsOn: pub.endsOn, entries: pub.entryCount }, null, 2));
  else
    io.out(
      `已开始公示（编号 ${pub.id}）：${pub.title}，${pub.entryCount} 人，${pub.startsOn} 至 ${pub.endsOn}（${pub.workingDays} 个工作日）`,
    );
  return 0;
}

/** Ends a publicity today (the core's today): refused before its last working day or with an objection open. */
export async function publicityClose(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const id = Number(values.id);
  if (!Number.isInteger(id) || id < 1) throw new UsageError('请用 --id 指定公示编号（用 aid-desk publicity list 查看）');
  const pub = await directClient(ctx).invoke('publicity.close', { id });
  if (json) io.out(JSON.stringify({ id: pub.id, status: pub.status, closedOn: pub.closedOn }, null, 2));
  else io.out(`已结束公示：${pub.title}（${pub.closedOn}）`);
  return 0;
}

export async function publicityList(ctx: CoreContext, _values: Values, io: Io, json: boolean): Promise<number> {
  const list = await directClient(ctx).invoke('publicity.list', {});
  if (json) io.out(JSON.stringify({ publicity: list }, null, 2));
  else
    for (const p of list)
      io.out(
        `${p.id}\t${p.title}\t${p.startsOn} 至 ${p.endsOn}\t${PUBLICITY_STATUS_TEXT[p.status]}${p.openObjections ? `\t未处理异议 ${p.openObjections} 条` : ''}`,
      );
  return 0;
}
