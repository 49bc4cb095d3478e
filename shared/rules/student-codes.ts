/**
 * The 学籍 system's data standard writes many fields as codes (性别 1/2, 民族 01 汉族 …, 身份证件类型 1 居民身份证,
 * 户口性质 1/2, 就读方式 1 走读 / 2 住校, 是否留守儿童 0/1/2, 是否孤儿 0/1, 出生日期 YYYYMMDD). A column is read as
 * codes only when every value in it is a code of its table, so a column of words is never re-read; the words are
 * what the preview shows and what is stored.
 */
export type CodedField = 'sex' | 'ethnicity' | 'idType' | 'hukou' | 'boarding' | 'leftBehind' | 'orphan';

/** GB/T 3304 民族 codes as the 学籍 system uses them. */
const ETHNICITIES = [
  '汉族',
  '蒙古族',
  '回族',
  '藏族',
  '维吾尔族',
  '苗族',
  '彝族',
  '壮族',
  '布依族',
  '朝鲜族',
  '满族',
  '侗族',
  '瑶族',
  '白族',
  '土家族',
  '哈尼族',
  '哈萨克族',
  '傣族',
  '黎族',
  '傈僳族',
  '佤族',
  '畲族',
  '高山族',
  '拉祜族',
  '水族',
  '东乡族',
  '纳西族',
  '景颇族',
  '柯尔克孜族',
  '土族',
  '达斡尔族',
  '仫佬族',
  '羌族',
  '布朗族',
  '撒拉族',
  '毛南族',
  '仡佬族',
  '锡伯族',
  '阿昌族',
  '普米族',
  '塔吉克族',
  '怒族',
  '乌孜别克族',
  '俄罗斯族',
  '鄂温克族',
  '德昂族',
  '保安族',
  '裕固族',
  '京族',
  '塔塔尔族',
  '独龙族',
  '鄂伦春族',
  '赫哲族',
  '门巴族',
  '珞巴族',
  '基诺族',
];

export const CODE_TABLES: Record<CodedField, Record<string, string>> = {
  sex: { '1': '男', '2': '女' },
  ethnicity: {
    ...Object.fromEntries(ETHNICITIES.map((name, i) => [String(i + 1).padStart(2, '0'), name])),
    '97': '其他',
    '98': '外国血统中国籍人士',
  },
  idType: {
    '1': '居民身份证',
    '6': '香港特区护照/身份证明',
    '7': '澳门特区护照/身份证明',
    '8': '台湾居民来往大陆通行证',
    '9': '境外永久居住证',
    A: '护照',
    Z: '其他',
  },
  hukou: { '1': '农业户口', '2': '非农业户口' },
  boarding: { '1': '走读', '2': '住校' },
  // 1 单亲外出务工, 2 双亲外出务工: both are 留守.
  leftBehind: { '0': '否', '1': '是', '2': '是' },
  orphan: { '0': '否', '1': '是' },
};

/** A value as a code of the field's table: 民族 "1" is "01"; letters upper case. */
function codeKey(field: CodedField, value: string): string {
  const v = value.normalize('NFKC').trim().toUpperCase();
  return field === 'ethnicity' && /^\d$/.test(v) ? `0${v}` : v;
}

/**
 * Whether a column is written in codes: it has values and every one is a code of the field's table. Returns the
 * decoder, or null for a column of words (or of anything else: those values go to the usual checks).
 */
export function codeDecoder(field: CodedField, values: readonly string[]): ((value: string) => string) | null {
  const table = CODE_TABLES[field];
  const present = values.map((v) => v.normalize('NFKC').trim()).filter(Boolean);
  if (present.length === 0) return null;
  if (!present.every((v) => codeKey(field, v) in table)) return null;
  return (value) => {
    const v = value.normalize('NFKC').trim();
    return v ? (table[codeKey(field, v)] ?? v) : v;
  };
}

/** The codes of a table as the preview names them: 1 走读、2 住校. */
export function codeTableText(field: CodedField): string {
  // Sorted: a JavaScript object lists keys like "10" before "01".
  return Object.entries(CODE_TABLES[field])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, 4)
    .map(([k, v]) => `${k} ${v}`)
    .join('、')
    .concat(Object.keys(CODE_TABLES[field]).length > 4 ? '…' : '');
}
