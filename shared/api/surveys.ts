import { z } from 'zod';
import type { DifficultyLevel, IdentificationStatus } from '../domain/identification';
import { PRIORITY_GROUPS, type PriorityFlag, type PriorityGroup } from '../domain/priority-group';
import type { SchoolYear, Stage } from '../domain/school';
import type { FamilySurvey, HomeVisit, SurveyStatus, VisitSample } from '../domain/survey';
import { HARDSHIP_FACTORS, HEALTH_TEXT, INCOME_SOURCE_TEXT, type HardshipFactor, type Health, type IncomeSource } from '../domain/survey';
import type { SurveyProblem } from '../rules/survey';
import { id, isoDate, schoolYearArg, shortText, UploadArgs, type FileResult } from './common';
import { message } from './contract';

const groupEnum = z.enum(Object.keys(PRIORITY_GROUPS) as [PriorityGroup, ...PriorityGroup[]]);

export const HouseholdMemberArgs = z.object({
  name: shortText(20),
  age: z.number().int().min(0, '年龄不能为负数').max(120, '年龄不超过 120').nullable(),
  relation: shortText(20).default(''),
  workplace: shortText(60).default(''),
  occupation: shortText(30).default(''),
  /** Fen. */
  annualIncome: z.number().int().min(0, '年收入不能为负数').nullable(),
  health: z.enum(Object.keys(HEALTH_TEXT) as [Health, ...Health[]]).nullable(),
});

export const SurveyFieldsArgs = z.object({
  householdSize: z.number().int().min(1, '家庭人口数至少为 1').max(30).nullable(),
  hukou: z.enum(['rural', 'urban']).nullable(),
  address: shortText(120),
  guardianPhone: shortText(20),
  members: z.array(HouseholdMemberArgs).max(30),
  factors: z.array(z.enum(HARDSHIP_FACTORS as [HardshipFactor, ...HardshipFactor[]])).max(10),
  otherHardship: shortText(300),
  incomeSource: z.enum(Object.keys(INCOME_SOURCE_TEXT) as [IncomeSource, ...IncomeSource[]]).nullable(),
  childrenInSchool: z.number().int().min(0).max(20).nullable(),
  commitmentSigned: z.boolean(),
  commitmentDate: isoDate.nullable(),
  enteredBy: shortText(20),
  note: shortText(300),
});

/** One row of the identification overview: a student of the class and where the case stands. */
export interface CaseRow {
  studentId: number;
  name: string;
  classId: number | null;
  className: string | null;
  stage: Stage | null;
  flags: PriorityGroup[];
  survey: SurveyStatus | null;
  perCapitaIncome: number | null;
  identificationId: number | null;
  identification: IdentificationStatus | null;
  score: number | null;
  suggestedLevel: DifficultyLevel | null;
  panelLevel: DifficultyLevel | null;
  level: DifficultyLevel | null;
  direct: boolean;
  visits: number;
}

/** The student's basics as the form prefills them from the roster (masked unless revealed). */
export interface SurveyStudent {
  id: number;
  name: string;
  sex: string;
  ethnicity: string;
  birthDate: string | null;
  idNumber: string | null;
  studentNumber: string | null;
  className: string | null;
  hukou: 'rural' | 'urban' | null;
  address: string;
  guardianPhone: string;
}

export interface SurveyView {
  schoolYear: SchoolYear;
  student: SurveyStudent;
  /** Null when the family has no survey for the year yet. */
  survey: FamilySurvey | null;
  flags: PriorityFlag[];
  /** Years with a survey, newest first, for the history list and carrying forward. */
  years: SchoolYear[];
  /** Address and phone are masked: the form must not send them back. */
  masked: boolean;
  /** What was typed into the form and not saved when it last closed (kept by the core), or null. */
  held: HeldSurvey | null;
}

/**
 * A survey form's unsaved edits, kept while the clerk types so that closing the window loses nothing. Address
 * and phone are only there when they were edited unmasked; a masked view leaves them out and says so.
 */
export interface HeldSurvey {
  at: string;
  /** The survey version the edits started from (null: no survey yet). */
  version: number | null;
  fields: SurveyHeldFields;
  flags: SurveyFlagArgs[];
  /** The held edits change the address or phone, which a masked view does not show. */
  hasPrivate: boolean;
}

export interface SurveyReviewItem {
  /** `studentId:field`: what the clerk accepts or rejects. */
  key: string;
  studentId: number;
  name: string;
  field: string;
  label: string;
  /** The value when the workbook was exported, in the file now, and in AidDesk now (masked where private). */
  base: string;
  theirs: string;
  mine: string;
  kind: 'new' | 'changed' | 'conflict';
}

export interface CellProblem {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

export interface SurveyImportPreview {
  uploadId: string;
  fileName: string;
  className: string;
  schoolYear: SchoolYear;
  exportedAt: string;
  items: SurveyReviewItem[];
  problems: CellProblem[];
  unchanged: number;
}

const SurveyFlagArgs = z.object({
  group: groupEnum,
  source: z.enum(['selfDeclared', 'certificate']),
  sourceDate: isoDate.nullable(),
  area: z.enum(['rural', 'urban']).nullable().default(null),
});
type SurveyFlagArgs = z.infer<typeof SurveyFlagArgs>;
const SurveyHeldFields = SurveyFieldsArgs.partial({ address: true, guardianPhone: true });
type SurveyHeldFields = z.infer<typeof SurveyHeldFields>;

export const surveysApi = {
  /** Every enrolled student of a class (or all classes) with the state of the year's survey and identification. */
  'surveys.cases': message<CaseRow[]>()(
    z.object({ schoolYear: schoolYearArg, classId: id.nullable().default(null), search: z.string().max(50).default('') }),
  ),
  'surveys.get': message<SurveyView>()(z.object({ studentId: id, schoolYear: schoolYearArg, reveal: z.boolean().default(false) })),
  /** Creates or updates the year's survey and the family's declared flags. Address and phone only when sent. */
  'surveys.save': message<{ survey: FamilySurvey; warnings: SurveyProblem[] }>()(
    z.object({
      studentId: id,
      schoolYear: schoolYearArg,
      status: z.enum(['draft', 'complete']),
      fields: SurveyHeldFields,
      flags: z.array(SurveyFlagArgs).max(20).optional(),
      /** The version the form was loaded with: a save over someone else's newer save is refused. */
      version: z.number().int().min(0).optional(),
    }),
  ),
  /** Keeps the form's unsaved edits (replacing earlier ones for the student and year); a save or release drops them. */
  'surveys.hold': message<{ at: string }>()(
    z.object({
      studentId: id,
      schoolYear: schoolYearArg,
      version: z.number().int().min(0).nullable(),
      fields: SurveyHeldFields,
      flags: z.array(SurveyFlagArgs).max(20),
    }),
  ),
  /** Forgets held edits: the clerk chose to discard them. */
  'surveys.release': message<{ released: boolean }>()(z.object({ studentId: id, schoolYear: schoolYearArg })),
  /** Last year's survey as this year's draft, for the students given or for a whole class, where none exists yet. */
  'surveys.carryForward': message<{ created: number; skipped: number }>()(
    z.object({ schoolYear: schoolYearArg, classId: id.nullable().default(null), studentIds: z.array(id).max(50_000).optional() }),
  ),
  /** One workbook for a class teacher: students prefilled, members sheet, drop-downs, instructions. */
  'surveys.exportClass': message<FileResult>()(z.object({ classId: id, schoolYear: schoolYearArg })),
  /** Reads a returned class workbook and lists every change for review. */
  'surveys.previewImport': message<SurveyImportPreview>()(z.object({ upload: UploadArgs })),
  /** Applies the accepted changes of a previewed workbook in one transaction. */
  'surveys.applyImport': message<{ applied: number; students: number }>()(
    z.object({ uploadId: z.uuid(), accept: z.array(z.string().max(60)).max(100_000) }),
  ),

  'visits.list': message<HomeVisit[]>()(z.object({ studentId: id.optional(), schoolYear: schoolYearArg })),
  'visits.add': message<HomeVisit>()(
    z.object({
      studentId: id,
      schoolYear: schoolYearArg,
      visitedOn: isoDate,
      visitors: shortText(60).min(1, '请填写走访人'),
      way: z.enum(['field', 'phone', 'video']),
      findings: shortText(1000).default(''),
      followUp: shortText(500).default(''),
      sampleId: id.nullable().default(null),
    }),
  ),
  /** A reproducible random sample of the year's recognised students for verification visits. */
  'visits.drawSample': message<VisitSample>()(
    z.object({ schoolYear: schoolYearArg, percent: z.number().int().min(1).max(100), seed: shortText(40).optional() }),
  ),
  'visits.samples': message<VisitSample[]>()(z.object({ schoolYear: schoolYearArg })),
};
