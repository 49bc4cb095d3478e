/** The fields a county template's columns can hold, with the header names counties use for them. */
import { normalizeHeader } from './roster-columns';

export const TEMPLATE_FIELDS = {
  seq: { label: '序号', names: ['序号', '编号'] },
  name: { label: '姓名', names: ['姓名', '学生姓名', '受助学生姓名'] },
  /** 户名: the student's own name, or the guardian's for a guardian's account. */
  accountName: { label: '户名', names: ['户名', '账户名称', '账户名', '收款人姓名', '收款人', '开户人', '开户人姓名'] },
  idNumber: { label: '身份证号', names: ['身份证号', '身份证号码', '身份证件号', '证件号码', '学生身份证号', '公民身份号码'] },
  studentNumber: { label: '学籍号', names: ['学籍号', '全国学籍号', '学籍编号'] },
  grade: { label: '年级', names: ['年级', '就读年级'] },
  className: { label: '班级', names: ['班级', '就读班级'] },
  sex: { label: '性别', names: ['性别'] },
  ethnicity: { label: '民族', names: ['民族'] },
  boarding: { label: '是否寄宿', names: ['是否寄宿生', '寄宿情况', '是否寄宿', '寄宿生', '就读方式'] },
  category: { label: '困难类别', names: ['困难类别', '家庭经济困难类型', '困难类型', '资助对象类别', '学生类别'] },
  level: { label: '认定等级', names: ['认定等级', '困难等级', '认定级别', '家庭经济困难等级'] },
  tier: { label: '资助档次', names: ['资助档次', '档次', '资助等级'] },
  amount: {
    label: '资助金额',
    names: [
      '补助标准',
      '资助金额',
      '资助标准',
      '补助金额',
      '发放金额',
      '金额',
      '申请补助额度',
      '补助额度',
      '资助额度',
      '申请金额',
      '应发金额',
    ],
  },
  /** 认定等级 split into tick columns (特困 / 困难 / 一般 under one merged header): a tick in the student's. */
  levelEspecially: { label: '认定等级：特别困难（打√）', names: ['特别困难', '特困'] },
  levelDifficult: { label: '认定等级：困难（打√）', names: ['困难', '比较困难'] },
  levelGeneral: { label: '认定等级：一般困难（打√）', names: ['一般困难', '一般'] },
  /** The school's 资助面 of the term (students aided ÷ enrolled), the same on every row. */
  coverage: { label: '资助面', names: ['资助面', '资助覆盖面', '受助比例'] },
  paidOn: { label: '发放日期', names: ['发放日期', '发放时间', '到账日期', '打卡日期', '兑付日期'] },
  identifiedOn: { label: '认定时间', names: ['认定时间', '认定日期', '认定年月'] },
  identificationReason: { label: '认定原因', names: ['认定原因', '困难原因', '致困原因', '认定依据'] },
  perCapitaIncome: { label: '家庭人均年收入', names: ['家庭人均年收入', '家庭人均收入', '人均年收入', '家庭年人均收入'] },
  feeWaived: { label: '是否免学杂费', names: ['是否免学杂费', '免学杂费'] },
  bankCard: { label: '银行卡号', names: ['银行卡号', '社保卡号', '社会保障卡号', '银行账号', '卡号', '一卡通账号', '账号', '收款账号'] },
  bankName: { label: '开户行', names: ['开户行', '开户银行', '开户网点'] },
  guardian: { label: '监护人', names: ['监护人', '监护人姓名', '家长姓名'] },
  phone: { label: '联系电话', names: ['联系电话', '家长电话', '手机号', '监护人电话'] },
  note: { label: '备注', names: ['备注'] },
  schoolName: { label: '学校名称', names: ['学校名称', '学校', '就读学校'] },
  /** A county's summary (汇总表) has a row per school: these hold the school's counts; 资助金额 its total. */
  enrolledCount: { label: '在校学生数', names: ['在校学生数', '在校生数', '在校人数', '在校学生人数', '学生总数', '在籍学生数'] },
  recipientCount: { label: '受助人数', names: ['受助人数', '资助人数', '受助学生数', '受助学生人数', '资助学生数', '享受人数'] },
  tier1Count: { label: '一档人数', names: ['一档人数', '一档受助人数'] },
  tier2Count: { label: '二档人数', names: ['二档人数', '二档受助人数'] },
  tier3Count: { label: '三档人数', names: ['三档人数', '三档受助人数'] },
  township: { label: '乡镇', names: ['乡镇', '所在乡镇', '乡镇（街道）'] },
} as const;

export type TemplateField = keyof typeof TEMPLATE_FIELDS;
export const TEMPLATE_FIELD_KEYS = Object.keys(TEMPLATE_FIELDS) as TemplateField[];

/** The field a header names: exact names first, then a header that contains a name (补助标准（元/学期） → amount). */
export function fieldOfHeader(header: string): TemplateField | null {
  const h = normalizeHeader(header).replace(/[（(][^）)]*[）)]/g, '');
  if (!h) return null;
  for (const key of TEMPLATE_FIELD_KEYS) if ((TEMPLATE_FIELDS[key].names as readonly string[]).includes(h)) return key;
  let best: { key: TemplateField; length: number } | null = null;
  for (const key of TEMPLATE_FIELD_KEYS) {
    // A tick column is named by its level alone: 困难 inside a longer header (困难类别) is not one.
    if (TICK_FIELDS.includes(key)) continue;
    for (const name of TEMPLATE_FIELDS[key].names) {
      if (name.length >= 2 && h.includes(name) && (!best || name.length > best.length)) best = { key, length: name.length };
    }
  }
  return best?.key ?? null;
}

/** Tick columns of 认定等级, by level. */
export const TICK_FIELDS: TemplateField[] = ['levelEspecially', 'levelDifficult', 'levelGeneral'];
export const TICK = '√';

/** Fields that are identities: always written as text cells. */
export const TEXT_FIELDS: TemplateField[] = ['idNumber', 'studentNumber', 'bankCard', 'phone'];

/** The values AidDesk writes for coded fields, which a template's drop-down may spell its own way. */
export const FIELD_VALUES: Partial<Record<TemplateField, string[]>> = {
  boarding: ['是', '否'],
  sex: ['男', '女'],
  tier: ['一档', '二档', '三档'],
  level: ['特别困难', '困难', '一般困难', '不困难'],
  feeWaived: ['是'],
};
