import { readFileSync } from 'node:fs';
import { importRoster, uploadFile } from '../../electron/core/handlers/roster';
import { fixture, type TestCore } from './core';

/**
 * The county high school with its first class identified and a senior-grant term carried to approval
 * through the core: the setting for tests of what comes after (exports, rosters).
 */
export async function approvedSeniorTerm(core: TestCore, quota: number): Promise<{ programmeId: number; approved: number }> {
  const c = core.client;
  await c.invoke('school.setup', { name: '青山县第一中学', county: '青山县', township: '', stages: ['senior'], schoolYear: '2026-2027', term: '2026-autumn' });
  const name = 'roster-qingshan-no1-high-school.xlsx';
  await importRoster(core.ctx, await uploadFile(core.ctx, name, readFileSync(fixture(name))), {});
  const ids = core.ctx.store.sqlite.prepare(`SELECT id FROM student ORDER BY id LIMIT 40`).pluck().all() as number[];
  for (const [i, id] of ids.entries()) {
    await c.invoke('surveys.save', {
      studentId: id, status: 'draft',
      fields: { householdSize: 4, hukou: 'rural', members: [{ name: '父', age: 45, relation: '父亲', workplace: '', occupation: '', annualIncome: 100_000 + i * 20_000, health: 'serious' }], factors: ['debt'], otherHardship: '', incomeSource: null, childrenInSchool: 2, commitmentSigned: true, commitmentDate: '2026-09-05', enteredBy: '', note: '' },
    });
  }
  await c.invoke('identification.score', {});
  const open = (await c.invoke('surveys.cases', {})).filter((x) => x.identification === 'open');
  await c.invoke('identification.decide', { decisions: open.map((x) => ({ identificationId: x.identificationId!, level: x.suggestedLevel === 'none' ? 'general' : x.suggestedLevel!, reason: '认定工作组意见' })), decidedOn: '2026-09-20' });
  const programme = (await c.invoke('programmes.list', {})).find((p) => p.code === 'senior-grant')!;
  await c.invoke('quotas.save', { programmeId: programme.id, term: '2026-autumn', count: quota });
  await c.invoke('applications.create', { programmeId: programme.id, term: '2026-autumn', from: 'identified' });
  const appIds = (await c.invoke('applications.list', { programmeId: programme.id, term: '2026-autumn' })).rows.map((a) => a.id);
  for (const action of ['submit', 'toClassReview', 'toSchoolReview'] as const) await c.invoke('applications.transition', { ids: appIds, action });
  await c.invoke('applications.allocate', { programmeId: programme.id, term: '2026-autumn' });
  const pub = await c.invoke('publicity.createProgramme', { programmeId: programme.id, term: '2026-autumn', startsOn: '2026-11-02', complaintPhone: '0745-7654321' });
  await c.invoke('publicity.close', { id: pub.id, closedOn: '2026-11-09' });
  const posted = (await c.invoke('applications.list', { programmeId: programme.id, term: '2026-autumn', status: 'publicity' })).rows.map((a) => a.id);
  const r = await c.invoke('applications.transition', { ids: posted, action: 'approve' });
  return { programmeId: programme.id, approved: r.changed };
}
