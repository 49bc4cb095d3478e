import type { CallArgs } from '../../../shared/api';
import { isTerm, schoolYearOfTerm, termOfDate } from '../../../shared/rules/term';
import { type CoreContext } from '../context';
import { recordProduced } from '../archive/archive';
import { mayFile } from '../../../shared/rules/privacy';
import { ensureCatalogue } from '../programmes/catalogue';
import { publicityNotice } from '../print/publicity-notice';
import { getPublicity } from '../publicity/publicity';
import { requireSchool } from '../school/school';
import { IDENTIFICATION_INTRO } from '../identification/publicity';

export async function printPublicity(ctx: CoreContext, args: CallArgs<'print.publicity'>) {
  const school = await requireSchool(ctx);
  const p = getPublicity(ctx, args.id);
  const identification = p.kind === 'identification';
  const intro = identification ? IDENTIFICATION_INTRO(school.name, p.subject) : `${school.name}资助名单如下，现予公示。`;
  const doc = publicityNotice(p, school.name, identification ? '认定等级' : '资助档次/金额', intro);
  // The notice as posted is archived: a programme's with its 公示材料, the identification one with the term's 公示名单.
  const [, code, term] = p.subject.split(':');
  if (identification && mayFile('publicityList', false))
    recordProduced(ctx, 'identificationPublicity', termOfDate(p.startsOn), 0, `${p.title}.html`, Buffer.from(doc.html));
  else if (code && term && isTerm(term)) {
    const programme = ensureCatalogue(ctx, schoolYearOfTerm(term)).find((x) => x.code === code);
    if (programme && mayFile('publicityList', false))
      recordProduced(ctx, 'programmePublicity', term, programme.id, `${p.title}.html`, Buffer.from(doc.html));
  }
  return doc;
}
