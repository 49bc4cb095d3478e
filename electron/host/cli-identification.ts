/** The CLI's identification commands: county lists, the cross-check, class survey workbooks. */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { LIST_KIND_KEYS, LIST_KINDS, type ListKind } from '../../shared/domain/official-list';
import { PRIORITY_GROUPS } from '../../shared/domain/priority-group';
import { AppError } from '../../shared/errors';
import { parseDate } from '../../shared/rules/dates';
import { today, type CoreContext } from '../core/context';
import { directClient } from '../core/dispatch';
import { findClassId, UsageError, type Io, type Values } from './cli-common';

async function readInput(file: string): Promise<string> {
  const data = await readFile(file).catch(() => {
    throw new AppError('file-missing', `找不到或无法读取文件“${file}”`);
  });
  return data.toString('base64');
}

export async function importList(ctx: CoreContext, file: string, values: Values, io: Io, json: boolean): Promise<number> {
  const kind = values.kind as ListKind | undefined;
  if (!kind || !LIST_KIND_KEYS.includes(kind)) throw new UsageError(`请用 --kind 指定名单类型：${LIST_KIND_KEYS.join('、')}`);
  let listDate = today(ctx);
  if (values.date) {
    const d = parseDate(values.date);
    if (d.kind !== 'day') throw new UsageError(`名单日期“${values.date}”不正确，请写成 2026-09-01`);
    listDate = d.date;
  }
  const client = directClient(ctx);
  const preview = await client.invoke('lists.preview', { upload: { fileName: basename(file), dataBase64: await readInput(file) }, kind });
  const list = await client.invoke('lists.import', { uploadId: preview.uploadId, kind, layout: preview.layout, listDate });
  if (json) io.out(JSON.stringify({ list, people: preview.people, inRoster: preview.inRoster, problems: preview.problems }, null, 2));
  else {
    io.out(`已导入${LIST_KINDS[kind].text}：${basename(file)}（名单日期 ${listDate}）`);
    io.out(
      `共 ${preview.people} 人，其中在校学生 ${preview.inRoster} 人；表头在第 ${preview.layout.headerRow} 行${preview.fromProfile ? '（按上次保存的格式）' : ''}`,
    );
    for (const c of preview.categories) io.out(`  ${c.text}：${c.count} 行 → ${c.group ? PRIORITY_GROUPS[c.group] : '不属特殊群体，跳过'}`);
    if (preview.problems.length)
      io.out(`\n有问题的行（未导入）：\n${preview.problems.map((p) => `  第 ${p.row} 行 ${p.column}：${p.message}`).join('\n')}`);
  }
  return preview.problems.length ? 1 : 0;
}

export async function crosscheckCommand(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const client = directClient(ctx);
  let result = await client.invoke('crosscheck.run', {});
  let flagged = 0;
  if (values.apply && result.listedNotFlagged.length) {
    ({ flagged } = await client.invoke('crosscheck.apply', {
      items: result.listedNotFlagged.map((i) => ({ studentId: i.studentId, group: i.group })),
    }));
    result = await client.invoke('crosscheck.run', {});
  }
  if (json) io.out(JSON.stringify({ ...result, flagged }, null, 2));
  else {
    if (result.groups.length === 0) {
      io.out('还没有导入任何县级名单：请先用 aid-desk import list 导入。');
      return 0;
    }
    io.out(`比对范围：${result.groups.map((g) => PRIORITY_GROUPS[g]).join('、')}`);
    if (flagged) io.out(`已按名单补标 ${flagged} 项`);
    io.out(
      `一致 ${result.matched} 项；名单上有、未标记 ${result.listedNotFlagged.length} 项；已标记、名单上没有 ${result.flaggedNotListed.length} 项；名单上不在本校在籍学生中的 ${result.notInRoster} 人（已忽略）`,
    );
    const line = (i: (typeof result.listedNotFlagged)[number]) =>
      `  ${i.className ?? '未分班'} ${i.name}：${PRIORITY_GROUPS[i.group]}（${i.source}）`;
    if (result.listedNotFlagged.length) io.out(`\n名单上有、未标记（用 --apply 补标）：\n${result.listedNotFlagged.map(line).join('\n')}`);
    if (result.flaggedNotListed.length) io.out(`\n已标记、名单上没有（请核实）：\n${result.flaggedNotListed.map(line).join('\n')}`);
  }
  return result.listedNotFlagged.length || result.flaggedNotListed.length ? 1 : 0;
}

export async function exportClassSurvey(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  if (!values.class || !values.out) throw new UsageError('用法：aid-desk surveys export-class --class 班级 --out 文件.xlsx');
  const client = directClient(ctx);
  const file = await client.invoke('surveys.exportClass', { classId: await findClassId(client, values.class) });
  await writeFile(values.out, Buffer.from(file.dataBase64, 'base64'));
  if (json) io.out(JSON.stringify({ out: values.out, fileName: file.fileName }));
  else io.out(`已导出：${values.out}（请交班主任填写后收回，再用 aid-desk surveys import 导入）`);
  return 0;
}

export async function importSurveys(ctx: CoreContext, file: string, values: Values, io: Io, json: boolean): Promise<number> {
  const client = directClient(ctx);
  const preview = await client.invoke('surveys.previewImport', { upload: { fileName: basename(file), dataBase64: await readInput(file) } });
  const accept = preview.items.filter((i) => i.kind !== 'conflict').map((i) => i.key);
  const conflicts = preview.items.filter((i) => i.kind === 'conflict');
  let applied = { applied: 0, students: 0 };
  if (!values['dry-run'] && accept.length) applied = await client.invoke('surveys.applyImport', { uploadId: preview.uploadId, accept });
  if (json)
    io.out(
      JSON.stringify(
        { ...applied, dryRun: values['dry-run'] === true, items: preview.items, conflicts: conflicts.length, problems: preview.problems },
        null,
        2,
      ),
    );
  else {
    io.out(`${preview.className} ${preview.schoolYear}学年调查表（导出于 ${preview.exportedAt.slice(0, 10)}）`);
    io.out(
      `${values['dry-run'] ? '试导入（未写入）：可写入' : '已写入'} ${values['dry-run'] ? accept.length : applied.applied} 项；冲突 ${conflicts.length} 项；未变 ${preview.unchanged} 项；有误的格子 ${preview.problems.length} 个`,
    );
    if (conflicts.length) {
      io.out(
        `\n与本机修改冲突、未覆盖（请在程序中逐项确认）：\n${conflicts.map((c) => `  ${c.name} ${c.label}：表中“${c.theirs}”，本机“${c.mine}”`).join('\n')}`,
      );
    }
    if (preview.problems.length)
      io.out(
        `\n有误的格子（未导入）：\n${preview.problems.map((p) => `  ${p.sheet} 第 ${p.row} 行 ${p.column}：${p.message}`).join('\n')}`,
      );
  }
  return conflicts.length || preview.problems.length ? 1 : 0;
}
