import type { Handlers } from '../../../shared/api/contract';
import type { schoolApi } from '../../../shared/api/school';
import type { SchoolYear, Term } from '../../../shared/domain/school';
import { today, type CoreContext } from '../context';
import { createDemo, isDemo, removeDemo } from '../school/demo';
import { getSchool, listClasses, saveSchool } from '../school/school';
import { preferences, remember } from '../school/preferences';
import { addMemberSchool, listMemberSchools, removeMemberSchool, updateMemberSchool } from '../school/member-schools';
import { listDualEnrolments, resolveDualEnrolment } from '../students/dual-enrolment';

export const schoolHandlers: Handlers<typeof schoolApi, CoreContext> = {
  'school.get': (ctx) => getSchool(ctx),
  'school.setup': (ctx, args) => saveSchool(ctx, { ...args, schoolYear: args.schoolYear as SchoolYear, term: args.term as Term }),
  // Without its history here; dispatch.ts gives it the contract's client to play last term and this one.
  'school.createDemo': (ctx, args) => createDemo(ctx, args.students),
  'school.isDemo': (ctx) => ({ demo: isDemo(ctx) }),
  'school.removeDemo': (ctx) => removeDemo(ctx),
  'classes.list': async (ctx) => listClasses(ctx),
  'schools.list': (ctx) => listMemberSchools(ctx),
  'schools.add': (ctx, args) => addMemberSchool(ctx, args),
  'schools.update': (ctx, args) => updateMemberSchool(ctx, args),
  'schools.remove': (ctx, args) => removeMemberSchool(ctx, args.id),
  'dualEnrolment.list': (ctx, args) => listDualEnrolments(ctx, args),
  'dualEnrolment.resolve': (ctx, args) => resolveDualEnrolment(ctx, args),
  'clock.today': (ctx) => ({ today: today(ctx) }),
  'ui.preferences': (ctx) => preferences(ctx),
  'ui.remember': (ctx, args) => remember(ctx, args.key, args.value),
};
