import { z } from 'zod';
import type { Application, ApplicationEvent, Finding, FindingPage } from '../domain/application';
import { DIFFICULTY_LEVELS, type DifficultyLevel } from '../domain/identification';
import { PRIORITY_GROUPS, type PriorityGroup } from '../domain/priority-group';
import { PROGRAMME_KINDS, type Programme, type Quota, type TierNumber } from '../domain/programme';
import type { PublicityDetail } from '../domain/publicity';
import { STAGES, type Term } from '../domain/school';
import { CLERK_ACTIONS } from '../rules/application-status';
import { isTerm } from '../rules/term';
import { id, schoolYearArg, shortText, type FileResult, type PrintDocument } from './common';
import { message } from './contract';
import { PublicityPeriodArgs } from './publicity';

const groupEnum = z.enum(Object.keys(PRIORITY_GROUPS) as [PriorityGroup, ...PriorityGroup[]]);
const fen = z.number().int().min(0).max(100_000_000);
const tierNumber = z.union([z.literal(1), z.literal(2), z.literal(3)]);
const tierCountsArg = z.partialRecord(z.enum(['1', '2', '3']), z.number().int().min(0).max(100_000));
export const termArg = z
  .string()
  .refine(isTerm, '学期的格式应为 2026-autumn 或 2027-spring')
  .transform((v) => v as Term);

export const ProgrammeDefinitionArgs = z
  .object({
    name: shortText(40).min(2, '请填写项目名称'),
    stages: z.array(z.enum(STAGES)).min(1, '请至少选择一个学段'),
    kind: z.enum(PROGRAMME_KINDS),
    tiers: z
      .array(z.object({ tier: tierNumber, proportion: z.number().min(0).max(100), amounts: z.partialRecord(z.enum(STAGES), fen) }))
      .min(1, '至少要有一个档次')
      .max(3, '最多三个档次'),
    boarding: z.enum(['any', 'boarder', 'day']),
    eligibility: z.object({
      everyone: z.boolean(),
      levels: z.array(z.enum(DIFFICULTY_LEVELS as [DifficultyLevel, ...DifficultyLevel[]])),
      groups: z.array(groupEnum),
      fourCategories: z.boolean().default(false),
      grades: z.array(z.string().trim().min(1).max(20)).max(20).default([]),
    }),
    exclusive: z.array(z.string().max(40)).max(20),
    topTierGroups: z.array(groupEnum),
    note: shortText(300),
    perHousehold: z.boolean().optional(),
  })
  .refine((d) => new Set(d.tiers.map((t) => t.tier)).size === d.tiers.length, '档次不能重复')
  .refine((d) => Math.abs(d.tiers.reduce((s, t) => s + t.proportion, 0) - 100) < 0.01, '各档比例合计应为 100%');

/** Which signature roster: recipients of a programme's term (or one class), numbers masked unless asked. */
export const RosterArgs = z.object({
  programmeId: id,
  term: termArg,
  classId: id.nullable().default(null),
  /** One school of the desk (its own roster to sign), or null: all. */
  schoolId: id.nullable().default(null),
  fullNumbers: z.boolean().default(false),
  orientation: z.enum(['portrait', 'landscape']).default('landscape'),
  /** 按班分页 or 连续 (with a subtotal per class); auto: continuous when the classes are small. */
  layout: z.enum(['auto', 'byClass', 'continuous']).default('auto'),
});

export interface ApplicationPage {
  rows: Application[];
  counts: Partial<Record<Application['status'], number>>;
  quota: Quota | null;
  /** Funded applications per tier, and their total amount. */
  tiers: Partial<Record<TierNumber, number>>;
  total: number;
}

export interface AllocationResult {
  quota: number;
  /** Places already held by recipients posted or approved before this round. */
  held: number;
  /** Funded in this round. */
  funded: number;
  tierCounts: Record<TierNumber, number>;
  shares: Record<string, number> | null;
  /** Eligible but left without a place: the first (nearest the line) named, at most UNFUNDED_LISTED; all counted. */
  unfunded: { applicationId: number; name: string; className: string | null; rank: number; reason: string }[];
  unfundedCount: number;
  total: number;
  /** With the quota divided among the schools: each school's places, held and funded; null when the desk ranks together. */
  bySchool: { schoolId: number; name: string; quota: number; held: number; funded: number }[] | null;
  /** How ties are broken, as the reasons say it. */
  tieRule: string;
  /** Why nothing (or only part) was allocated: drafts not yet submitted, places held by earlier rounds; '' when nothing to say. */
  note: string;
}

export interface TransitionResult {
  changed: number;
  refused: { applicationId: number; name: string; reason: string }[];
}

export const programmesApi = {
  /** The school year's catalogue; the built-in national programmes are added the first time a year is opened. */
  'programmes.list': message<Programme[]>()(z.object({ schoolYear: schoolYearArg })),
  'programmes.save': message<Programme>()(
    z.object({
      id: id.optional(),
      code: z
        .string()
        .regex(/^[a-z][a-z0-9-]{1,39}$/, '项目代码只用小写字母、数字和连字符')
        .optional(),
      schoolYear: schoolYearArg,
      definition: ProgrammeDefinitionArgs,
    }),
  ),
  'quotas.get': message<Quota | null>()(z.object({ programmeId: id, term: termArg })),
  'quotas.save': message<Quota>()(
    z.object({
      programmeId: id,
      term: termArg,
      count: z.number().int().min(0).max(100_000),
      tierCounts: tierCountsArg.nullable().default(null),
      budget: fen.nullable().default(null),
      distribution: z.enum(['none', 'grade', 'class']).default('none'),
      basis: z.enum(['enrolment', 'applicants']).default('enrolment'),
      /** The quota divided among the desk's schools; [] ranks the desk together; left out: the division saved stays. */
      schools: z
        .array(z.object({ schoolId: id, count: z.number().int().min(0).max(100_000), tierCounts: tierCountsArg.nullable().default(null) }))
        .max(200)
        .optional(),
    }),
  ),

  'applications.list': message<ApplicationPage>()(
    z.object({
      programmeId: id,
      term: termArg,
      classId: id.nullable().default(null),
      schoolId: id.nullable().default(null),
      status: z.string().max(20).nullable().default(null),
    }),
  ),
  /**
   * Creates draft applications: for the eligible identified students of the programme's stages (or of one
   * class), for last term's recipients still enrolled (carry-over), or for the students given.
   */
  'applications.create': message<{ created: number; skipped: { name: string; reason: string }[] }>()(
    z.object({
      programmeId: id,
      term: termArg,
      from: z.enum(['identified', 'carryOver', 'students']),
      classId: id.nullable().default(null),
      studentIds: z.array(id).max(50_000).optional(),
    }),
  ),
  /** Moves applications on (or back); each is checked on its own and the refused ones are listed with why. */
  'applications.transition': message<TransitionResult>()(
    z.object({
      ids: z.array(id).min(1).max(50_000),
      action: z.enum(CLERK_ACTIONS),
      note: shortText(300).default(''),
      actor: shortText(40).default(''),
    }),
  ),
  /** Undoes the last step of an application (only the last one, one at a time). */
  'applications.undo': message<Application>()(z.object({ id })),
  'applications.history': message<ApplicationEvent[]>()(z.object({ id })),
  /** Ranks the term's applications under review and assigns tiers within the quota; `dryRun` only shows. */
  'applications.allocate': message<AllocationResult>()(
    z.object({
      programmeId: id,
      term: termArg,
      quota: z.number().int().min(0).max(100_000).optional(),
      dryRun: z.boolean().default(false),
    }),
  ),
  /** The clerk's override of a tier, with the reason kept. */
  'applications.setTier': message<Application>()(
    z.object({ id, tier: tierNumber.nullable(), reason: shortText(300).min(2, '调整档次须写明理由') }),
  ),

  /** 签领表 of the approved recipients (approved, submitted or paid), by class; numbers masked unless `fullNumbers`. */
  'print.signatureRoster': message<PrintDocument>()(RosterArgs),

  /** The same roster as an .xlsx (a page per class, subtotal formulas, the total in capitals). */
  'export.signatureRoster': message<FileResult>()(RosterArgs),

  /**
   * Every finding, for the command line and automation. `schoolId`: one school's findings (its students', its part
   * of a divided quota) and the desk-wide ones; null: all.
   */
  'checks.run': message<Finding[]>()(
    z.object({ term: termArg, programmeId: id.nullable().default(null), schoolId: id.nullable().default(null) }),
  ),
  /**
   * What the checks page shows: the counts, and one page of the findings (of one kind when `code` is given). A county
   * desk has hundreds of thousands of findings; the screen never receives them all.
   */
  'checks.page': message<FindingPage>()(
    z.object({
      term: termArg,
      programmeId: id.nullable().default(null),
      schoolId: id.nullable().default(null),
      code: z.string().max(40).nullable().default(null),
      offset: z.number().int().min(0).max(10_000_000).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
  ),
  /** The clerk explains a finding about a student (e.g. an eligible student who does not apply): kept and shown with it. */
  'checks.acknowledge': message<Finding>()(
    z.object({
      term: termArg,
      programmeId: id,
      studentId: id,
      code: z.enum([
        'nobody-missed',
        'unfunded-eligible',
        'area-unknown',
        'flag-not-listed',
        'over-age',
        'boarding-unknown',
        'bank-card-luhn',
      ]),
      reason: shortText(300).min(2, '请写明原因'),
      actor: shortText(40).default(''),
    }),
  ),
  'checks.export': message<FileResult>()(
    z.object({ term: termArg, programmeId: id.nullable().default(null), schoolId: id.nullable().default(null) }),
  ),

  /** Posts the funded applications under school review (only 姓名, 年级, 班级, 档次/金额); blocked by blocking findings. */
  'publicity.createProgramme': message<PublicityDetail>()(
    z.object({ programmeId: id, term: termArg, classId: id.nullable().default(null), ...PublicityPeriodArgs }),
  ),
};
