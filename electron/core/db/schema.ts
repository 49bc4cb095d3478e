/** Row types as SQLite holds them. The UI never sees these: see the rowTo… functions beside each handler. */
import type { Generated } from 'kysely';
import type { ApplicationStatus } from '../../../shared/domain/application';
import type { FundSource } from '../../../shared/domain/funds';
import type { FindingCategory } from '../../../shared/domain/county-finding';
import type { ActivityTheme, ComplaintChannel, FollowUpKind } from '../../../shared/domain/education';
import type { PriorityGroup } from '../../../shared/domain/priority-group';
import type { Stage, Term } from '../../../shared/domain/school';

export interface SchoolRow {
  id: number;
  name: string;
  county: string;
  township: string;
  /** JSON array of stages. */
  stages: string;
  school_year: string;
  term: Term;
  is_demo: 0 | 1;
  created_at: string;
  updated_at: string;
}

/** 中心校 (row 1, the desk's own school) or one of its member schools (校点, 教学点). */
export interface MemberSchoolRow {
  id: Generated<number>;
  name: string;
  kind: 'central' | 'member' | 'teachingPoint';
  position: number;
  created_at: string;
}

/** 疑似双学籍: a member school's roster lists a student another school of the desk has, until the clerk decides. */
export interface DualEnrolmentRow {
  id: Generated<number>;
  student_id: number;
  /** The school whose roster also lists the student. */
  school_id: number;
  class_name: string;
  batch_id: number | null;
  sheet_row: number | null;
  found_on: string;
  resolved_on: string | null;
  resolution: 'moved' | 'kept' | null;
  note: string;
}

export interface SchoolClassRow {
  id: Generated<number>;
  school_id: Generated<number>;
  stage: Stage;
  grade: string;
  grade_order: number;
  number: number | null;
  name: string;
  created_at: string;
}

export interface StudentRow {
  id: Generated<number>;
  name: string;
  id_number: string | null;
  student_number: string | null;
  sex: 'male' | 'female' | null;
  birth_date: string | null;
  ethnicity: string;
  hukou: 'rural' | 'urban' | null;
  address: string;
  guardian_name: string;
  guardian_phone: string;
  boarding: 0 | 1 | null;
  bank_card: string | null;
  class_id: number | null;
  school_id: Generated<number>;
  status: 'enrolled' | 'left';
  left_reason: 'transferred' | 'graduated' | 'dropped' | null;
  left_on: string | null;
  /** name, ID number and 学籍号 joined, for substring search. */
  search_text: string;
  created_at: string;
  updated_at: string;
  account_holder: 'student' | 'guardian';
  /** The guardian's name when the account is a guardian's. */
  account_holder_name: string;
  /** A proxy letter (委托书) is on file for a guardian's account. */
  proxy_letter: 0 | 1;
  /** 开户行. */
  bank_name: string;
}

export interface PriorityFlagRow {
  id: Generated<number>;
  student_id: number;
  grp: PriorityGroup;
  source: 'roster' | 'selfDeclared' | 'countyList' | 'certificate';
  source_date: string | null;
  note: string;
  created_at: string;
  /** 城市 or 农村, for 低保 and 特困 (only the rural ones are among the 四类); null when not known. */
  area: 'rural' | 'urban' | null;
}

export interface ImportBatchRow {
  id: Generated<number>;
  kind: string;
  file_name: string;
  file_sha256: string;
  imported_at: string;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface StudentChangeRow {
  id: Generated<number>;
  student_id: number;
  changed_at: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  source: 'import' | 'edit' | 'status';
  batch_id: number | null;
}

export interface SettingRow {
  key: string;
  /** JSON. */
  value: string;
  updated_at: string;
}

export interface FamilySurveyRow {
  id: Generated<number>;
  student_id: number;
  school_year: string;
  status: 'draft' | 'complete';
  household_size: number | null;
  hukou: 'rural' | 'urban' | null;
  address: string;
  guardian_phone: string;
  /** JSON array of HardshipFactor. */
  factors: string;
  other_hardship: string;
  income_source: string | null;
  children_in_school: number | null;
  commitment_signed: 0 | 1;
  commitment_date: string | null;
  entered_by: string;
  note: string;
  per_capita_income_fen: number | null;
  carried_from: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HouseholdMemberRow {
  id: Generated<number>;
  survey_id: number;
  position: number;
  name: string;
  age: number | null;
  relation: string;
  workplace: string;
  occupation: string;
  annual_income_fen: number | null;
  health: string | null;
}

export interface VisitSampleRow {
  id: Generated<number>;
  school_year: string;
  percent: number;
  seed: string;
  population: number;
  /** JSON array of student ids. */
  student_ids: string;
  created_at: string;
}

export interface HomeVisitRow {
  id: Generated<number>;
  student_id: number;
  school_year: string;
  visited_on: string;
  visitors: string;
  way: 'field' | 'phone' | 'video';
  findings: string;
  follow_up: string;
  sample_id: number | null;
  created_at: string;
}

export interface PanelReviewRow {
  id: Generated<number>;
  school_year: string;
  class_id: number;
  held_on: string;
  /** JSON array of names. */
  members: string;
  created_at: string;
}

export type LevelColumn = 'especially' | 'difficult' | 'general' | 'none';

export interface IdentificationRow {
  id: Generated<number>;
  student_id: number;
  school_year: string;
  status: 'open' | 'decided' | 'superseded';
  score: number | null;
  suggested_level: LevelColumn | null;
  /** JSON array of ScoreLine. */
  score_lines: string;
  direct: 0 | 1;
  /** JSON array of PriorityGroup. */
  direct_groups: string;
  panel_review_id: number | null;
  votes_agree: number | null;
  votes_disagree: number | null;
  votes_abstain: number | null;
  panel_level: LevelColumn | null;
  level: LevelColumn | null;
  reason: string;
  decided_on: string | null;
  decided_by: string;
  /** JSON: the survey and flags the decision was made on. */
  snapshot: string | null;
  reopen_reason: string;
  previous_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface PublicityRow {
  id: Generated<number>;
  kind: 'identification' | 'programme';
  subject: string;
  title: string;
  starts_on: string;
  working_days: number;
  ends_on: string;
  complaint_phone: string;
  status: 'open' | 'closed';
  closed_on: string | null;
  created_at: string;
  level: 'school' | 'class';
  class_id: number | null;
  backdate_reason: string;
}

export interface PublicityEntryRow {
  id: Generated<number>;
  publicity_id: number;
  position: number;
  student_id: number;
  name: string;
  grade: string;
  class_name: string;
  value: string;
  ref_id: number | null;
}

export interface ObjectionRow {
  id: Generated<number>;
  publicity_id: number;
  student_id: number | null;
  received_on: string;
  raised_by: string;
  content: string;
  status: 'open' | 'resolved';
  outcome: 'kept' | 'changed' | null;
  review_note: string;
  answer: string;
  resolved_on: string | null;
  created_at: string;
}

export interface OfficialListRow {
  id: Generated<number>;
  kind: string;
  file_name: string;
  file_sha256: string;
  list_date: string;
  imported_at: string;
  row_count: number;
}

export interface OfficialListEntryRow {
  id: Generated<number>;
  list_id: number;
  row: number;
  id_number: string;
  name: string;
  grp: PriorityGroup;
  area: 'rural' | 'urban' | null;
}

export interface SurveyExportRow {
  id: string;
  class_id: number;
  school_year: string;
  exported_at: string;
  /** JSON: per student, the field values the workbook was written with. */
  base: string;
}

export interface ProgrammeRow {
  id: Generated<number>;
  school_year: string;
  code: string;
  name: string;
  /** JSON ProgrammeDefinition. */
  definition: string;
  built_in: 0 | 1;
  created_at: string;
  updated_at: string;
}

export interface QuotaRow {
  id: Generated<number>;
  programme_id: number;
  term: Term;
  count: number;
  /** JSON { "1": n, … } or null. */
  tier_counts: string | null;
  budget_fen: number | null;
  distribution: 'none' | 'grade' | 'class';
  basis: 'enrolment' | 'applicants';
  updated_at: string;
}

/** A school's part of a programme's quota for a term (名额分到校). */
export interface SchoolQuotaRow {
  id: Generated<number>;
  programme_id: number;
  term: Term;
  school_id: number;
  count: number;
  /** JSON { "1": n, … } or null. */
  tier_counts: string | null;
  updated_at: string;
}

export interface ApplicationRow {
  id: Generated<number>;
  student_id: number;
  programme_id: number;
  term: Term;
  status: ApplicationStatus;
  applicant_name: string;
  applicant_id_number: string | null;
  rank: number | null;
  rank_reason: string;
  funded: 0 | 1 | null;
  tier: 1 | 2 | 3 | null;
  amount_fen: number | null;
  tier_reason: string;
  /** JSON ApplicationSnapshot, set on approval. */
  snapshot: string | null;
  created_at: string;
  updated_at: string;
  allocated_at: string | null;
}

export interface ApplicationEventRow {
  id: Generated<number>;
  application_id: number;
  at: string;
  from_status: ApplicationStatus | null;
  to_status: ApplicationStatus;
  actor: string;
  note: string;
  undone: 0 | 1;
  kind: 'step' | 'publicity' | 'objection' | 'payment' | 'reopen' | 'undo';
}

export interface TemplateRow {
  id: Generated<number>;
  name: string;
  file_name: string;
  data: Buffer;
  /** JSON { "H": "idNumber", "M": null, … }: the clerk's field per column letter, over the proposal. */
  mapping: string;
  /** JSON { "J": { "是": "寄宿", "否": "走读" } }: how AidDesk's values are spelled in a column's drop-down. */
  value_mapping: string;
  created_at: string;
  updated_at: string;
}

export interface BankBatchRow {
  id: Generated<number>;
  programme_id: number;
  term: Term;
  file_name: string;
  sha256: string;
  paid_on: string;
  row_count: number;
  paid: number;
  failed: number;
  /** JSON array of the rows listed, not recorded. */
  unmatched: string;
  imported_at: string;
  /** JSON array of the file's rows this import recorded; null for imports that took the whole file. */
  recorded_rows: string | null;
}

export interface PaymentRow {
  id: Generated<number>;
  application_id: number;
  outcome: 'paid' | 'failed';
  amount_fen: number;
  paid_on: string;
  channel: 'bankCard' | 'socialCard' | 'mealCard' | 'waiver';
  account: string;
  holder: 'student' | 'guardian' | 'none';
  holder_name: string;
  proxy_letter: 0 | 1;
  reference: string;
  failure_reason: string;
  bank_batch_id: number | null;
  actor: string;
  created_at: string;
  /** The row of the bank's file this attempt came from. */
  bank_row: number | null;
}

export interface ArchiveDefinitionRow {
  id: Generated<number>;
  scope: 'term' | 'programme' | 'student';
  name: string;
  required: 0 | 1;
  produced_by: string | null;
  retention: string;
  sort: number;
  active: 0 | 1;
}

export interface ArchiveItemRow {
  id: Generated<number>;
  definition_id: number;
  period: string;
  programme_id: number;
  student_id: number;
  /** The school of the desk a term or programme item belongs to; 1 for a student's items. */
  school_id: Generated<number>;
  status: 'missing' | 'partial' | 'complete';
  note: string;
  updated_at: string;
}

export interface AttachmentRow {
  sha256: string;
  size: number;
  mime: string;
  thumbnail: Buffer | null;
  created_at: string;
}

export interface ArchiveAttachmentRow {
  id: Generated<number>;
  item_id: number;
  sha256: string;
  name: string;
  source: 'upload' | 'generated';
  added_at: string;
}

/** The clerk's correction of one day of the holiday calendar: `normal` cancels a shipped holiday or workday. */
export interface CalendarDayRow {
  date: string;
  kind: 'holiday' | 'workday' | 'normal';
  name: string;
  updated_at: string;
}

export interface FindingAckRow {
  id: Generated<number>;
  term: Term;
  programme_id: number;
  student_id: number;
  code: string;
  reason: string;
  actor: string;
  at: string;
}

/** 操作记录: written by the triggers of 0007-audit and by audit/audit.ts only; never changed. */
export interface AuditEntryRow {
  id: Generated<number>;
  at: string;
  operator: string;
  action: string;
  entity: string;
  entity_key: string | null;
  student_id: number | null;
  summary: string | null;
  before: string | null;
  after: string | null;
}

/** 资金文件: what a document (文号) assigns to a programme's term from one source. */
export interface FundAllocationRow {
  id: Generated<number>;
  programme_id: number;
  term: Term;
  source: FundSource;
  document_number: string;
  document_date: string;
  amount_fen: number;
  note: string;
  created_at: string;
}

/** Money that moves: 到账 against an allocation, 结转 in pairs (out of one term, into another), 退回. */
export interface FundMovementRow {
  id: Generated<number>;
  programme_id: number;
  term: Term;
  source: FundSource;
  kind: 'receipt' | 'carryIn' | 'carryOut' | 'return';
  allocation_id: number | null;
  on_date: string;
  amount_fen: number;
  account: string;
  note: string;
  backdate_reason: string | null;
  linked_id: number | null;
  created_at: string;
}

/** The clerk's correction of one serving day (the default is every working day of the term, all enrolled served). */
export interface MealDayRow {
  /** Each school serves (or closes) on its own (migration 0017). */
  school_id: Generated<number>;
  date: string;
  closed: 0 | 1;
  extra: 0 | 1;
  served: number | null;
  teachers: number;
  teacher_names: string;
  note: string;
  updated_at: string;
}

/** A student not served in a school year (走读, home for lunch), with the reason. */
export interface MealExclusionRow {
  id: Generated<number>;
  student_id: number;
  school_year: string;
  reason: string;
  created_at: string;
}

/** What one student was given in kind (免费教科书, 作业本, 鸡蛋牛奶) under a programme in a term. */
export interface InKindDistributionRow {
  id: Generated<number>;
  programme_id: number;
  term: Term;
  student_id: number;
  value_fen: number;
  items: string;
  given_on: string;
  created_at: string;
}

/** 同户: siblings the clerk confirmed as one household. */
export interface HouseholdRow {
  id: Generated<number>;
  guardian: string;
  note: string;
  created_at: string;
}

export interface HouseholdLinkRow {
  student_id: number;
  household_id: number;
  created_at: string;
}

/** 县级核查整改: one of the county's findings about a student, and what the school did. */
export interface CountyFindingRow {
  id: Generated<number>;
  source: string;
  received_on: string;
  file_row: number;
  student_id: number;
  category: FindingCategory;
  problem: string;
  status: 'open' | 'closed';
  result: string;
  measure: string;
  corrected_on: string | null;
  attachment_sha256: string | null;
  attachment_name: string | null;
  created_at: string;
  updated_at: string;
}

/** 资助育人: an activity held, for some classes or the whole school. */
export interface EducationActivityRow {
  id: Generated<number>;
  held_on: string;
  theme: ActivityTheme;
  title: string;
  /** JSON array of class ids; [] the whole school. */
  classes: string;
  attendance: number;
  note: string;
  /** JSON array of { sha256, name } in the attachment store. */
  photos: string;
  created_at: string;
  updated_at: string;
}

/** A complaint or objection outside a publicity period, tracked to closure. */
export interface ComplaintRow {
  id: Generated<number>;
  received_on: string;
  channel: ComplaintChannel;
  raised_by: string;
  content: string;
  student_id: number | null;
  status: 'open' | 'closed';
  handling: string;
  answered_on: string | null;
  backdate_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** Following an aided student: 回访, 问卷, 结对帮扶, a note, the 生源地贷款 预申请 of a graduating student. */
export interface FollowUpRow {
  id: Generated<number>;
  student_id: number;
  kind: FollowUpKind;
  on_date: string;
  by_whom: string;
  content: string;
  created_at: string;
}

export interface Database {
  school: SchoolRow;
  school_class: SchoolClassRow;
  member_school: MemberSchoolRow;
  dual_enrolment: DualEnrolmentRow;
  student: StudentRow;
  priority_flag: PriorityFlagRow;
  import_batch: ImportBatchRow;
  student_change: StudentChangeRow;
  setting: SettingRow;
  family_survey: FamilySurveyRow;
  household_member: HouseholdMemberRow;
  visit_sample: VisitSampleRow;
  home_visit: HomeVisitRow;
  panel_review: PanelReviewRow;
  identification: IdentificationRow;
  publicity: PublicityRow;
  publicity_entry: PublicityEntryRow;
  objection: ObjectionRow;
  official_list: OfficialListRow;
  official_list_entry: OfficialListEntryRow;
  survey_export: SurveyExportRow;
  programme: ProgrammeRow;
  quota: QuotaRow;
  school_quota: SchoolQuotaRow;
  application: ApplicationRow;
  application_event: ApplicationEventRow;
  template: TemplateRow;
  bank_batch: BankBatchRow;
  payment: PaymentRow;
  archive_definition: ArchiveDefinitionRow;
  archive_item: ArchiveItemRow;
  attachment: AttachmentRow;
  archive_attachment: ArchiveAttachmentRow;
  calendar_day: CalendarDayRow;
  finding_ack: FindingAckRow;
  audit_entry: AuditEntryRow;
  fund_allocation: FundAllocationRow;
  fund_movement: FundMovementRow;
  meal_day: MealDayRow;
  meal_exclusion: MealExclusionRow;
  in_kind_distribution: InKindDistributionRow;
  household: HouseholdRow;
  household_link: HouseholdLinkRow;
  county_finding: CountyFindingRow;
  education_activity: EducationActivityRow;
  complaint: ComplaintRow;
  follow_up: FollowUpRow;
}
