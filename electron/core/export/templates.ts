import type { CallArgs } from '../../../shared/api';
import type { TemplateDetail } from '../../../shared/api/exports';
import { notFound } from '../../../shared/errors';
import { FIELD_VALUES, TEMPLATE_FIELDS, type TemplateField } from '../../../shared/rules/template-fields';
import { nowIso, type CoreContext } from '../context';
import type { TemplateRow } from '../db/schema';
import { analyzeTemplate, applyMapping, loadWorkbook, templateAsXlsx, type TemplateLayout } from '../export/county-template';
import { XLS_TEMPLATE_LOSS } from '../import/read-xls';

/** How AidDesk's values are spelled in a column's drop-down, per column letter. */
export type ValueMapping = Record<string, Record<string, string>>;
export type StoredTemplate = Omit<TemplateRow, 'id'> & { id: number };

export function loadTemplate(ctx: CoreContext, id: number): StoredTemplate {
  const row = ctx.store.sqlite.prepare(`SELECT * FROM template WHERE id = ?`).get(id) as StoredTemplate | undefined;
  if (!row) throw notFound('该模板');
  return row;
}

export const columnViews = (layout: TemplateLayout) =>
  layout.columns.map((c) => ({
    letter: c.letter,
    header: c.header,
    field: c.field,
    fieldLabel: c.field ? TEMPLATE_FIELDS[c.field].label : null,
    options: c.options,
    ourValues: (c.field && c.options && FIELD_VALUES[c.field]) || [],
    values: c.values,
  }));

async function detail(ctx: CoreContext, id: number): Promise<TemplateDetail> {
  const t = loadTemplate(ctx, id);
  const layout = applyMapping(
    analyzeTemplate(await loadWorkbook(t.data, t.file_name), t.file_name),
    JSON.parse(t.mapping) as Record<string, TemplateField | null>,
    JSON.parse(t.value_mapping) as ValueMapping,
  );
  return {
    id: t.id,
    name: t.name,
    fileName: t.file_name,
    updatedAt: t.updated_at,
    kind: layout.kind,
    sheetName: layout.sheetName,
    headerRows: layout.headerTop === layout.headerBottom ? `第 ${layout.headerTop} 行` : `第 ${layout.headerTop}–${layout.headerBottom} 行`,
    dataStart: layout.dataStart,
    templateRows: layout.templateRows,
    totalRow: layout.totalRow,
    columns: columnViews(layout),
  };
}

export function listTemplates(ctx: CoreContext) {
  return (
    ctx.store.sqlite.prepare(`SELECT id, name, file_name, updated_at FROM template ORDER BY id DESC`).all() as {
      id: number;
      name: string;
      file_name: string;
      updated_at: string;
    }[]
  ).map((t) => ({ id: t.id, name: t.name, fileName: t.file_name, updatedAt: t.updated_at }));
}

export async function addTemplate(ctx: CoreContext, args: CallArgs<'templates.add'>) {
  // An .xls template is kept as the .xlsx it becomes: the clerk is told once what the conversion could not keep.
  const { data, fileName, converted } = templateAsXlsx(Buffer.from(args.file.dataBase64, 'base64'), args.file.fileName);
  // Refused before it is kept: a file whose header cannot be found is not a template.
  analyzeTemplate(await loadWorkbook(data, fileName), fileName);
  const at = nowIso(ctx);
  const id = Number(
    ctx.store.sqlite
      .prepare(`INSERT INTO template (name, file_name, data, mapping, created_at, updated_at) VALUES (?, ?, ?, '{}', ?, ?)`)
      .run(args.name || fileName.replace(/\.xlsx$/i, ''), fileName, data, at, at).lastInsertRowid,
  );
  return { ...(await detail(ctx, id)), conversion: converted ? XLS_TEMPLATE_LOSS : null };
}

export function getTemplate(ctx: CoreContext, args: CallArgs<'templates.get'>) {
  return detail(ctx, args.id);
}

export async function saveTemplateMapping(ctx: CoreContext, args: CallArgs<'templates.saveMapping'>) {
  const t = loadTemplate(ctx, args.id);
  const mapping = { ...(JSON.parse(t.mapping) as Record<string, TemplateField | null>), ...args.mapping };
  const values = JSON.parse(t.value_mapping) as ValueMapping;
  for (const [letter, spelled] of Object.entries(args.values)) values[letter] = { ...(values[letter] ?? {}), ...spelled };
  ctx.store.sqlite
    .prepare(`UPDATE template SET mapping = ?, value_mapping = ?, updated_at = ? WHERE id = ?`)
    .run(JSON.stringify(mapping), JSON.stringify(values), nowIso(ctx), args.id);
  return detail(ctx, args.id);
}

export function removeTemplate(ctx: CoreContext, args: CallArgs<'templates.remove'>) {
  return { removed: ctx.store.sqlite.prepare(`DELETE FROM template WHERE id = ?`).run(args.id).changes };
}
