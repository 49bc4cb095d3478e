import { z } from 'zod';
import { STAGES, type DualEnrolment, type MemberSchool, type School, type SchoolClass } from '../domain/school';
import { id } from './common';
import { isSchoolYear, isTerm } from '../rules/term';
import { message } from './contract';

export const SchoolSetupArgs = z.object({
  name: z.string().trim().min(1, '请填写学校名称').max(60, '学校名称不超过60个字'),
  county: z.string().trim().max(30).default(''),
  township: z.string().trim().max(30).default(''),
  stages: z.array(z.enum(STAGES)).min(1, '请至少选择一个学段'),
  schoolYear: z.string().refine(isSchoolYear, '学年的格式应为 2026-2027'),
  term: z.string().refine(isTerm, '学期的格式应为 2026-autumn 或 2027-spring'),
});

const memberSchoolName = z.string().trim().min(1, '请填写学校名称').max(60, '学校名称不超过60个字');

export interface DemoSummary {
  school: School;
  students: number;
  classes: number;
}

export const PreferenceKey = z.string().regex(/^[a-z][\w.-]{0,63}$/, '偏好设置的名称不合规范');
export const PreferenceValue = z.union([z.string().max(200), z.number().finite(), z.boolean(), z.null()]);
export type Preferences = Record<string, z.infer<typeof PreferenceValue>>;

export const schoolApi = {
  /** The school, or null before setup (first run). */
  'school.get': message<School | null>()(z.object({})),
  'school.setup': message<School>()(SchoolSetupArgs),
  /** A sample school with generated students, for exploring without real data. Only into an empty desk. */
  'school.createDemo': message<DemoSummary>()(z.object({ students: z.number().int().min(1).max(50_000).default(600) })),
  /** Whether this desk holds demo data (shown on every page). */
  'school.isDemo': message<{ demo: boolean }>()(z.object({})),
  /** Wipes a demo desk (refused on real data): the app starts again at the first-run page. */
  'school.removeDemo': message<{ removed: true }>()(z.object({ confirm: z.literal('清除演示数据') })),
  'classes.list': message<SchoolClass[]>()(z.object({})),
  /** The schools of the desk: the central school first, then its member schools (校点、教学点). */
  'schools.list': message<MemberSchool[]>()(z.object({})),
  'schools.add': message<MemberSchool>()(z.object({ name: memberSchoolName, kind: z.enum(['member', 'teachingPoint']) })),
  'schools.update': message<MemberSchool>()(z.object({ id, name: memberSchoolName, kind: z.enum(['member', 'teachingPoint']) })),
  /** Only a member school without students or classes. */
  'schools.remove': message<{ removed: true }>()(z.object({ id })),
  /** 疑似双学籍: students a member school's roster lists while another school of the desk has them. */
  'dualEnrolment.list': message<{ rows: DualEnrolment[]; open: number }>()(
    z.object({ open: z.boolean().default(true), limit: z.number().int().min(1).max(1000).default(200) }),
  ),
  /** moved: the student goes to the school whose roster lists them; kept: stays. The check done is written down. */
  'dualEnrolment.resolve': message<DualEnrolment>()(
    z.object({ id, resolution: z.enum(['moved', 'kept']), note: z.string().trim().max(200, '核实情况不超过200个字') }),
  ),
  /** The core's today: the day every rule about time uses (and the forms' default dates). */
  'clock.today': message<{ today: string }>()(z.object({})),
  /** Choices the screens remember (the programme, class and term last used on each page), kept with the data. */
  'ui.preferences': message<Preferences>()(z.object({})),
  'ui.remember': message<Preferences>()(z.object({ key: PreferenceKey, value: PreferenceValue })),
};
