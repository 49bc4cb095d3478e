import type { CallArgs } from '../../../shared/api';
import { isTerm, schoolYearOfTerm, termOfDate } from '../../../shared/rules/term';
import { type CoreContext } from '../context';
import { recordProduced } from '../archive/archive';
import { mayFile } from '../../../shared/rules/privacy';
import { ensureCatalogue } from '../programmes/catalogue';
import { publicityNotice } from '../print/publicity-notice';
import { getPublicity } from '../publicity/publicity';
import { requireSchool } from '../school/school';
import { schoolScope } from '../school/member-schools';
import { AppError } from '../../../shared/errors';
import type { PublicityDetail } from '../../../shared/domain/publicity';
import { IDENTIFICATION_INTRO } from '../identification/publicity';

export async function printPublicity(ctx: CoreContext, args: CallArgs<'print.publicity'>) {
  const desk = await requireSchool(ctx);
  const whole = getPublicity(ctx, args.id);
  const scope = schoolScope(ctx, args.schoolId);
  const p = scope.name === null ? whole : schoolPart(ctx, whole, desk.name, scope.name, args.schoolId!);
  const school = { name: scope.name ?? desk.name };
  const identification = p.kind === 'identification';
  const intro = identification ? IDENTIFICATION_INTRO(school.name, p.subject) : `${school.name}资助名单如下，现予公示。`;
  const doc = publicityNotice(p, school.name, identification ? '认定等级' : '资助档次/金额', intro);
  // The notice as posted is archived: a programme's with its 公示材料, the identification one with the term's 公示名单;
  // one member school's part with that school's documents (each 校点 posts its own), the whole list with the central school's.
  const schoolId = args.schoolId ?? 1;
  const [, code, term] = p.subject.split(':');
  if (identification && mayFile('publicityList', false))
    recordProduced(ctx, 'identificationPublicity', termOfDate(p.startsOn), 0, `${p.title}.html`, Buffer.from(doc.html), schoolId);
  else if (code && term && isTerm(term)) {
    const programme = ensureCatalogue(ctx, schoolYearOfTerm(term)).find((x) => x.code === code);
    if (programme && mayFile('publicityList', false))
      recordProduced(ctx, 'programmePublicity', term, programme.id, `${p.title}.html`, Buffer.from(doc.html), schoolId);
  }
  return doc;
}

/** The entries of one school of the desk, under a title naming that school. */
function schoolPart(ctx: CoreContext, p: PublicityDetail, deskName: string, schoolName: string, schoolId: number): PublicityDetail {
  const ids = new Set(
    ctx.store.sqlite
      .prepare(`SELECT value FROM json_each(?) JOIN student s ON s.id = value WHERE s.school_id = ?`)
      .pluck()
      .all(JSON.stringify(p.entries.map((e) => e.studentId)), schoolId) as number[],
  );
  const entries = p.entries
    .filter((e) => ids.has(e.studentId))
    .map((e) => (e.className.startsWith(`${schoolName} `) ? { ...e, className: e.className.slice(schoolName.length + 1) } : e));
  if (entries.length === 0) throw new AppError('publicity-empty', `这份公示中没有“${schoolName}”的学生`);
  const title = p.title.startsWith(deskName) ? `${schoolName}${p.title.slice(deskName.length)}` : `${schoolName}${p.title}`;
  return { ...p, title, entries };
}
