/**
 * The one set of rules for a student's fields: the roster importer rejects rows with them and the edit
 * form marks fields red with them, so both always agree.
 */
import type { Hukou, Sex, StudentFields } from '../domain/student';
import { CARD_CHECK_DIGIT_TEXT, checkBankCard } from './bank-card';
import { parseDate } from './dates';
import { checkIdNumber, ID_NUMBER_PROBLEM_TEXT, normalizeIdNumber } from './id-number';
import { checkStudentNumber, normalizeStudentNumber, STUDENT_NUMBER_FORMAT_TEXT } from './student-number';
import { digitsOnly, normalizeName, normalizeText } from './text';

export type StudentField = keyof StudentFields;

export interface FieldProblem {
  field: StudentField;
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

/** Raw text of each field as typed or read from a cell; absent means "not in this input". */
export type StudentInput = Partial<Record<StudentField, string | null>>;

export function parseSex(value: string): Sex | null | 'invalid' {
  const v = normalizeText(value);
  if (!v) return null;
  if (/^(男|男性|1|M)$/i.test(v)) return 'male';
  if (/^(女|女性|2|F)$/i.test(v)) return 'female';
  return 'invalid';
}

export function parseHukou(value: string): Hukou | null | 'invalid' {
  const v = normalizeText(value).replace(/\s+/g, '');
  if (!v) return null;
  if (/^(农业|农业户口|农村|农村户口|农业户籍)$/.test(v)) return 'rural';
  if (/^(非农业|非农业户口|城镇|城镇户口|城市|非农)$/.test(v)) return 'urban';
  // Unified 居民户口 since 2014: not a rural/urban statement.
  if (/^(居民|居民户口|统一居民户口)$/.test(v)) return null;
  return 'invalid';
}

export function parseBoarding(value: string): boolean | null | 'invalid' {
  const v = normalizeText(value).replace(/\s+/g, '');
  if (!v) return null;
  if (/^(住校|寄宿|寄宿生|是|住读|Y)$/i.test(v)) return true;
  if (/^(走读|非寄宿|非寄宿生|否|走读生|N)$/i.test(v)) return false;
  return 'invalid';
}

export function parseYesNo(value: string): boolean | null | 'invalid' {
  const v = normalizeText(value);
  if (!v) return null;
  if (/^(是|有|Y|1|√)$/i.test(v)) return true;
  if (/^(否|无|N|0)$/i.test(v)) return false;
  return 'invalid';
}

export function isPlausiblePhone(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone) || /^0\d{2,3}-?\d{7,8}$/.test(phone) || /^\d{7,8}$/.test(phone);
}

export interface StudentCheck {
  /** The normalised values of the fields present in the input. */
  value: Partial<StudentFields>;
  problems: FieldProblem[];
}

/**
 * Normalises and checks the fields present in `input`. `today` bounds birth dates.
 * Errors make a row or a save fail; warnings are shown and let it through.
 */
export function checkStudent(input: StudentInput, today: string): StudentCheck {
  const value: Partial<StudentFields> = {};
  const problems: FieldProblem[] = [];
  const error = (field: StudentField, code: string, message: string) => problems.push({ field, code, severity: 'error', message });
  const warning = (field: StudentField, code: string, message: string) => problems.push({ field, code, severity: 'warning', message });

  if (input.name !== undefined) {
    const name = normalizeName(input.name ?? '');
    if (!name) error('name', 'name-missing', '姓名为空');
    else if (name.length > 30) error('name', 'name-too-long', '姓名超过30个字');
    value.name = name;
  }

  let idBirth: string | null = null;
  let idSex: Sex | null = null;
  if (input.idNumber !== undefined) {
    const raw = normalizeIdNumber(input.idNumber ?? '');
    if (!raw) value.idNumber = null;
    else {
      const id = checkIdNumber(raw);
      if (id.ok) {
        value.idNumber = id.idNumber;
        idBirth = id.birthDate;
        idSex = id.sex;
        if (id.birthDate > today) error('idNumber', 'id-number-birth-date', '身份证件号中的出生日期晚于今天');
      } else {
        error('idNumber', `id-number-${id.problem}`, ID_NUMBER_PROBLEM_TEXT[id.problem]);
      }
    }
  }

  if (input.studentNumber !== undefined) {
    const raw = normalizeStudentNumber(input.studentNumber ?? '');
    if (!raw) value.studentNumber = null;
    else {
      const sn = checkStudentNumber(raw);
      if (!sn.ok) error('studentNumber', 'student-number-format', STUDENT_NUMBER_FORMAT_TEXT);
      else {
        value.studentNumber = sn.studentNumber;
        if (sn.embeddedIdNumber && value.idNumber && sn.embeddedIdNumber !== value.idNumber) {
          warning('studentNumber', 'student-number-id-mismatch', '学籍号（G+身份证号）与身份证件号不一致，请核对学籍系统');
        }
      }
    }
  }

  if (input.sex !== undefined) {
    const sex = parseSex(input.sex ?? '');
    if (sex === 'invalid') error('sex', 'sex-invalid', '性别应为“男”或“女”');
    else {
      value.sex = sex ?? idSex;
      if (sex && idSex && sex !== idSex) {
        error('sex', 'sex-mismatch', `性别“${sex === 'male' ? '男' : '女'}”与身份证件号（第17位）不符`);
      }
    }
  } else if (idSex) value.sex = idSex;

  if (input.birthDate !== undefined) {
    const raw = normalizeText(input.birthDate ?? '');
    if (!raw) value.birthDate = idBirth;
    else {
      const d = parseDate(raw);
      if (d.kind === 'invalid') error('birthDate', 'birth-date-invalid', `出生日期“${raw}”不是有效日期`);
      else if (d.kind === 'day') {
        if (d.date > today) error('birthDate', 'birth-date-future', '出生日期晚于今天');
        else if (d.date < '1950-01-01') error('birthDate', 'birth-date-invalid', '出生日期早于1950年，不是学生的出生日期');
        else if (idBirth && d.date !== idBirth)
          error('birthDate', 'birth-date-mismatch', `出生日期 ${d.date} 与身份证件号中的 ${idBirth} 不符`);
        value.birthDate = idBirth ?? d.date;
      } else {
        const ym = `${d.year}-${String(d.month).padStart(2, '0')}`;
        if (idBirth && !idBirth.startsWith(ym))
          error('birthDate', 'birth-date-mismatch', `出生年月 ${ym} 与身份证件号中的 ${idBirth} 不符`);
        // Month-only 出生年月: the ID number gives the day when there is one.
        value.birthDate = idBirth ?? `${ym}-01`;
      }
    }
  } else if (idBirth) value.birthDate = idBirth;

  if (input.ethnicity !== undefined) value.ethnicity = normalizeText(input.ethnicity ?? '');
  if (input.address !== undefined) value.address = normalizeText(input.address ?? '');
  if (input.guardianName !== undefined) value.guardianName = normalizeName(input.guardianName ?? '');

  if (input.hukou !== undefined) {
    const hukou = parseHukou(input.hukou ?? '');
    if (hukou === 'invalid') {
      warning('hukou', 'hukou-unknown', `户口性质“${normalizeText(input.hukou ?? '')}”无法识别，已留空`);
      value.hukou = null;
    } else value.hukou = hukou;
  }

  if (input.boarding !== undefined) {
    const boarding = parseBoarding(input.boarding ?? '');
    if (boarding === 'invalid') {
      error('boarding', 'boarding-invalid', `就读方式“${normalizeText(input.boarding ?? '')}”应为“住校”或“走读”`);
    } else value.boarding = boarding;
  }

  if (input.guardianPhone !== undefined) {
    const phone = digitsOnly(input.guardianPhone ?? '');
    value.guardianPhone = phone;
    if (phone && !isPlausiblePhone(phone)) warning('guardianPhone', 'phone-format', '联系电话不像手机号或固定电话，请核对');
  }

  if (input.bankCard !== undefined) {
    const card = checkBankCard(input.bankCard);
    if (card.ok) {
      value.bankCard = card.card;
      if (card.checkDigitWarning) warning('bankCard', 'bank-card-luhn', CARD_CHECK_DIGIT_TEXT);
    } else if (card.problem === 'empty') value.bankCard = null;
    else error('bankCard', 'bank-card-format', card.message);
  }

  return { value, problems };
}
