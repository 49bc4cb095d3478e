/** The one place student rows turn into domain values and back. */
import type { Stage } from '../../../shared/domain/school';
import type { StudentFields, StudentListItem } from '../../../shared/domain/student';
import { maskIdNumber } from '../../../shared/rules/mask';
import type { StudentRow } from '../db/schema';

type StoredStudent = Omit<StudentRow, 'id'> & { id: number };

export function rowToFields(
  r: Pick<
    StoredStudent,
    | 'name'
    | 'id_number'
    | 'student_number'
    | 'sex'
    | 'birth_date'
    | 'ethnicity'
    | 'hukou'
    | 'address'
    | 'guardian_name'
    | 'guardian_phone'
    | 'boarding'
    | 'bank_card'
  >,
): StudentFields {
  return {
    name: r.name,
    idNumber: r.id_number,
    studentNumber: r.student_number,
    sex: r.sex,
    birthDate: r.birth_date,
    ethnicity: r.ethnicity,
    hukou: r.hukou,
    address: r.address,
    guardianName: r.guardian_name,
    guardianPhone: r.guardian_phone,
    boarding: r.boarding === null ? null : r.boarding === 1,
    bankCard: r.bank_card,
  };
}

/** Column values for a student's fields, in the order of `STUDENT_COLUMNS`. */
export function fieldsToValues(f: StudentFields): (string | number | null)[] {
  return [
    f.name,
    f.idNumber,
    f.studentNumber,
    f.sex,
    f.birthDate,
    f.ethnicity,
    f.hukou,
    f.address,
    f.guardianName,
    f.guardianPhone,
    f.boarding === null ? null : f.boarding ? 1 : 0,
    f.bankCard,
    searchText(f),
  ];
}

export const STUDENT_COLUMNS = `name, id_number, student_number, sex, birth_date, ethnicity, hukou, address,
  guardian_name, guardian_phone, boarding, bank_card, search_text`;

/** Name, ID number and 学籍号 in one column: search is one substring test. */
export function searchText(f: Pick<StudentFields, 'name' | 'idNumber' | 'studentNumber'>): string {
  return [f.name, f.idNumber ?? '', f.studentNumber ?? ''].join(' ');
}

export function rowToListItem(
  r: Pick<
    StoredStudent,
    'id' | 'name' | 'sex' | 'id_number' | 'student_number' | 'birth_date' | 'class_id' | 'boarding' | 'status' | 'left_reason'
  > & {
    school_id: number;
    class_name: string | null;
    stage: string | null;
  },
): StudentListItem {
  return {
    id: r.id,
    name: r.name,
    sex: r.sex,
    idNumberMasked: maskIdNumber(r.id_number),
    studentNumberMasked: maskIdNumber(r.student_number),
    birthDate: r.birth_date,
    classId: r.class_id,
    className: r.class_name,
    schoolId: r.school_id,
    stage: r.stage as Stage | null,
    boarding: r.boarding === null ? null : r.boarding === 1,
    status: r.status,
    leftReason: r.left_reason,
  };
}
