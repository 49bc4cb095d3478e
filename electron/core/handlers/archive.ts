import type { archiveApi } from '../../../shared/api/archive';
import type { Handlers } from '../../../shared/api/contract';
import { termText } from '../../../shared/rules/term';
import { attachFile, attachmentLink, detachFile, listDefinitions, listItems, overview, saveDefinition, setItems } from '../archive/archive';
import { mimeOf, readStoredFile } from '../archive/attachments';
import { today, type CoreContext } from '../context';
import { archiveCatalogue, archiveLabels, longestRetention } from '../print/archive-catalogue';
import { requireSchool } from '../school/school';
import { schoolScope } from '../school/member-schools';

export const archiveHandlers: Handlers<typeof archiveApi, CoreContext> = {
  'archive.definitions': (ctx, args) => listDefinitions(ctx, args.includeInactive),
  'archive.saveDefinition': (ctx, args) => saveDefinition(ctx, args),
  'archive.items': (ctx, args) => listItems(ctx, args.term, args),
  'archive.set': (ctx, args) => ({ changed: setItems(ctx, args.keys, args.status, args.note) }),
  'archive.attach': (ctx, args) =>
    attachFile(
      ctx,
      args.key,
      args.fileName,
      Buffer.from(args.dataBase64, 'base64'),
      args.thumbnailBase64 ? Buffer.from(args.thumbnailBase64, 'base64') : null,
    ),
  'archive.detach': (ctx, args) => {
    detachFile(ctx, args.attachmentId);
    return { removed: true };
  },
  'archive.file': (ctx, args) => {
    const link = attachmentLink(ctx, args.attachmentId);
    return { fileName: link.name, dataBase64: readStoredFile(ctx, link.sha256).toString('base64'), mime: mimeOf(link.name) };
  },
  'archive.overview': (ctx, args) => overview(ctx, args.term, args.schoolId),
  'print.archiveCatalogue': async (ctx, args) => {
    const school = await requireSchool(ctx);
    const name = schoolScope(ctx, args.schoolId).name ?? school.name;
    return archiveCatalogue(listItems(ctx, args.term, { schoolId: args.schoolId }), name, termText(args.term), today(ctx));
  },
  'print.archiveLabels': async (ctx, args) => {
    const school = { name: schoolScope(ctx, args.schoolId).name ?? (await requireSchool(ctx)).name };
    const defs = listDefinitions(ctx);
    const items = listItems(ctx, args.term, { scope: 'programme', schoolId: args.schoolId });
    const termDefs = defs.filter((d) => d.scope === 'term');
    const programmeDefs = defs.filter((d) => d.scope === 'programme');
    const studentDefs = defs.filter((d) => d.scope === 'student');
    const labels = [
      { title: '综合档案', contents: termDefs.map((d) => d.name), retention: longestRetention(termDefs) },
      ...[...new Set(items.map((i) => i.programmeName ?? ''))].map((name) => ({
        title: name,
        contents: programmeDefs.map((d) => d.name),
        retention: longestRetention(programmeDefs),
      })),
      { title: '学生个人档案', contents: studentDefs.map((d) => d.name), retention: longestRetention(studentDefs) },
    ];
    return archiveLabels(labels, school.name, termText(args.term));
  },
};
