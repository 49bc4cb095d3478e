import type { PriorityFlag } from './priority-group';
import type { Stage } from './school';
import type { Sex } from '../rules/id-number';

export type { Sex };
export type Hukou = 'rural' | 'urban';
export type StudentStatus = 'enrolled' | 'left';
export type LeftReason = 'transferred' | 'graduated' | 'dropped';

export const SEX_TEXT: Record<Sex, string> = { male: '男', female: '女' };
export const HUKOU_TEXT: Record<Hukou, string> = { rural: '农村', urban: '城镇' };
export const LEFT_REASON_TEXT: Record<LeftReason, string> = { transferred: '转出', graduated: '毕业', dropped: '辍学' };

/** The fields a roster row or the edit form sets. */
export interface StudentFields {
  name: string;
  idNumber: string | null;
  studentNumber: string | null;
  sex: Sex | null;
  birthDate: string | null;
  ethnicity: string;
  hukou: Hukou | null;
  address: string;
  guardianName: string;
  guardianPhone: string;
  boarding: boolean | null;
  bankCard: string | null;
}

/** 户名: whose bank account the money goes to. A guardian's account needs a proxy letter (委托书) on file. */
export type AccountHolder = 'student' | 'guardian';
export const ACCOUNT_HOLDER_TEXT: Record<AccountHolder, string> = { student: '学生本人', guardian: '监护人' };

export interface StudentAccount {
  holder: AccountHolder;
  /** The guardian's name when the account is a guardian's ('' for the student's own). */
  holderName: string;
  proxyLetter: boolean;
  /** 开户行. */
  bankName: string;
}

export interface Student extends StudentFields {
  id: number;
  classId: number | null;
  className: string | null;
  grade: string | null;
  stage: Stage | null;
  status: StudentStatus;
  leftReason: LeftReason | null;
  leftOn: string | null;
  flags: PriorityFlag[];
  /** Whose account the card (bankCard) is, and the 委托书. */
  account: StudentAccount;
  createdAt: string;
  updatedAt: string;
}

/** A row of the roster table: sensitive numbers come masked. */
export interface StudentListItem {
  id: number;
  name: string;
  sex: Sex | null;
  idNumberMasked: string | null;
  studentNumberMasked: string | null;
  birthDate: string | null;
  classId: number | null;
  className: string | null;
  /** The member school (1: the central school). */
  schoolId: number;
  stage: Stage | null;
  boarding: boolean | null;
  status: StudentStatus;
  leftReason: LeftReason | null;
}

/** One field's change, as kept in a student's history. */
export interface StudentChange {
  at: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  source: 'import' | 'edit' | 'status';
}
