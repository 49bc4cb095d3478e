import type { Handlers } from '../../../shared/api/contract';
import type { exportsApi } from '../../../shared/api/exports';
import type { CoreContext } from '../context';
import { exportCountyTemplate, exportIdentification, exportList, exportTable } from '../export/exports';
import { addTemplate, getTemplate, listTemplates, removeTemplate, saveTemplateMapping } from '../export/templates';

export const exportsHandlers: Handlers<typeof exportsApi, CoreContext> = {
  'templates.list': (ctx) => listTemplates(ctx),
  'templates.add': (ctx, args) => addTemplate(ctx, args),
  'templates.get': (ctx, args) => getTemplate(ctx, args),
  'templates.saveMapping': (ctx, args) => saveTemplateMapping(ctx, args),
  'templates.remove': (ctx, args) => removeTemplate(ctx, args),
  'export.list': (ctx, args) => exportList(ctx, args),
  'export.table': (ctx, args) => exportTable(ctx, args),
  'export.countyTemplate': (ctx, args) => exportCountyTemplate(ctx, args),
  'export.identification': (ctx, args) => exportIdentification(ctx, args),
};
