/** How student values show to the clerk in change lists and history: masked where sensitive, in Chinese. */
import { PRIORITY_GROUPS } from '../domain/priority-group';
import { maskAddress, maskBankCard, maskedPair, maskIdNumber, maskPhone } from './mask';

const GROUP_KEYS = new RegExp(`\\b(${Object.keys(PRIORITY_GROUPS).join('|')})\\b`, 'g');

const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  idNumber: '身份证件号',
  studentNumber: '学籍号',
  sex: '性别',
  birthDate: '出生日期',
  ethnicity: '民族',
  hukou: '户口性质',
  address: '现住址',
  guardianName: '监护人',
  guardianPhone: '联系电话',
  boarding: '就读方式',
  bankCard: '银行卡号',
  className: '班级',
  school: '学校',
  status: '在校状态',
  flags: '特殊群体',
  account: '户名（收款账户）',
};

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

export function displayValue(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = String(value);
  switch (field) {
    case 'idNumber':
    case 'studentNumber':
      return maskIdNumber(text);
    case 'guardianPhone':
      return maskPhone(text);
    case 'bankCard':
      return maskBankCard(text);
    case 'address':
      return maskAddress(text);
    case 'sex':
      return value === 'male' ? '男' : value === 'female' ? '女' : text;
    case 'hukou':
      return value === 'rural' ? '农村' : value === 'urban' ? '城镇' : text;
    case 'boarding':
      return value === true || value === '1' || value === 'true' ? '住校' : '走读';
    case 'flags':
      return text.replace(GROUP_KEYS, (key) => PRIORITY_GROUPS[key as keyof typeof PRIORITY_GROUPS]);
    default:
      return text;
  }
}

/** Two values of a field as shown, told apart when masking would make them look the same. */
export function displayPair(field: string, a: unknown, b: unknown): [string | null, string | null] {
  const text = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
  return maskedPair(text(a), text(b), (v) => displayValue(field, v));
}
