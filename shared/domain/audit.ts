import { APPLICATION_STATUS_TEXT } from './application';
import { ARCHIVE_STATUS_TEXT } from './archive';
import { FUND_SOURCE_TEXT, MOVEMENT_KIND_TEXT } from './funds';
import { FINDING_CATEGORY_TEXT } from './county-finding';
import { ACTIVITY_THEME_TEXT, COMPLAINT_CHANNEL_TEXT, FOLLOW_UP_KIND_TEXT } from './education';
import { IDENTIFICATION_STATUS_TEXT, LEVEL_TEXT } from './identification';
import { CHANNEL_TEXT, HOLDER_TEXT } from './payment';
import { AREA_TEXT, PRIORITY_GROUPS } from './priority-group';
import { TIER_TEXT } from './programme';
import { OBJECTION_OUTCOME_TEXT, PUBLICITY_STATUS_TEXT } from './publicity';
import { STAGE_TEXT } from './school';
import { ACCOUNT_HOLDER_TEXT, HUKOU_TEXT, LEFT_REASON_TEXT, SEX_TEXT } from './student';
import { HARDSHIP_FACTOR_TEXT, HEALTH_TEXT, INCOME_SOURCE_TEXT, SURVEY_STATUS_TEXT, VISIT_WAY_TEXT } from './survey';
import { fenToYuanText } from '../rules/money';

/** 操作记录: one change (a row's fields before → after) or one act (an import, a look at full numbers). */
export interface AuditChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

export interface AuditEntry {
  id: number;
  /** UTC ISO time, by the core's clock. */
  at: string;
  operator: string;
  action: string;
  actionText: string;
  entity: string;
  entityText: string;
  entityKey: string | null;
  studentId: number | null;
  studentName: string | null;
  /** What an act did, in Chinese (imports, reveals, exports, restores); null for a row change. */
  summary: string | null;
  changes: AuditChange[];
}

export interface AuditFilter {
  operator?: string;
  entity?: string;
  action?: string;
  studentId?: number;
  /** The clerk's calendar days, inclusive. */
  from?: string;
  to?: string;
  /** A student's name or words of the summary. */
  search?: string;
}

export interface AuditPage {
  total: number;
  entries: AuditEntry[];
  operators: string[];
}

export const AUDIT_ACTION_TEXT: Record<string, string> = {
  insert: '新增',
  update: '修改',
  delete: '删除',
  import: '导入',
  bulk: '批量办理',
  reveal: '查看完整号码',
  export: '导出完整号码',
  restore: '从备份恢复',
  demo: '演示数据',
  unlock: '解锁',
  password: '修改密码',
};

export const AUDIT_ENTITY_TEXT: Record<string, string> = {
  school: '学校信息',
  student: '学生',
  priority_flag: '特殊群体标记',
  family_survey: '家庭情况调查',
  household_member: '家庭成员',
  identification: '困难认定',
  home_visit: '家访',
  publicity: '公示',
  objection: '公示异议',
  programme: '资助项目',
  quota: '名额',
  application: '资助申请',
  payment: '发放',
  archive_item: '档案材料',
  archive_attachment: '档案附件',
  finding_ack: '检查问题说明',
  calendar_day: '节假日',
  fund_allocation: '资金文件',
  fund_movement: '资金到账与结转',
  meal_day: '营养餐供餐日',
  meal_exclusion: '不就餐学生',
  in_kind_distribution: '实物发放',
  household: '同户家庭',
  household_link: '同户关系',
  county_finding: '县级核查问题',
  education_activity: '资助育人活动',
  complaint: '投诉与异议',
  follow_up: '受助学生跟踪',
  setting: '设置',
  official_list: '县级名单',
  desk: '数据',
};

const COLUMN_TEXT: Record<string, string> = {
  name: '姓名',
  id_number: '身份证件号',
  student_number: '学籍号',
  sex: '性别',
  birth_date: '出生日期',
  ethnicity: '民族',
  hukou: '户口性质',
  address: '地址',
  guardian_name: '监护人',
  guardian_phone: '联系电话',
  boarding: '就读方式',
  bank_card: '银行卡号',
  bank_name: '开户行',
  account_holder: '账户所属',
  account_holder_name: '户名',
  proxy_letter: '委托书',
  class_id: '班级',
  status: '状态',
  left_reason: '离校原因',
  left_on: '离校日期',
  student_id: '学生',
  grp: '群体',
  area: '城乡',
  source: '来源',
  source_date: '来源日期',
  note: '备注',
  school_year: '学年',
  household_size: '家庭人口数',
  factors: '困难因素',
  other_hardship: '其他困难',
  income_source: '收入来源',
  children_in_school: '在读子女数',
  commitment_signed: '承诺书已签字',
  commitment_date: '承诺书日期',
  entered_by: '录入人',
  per_capita_income_fen: '家庭人均收入（元）',
  survey_id: '调查表',
  position: '序号',
  age: '年龄',
  relation: '关系',
  workplace: '工作单位',
  occupation: '职业',
  annual_income_fen: '年收入（元）',
  health: '健康状况',
  score: '评分',
  suggested_level: '建议等级',
  direct: '直接认定',
  direct_groups: '直接认定依据',
  votes_agree: '同意票',
  votes_disagree: '不同意票',
  votes_abstain: '弃权票',
  panel_level: '评议等级',
  level: '认定等级',
  reason: '理由',
  decided_on: '认定日期',
  decided_by: '认定人',
  reopen_reason: '重新认定原因',
  visited_on: '家访日期',
  visitors: '家访人',
  way: '方式',
  findings: '情况',
  follow_up: '后续措施',
  kind: '类型',
  subject: '对象',
  title: '标题',
  starts_on: '开始日期',
  working_days: '工作日数',
  ends_on: '结束日期',
  complaint_phone: '监督电话',
  closed_on: '结束日期',
  backdate_reason: '补记原因',
  publicity_id: '公示',
  received_on: '收到日期',
  raised_by: '提出人',
  content: '内容',
  outcome: '结果',
  review_note: '复核意见',
  answer: '答复',
  resolved_on: '处理日期',
  code: '代码',
  definition: '项目设置',
  built_in: '内置',
  programme_id: '资助项目',
  term: '学期',
  count: '名额',
  tier_counts: '各档名额',
  budget_fen: '预算（元）',
  distribution: '分配方式',
  basis: '分配依据',
  applicant_name: '申请人',
  applicant_id_number: '申请人证件号',
  rank: '排序',
  rank_reason: '排序依据',
  funded: '获资助',
  tier: '档次',
  amount_fen: '金额（元）',
  tier_reason: '档次依据',
  application_id: '申请',
  paid_on: '发放日期',
  channel: '发放方式',
  account: '账号',
  holder: '账户所属',
  holder_name: '户名',
  reference: '凭证号',
  failure_reason: '失败原因',
  bank_batch_id: '银行批次',
  actor: '经办人',
  definition_id: '材料项',
  period: '期间',
  item_id: '档案材料',
  sha256: '文件校验值',
  date: '日期',
  key: '设置项',
  value: '值',
  county: '县',
  township: '乡镇',
  stages: '学段',
  document_number: '文号',
  document_date: '文件日期',
  allocation_id: '资金文件',
  on_date: '日期',
  linked_id: '对应结转',
  closed: '停餐',
  extra: '加餐日',
  served: '就餐人数',
  teachers: '陪餐教师人数',
  teacher_names: '陪餐教师',
  value_fen: '价值（元）',
  items: '物品',
  given_on: '发放日期',
  guardian: '监护人',
  household_id: '家庭',
  category: '问题类型',
  problem: '问题描述',
  result: '核查结果',
  measure: '整改措施',
  corrected_on: '整改日期',
  attachment_name: '附件',
  'complaint.channel': '渠道',
  held_on: '活动日期',
  theme: '主题',
  classes: '班级',
  attendance: '参加人数',
  photos: '照片',
  handling: '处理情况',
  answered_on: '答复日期',
  by_whom: '教师',
};

export function auditColumnText(entity: string, column: string): string {
  return COLUMN_TEXT[`${entity}.${column}`] ?? COLUMN_TEXT[column] ?? column;
}

const YES_NO: Record<string, string> = { 0: '否', 1: '是' };

/** Coded values in the clerk's words: the same texts the pages use. Keys are `entity.column` or `column`. */
const VALUE_TEXT: Record<string, Record<string, string>> = {
  sex: SEX_TEXT,
  hukou: HUKOU_TEXT,
  left_reason: LEFT_REASON_TEXT,
  account_holder: ACCOUNT_HOLDER_TEXT,
  holder: HOLDER_TEXT,
  channel: CHANNEL_TEXT,
  grp: PRIORITY_GROUPS,
  area: AREA_TEXT,
  health: HEALTH_TEXT,
  income_source: INCOME_SOURCE_TEXT,
  way: VISIT_WAY_TEXT,
  tier: TIER_TEXT,
  level: LEVEL_TEXT,
  suggested_level: LEVEL_TEXT,
  panel_level: LEVEL_TEXT,
  boarding: { 0: '走读', 1: '住校' },
  proxy_letter: YES_NO,
  commitment_signed: YES_NO,
  direct: YES_NO,
  funded: YES_NO,
  built_in: YES_NO,
  'student.status': { enrolled: '在校', left: '已离校' },
  'application.status': APPLICATION_STATUS_TEXT,
  'identification.status': IDENTIFICATION_STATUS_TEXT,
  'family_survey.status': SURVEY_STATUS_TEXT,
  'publicity.status': PUBLICITY_STATUS_TEXT,
  'objection.status': { open: '待处理', resolved: '已处理' },
  'objection.outcome': OBJECTION_OUTCOME_TEXT,
  'archive_item.status': ARCHIVE_STATUS_TEXT,
  'payment.outcome': { paid: '成功', failed: '失败' },
  'fund_allocation.source': FUND_SOURCE_TEXT,
  'fund_movement.source': FUND_SOURCE_TEXT,
  'fund_movement.kind': MOVEMENT_KIND_TEXT,
  'county_finding.category': FINDING_CATEGORY_TEXT,
  'county_finding.status': { open: '待整改', closed: '已整改' },
  'education_activity.theme': ACTIVITY_THEME_TEXT,
  'complaint.channel': COMPLAINT_CHANNEL_TEXT,
  'complaint.status': { open: '处理中', closed: '已办结' },
  'follow_up.kind': FOLLOW_UP_KIND_TEXT,
  closed: YES_NO,
  extra: YES_NO,
};

/** The settings the desk keeps, by what the clerk set them in (prefixes for those kept per term or kind). */
const SETTING_TEXT: [RegExp, string][] = [
  [/^desk\.idleMinutes$/, '自动锁定分钟'],
  [/^scoringRubric$/, '认定评分标准'],
  [/^publicityRules$/, '公示天数设置'],
  [/^board\.calendar\./, '学期工作日程'],
  [/^listProfile:/, '县级名单格式'],
  [/^demo$/, '演示数据'],
  [/^funds\.guard$/, '资金不足时的导出'],
  [/^funds\.setAside\./, '校内资助提取比例与学费收入'],
  [/^meals\.standard\./, '营养餐补助标准'],
  [/^meals\.term\./, '营养餐供餐起止日期'],
  [/^notices\./, '告知家长的文字'],
];

/** Long values (a whole scoring rubric) are cut for the page and the sheet; the entry itself keeps them. */
const VALUE_MAX = 200;

/** A stored value as the clerk reads it: codes in words, fen in yuan, lists of codes joined. */
export function auditValueText(entity: string, column: string, value: unknown): string {
  const text = valueText(entity, column, value);
  return text.length > VALUE_MAX ? `${text.slice(0, VALUE_MAX)}…（共 ${text.length} 字）` : text;
}

function valueText(entity: string, column: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (entity === 'setting' && column === 'key' && typeof value === 'string')
    return SETTING_TEXT.find(([re]) => re.test(value))?.[1] ?? value;
  if (column.endsWith('_fen') && typeof value === 'number') return fenToYuanText(value);
  const words = VALUE_TEXT[`${entity}.${column}`] ?? VALUE_TEXT[column];
  if (column === 'factors' || column === 'stages' || column === 'direct_groups') {
    let list: unknown = value;
    try {
      if (typeof value === 'string') list = JSON.parse(value);
    } catch {
      // Not a list after all: shown as stored.
    }
    const names: Record<string, string> = column === 'factors' ? HARDSHIP_FACTOR_TEXT : column === 'stages' ? STAGE_TEXT : PRIORITY_GROUPS;
    if (Array.isArray(list)) return list.map((k) => names[String(k)] ?? String(k)).join('、');
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return words?.[text] ?? text;
}
