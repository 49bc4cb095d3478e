/**
 * The national programmes with DOMAIN.md's default standards, per term in fen. A school year's catalogue
 * starts from these and the clerk edits them: amounts change almost every year and tiers are local.
 */
import { TIER_TEXT, TOP_TIER_GROUPS, type ProgrammeDefinition } from '../domain/programme';
import { STAGE_TEXT, type Stage } from '../domain/school';
import { formatYuan } from './money';

/** The per-term standard in words: 一档（25%）普通高中¥1,500.00；二档… or 小学¥625.00、初中¥750.00. */
export function standardText(p: Pick<ProgrammeDefinition, 'tiers'>): string {
  return p.tiers
    .map((t) => {
      const amounts =
        Object.entries(t.amounts)
          .map(([s, a]) => `${STAGE_TEXT[s as Stage]}${formatYuan(a)}`)
          .join('、') || '未设置';
      return p.tiers.length > 1 ? `${TIER_TEXT[t.tier]}（${t.proportion}%）${amounts}` : amounts;
    })
    .join('；');
}

const HARDSHIP = ['especially', 'difficult', 'general'] as const;
const base = { exclusive: [], topTierGroups: TOP_TIER_GROUPS, note: '' };

export const DEFAULT_PROGRAMMES: Record<string, ProgrammeDefinition> = {
  'preschool-aid': {
    ...base,
    name: '学前教育资助',
    stages: ['preschool'],
    kind: 'paid',
    boarding: 'any',
    tiers: [
      { tier: 1, proportion: 50, amounts: { preschool: 100_000 } },
      { tier: 2, proportion: 50, amounts: { preschool: 50_000 } },
    ],
    eligibility: { everyone: false, levels: [...HARDSHIP], groups: ['orphan', 'disabledStudent', 'unsupportedChild'] },
    note: '家庭经济困难儿童、孤儿和残疾儿童；标准由各地确定（如每年 1000–2000 元，分两档），按学期发放',
  },
  'preschool-fee-waiver': {
    ...base,
    name: '免保育教育费',
    stages: ['preschool'],
    kind: 'waiver',
    boarding: 'any',
    tiers: [{ tier: 1, proportion: 100, amounts: {} }],
    eligibility: { everyone: true, levels: [], groups: [], grades: ['大班'] },
    note: '公办幼儿园大班（最后一年）免收保育教育费，2025 年秋季起；金额按本园核定的收费标准填写，减免不发放',
  },
  'boarder-subsidy': {
    ...base,
    name: '义务教育寄宿生生活补助',
    stages: ['primary', 'junior'],
    kind: 'paid',
    boarding: 'boarder',
    tiers: [{ tier: 1, proportion: 100, amounts: { primary: 62_500, junior: 75_000 } }],
    eligibility: { everyone: false, levels: [...HARDSHIP], groups: [] },
    exclusive: ['day-subsidy'],
    note: '家庭经济困难寄宿生：小学每年 1250 元、初中每年 1500 元（2024 年春季起），按学期发放',
  },
  'day-subsidy': {
    ...base,
    name: '义务教育非寄宿生生活补助',
    stages: ['primary', 'junior'],
    kind: 'paid',
    boarding: 'day',
    tiers: [{ tier: 1, proportion: 100, amounts: { primary: 31_250, junior: 37_500 } }],
    eligibility: { everyone: false, levels: [], groups: [], fourCategories: true },
    exclusive: ['boarder-subsidy'],
    note: '“四类”走读生（脱贫家庭、家庭经济困难残疾、农村低保、农村特困供养），标准为寄宿生的 50%',
  },
  nutrition: {
    ...base,
    name: '营养改善计划',
    stages: ['primary', 'junior'],
    kind: 'meals',
    boarding: 'any',
    tiers: [{ tier: 1, proportion: 100, amounts: {} }],
    eligibility: { everyone: true, levels: [], groups: [] },
    note: '每生每天 5 元（标准在“营养餐”中按学年设置），在校的义务教育学生按日供餐，不申请、不公示、不向家庭发放',
  },
  'free-textbooks': {
    ...base,
    name: '免费教科书',
    stages: ['primary', 'junior'],
    kind: 'inKind',
    boarding: 'any',
    topTierGroups: [],
    tiers: [{ tier: 1, proportion: 100, amounts: {} }],
    eligibility: { everyone: true, levels: [], groups: [] },
    note: '义务教育国家规定课程教科书免费提供（三免一补），按班签领；每生价值按本学期实际书目价格填写',
  },
  'senior-grant': {
    ...base,
    name: '普通高中国家助学金',
    stages: ['senior'],
    kind: 'paid',
    boarding: 'any',
    tiers: [
      { tier: 1, proportion: 25, amounts: { senior: 150_000 } },
      { tier: 2, proportion: 50, amounts: { senior: 115_000 } },
      { tier: 3, proportion: 25, amounts: { senior: 80_000 } },
    ],
    eligibility: { everyone: false, levels: [...HARDSHIP], groups: [] },
    note: '平均每生每年 2300 元（2025 年春季起），分档标准由省里在范围内确定，请按县里通知修改',
  },
  'senior-fee-waiver': {
    ...base,
    name: '普通高中免学杂费',
    stages: ['senior'],
    kind: 'waiver',
    boarding: 'any',
    tiers: [{ tier: 1, proportion: 100, amounts: {} }],
    eligibility: { everyone: false, levels: [], groups: [], fourCategories: true },
    note: '“四类”学生免学杂费，金额按核定的学杂费标准填写，减免不发放',
  },
  'vocational-grant': {
    ...base,
    name: '中职国家助学金',
    stages: ['vocational'],
    kind: 'paid',
    boarding: 'any',
    tiers: [
      { tier: 1, proportion: 25, amounts: { vocational: 150_000 } },
      { tier: 2, proportion: 50, amounts: { vocational: 115_000 } },
      { tier: 3, proportion: 25, amounts: { vocational: 80_000 } },
    ],
    eligibility: { everyone: false, levels: [...HARDSHIP], groups: [] },
    note: '一、二、三年级家庭经济困难学生，平均每生每年 2300 元，分 2–3 档',
  },
  'vocational-fee-waiver': {
    ...base,
    name: '中职免学费',
    stages: ['vocational'],
    kind: 'waiver',
    boarding: 'any',
    tiers: [{ tier: 1, proportion: 100, amounts: {} }],
    eligibility: { everyone: true, levels: [], groups: [] },
    note: '按核定的学费标准减免，不发放',
  },
  'vocational-scholarship': {
    ...base,
    name: '中职国家奖学金',
    stages: ['vocational'],
    kind: 'paid',
    boarding: 'any',
    topTierGroups: [],
    tiers: [{ tier: 1, proportion: 100, amounts: { vocational: 600_000 } }],
    eligibility: { everyone: true, levels: [], groups: [] },
    note: '品学兼优，每生每年 6000 元',
  },
  'school-aid': {
    ...base,
    name: '校内资助',
    stages: ['preschool', 'primary', 'junior', 'senior', 'vocational'],
    kind: 'paid',
    boarding: 'any',
    tiers: [{ tier: 1, proportion: 100, amounts: {} }],
    eligibility: { everyone: false, levels: [...HARDSHIP], groups: [] },
    note: '学校自有资金（高中从事业收入中提取 3–5%），标准由学校确定',
  },
  donation: {
    ...base,
    name: '社会捐助',
    stages: ['preschool', 'primary', 'junior', 'senior', 'vocational'],
    kind: 'paid',
    boarding: 'any',
    tiers: [{ tier: 1, proportion: 100, amounts: {} }],
    eligibility: { everyone: false, levels: [...HARDSHIP], groups: [] },
    note: '社会捐助，标准按捐助协议填写',
  },
};
